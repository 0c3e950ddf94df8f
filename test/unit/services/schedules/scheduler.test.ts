// The scheduler with a fake clock on a real (SQLite) store: runs when due, one catch-up run after
// downtime instead of a flood, disabled schedules never run, failures are recorded.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { pino } from 'pino';
import { openStore } from '../../../../src/store/db.js';
import { migrate } from '../../../../src/store/migrations/index.js';
import { ScheduleStore, type ScheduleRecord } from '../../../../src/store/schedules.js';
import { Scheduler, type Runners } from '../../../../src/services/schedules/scheduler.js';

async function setup(t: { after: (f: () => unknown) => void }, now: { t: Date }) {
  const dir = mkdtempSync(join(tmpdir(), 'cairn-sched-'));
  const store = await openStore(join(dir, 'cairn.db'));
  await migrate(store.db, store.dialect);
  const schedules = new ScheduleStore(store.db, store.dialect);
  const runs: { id: string; at: string }[] = [];
  const runner = async (s: ScheduleRecord) => {
    runs.push({ id: s.name, at: now.t.toISOString() });
    if (s.name === 'broken') throw new Error('pool is gone');
    return { jobId: `job-${runs.length}` };
  };
  const runners: Runners = { snapshot: runner, scrub: runner, dedup: runner, replication: runner };
  const sch = new Scheduler(schedules, runners, pino({ level: 'silent' }), { now: () => now.t });
  t.after(async () => {
    await sch.stop();
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });
  const add = (name: string, cron: string, enabled = true) =>
    schedules.insert({
      id: name,
      name,
      kind: 'snapshot',
      targetId: 'v1',
      poolId: 'p1',
      cron,
      timeZone: 'UTC',
      prefix: name,
      enabled,
      retention: {},
      nextRunAt: null,
    });
  return { schedules, sch, runs, add };
}

test('a schedule runs when due and is planned for its next time', async (t) => {
  const now = { t: new Date('2024-01-01T10:00:30Z') };
  const { schedules, sch, runs, add } = await setup(t, now);
  await add('hourly', '0 * * * *');
  await sch.tick();
  await sch.settled();
  assert.equal(runs.length, 0);
  assert.equal((await schedules.get('hourly')).nextRunAt, '2024-01-01T11:00:00.000Z');
  now.t = new Date('2024-01-01T11:00:01Z');
  await sch.tick();
  await sch.settled();
  await sch.tick();
  await sch.settled();
  assert.deepEqual(runs, [{ id: 'hourly', at: '2024-01-01T11:00:01.000Z' }]);
  const s = await schedules.get('hourly');
  assert.equal(s.nextRunAt, '2024-01-01T12:00:00.000Z');
  assert.equal(s.lastStatus, 'ok');
  assert.equal(s.lastJobId, 'job-1');
});

test('after downtime, missed runs give one catch-up run, not a flood', async (t) => {
  const now = { t: new Date('2024-01-01T10:00:30Z') };
  const { schedules, sch, runs, add } = await setup(t, now);
  await add('every5', '*/5 * * * *');
  await sch.tick();
  await sch.settled();
  // Down for three days: 864 runs were missed.
  now.t = new Date('2024-01-04T10:02:00Z');
  await sch.tick();
  await sch.settled();
  await sch.tick();
  await sch.settled();
  assert.equal(runs.length, 1);
  assert.equal((await schedules.get('every5')).nextRunAt, '2024-01-04T10:05:00.000Z');
});

test('disabled schedules never run; failures are recorded and the schedule goes on', async (t) => {
  const now = { t: new Date('2024-01-01T10:00:30Z') };
  const { schedules, sch, runs, add } = await setup(t, now);
  await add('off', '* * * * *', false);
  await add('broken', '* * * * *');
  await sch.tick();
  await sch.settled();
  now.t = new Date('2024-01-01T10:01:30Z');
  await sch.tick();
  await sch.settled();
  assert.deepEqual(
    runs.map((r) => r.id),
    ['broken'],
  );
  const b = await schedules.get('broken');
  assert.equal(b.lastStatus, 'failed');
  assert.equal(b.lastError, 'pool is gone');
  assert.equal(b.nextRunAt, '2024-01-01T10:02:00.000Z');
});
