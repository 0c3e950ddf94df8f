// Retention (keep newest N + grandfather-father-son) on synthetic snapshot times: exactly the
// snapshots the policy names are kept; protected ones always are.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  applyRetention,
  cronProblems,
  describeCron,
  madeByPrefix,
  nextRun,
  periodKey,
  scheduledSnapshotName,
  type RetentionCandidate,
} from '../../../src/domain/protection.js';

const H = 3600_000;
const D = 24 * H;
const start = Date.parse('2024-01-01T00:30:00Z');

/** One snapshot every hour for `hours` hours from 2024-01-01 00:30 UTC; id = its index. */
const hourly = (hours: number, prot: number[] = []): RetentionCandidate[] =>
  Array.from({ length: hours }, (_, i) => ({
    id: String(i),
    createdAt: new Date(start + i * H),
    protected: prot.includes(i),
  }));

const kept = (c: RetentionCandidate[], p: Parameters<typeof applyRetention>[1], tz?: string) =>
  applyRetention(c, p, tz)
    .keep.map(Number)
    .sort((a, b) => a - b);

test('an empty policy keeps everything', () => {
  const d = applyRetention(hourly(5), {});
  assert.equal(d.delete.length, 0);
  assert.equal(d.keep.length, 5);
});

test('keep_last keeps exactly the newest N', () => {
  assert.deepEqual(kept(hourly(10), { keep_last: 3 }), [7, 8, 9]);
  assert.deepEqual(kept(hourly(2), { keep_last: 3 }), [0, 1]);
});

test('daily keeps the newest snapshot of each of the last K days', () => {
  // 72 hourly snapshots over 3 days: the last of each day is index 23, 47, 71.
  assert.deepEqual(kept(hourly(72), { daily: 2 }), [47, 71]);
  assert.deepEqual(kept(hourly(72), { daily: 5 }), [23, 47, 71]);
});

test('hourly + daily + keep_last combine as a union', () => {
  assert.deepEqual(kept(hourly(72), { keep_last: 1, hourly: 3, daily: 3 }), [23, 47, 69, 70, 71]);
});

test('weekly, monthly and yearly count calendar periods', () => {
  // One snapshot a day through 2024 (366 days).
  const days = Array.from({ length: 366 }, (_, i) => ({
    id: String(i),
    createdAt: new Date(start + i * D),
    protected: false,
  }));
  // Months: the last day of Dec, Nov, Oct = 365, 334, 304.
  assert.deepEqual(kept(days, { monthly: 3 }), [304, 334, 365]);
  assert.deepEqual(kept(days, { yearly: 5 }), [365]);
  // ISO weeks: 2024-12-30 and -31 (364, 365) are week 2025-W01; the week before ends Sunday 12-29 (363).
  assert.deepEqual(kept(days, { weekly: 2 }), [363, 365]);
  assert.equal(periodKey('weekly', new Date('2024-12-30T12:00:00Z'), 'UTC'), '2025-W01');
});

test('protected snapshots (clones, replication base) are never deleted', () => {
  const d = applyRetention(hourly(10, [0, 4]), { keep_last: 2 });
  assert.deepEqual(
    d.keep.map(Number).sort((a, b) => a - b),
    [0, 4, 8, 9],
  );
  assert.deepEqual(d.reasons['0'], ['protected']);
  assert.equal(d.delete.length, 6);
});

test('days are counted in the schedule time zone', () => {
  // 23:30 UTC on Jan 1 is already Jan 2 in Berlin: in UTC both are Jan 1, in Berlin two days.
  const c: RetentionCandidate[] = [
    { id: 'a', createdAt: new Date('2024-01-01T10:00:00Z'), protected: false },
    { id: 'b', createdAt: new Date('2024-01-01T23:30:00Z'), protected: false },
  ];
  assert.deepEqual(applyRetention(c, { daily: 2 }, 'UTC').keep, ['b']);
  assert.deepEqual(applyRetention(c, { daily: 2 }, 'Europe/Berlin').keep.sort(), ['a', 'b']);
});

test('cron rules: validation, next run in a time zone, description, snapshot names', () => {
  assert.deepEqual(cronProblems('0 2 * * *', 'Europe/Berlin'), []);
  assert.equal(cronProblems('not cron', 'UTC')[0]?.field, 'cron');
  assert.equal(cronProblems('0 2 * * *', 'Mars/Olympus')[0]?.code, 'BAD_TIME_ZONE');
  // 02:00 in Berlin (winter, UTC+1) is 01:00 UTC.
  assert.equal(
    nextRun('0 2 * * *', 'Europe/Berlin', new Date('2024-01-01T12:00:00Z'))?.toISOString(),
    '2024-01-02T01:00:00.000Z',
  );
  assert.match(describeCron('*/15 * * * *'), /15 minutes/);
  const n = scheduledSnapshotName('hourly', new Date('2024-03-04T05:06:07.890Z'));
  assert.equal(n, 'hourly-20240304T050607Z');
  assert.ok(madeByPrefix('hourly', n));
  assert.ok(!madeByPrefix('hour', n));
  assert.ok(!madeByPrefix('hourly', 'hourly-manual'));
});
