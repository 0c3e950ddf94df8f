// Pool rules: profile minimums, default metadata, raid5/6 acknowledgement, usable space for mixed
// sizes, removal shortfall, mount options.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DEFAULT_DEDUP_SCHEDULE } from '../../../src/domain/pools.js';
import { cronProblems, nextRun } from '../../../src/domain/protection.js';
import {
  defaultMetadataProfile,
  mountOptions,
  profileProblems,
  remountOptions,
  removalShortfall,
  usableBytes,
  wastedBytes,
} from '../../../src/domain/storage.js';

const G = 1024 ** 3;
const near = (a: number, b: number, tol = 0.01) => assert.ok(Math.abs(a - b) <= tol * b, `${a} ≈ ${b}`);

test('usable space per profile, including mixed sizes', () => {
  near(usableBytes('single', [G, G]), 2 * G);
  near(usableBytes('dup', [G]), G / 2);
  near(usableBytes('raid1', [G, G]), G);
  near(usableBytes('raid1', [G, 3 * G]), G, 0.02);
  near(usableBytes('raid1', [G, G, 2 * G]), 2 * G, 0.02);
  near(usableBytes('raid1c3', [G, G, G]), G);
  near(usableBytes('raid10', [G, G, G, G]), 2 * G);
  near(usableBytes('raid5', [G, G, G]), 2 * G);
  near(usableBytes('raid6', [G, G, G, G]), 2 * G);
  near(usableBytes('raid0', [G, G]), 2 * G);
  assert.equal(usableBytes('raid1', [G]), 0);
  near(wastedBytes('raid1', [G, 3 * G]), 2 * G, 0.02);
  assert.equal(wastedBytes('raid1', [G, G]), 0);
});

test('profiles: minimum disks, dup on one disk, raid5/6 only when acknowledged, never metadata raid5/6 by default', () => {
  assert.deepEqual(
    profileProblems({ data: 'raid1', metadata: 'raid1', disks: 2, acknowledgeRaid56: false }),
    [],
  );
  const few = profileProblems({ data: 'raid1c3', metadata: 'raid1c3', disks: 2, acknowledgeRaid56: false });
  assert.deepEqual(
    few.map((p) => [p.field, p.code]),
    [
      ['profile', 'TOO_FEW_DISKS'],
      ['metadata_profile', 'TOO_FEW_DISKS'],
    ],
  );
  assert.equal(
    profileProblems({ data: 'raid5', metadata: 'raid1', disks: 3, acknowledgeRaid56: false })[0]!.code,
    'RAID56_NOT_ACKNOWLEDGED',
  );
  assert.deepEqual(
    profileProblems({ data: 'raid5', metadata: 'raid1', disks: 3, acknowledgeRaid56: true }),
    [],
  );
  assert.equal(
    profileProblems({ data: 'raid1', metadata: 'raid6', disks: 4, acknowledgeRaid56: false })[0]!.code,
    'RAID56_METADATA',
  );
  assert.equal(defaultMetadataProfile('single', 1), 'dup');
  assert.equal(defaultMetadataProfile('raid0', 2), 'raid1');
  assert.equal(defaultMetadataProfile('raid6', 4), 'raid1c3');
  assert.equal(defaultMetadataProfile('raid1c4', 4), 'raid1c4');
  for (const p of ['raid5', 'raid6'] as const)
    for (const n of [2, 3, 4, 8]) assert.doesNotMatch(defaultMetadataProfile(p, n), /raid[56]/);
});

test('removal shortfall says how many bytes are missing', () => {
  const ok = removalShortfall({
    profile: 'raid1',
    remainingSizes: [G, G],
    usedBytes: 100 * 2 ** 20,
    metadataTotalBytes: 2 ** 28,
  });
  assert.equal(ok.missing, 0);
  const no = removalShortfall({
    profile: 'raid1',
    remainingSizes: [G, G],
    usedBytes: 0.9 * G,
    metadataTotalBytes: 2 ** 28,
  });
  assert.ok(no.missing > 0);
  assert.equal(no.missing, no.needed - no.available);
});

test('mount options: compression, sync policy, degraded', () => {
  assert.equal(
    mountOptions({ compression: 'zstd', compressionLevel: 3, sync: 'standard' }),
    'compress=zstd:3',
  );
  assert.equal(mountOptions({ compression: 'none', compressionLevel: null, sync: 'standard' }), 'defaults');
  assert.equal(
    mountOptions({ compression: 'lzo', compressionLevel: null, sync: 'always', degraded: true }),
    'compress=lzo,sync,flushoncommit,degraded',
  );
  assert.equal(
    mountOptions({ compression: 'zlib', compressionLevel: 9, sync: 'relaxed' }),
    'compress=zlib:9,commit=120',
  );
  assert.equal(
    remountOptions({ compression: 'none', compressionLevel: null, sync: 'standard' }),
    'compress=no,async,noflushoncommit,commit=30',
  );
});

test('DEFAULT_DEDUP_SCHEDULE: a valid cron expression that runs nightly at 03:00', () => {
  assert.equal(DEFAULT_DEDUP_SCHEDULE, '0 3 * * *');
  assert.deepEqual(cronProblems(DEFAULT_DEDUP_SCHEDULE, undefined, 'dedup_schedule'), []);
  const next = nextRun(DEFAULT_DEDUP_SCHEDULE, 'UTC', new Date('2026-12-04T12:00:00Z'));
  assert.equal(next?.toISOString(), '2026-12-05T03:00:00.000Z');
});
