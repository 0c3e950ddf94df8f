// Schedules through the native API on a real pool, on every store: a snapshot schedule fires on its
// cron (seconds here), its retention keeps exactly the newest N of its own snapshots (never a manual
// one, never one with a clone), disable stops it, it survives a restart, "run now" runs it once, a
// scrub schedule runs a real scrub job, and bad input is refused with stable codes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { startCairn } from '../support/cairn.js';
import { testStores } from '../support/stores.js';
import { realPartsSkip, waitFor } from '../support/real.js';
import { ApiError, type Client } from '../../src/cli/client.js';
import { poolWithVolumes, MiB } from './storage-support.js';

const skip = realPartsSkip();
const call = async <T = unknown>(cl: Client, method: string, path: string, body?: unknown): Promise<T> =>
  (await cl.request<T>(method, path, body)).body;
const expectError = async (p: Promise<unknown>, status: number, code: string, field?: string) => {
  await assert.rejects(p, (e: unknown) => {
    assert.ok(e instanceof ApiError, String(e));
    assert.equal(e.status, status, JSON.stringify(e.body));
    assert.equal(e.code, code, JSON.stringify(e.body));
    if (field) assert.match(JSON.stringify(e.body), new RegExp(`"field":"${field}`));
    return true;
  });
};

interface ScheduleWire {
  id: string;
  name: string;
  kind: string;
  target: string;
  cron: string;
  description: string;
  prefix: string;
  enabled: boolean;
  last_run_at: string | null;
  last_status: string | null;
  last_job: string | null;
  next_run_at: string | null;
}
interface SnapWire {
  id: string;
  name: string;
  state: string;
}

for (const store of testStores()) {
  test(
    `${store}: schedules fire, keep exactly what retention says, stop, survive a restart`,
    { skip },
    async (t) => {
      let c = await startCairn(t, { store });
      const {
        pool,
        volumes: [v],
      } = await poolWithVolumes(c.admin, [{ name: 'docs', size: 256 * MiB }], { diskSize: 1024 * MiB });

      // Bad input: every field checked, nothing stored.
      const base = { name: 'every2s', kind: 'snapshot', target: v.id, cron: '*/2 * * * * *' };
      await expectError(
        call(c.admin, 'POST', 'schedules', { ...base, cron: 'every tuesday' }),
        400,
        'VALIDATION_FAILED',
        'cron',
      );
      await expectError(
        call(c.admin, 'POST', 'schedules', { ...base, time_zone: 'Mars/Olympus' }),
        400,
        'VALIDATION_FAILED',
        'time_zone',
      );
      await expectError(
        call(c.admin, 'POST', 'schedules', { ...base, retention: { keep_last: 2, fortnightly: 1 } }),
        400,
        'VALIDATION_FAILED',
      );
      await expectError(
        call(c.admin, 'POST', 'schedules', { ...base, colour: 'red' }),
        400,
        'VALIDATION_FAILED',
      );
      await expectError(
        call(c.admin, 'POST', 'schedules', { ...base, target: '00000000-0000-4000-8000-000000000000' }),
        404,
        'VOLUME_NOT_FOUND',
      );
      assert.equal((await call<{ total: number }>(c.admin, 'GET', 'schedules')).total, 0);

      const manual = await call<SnapWire>(c.admin, 'POST', `volumes/${v.id}/snapshots?wait=60`, {
        name: 'manual',
      });
      const s = await call<ScheduleWire>(c.admin, 'POST', 'schedules', {
        ...base,
        prefix: 'auto',
        retention: { keep_last: 2 },
      });
      assert.equal(s.enabled, true);
      assert.match(s.description, /2 seconds/i, s.description);
      assert.ok(s.next_run_at && Date.parse(s.next_run_at) > Date.now() - 1000, String(s.next_run_at));

      const autos = async () =>
        (
          await call<{ items: SnapWire[] }>(
            c.admin,
            'GET',
            `volumes/${v.id}/snapshots?limit=100&sort=created_at`,
          )
        ).items.filter((x) => x.name.startsWith('auto-'));
      // The first scheduled snapshot gets a clone: retention must never take it.
      const first = await waitFor(
        'a scheduled snapshot',
        async () => (await autos()).find((x) => x.state === 'available'),
        60_000,
      );
      await call(c.admin, 'POST', `snapshots/${first.id}/clone?wait=60`, { name: 'from-first' });
      const seen = new Set<string>();
      await waitFor(
        'five scheduled runs',
        async () => {
          for (const x of await autos()) seen.add(x.id);
          return seen.size >= 5;
        },
        90_000,
      );
      const off = await call<ScheduleWire>(c.admin, 'PATCH', `schedules/${s.id}`, { enabled: false });
      assert.equal(off.enabled, false);
      assert.equal(off.next_run_at, null);
      // A run that had started finishes (with its retention); then nothing more happens.
      await c.app.services.scheduler.settled();
      const kept = await autos();
      const newest = [...seen].filter((id) => id !== first.id);
      assert.equal(kept.length, 3, `kept ${JSON.stringify(kept.map((x) => x.name))}`);
      assert.ok(
        kept.some((x) => x.id === first.id),
        'the cloned snapshot is kept',
      );
      const others = kept.filter((x) => x.id !== first.id).map((x) => x.id);
      assert.ok(
        others.every((id) => newest.includes(id)),
        'the two others are scheduled ones',
      );
      const all = await call<{ items: SnapWire[] }>(c.admin, 'GET', `volumes/${v.id}/snapshots?limit=100`);
      assert.ok(
        all.items.some((x) => x.id === manual.id),
        'a manual snapshot is never the schedule’s to delete',
      );
      const after = await call<ScheduleWire>(c.admin, 'GET', `schedules/${s.id}`);
      assert.equal(after.last_status, 'ok');
      assert.ok(after.last_job, 'the last run names its job');
      await sleep(2500);
      assert.deepEqual(
        (await autos()).map((x) => x.id),
        kept.map((x) => x.id),
        'a disabled schedule takes no snapshot',
      );

      // Schedules survive a restart, still disabled; "run now" runs once without enabling it.
      c = await c.restart();
      const back = await call<ScheduleWire>(c.admin, 'GET', `schedules/${s.id}`);
      assert.equal(back.enabled, false);
      assert.equal(back.cron, s.cron);
      const ran = await call<ScheduleWire>(c.admin, 'POST', `schedules/${s.id}/run`);
      assert.equal(ran.last_status, 'ok');
      assert.notEqual(ran.last_job, after.last_job);
      assert.equal((await autos()).length, 3, 'run now applies retention too');

      // A scrub schedule on the pool runs a real scrub job.
      const scrub = await call<ScheduleWire>(c.admin, 'POST', 'schedules', {
        name: 'scrub-often',
        kind: 'scrub',
        target: pool.id,
        cron: '*/3 * * * * *',
      });
      const done = await waitFor(
        'a scheduled scrub',
        async () => {
          const x = await call<ScheduleWire>(c.admin, 'GET', `schedules/${scrub.id}`);
          return x.last_job ? x : undefined;
        },
        60_000,
      );
      assert.equal(done.last_status, 'ok');
      await call(c.admin, 'PATCH', `schedules/${scrub.id}`, { enabled: false });
      const job = await waitFor(
        'the scrub job',
        async () => {
          const j = await call<{ kind: string; state: string }>(c.admin, 'GET', `jobs/${done.last_job}`);
          return ['succeeded', 'failed'].includes(j.state) ? j : undefined;
        },
        120_000,
      );
      assert.equal(job.kind, 'pool.scrub');
      assert.equal(job.state, 'succeeded');

      const listed = await call<{ items: ScheduleWire[]; total: number }>(
        c.admin,
        'GET',
        'schedules?kind=scrub',
      );
      assert.deepEqual(
        listed.items.map((x) => x.id),
        [scrub.id],
      );
      await call(c.admin, 'DELETE', `schedules/${scrub.id}`);
      await expectError(call(c.admin, 'GET', `schedules/${scrub.id}`), 404, 'SCHEDULE_NOT_FOUND');
      await call(c.admin, 'DELETE', `schedules/${s.id}`);
    },
  );
}
