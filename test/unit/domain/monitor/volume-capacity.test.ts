// The volume_capacity rule: a filesystem volume's referenced bytes against its quota; luns never.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DEFAULT_RULES, volumeCapacityCondition, type VolumeRow } from '../../../../src/domain/monitor.js';

const MiB = 1024 * 1024;
const row = (used: number, o: Partial<VolumeRow> = {}): VolumeRow => ({
  id: 'v1',
  name: 'docs',
  poolId: 'p1',
  sizeBytes: 100 * MiB,
  usedBytes: used * MiB,
  exclusiveBytes: 0,
  snapshotBytes: 0,
  type: 'filesystem',
  ...o,
});
const params = DEFAULT_RULES.find((r) => r.id === 'volume_capacity')!.params;

test('default thresholds: 85% warning, 95% critical', () => {
  assert.deepEqual(params, { warn_percent: 85, critical_percent: 95 });
  assert.equal(volumeCapacityCondition(row(84.9), params), null);
  const w = volumeCapacityCondition(row(85), params)!;
  assert.equal(w.severity, 'warning');
  assert.equal(w.rule, 'volume_capacity');
  assert.equal(w.objectType, 'volume');
  assert.equal(w.poolId, 'p1');
  assert.equal(w.message, 'volume docs is 85.0% full (85% threshold)');
  assert.equal(volumeCapacityCondition(row(95), params)!.severity, 'critical');
  assert.equal(volumeCapacityCondition(row(120), params)!.severity, 'critical');
});

test('changed thresholds apply; luns and sizeless volumes raise nothing', () => {
  assert.equal(
    volumeCapacityCondition(row(60), { warn_percent: 50, critical_percent: 70 })!.severity,
    'warning',
  );
  assert.equal(volumeCapacityCondition(row(100, { type: 'lun' }), params), null);
  assert.equal(volumeCapacityCondition(row(10, { sizeBytes: 0 }), params), null);
});
