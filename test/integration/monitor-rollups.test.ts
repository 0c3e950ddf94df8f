// Rollups in SQL on every store, with a fake clock: a known 3-hour series that crosses a day and a
// month gives exactly the min/max/avg/last/count the pure functions compute; re-running changes
// nothing; retention prunes only what has been rolled up.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { openStore } from '../../src/store/db.js';
import { migrate } from '../../src/store/migrations/index.js';
import { StatsStore } from '../../src/store/stats.js';
import {
  DEFAULT_RETENTION,
  HOUR_MS,
  aggregate,
  reaggregate,
  type StatPoint,
} from '../../src/domain/monitor.js';
import { testStores, databaseUrl } from '../support/stores.js';
import { tempDir } from '../support/real.js';

const T0 = Date.UTC(2025, 0, 31, 22, 0, 0);
const N = 3 * 360;

/** Two metrics of two objects; value pattern makes min/max/avg/last differ per hour. */
function rounds(): StatPoint[][] {
  const out: StatPoint[][] = [];
  for (let i = 0; i < N; i++) {
    const ts = T0 + i * 10_000;
    out.push([
      { kind: 'volume', objectId: 'v1', metric: 'used_bytes', ts, value: ((i * 7919) % 1000) * 1024 },
      { kind: 'volume', objectId: 'v1', metric: 'snapshot_bytes', ts, value: i * 0.5 },
      { kind: 'pool', objectId: 'p1', metric: 'used_ratio', ts, value: Math.sin(i / 50) },
    ]);
  }
  return out;
}

const close = (a: number, b: number) => Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(a), Math.abs(b));

function sameAggregates(
  actual: { ts: number; min: number; max: number; avg: number; last: number; count: number }[],
  expected: typeof actual,
  what: string,
) {
  assert.equal(actual.length, expected.length, `${what}: bucket count`);
  expected.forEach((e, i) => {
    const a = actual[i]!;
    assert.equal(a.ts, e.ts, `${what}[${i}].ts`);
    assert.equal(a.min, e.min, `${what}[${i}].min`);
    assert.equal(a.max, e.max, `${what}[${i}].max`);
    assert.ok(close(a.avg, e.avg), `${what}[${i}].avg ${a.avg} != ${e.avg}`);
    assert.equal(a.last, e.last, `${what}[${i}].last`);
    assert.equal(a.count, e.count, `${what}[${i}].count`);
  });
}

for (const store of testStores()) {
  test(`${store}: rollups give exact min/max/avg/last per hour, day and month (fake clock)`, async (t) => {
    const dir = tempDir(t);
    // Closed before the database is dropped (after-hooks run in the order they were added).
    const held: { s?: Awaited<ReturnType<typeof openStore>> } = {};
    t.after(() => held.s?.close());
    const s = (held.s = await openStore(await databaseUrl(t, store, dir)));
    await migrate(s.db, s.dialect);
    const stats = new StatsStore(s.db, s.dialect);
    const all = rounds();
    for (const r of all) await stats.insert(r);
    assert.equal(await stats.countRaw(), N * 3);

    // 1. Three hours later (01:00:30 on 1 Feb): three hours, one day (31 Jan) and one month (Jan) are complete.
    const now = T0 + 3 * HOUR_MS + 30_000;
    const written = await stats.rollup(now, DEFAULT_RETENTION);
    assert.deepEqual(written, { hour: 9, day: 3, month: 3 });

    const series = (metric: string, obj = 'v1') =>
      all
        .flat()
        .filter((p) => p.metric === metric && p.objectId === obj)
        .map((p) => ({ ts: p.ts, value: p.value }));
    for (const [obj, kind, metric] of [
      ['v1', 'volume', 'used_bytes'],
      ['v1', 'volume', 'snapshot_bytes'],
      ['p1', 'pool', 'used_ratio'],
    ] as const) {
      const hours = aggregate(series(metric, obj), 'hour');
      const got = await stats.history(kind, obj, 'hour', T0, now, [metric], 1000);
      sameAggregates(got[0]!.points, hours, `${metric} hour`);
      const days = reaggregate(hours.slice(0, 2), 'day');
      sameAggregates(
        (await stats.history(kind, obj, 'day', T0, now, [metric], 1000))[0]!.points,
        days,
        `${metric} day`,
      );
      const months = reaggregate(days, 'month');
      sameAggregates(
        (await stats.history(kind, obj, 'month', T0, now, [metric], 1000))[0]!.points,
        months,
        `${metric} month`,
      );
    }

    // 2. Running again changes nothing.
    assert.deepEqual(await stats.rollup(now, DEFAULT_RETENTION), { hour: 0, day: 0, month: 0 });

    // 3. Raw points older than an hour, and already rolled up, are gone; the last hour stays.
    const left = await stats.countRaw();
    const expectedLeft = all.flat().filter((p) => p.ts >= now - HOUR_MS).length;
    assert.equal(left, expectedLeft);

    // 4. A month later: 1 Feb's day and February's month complete from the 00:00 hour.
    const later = Date.UTC(2025, 2, 1, 0, 5);
    const w2 = await stats.rollup(later, DEFAULT_RETENTION);
    assert.deepEqual(w2, { hour: 0, day: 3, month: 3 });
    const feb = (await stats.history('volume', 'v1', 'month', T0, later, ['used_bytes'], 10))[0]!.points;
    sameAggregates(feb, aggregate(series('used_bytes'), 'month'), 'two months');
    assert.equal(await stats.countRaw(), 0);
  });
}
