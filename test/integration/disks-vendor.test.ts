// A disk's vendor: physical disks found by a rescan carry lsblk's VENDOR (natively and in vSnap's
// GET /api/disk); Cairn's virtual disks say Cairn.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startCairn } from '../support/cairn.js';
import { realPartsSkip, sh } from '../support/real.js';
import { makeDisks, type DiskWire } from './storage-support.js';
import { vsnap } from './vsnap-support.js';

type Disk = DiskWire & { vendor: string | null; kind: string };

test('disk vendor from lsblk, natively and through vSnap', { skip: realPartsSkip() }, async (t) => {
  const c = await startCairn(t);
  const [virtual] = await makeDisks(c.admin, 1, 128 * 1024 * 1024);
  await c.admin.change('POST', 'disks/rescan');
  const all = (await c.admin.get<{ items: Disk[] }>('disks?limit=1000')).items;
  const shown = (await vsnap(c, 'GET', '/api/disk')).body.disks as { uuid: string; vendor: string | null }[];
  assert.equal(all.find((d) => d.id === virtual!.id)!.vendor, 'Cairn');
  const physical = all.filter((d) => d.kind === 'physical');
  for (const d of physical) {
    const expected = sh(['lsblk', '-dn', '-o', 'VENDOR', d.path!]).trim() || null;
    assert.equal(d.vendor, expected, `${d.path}: the vendor lsblk reports`);
    assert.equal(shown.find((x) => x.uuid === d.id)?.vendor, expected, `${d.path} in vSnap`);
  }
  // On the project's VMs the virtio root disk has one (its PCI vendor id, 0x1af4).
  const withVendor = sh(['lsblk', '-dn', '-o', 'NAME,TYPE,VENDOR'])
    .split('\n')
    .filter((l) => /disk\s+\S+/.test(l));
  if (withVendor.length)
    assert.ok(
      physical.some((d) => d.vendor),
      'a physical disk with a vendor is shown',
    );
});
