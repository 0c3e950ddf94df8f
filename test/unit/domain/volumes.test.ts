// Parsers of btrfs-progs 6.2 output, on output captured from a real pool (test/fixtures/btrfs/).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  parseQgroupShow,
  parseRootId,
  parseSubvolumeList,
} from '../../../src/system/btrfs/parse-subvolume.js';
import {
  defaultVolumeSize,
  FILE_LUN_DEFAULT_SIZE,
  generatedSnapshotName,
  volumeProblems,
} from '../../../src/domain/volumes.js';

const fixture = (name: string) =>
  readFileSync(join(import.meta.dirname, '../../../../test/fixtures/btrfs', name), 'utf8');

test('qgroup show -re --raw: sizes, limits, stale qgroups', () => {
  const rows = parseQgroupShow(fixture('btrfs-6.2-qgroup-show-re-raw.txt'));
  assert.equal(rows.length, 7);
  assert.deepEqual(rows[1], {
    qgroupId: '0/256',
    subvolumeId: 256,
    referenced: 10502144,
    exclusive: 16384,
    maxReferenced: 104857600,
    maxExclusive: null,
    path: 'volumes/v1',
    stale: false,
  });
  assert.equal(rows[2]!.maxReferenced, null);
  assert.equal(rows[0]!.path, '<toplevel>');
  assert.deepEqual(
    rows.filter((r) => r.stale).map((r) => r.qgroupId),
    ['0/263'],
  );
});

test('subvolume list: ids and paths', () => {
  const rows = parseSubvolumeList(fixture('btrfs-6.2-subvolume-list.txt'));
  assert.deepEqual(rows[0], { id: 256, path: 'volumes/v1' });
  assert.equal(rows.length, 5);
  assert.deepEqual(
    parseSubvolumeList('ID 257 gen 10 cgen 10 top level 5 otime 2026-11-24 08:18:04 path snapshots/s1'),
    [{ id: 257, path: 'snapshots/s1' }],
  );
});

test('rootid', () => {
  assert.equal(parseRootId('257\n'), 257);
  assert.throws(() => parseRootId('ERROR: not a btrfs'));
});

test('volume rules collect every problem; generated names are valid names', () => {
  const p = volumeProblems({ name: '../x', size: 5, compression: 'gzip', snapshot_limit: -1 });
  assert.deepEqual(
    p.map((x) => x.field),
    ['name', 'size', 'compression', 'snapshot_limit'],
  );
  assert.deepEqual(volumeProblems({ type: 'lun', size: 4096 * 100, block_size: 4096 }), [
    { field: 'size', code: 'TOO_SMALL', message: 'size must be at least 1048576 bytes' },
  ]);
  assert.equal(volumeProblems({ type: 'lun', size: 1048576 + 512, block_size: 4096 }).length, 1);
  assert.equal(volumeProblems({ compression: 'zstd:3' }).length, 0);
  // A dialect's block size (a number the native schema never sees) is checked here.
  assert.deepEqual(
    volumeProblems({ type: 'lun', size: 1048576 * 4, block_size: 1024 }).map((x) => x.code),
    ['BAD_BLOCK_SIZE'],
  );
  const n = generatedSnapshotName(new Date('2024-01-02T03:04:05.678Z'), 'ab12');
  assert.equal(n, 'snap-20240102T030405Z-ab12');
  assert.equal(volumeProblems({ name: n }).length, 0);
});

test('defaultVolumeSize: a filesystem takes its pool, a file-backed lun 1 GiB, a lun of its own none', () => {
  assert.equal(defaultVolumeSize({ type: 'filesystem' }), 'pool');
  assert.equal(defaultVolumeSize({ type: 'lun', parent: 'v1' }), FILE_LUN_DEFAULT_SIZE);
  assert.equal(FILE_LUN_DEFAULT_SIZE, 1024 ** 3);
  assert.equal(defaultVolumeSize({ type: 'lun' }), null);
});
