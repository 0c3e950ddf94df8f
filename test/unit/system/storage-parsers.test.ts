// Parsers of btrfs-progs 6.2, losetup/lsblk 2.38 and duperemove 0.11 on captured real output.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  parseDeviceStatsJson,
  parseDfJson,
  parseFsDu,
  parseMkfsUuid,
  parseScrubRaw,
  parseScrubSummary,
  parseShow,
  parseUsage,
  parseBalanceStatus,
  parseReplaceStatus,
  totalErrors,
  parseMountinfo,
  parseSysDevice,
} from '../../../src/system/btrfs/parse.js';
import { parseLoopList } from '../../../src/system/loop/parse.js';
import { parseLsblk } from '../../../src/system/lsblk/parse.js';
import { diskInUseReason, isCandidateDisk } from '../../../src/domain/disks.js';
import { parseSharedChange } from '../../../src/system/duperemove/index.js';
import { REPO } from '../../support/cairn.js';

const fx = (tool: string, name: string) => readFileSync(join(REPO, 'test/fixtures', tool, name), 'utf8');

test('btrfs filesystem usage -b: totals, ratios, groups and unallocated per device', () => {
  const u = parseUsage(fx('btrfs', 'btrfs-6.2-filesystem-usage-raid1.txt'));
  assert.equal(u.deviceSize, 2147483648);
  assert.equal(u.allocated, 882376704);
  assert.equal(u.missing, 0);
  assert.equal(u.used, 427098112);
  assert.equal(u.freeEstimated, 745013248);
  assert.equal(u.freeMin, 745013248);
  assert.equal(u.dataRatio, 2);
  assert.equal(u.metadataRatio, 2);
  assert.equal(u.multipleProfiles, false);
  const data = u.groups.find((g) => g.type === 'Data')!;
  assert.deepEqual(data, {
    type: 'Data',
    profile: 'raid1',
    size: 325451776,
    used: 212992000,
    devices: { '/dev/loop0': 325451776, '/dev/loop1': 325451776 },
  });
  assert.deepEqual(u.unallocatedByDevice, { '/dev/loop0': 632553472, '/dev/loop1': 632553472 });
});

test('btrfs --format json filesystem df and device stats', () => {
  const df = parseDfJson(fx('btrfs', 'btrfs-6.2-filesystem-df-raid1.json'));
  assert.deepEqual(df[0], { type: 'Data', profile: 'raid1', total: 325451776, used: 212992000 });
  assert.equal(df.find((e) => e.type === 'GlobalReserve')!.profile, 'single');
  const clean = parseDeviceStatsJson(fx('btrfs', 'btrfs-6.2-device-stats-raid1.json'));
  assert.equal(clean.length, 2);
  assert.ok(clean.every((s) => totalErrors(s) === 0));
  const bad = parseDeviceStatsJson(fx('btrfs', 'btrfs-6.2-device-stats-errors.json'));
  assert.equal(bad.find((s) => s.devid === 2)!.corruptionErrs, 512);
});

test('btrfs filesystem show --raw, including a missing device', () => {
  const s = parseShow(fx('btrfs', 'btrfs-6.2-filesystem-show-raw-raid1.txt'))!;
  assert.equal(s.uuid, '7878f835-c7af-4646-ac06-a4c896e823aa');
  assert.equal(s.label, 'fx');
  assert.equal(s.totalDevices, 2);
  assert.deepEqual(s.devices[1], {
    devid: 2,
    size: 1073741824,
    used: 441188352,
    path: '/dev/loop1',
    missing: false,
  });
  assert.equal(s.someMissing, false);
  const m = parseShow(
    "Label: 'x'  uuid: 7878f835-c7af-4646-ac06-a4c896e823aa\n\tTotal devices 2 FS bytes used 1\n\tdevid    1 size 1073741824 used 1 path /dev/loop0\n\tdevid    2 size 0 used 0 path <missing disk> MISSING\n",
  )!;
  assert.equal(m.someMissing, true);
  assert.deepEqual(m.devices[1], { devid: 2, size: 0, used: 0, path: null, missing: true });
});

test('scrub: raw per-device counters are summed; errors are found although the exit code was 0', () => {
  const clean = parseScrubRaw(fx('btrfs', 'btrfs-6.2-scrub-clean.txt'));
  assert.equal(clean.devices.length, 2);
  assert.equal(clean.dataBytesScrubbed, 2 * 212992000);
  assert.equal(clean.csumErrors, 0);
  assert.equal(clean.status, 'finished');
  const fixed = parseScrubRaw(fx('btrfs', 'btrfs-6.2-scrub-corrected-R.txt'));
  assert.equal(fixed.csumErrors, 256);
  assert.equal(fixed.correctedErrors, 256);
  assert.equal(fixed.uncorrectableErrors, 0);
  assert.equal(fixed.devices.find((d) => d.devid === 2)!.csumErrors, 256);
  const status = parseScrubRaw(fx('btrfs', 'btrfs-6.2-scrub-status-R.txt'));
  assert.equal(status.dataBytesScrubbed, 425984000);
  assert.equal(status.durationSeconds, 1);
  assert.deepEqual(parseScrubSummary(fx('btrfs', 'btrfs-6.2-scrub-corrected-summary.txt')), {
    corrected: 256,
    uncorrectable: 0,
    clean: false,
  });
  assert.equal(parseScrubSummary(fx('btrfs', 'btrfs-6.2-scrub-clean-summary.txt')).clean, true);
});

test('mkfs UUID, filesystem du, balance and replace status', () => {
  assert.equal(parseMkfsUuid(fx('btrfs', 'btrfs-6.2-mkfs.txt')), '7878f835-c7af-4646-ac06-a4c896e823aa');
  assert.deepEqual(parseFsDu(fx('btrfs', 'btrfs-6.2-filesystem-du.txt')), {
    total: 31457280,
    exclusive: 31457280,
    shared: 0,
  });
  assert.deepEqual(parseBalanceStatus("No balance found on 'mnt'"), { running: false, fractionDone: null });
  assert.deepEqual(
    parseBalanceStatus(
      'Balance on mnt is running\n3 out of about 4 chunks balanced (4 considered),  25% left',
    ),
    {
      running: true,
      fractionDone: 0.75,
    },
  );
  assert.equal(parseReplaceStatus('Never started').state, 'never');
  const r = parseReplaceStatus('38.5% done, 0 write errs, 0 uncorr. read errs');
  assert.equal(r.state, 'running');
  assert.equal(r.fractionDone, 0.385);
  const f = parseReplaceStatus(
    'Started on 24.Nov 00:19:01, finished on 24.Nov 00:19:02, 0 write errs, 2 uncorr. read errs',
  );
  assert.equal(f.state, 'finished');
  assert.equal(f.uncorrectableReadErrors, 2);
});

test('losetup list: spaces in names, deleted backing files, pending detach', () => {
  const l = parseLoopList(fx('losetup', 'losetup-2.38.1-list.txt'));
  assert.deepEqual(l, [
    { device: '/dev/loop1', backingFile: '/tmp/lfx/c.img', autoclear: false, deleted: true },
    { device: '/dev/loop0', backingFile: '/tmp/lfx/a b.img', autoclear: false, deleted: false },
  ]);
  assert.equal(parseLoopList('/dev/loop2 1 /x/d3.img\n')[0]!.autoclear, true);
});

test('lsblk: candidate disks and why a disk is in use', () => {
  const devs = parseLsblk(fx('lsblk', 'lsblk-2.38.1-json.json'));
  const loop0 = devs.find((d) => d.name === 'loop0')!;
  assert.equal(loop0.sizeBytes, 1073741824);
  assert.equal(isCandidateDisk(loop0), false);
  assert.equal(isCandidateDisk(devs.find((d) => d.name === 'zram0')!), false);
  const vda = devs.find((d) => d.name === 'vda')!;
  assert.equal(isCandidateDisk(vda), true);
  assert.deepEqual(vda.mountpoints, ['/']);
  assert.equal(diskInUseReason(vda, { types: [] }), 'mounted at /', 'the root disk is in use');
});

test('lsblk VENDOR: a virtio disk shows its PCI vendor id; loop devices and zram have none', () => {
  const devs = parseLsblk(fx('lsblk', 'lsblk-2.38.1-json-vendor.json'));
  const by = (n: string) => devs.find((d) => d.name === n)!;
  assert.equal(by('vda').vendor, '0x1af4');
  assert.equal(by('loop0').vendor, null);
  assert.equal(by('zram0').vendor, null);
  // SCSI/ATA vendors are padded to 8 characters; older output without the column has no vendor.
  const padded = parseLsblk(
    JSON.stringify({ blockdevices: [{ name: 'sda', size: 1, type: 'disk', vendor: 'ATA     ' }] }),
  );
  assert.equal(padded[0]!.vendor, 'ATA');
  assert.equal(parseLsblk(fx('lsblk', 'lsblk-2.38.1-json.json'))[0]!.vendor, null);
});

test('duperemove: the shared-extent change it prints (not the saving)', () => {
  assert.equal(
    parseSharedChange('Comparison of extent info shows a net change in shared extents of: 201326592'),
    201326592,
  );
  assert.equal(parseSharedChange(fx('duperemove', 'duperemove-0.11.2-run.txt')), 0);
});

test('mountinfo: mount point escapes, source, per-mount and btrfs options', () => {
  const m = parseMountinfo(
    '21 26 0:20 / /proc rw,relatime - proc proc rw\n' +
      '301 26 0:77 / /tmp/a\\040b/pools/p1 rw,relatime - btrfs /dev/loop3 rw,compress=zstd:3,degraded,space_cache=v2,subvolid=5,subvol=/\n',
  );
  assert.equal(m.length, 2);
  assert.deepEqual(m[1], {
    mountPoint: '/tmp/a b/pools/p1',
    fsType: 'btrfs',
    source: '/dev/loop3',
    options: [
      'rw',
      'relatime',
      'rw',
      'compress=zstd:3',
      'degraded',
      'space_cache=v2',
      'subvolid=5',
      'subvol=/',
    ],
  });
});

test('sysfs devinfo: missing flag and error_stats as the kernel (6.x) prints them', () => {
  const d = parseSysDevice(
    2,
    '1\n',
    'write_errs 3\nread_errs 0\nflush_errs 1\ncorruption_errs 7\ngeneration_errs 0\nfuture_errs 9\n',
  );
  assert.equal(d.devid, 2);
  assert.equal(d.missing, true);
  assert.deepEqual(d.errors, {
    writeIoErrs: 3,
    readIoErrs: 0,
    flushIoErrs: 1,
    corruptionErrs: 7,
    generationErrs: 0,
  });
  assert.equal(totalErrors(d.errors), 11);
  assert.equal(parseSysDevice(1, '0', '').missing, false);
  assert.equal(totalErrors(parseSysDevice(1, '0', '').errors), 0);
});
