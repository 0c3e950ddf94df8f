// Pure monitoring logic: buckets and rollups on a known series with a fake clock, alert planning
// (raise, de-duplicate, auto-clear), thresholds, event effects, log parameters, webhook signatures.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import {
  DEFAULT_RETENTION,
  HOUR_MS,
  aggregate,
  autoResolution,
  backoffMs,
  bucketStart,
  capacityCondition,
  certificateCondition,
  eventEffect,
  foldLogParams,
  nextBucket,
  planAlerts,
  reaggregate,
  signBody,
  spareClears,
  type Condition,
} from '../../../../src/domain/monitor.js';

const T0 = Date.UTC(2025, 0, 31, 22, 0, 0); // 31 Jan 22:00 UTC: the series crosses a day and a month

/** value = minute index within the series, every 10 s for 3 hours. */
const series = () => {
  const pts: { ts: number; value: number }[] = [];
  for (let i = 0; i < 3 * 360; i++) pts.push({ ts: T0 + i * 10_000, value: (i * 7) % 101 });
  return pts;
};

test('buckets: hour, day and calendar month in UTC', () => {
  const t = Date.UTC(2025, 1, 14, 13, 45, 12, 5);
  assert.equal(bucketStart(t, 'hour'), Date.UTC(2025, 1, 14, 13));
  assert.equal(bucketStart(t, 'day'), Date.UTC(2025, 1, 14));
  assert.equal(bucketStart(t, 'month'), Date.UTC(2025, 1, 1));
  assert.equal(nextBucket(Date.UTC(2025, 1, 1), 'month'), Date.UTC(2025, 2, 1));
  assert.equal(nextBucket(Date.UTC(2025, 11, 1), 'month'), Date.UTC(2026, 0, 1));
});

test('aggregate: exact min, max, avg, last and count per hour of a known series', () => {
  const pts = series();
  const hours = aggregate(pts, 'hour');
  assert.equal(hours.length, 3);
  for (let h = 0; h < 3; h++) {
    const inHour = pts.slice(h * 360, (h + 1) * 360).map((p) => p.value);
    assert.deepEqual(hours[h], {
      ts: T0 + h * HOUR_MS,
      min: Math.min(...inHour),
      max: Math.max(...inHour),
      avg: inHour.reduce((a, b) => a + b, 0) / 360,
      last: inHour[359],
      count: 360,
    });
  }
  // Order of the input does not matter; last is the value at the latest time.
  assert.deepEqual(aggregate([...pts].reverse(), 'hour'), hours);
});

test('reaggregate: days and months from hours weigh averages by count', () => {
  const pts = series();
  const hours = aggregate(pts, 'hour');
  const days = reaggregate(hours, 'day');
  // 22:00 and 23:00 on 31 Jan, then 00:00 on 1 Feb
  assert.equal(days.length, 2);
  assert.deepEqual(days, aggregate(pts, 'day'));
  const months = reaggregate(days, 'month');
  assert.deepEqual(
    months.map((m) => m.ts),
    [Date.UTC(2025, 0, 1), Date.UTC(2025, 1, 1)],
  );
  assert.deepEqual(months, aggregate(pts, 'month'));
  const uneven = reaggregate(
    [
      { ts: T0, min: 1, max: 1, avg: 1, last: 1, count: 1 },
      { ts: T0 + HOUR_MS, min: 4, max: 4, avg: 4, last: 4, count: 3 },
    ],
    'day',
  );
  assert.equal(uneven[0]!.avg, (1 + 12) / 4);
});

test('autoResolution follows range and retention', () => {
  const now = T0;
  const r = DEFAULT_RETENTION;
  assert.equal(autoResolution(now - HOUR_MS / 2, now, now, r), 'raw');
  assert.equal(autoResolution(now - 10 * HOUR_MS, now, now, r), 'hour');
  assert.equal(autoResolution(now - 30 * 24 * HOUR_MS, now, now, r), 'day');
  assert.equal(autoResolution(now - 400 * 24 * HOUR_MS, now, now, r), 'month');
});

const cond = (rule: Condition['rule'], objectId: string): Condition => ({
  rule,
  objectType: 'pool',
  objectId,
  poolId: objectId,
  severity: 'warning',
  message: 'x',
});

test('planAlerts: raise new, repeat open (once per rule+object), clear ended of evaluated rules only', () => {
  const open = [
    { id: 'a1', rule: 'pool_capacity', objectId: 'p1' },
    { id: 'a2', rule: 'pool_capacity', objectId: 'p2' },
    { id: 'a3', rule: 'scrub_errors', objectId: 'p2' },
  ];
  const plan = planAlerts(
    [cond('pool_capacity', 'p1'), cond('pool_capacity', 'p1'), cond('pool_capacity', 'p3')],
    open,
    new Set(['pool_capacity']),
  );
  assert.deepEqual(
    plan.raise.map((c) => c.objectId),
    ['p3'],
  );
  assert.deepEqual(
    plan.repeat.map((r) => r.alertId),
    ['a1'],
  );
  assert.deepEqual(plan.clear, ['a2']);
  // An alert an event raised while the round was observing is newer than the round: kept.
  const seen = [
    { id: 'b1', rule: 'pool_health', objectId: 'p1', lastSeenAt: '2025-01-01T00:00:01.000Z' },
    { id: 'b2', rule: 'pool_health', objectId: 'p2', lastSeenAt: '2025-01-01T00:00:03.000Z' },
  ];
  const stale = planAlerts([], seen, new Set(['pool_health']), '2025-01-01T00:00:02.000Z');
  assert.deepEqual(stale.clear, ['b1']);
});

test('capacity and certificate thresholds', () => {
  const p = { id: 'p', name: 'tank' };
  const params = { warn_percent: 80, critical_percent: 90 };
  assert.equal(capacityCondition(p, { sizeBytes: 100, usedBytes: 79 }, params), null);
  assert.equal(capacityCondition(p, { sizeBytes: 100, usedBytes: 80 }, params)!.severity, 'warning');
  assert.equal(capacityCondition(p, { sizeBytes: 100, usedBytes: 95 }, params)!.severity, 'critical');
  assert.equal(capacityCondition(p, { sizeBytes: 0, usedBytes: 0 }, params), null);
  const now = T0;
  const inDays = (d: number) => new Date(now + d * 24 * HOUR_MS).toISOString();
  const cp = { warn_days: 30, critical_days: 7 };
  assert.equal(certificateCondition(inDays(40), now, cp), null);
  assert.equal(certificateCondition(inDays(20), now, cp)!.severity, 'warning');
  assert.equal(certificateCondition(inDays(3), now, cp)!.severity, 'critical');
  assert.match(certificateCondition(inDays(-1), now, cp)!.message, /expired/);
});

test('events raise and clear the alerts they stand for', () => {
  const ev = (type: string, details: Record<string, unknown> = {}) => ({
    type,
    severity: 'error' as const,
    objectType: 'pool',
    objectId: 'p1',
    message: type,
    details,
  });
  const r = eventEffect(ev('pool.degraded'));
  assert.equal(r?.action, 'raise');
  assert.equal(r?.action === 'raise' && r.condition.rule, 'pool_health');
  assert.deepEqual(eventEffect(ev('pool.online')), { action: 'clear', rule: 'pool_health', objectId: 'p1' });
  assert.equal(eventEffect(ev('something.else')), null);
  assert.equal(spareClears({ type: 'spare.replaced', details: { replaced_disk_id: 'd9' } }), 'd9');
  // The storage area's spare watcher names the replaced disk `old_disk`.
  assert.equal(spareClears({ type: 'spare.replaced', details: { old_disk: 'd8', new_disk: 'd7' } }), 'd8');
  assert.equal(spareClears({ type: 'pool.online', details: {} }), null);
});

test('log parameters: from/to, order and 1-based page fold into the shared list', () => {
  const f = foldLogParams({ from: 'a', to: 'b', order: 'asc', page: '3', limit: '20', type: 'x' }, 'at');
  assert.deepEqual(f.query, { at__gte: 'a', at__lte: 'b', sort: 'at', offset: '40', limit: '20', type: 'x' });
  assert.deepEqual(f.problems, []);
  assert.equal(foldLogParams({ order: 'up' }, 'at').problems[0]!.field, 'order');
  assert.equal(foldLogParams({ page: '0' }, 'at').problems[0]!.field, 'page');
  assert.equal(foldLogParams({ order: 'desc', sort: 'severity,at' }, 'at').query.sort, '-severity,-at');
});

test('webhook signature is HMAC-SHA256 of the raw body; back-off doubles up to an hour', () => {
  const body = '{"a":1}';
  assert.equal(signBody('k', body), `sha256=${createHmac('sha256', 'k').update(body).digest('hex')}`);
  assert.deepEqual(
    [1, 2, 3, 4].map((n) => backoffMs(n, 100)),
    [100, 200, 400, 800],
  );
  assert.equal(backoffMs(40, 1000), HOUR_MS);
});
