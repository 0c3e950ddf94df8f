// The one place a row's keys change case: both ways, values untouched, already-converted keys kept.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { camelKeys, snakeKeys } from '../../../src/store/casing.js';

test('a row becomes a record and back', () => {
  const row = { id: 'v1', pool_id: 'p1', origin_snapshot_id: null, ip4_addrs: ['10.0.0.1'], size: 5 };
  const rec = camelKeys(row);
  assert.deepEqual(rec, { id: 'v1', poolId: 'p1', originSnapshotId: null, ip4Addrs: ['10.0.0.1'], size: 5 });
  assert.deepEqual(snakeKeys(rec), row);
});

test('values are not converted, nested keys stay as they are', () => {
  const rec = { retentionPolicy: { keep_last: 3 }, lastError: 'a_b' };
  assert.deepEqual(snakeKeys(rec), { retention_policy: { keep_last: 3 }, last_error: 'a_b' });
});

test('a key already in the target case is kept', () => {
  assert.deepEqual(snakeKeys({ snapshot_limit: 1 }), { snapshot_limit: 1 });
  assert.deepEqual(camelKeys({ poolId: 'p' }), { poolId: 'p' });
});
