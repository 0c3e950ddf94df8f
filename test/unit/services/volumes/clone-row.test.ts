// A clone's row, the same for a clone of a snapshot and of a live volume: the source's type, size,
// options and metadata, its own name, display name and labels, and where it came from.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cloneRow } from '../../../../src/services/volumes/clone.js';
import type { VolumeRecord } from '../../../../src/store/volumes.js';

const src: VolumeRecord = {
  id: 'vol-src',
  seq: 3,
  poolId: 'pool-1',
  name: 'web',
  type: 'lun',
  size: 64 * 1024 * 1024,
  thin: true,
  blockSize: 4096,
  nocow: true,
  compression: 'zstd:3',
  snapshotLimit: 12,
  state: 'online',
  subvolId: 260,
  referenced: 1,
  exclusive: 1,
  sizesAt: null,
  originSnapshotId: null,
  parentId: null,
  parentPath: null,
  displayName: 'Web data',
  metadata: { product: 'x' },
  error: null,
  createdAt: '2026-01-01T00:00:00.000Z',
  updatedAt: '2026-01-01T00:00:00.000Z',
  snapshotCount: 2,
};

test('a clone row takes the source options and its own name, display name and labels', () => {
  assert.deepEqual(
    cloneRow(
      src,
      { id: 'vol-new', poolId: 'pool-1', originSnapshotId: 'snap-1' },
      {
        name: 'web2',
        labels: { env: 'test' },
      },
    ),
    {
      id: 'vol-new',
      poolId: 'pool-1',
      name: 'web2',
      type: 'lun',
      size: 64 * 1024 * 1024,
      thin: true,
      blockSize: 4096,
      nocow: true,
      compression: 'zstd:3',
      snapshotLimit: 12,
      state: 'creating',
      originSnapshotId: 'snap-1',
      displayName: 'web2',
      metadata: { product: 'x' },
      labels: { env: 'test' },
    },
  );
  const live = cloneRow(
    src,
    { id: 'vol-new', poolId: 'pool-1', originSnapshotId: null },
    {
      name: 'web3',
      display_name: 'Web copy',
    },
  );
  assert.equal(live.originSnapshotId, null);
  assert.equal(live.displayName, 'Web copy');
  assert.deepEqual(live.labels, {});
});
