// A disk with something on it is not unused: a real virtual disk (loop device) that gets an ext4
// filesystem turns `in_use` at the next rescan, is no longer offered (native list, vSnap's
// used_as=unused) nor taken by a pool, and is unused again once the signature is wiped. Physical
// disks found by the rescan follow the same rule (the machine's root disk is mounted at /).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startCairn, ADMIN_PASSWORD } from '../support/cairn.js';
import { realPartsSkip, sh } from '../support/real.js';
import { ApiError } from '../../src/cli/client.js';
import { makeDisks, type DiskWire } from './storage-support.js';

type Disk = DiskWire & { in_use: string | null };
type Page = { items: Disk[] };

test(
  'a virtual disk holding an ext4 signature is in_use after a rescan, unused again once wiped',
  { skip: realPartsSkip() },
  async (t) => {
    const c = await startCairn(t);
    const [disk] = await makeDisks(c.admin, 1, 128 * 1024 * 1024);
    const get = () => c.admin.get<Disk>(`disks/${disk!.id}`);
    const rescan = () => c.admin.change('POST', 'disks/rescan');
    const vsnapUnused = async () => {
      const r = await fetch(`${c.url}/api/disk?used_as=unused`, {
        headers: { authorization: `Basic ${Buffer.from(`admin:${ADMIN_PASSWORD}`).toString('base64')}` },
      });
      assert.equal(r.status, 200);
      return ((await r.json()) as { disks: { name: string }[] }).disks.map((d) => d.name);
    };

    await rescan();
    assert.equal((await get()).state, 'unused', 'a blank virtual disk stays unused');
    assert.equal((await get()).in_use, null);
    assert.ok((await vsnapUnused()).includes((await get()).path!), 'vSnap offers the blank disk');

    const dev = (await get()).path!;
    sh(['mkfs.ext4', '-q', '-F', dev]);
    await rescan();
    const used = await get();
    assert.equal(used.state, 'in_use');
    assert.equal(used.in_use, 'has an ext4 signature');
    const unused = await c.admin.get<Page>('disks?state=unused');
    assert.ok(!unused.items.some((d) => d.id === disk!.id), 'not listed as unused');
    assert.ok(!(await vsnapUnused()).includes(dev), 'vSnap does not offer it');
    await assert.rejects(
      c.admin.change('POST', 'pools', { name: 'never', profile: 'single', disks: [disk!.id] }),
      (e: unknown) => e instanceof ApiError && e.status === 409 && e.code === 'DISK_IN_USE',
    );

    sh(['wipefs', '-a', '-q', dev]);
    await rescan();
    assert.equal((await get()).state, 'unused', 'wiped: unused again');
    assert.equal((await get()).in_use, null);
    assert.ok((await vsnapUnused()).includes(dev), 'vSnap offers it again');
  },
);

test(
  'a rescan never leaves a physical disk with something on it unused',
  { skip: realPartsSkip() },
  async (t) => {
    const c = await startCairn(t);
    await c.admin.change('POST', 'disks/rescan');
    const physical = (await c.admin.get<Page>('disks?kind=physical&limit=1000')).items;
    for (const d of physical)
      assert.ok(d.state !== 'unused' || d.in_use === null, `${d.path} is unused but ${d.in_use}`);
    // The disk holding / (when it is a whole disk lsblk lists, as on the project's VMs) is in use.
    const root = sh(['findmnt', '-n', '-o', 'SOURCE', '/'], { allowFail: true }).trim();
    const rootDisk = physical.find((d) => d.path === root);
    if (rootDisk) {
      assert.equal(rootDisk.state, 'in_use');
      assert.equal(rootDisk.in_use, 'mounted at /');
    }
  },
);
