// Whether a disk in no pool is free (src/domain/disks.ts), on lsblk and wipefs output: captured on
// this project's machines (loop devices: blank, mounted ext4, ext4 signature only, DOS partition
// table) and, for layouts these machines cannot make (their kernel reads no partition tables and
// has no device-mapper), lsblk-2.38.1-json-layouts.json written in lsblk 2.38's JSON shape.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseLsblk, type BlockDevice } from '../../../src/system/lsblk/parse.js';
import { parseWipefsJson, wipefsFailure } from '../../../src/system/wipefs/parse.js';
import {
  diskInUseReason,
  isCandidateDisk,
  unassignedDiskState,
  type SignatureProbe,
} from '../../../src/domain/disks.js';
import { REPO } from '../../support/cairn.js';

const fx = (tool: string, name: string) => readFileSync(join(REPO, 'test/fixtures', tool, name), 'utf8');
const byName = (devs: BlockDevice[], name: string) => devs.find((d) => d.name === name)!;
const blank: SignatureProbe = { types: [] };

test('wipefs --no-act --json: signature types, blank devices, and why a device could not be read', () => {
  assert.deepEqual(parseWipefsJson(fx('wipefs', 'wipefs-2.38.1-none.json')), []);
  assert.deepEqual(parseWipefsJson(''), []);
  assert.deepEqual(parseWipefsJson(fx('wipefs', 'wipefs-2.38.1-ext4.json')), ['ext4']);
  assert.deepEqual(parseWipefsJson(fx('wipefs', 'wipefs-2.38.1-dos.json')), ['dos']);
  assert.deepEqual(wipefsFailure(fx('wipefs', 'wipefs-2.38.1-eperm.txt'), 1), {
    error: 'probing initialization failed: Operation not permitted',
  });
  assert.deepEqual(wipefsFailure('', 1), { error: 'wipefs exited with 1' });
});

test('the root disk of this machine (mounted at /, no udev so no FSTYPE) is in use', () => {
  const vda = byName(parseLsblk(fx('lsblk', 'lsblk-2.38.1-json.json')), 'vda');
  assert.equal(isCandidateDisk(vda), true);
  const why = diskInUseReason(vda, { error: 'probing initialization failed: Operation not permitted' });
  assert.equal(why, 'mounted at /');
  assert.equal(unassignedDiskState(why), 'in_use');
});

test('loop devices: blank is unused; a mounted ext4, an ext4 signature, a DOS partition table are not', () => {
  const devs = parseLsblk(fx('lsblk', 'lsblk-2.38.1-json-signatures.json'));
  // Without udev lsblk knows no FSTYPE or PTTYPE: only wipefs finds the signatures.
  assert.ok(devs.every((d) => d.fstype === null && d.pttype === null));
  const probe = (f: string): SignatureProbe => ({ types: parseWipefsJson(fx('wipefs', f)) });
  const blankLoop = byName(devs, 'loop0');
  assert.equal(diskInUseReason(blankLoop, probe('wipefs-2.38.1-none.json')), null);
  assert.equal(unassignedDiskState(null), 'unused');
  assert.equal(
    diskInUseReason(byName(devs, 'loop1'), probe('wipefs-2.38.1-dos.json')),
    'has a dos partition table',
  );
  const mounted = byName(devs, 'loop2');
  assert.deepEqual(mounted.mountpoints, ['/tmp/api-fx.CCwT/mc']);
  assert.equal(
    diskInUseReason(mounted, probe('wipefs-2.38.1-ext4-mounted.json')),
    'mounted at /tmp/api-fx.CCwT/mc',
  );
  assert.equal(
    diskInUseReason(byName(devs, 'loop3'), probe('wipefs-2.38.1-ext4.json')),
    'has an ext4 signature',
  );
  // A disk whose signatures cannot be read is not offered either.
  assert.equal(
    diskInUseReason(blankLoop, { error: 'Operation not permitted' }),
    'its signatures could not be read (Operation not permitted)',
  );
});

test('server layouts: partitions, swap, LVM, RAID, old filesystems, partition tables, read-only', () => {
  const devs = parseLsblk(fx('lsblk', 'lsblk-2.38.1-json-layouts.json'));
  const why = (name: string, probe: SignatureProbe = blank) => diskInUseReason(byName(devs, name), probe);
  // A mount anywhere below the disk is named with the partition or holder that has it.
  assert.equal(why('sda'), 'sda1 mounted at /boot/efi, sda2 mounted at /, sda3 used as swap');
  assert.equal(why('sdb'), 'data-srv mounted at /srv, data-srv mounted at /var/lib/backup');
  assert.equal(why('sdf'), 'md0 mounted at /mnt/old');
  assert.equal(why('sdc'), null, 'a blank disk is free');
  assert.equal(why('sdc', { types: ['zfs_member'] }), 'has a zfs_member signature');
  assert.equal(why('sdd'), 'has a gpt partition table');
  assert.equal(why('sde'), 'has a btrfs signature', 'an old pool is not wiped by accident');
  assert.equal(why('sdg'), 'read-only');
  assert.deepEqual(
    devs.filter(isCandidateDisk).map((d) => d.name),
    ['sda', 'sdb', 'sdc', 'sdd', 'sde', 'sdf', 'sdg'],
  );
  // Unmounted partitions and holders still keep the disk.
  const sdf = byName(devs, 'sdf');
  const unmounted = (d: BlockDevice): BlockDevice => ({
    ...d,
    mountpoints: [],
    children: d.children.map(unmounted),
  });
  assert.equal(diskInUseReason(unmounted(sdf), blank), 'partitioned (sdf1)');
  const sdb = unmounted(byName(devs, 'sdb'));
  assert.equal(diskInUseReason(sdb, blank), 'held by data-srv');
  assert.equal(diskInUseReason({ ...sdb, children: [] }, blank), 'has an LVM2_member signature');
});
