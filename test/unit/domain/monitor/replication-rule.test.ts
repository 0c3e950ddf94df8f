// The replication alert rule on a fake clock: lag against the schedule that drives a relationship,
// failure (error) and lagging (warning) conditions, and their end when a sync succeeds.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  planAlerts,
  replicationConditions,
  replicationLag,
  type ReplicationStatus,
} from '../../../../src/domain/monitor.js';

const T0 = Date.parse('2024-03-01T12:00:00Z');
const MIN = 60_000;
const EVERY_15 = { cron: '*/15 * * * *', timeZone: 'UTC' };
const HOURLY = { cron: '0 * * * *', timeZone: 'UTC' };
const iso = (ms: number) => new Date(ms).toISOString();

function row(over: Partial<ReplicationStatus>): ReplicationStatus {
  return {
    id: 'r1',
    name: 'vol1',
    poolId: 'p1',
    volumeId: 'v1',
    lastState: 'COMPLETED',
    lastSuccessAt: iso(T0),
    intervalSeconds: null,
    lagSeconds: 0,
    ...over,
  };
}

/** What the source computes at `now` for a relationship last synced at `lastSuccess`. */
const status = (now: number, lastSuccess: number, state = 'COMPLETED', schedules = [EVERY_15]) =>
  row({
    lastState: state,
    lastSuccessAt: iso(lastSuccess),
    ...replicationLag(iso(lastSuccess), schedules, now),
  });

test('replicationLag: interval of the schedule, lag from the first run due after the last success', () => {
  // Synced at 12:00; the next run is due at 12:15.
  assert.deepEqual(replicationLag(iso(T0), [EVERY_15], T0 + 10 * MIN), {
    intervalSeconds: 900,
    lagSeconds: 0,
  });
  assert.deepEqual(replicationLag(iso(T0), [EVERY_15], T0 + 15 * MIN), {
    intervalSeconds: 900,
    lagSeconds: 0,
  });
  assert.deepEqual(replicationLag(iso(T0), [EVERY_15], T0 + 40 * MIN), {
    intervalSeconds: 900,
    lagSeconds: 25 * 60,
  });
  // Two schedules: the more demanding one counts (shortest interval, longest lag).
  assert.deepEqual(replicationLag(iso(T0), [HOURLY, EVERY_15], T0 + 40 * MIN), {
    intervalSeconds: 900,
    lagSeconds: 25 * 60,
  });
  // No schedule: no interval and never lagging; a broken expression drives nothing.
  assert.deepEqual(replicationLag(iso(T0), [], T0 + 1e9), { intervalSeconds: null, lagSeconds: 0 });
  assert.deepEqual(replicationLag(iso(T0), [{ cron: 'nope', timeZone: 'UTC' }], T0 + 1e9), {
    intervalSeconds: null,
    lagSeconds: 0,
  });
});

test('replication rule: lagging once the last success is older than lag_intervals intervals', () => {
  const p = { lag_intervals: 2 };
  // 29 minutes after the last success of a 15-minute schedule: one run late, not yet lagging.
  assert.deepEqual(replicationConditions([status(T0 + 29 * MIN, T0)], p), []);
  const [c] = replicationConditions([status(T0 + 31 * MIN, T0)], p);
  assert.equal(c?.rule, 'replication');
  assert.equal(c?.severity, 'warning');
  assert.equal(c?.objectType, 'relationship');
  assert.equal(c?.objectId, 'r1');
  assert.equal(c?.poolId, 'p1');
  assert.equal(c?.details?.reason, 'lagging');
  assert.equal(c?.details?.lag_seconds, 16 * 60);
  assert.match(c!.message, /lagging/);
  // A looser threshold (4 intervals) tolerates the same delay.
  assert.deepEqual(replicationConditions([status(T0 + 31 * MIN, T0)], { lag_intervals: 4 }), []);
  // Without a schedule a relationship never lags, however old its last success.
  assert.deepEqual(replicationConditions([status(T0 + 1e9, T0, 'COMPLETED', [])], p), []);
});

test('replication rule: a failed sync is an error at once, schedule or not; cancel is not', () => {
  const p = { lag_intervals: 2 };
  const [c] = replicationConditions([status(T0 + MIN, T0, 'FAILED', [])], p);
  assert.equal(c?.severity, 'error');
  assert.equal(c?.details?.reason, 'failed');
  assert.match(c!.message, /failed/);
  // Failed and late: the failure wins (one alert per relationship, at the higher severity).
  const both = replicationConditions([status(T0 + 60 * MIN, T0, 'FAILED')], p);
  assert.equal(both.length, 1);
  assert.equal(both[0]?.severity, 'error');
  assert.deepEqual(replicationConditions([status(T0 + MIN, T0, 'CANCELLED')], p), []);
  assert.deepEqual(replicationConditions([status(T0 + MIN, T0, 'COMPLETED')], p), []);
});

test('replication rule on a fake clock: raised while failing or late, cleared by the next success', () => {
  const p = { lag_intervals: 2 };
  const evaluated = new Set(['replication']);
  let open: { id: string; rule: string; objectId: string }[] = [];
  const round = (rows: ReplicationStatus[]) => {
    const plan = planAlerts(replicationConditions(rows, p), open, evaluated);
    open = [
      ...open.filter((a) => !plan.clear.includes(a.id)),
      ...plan.raise.map((c, i) => ({ id: `a${open.length + i}`, rule: c.rule, objectId: c.objectId })),
    ];
    return plan;
  };
  // 12:31, no sync since 12:00: raised (warning).
  let plan = round([status(T0 + 31 * MIN, T0)]);
  assert.equal(plan.raise.length, 1);
  assert.equal(plan.raise[0]?.severity, 'warning');
  // 12:35, still late: a repeat, not a second alert.
  plan = round([status(T0 + 35 * MIN, T0)]);
  assert.deepEqual([plan.raise.length, plan.repeat.length, plan.clear.length], [0, 1, 0]);
  // 12:36 a sync fails: the same alert, now at error.
  plan = round([status(T0 + 36 * MIN, T0, 'FAILED')]);
  assert.equal(plan.repeat[0]?.condition.severity, 'error');
  // 12:40 the next sync succeeds: the alert clears.
  plan = round([status(T0 + 40 * MIN, T0 + 40 * MIN)]);
  assert.deepEqual(plan.clear, ['a0']);
  assert.deepEqual(open, []);
});
