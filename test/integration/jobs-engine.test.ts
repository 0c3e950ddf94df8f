// The durable job engine on every store, with jobs that write real files: step order, undo in
// reverse on failure, locks, cancel, wait, and recovery after an interruption.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { pino } from 'pino';
import { openStore } from '../../src/store/db.js';
import { migrate } from '../../src/store/migrations/index.js';
import { JobStore } from '../../src/store/jobs.js';
import { JobEngine } from '../../src/jobs/engine.js';
import { JobsService } from '../../src/services/jobs.js';
import { defineJob, step } from '../../src/jobs/define.js';
import { exclusive, shared } from '../../src/domain/job.js';
import { CairnError } from '../../src/domain/errors.js';
import { newId, nowIso } from '../../src/domain/ids.js';
import { exec, run } from '../../src/system/exec.js';
import { databaseUrl, testStores } from '../support/stores.js';
import { tempDir, waitFor, type T } from '../support/real.js';

const logger = pino({ level: 'silent' });
interface Args {
  dir: string;
  key: string;
  fail?: boolean;
  slowMs?: number;
}

const gates = new Map<string, () => void>();
/**
 * Waits until the job on `key` is in its slow step and returns what lets it go on. The gate is taken
 * out of the map, so the same scenario on the next store cannot find this run's (resolved) gate.
 */
const reachedStepTwo = async (key: string): Promise<() => void> => {
  const gate = await waitFor(`job ${key} in step two`, () => gates.get(key));
  gates.delete(key);
  return gate;
};
/** Job id → why its onRolledBack ran. */
const rolledBack = new Map<string, string>();
const fileJob = defineJob<Args>({
  kind: 'test.files',
  title: (a) => `write files in ${a.key}`,
  locks: (a) => [exclusive(`thing:${a.key}`)],
  object: (a) => ({ type: 'thing', id: a.key }),
  cancellable: true,
  onInterrupt: 'rollback',
  steps: [
    step(
      'one',
      async (c) => {
        await run(exec, {
          argv: ['sh', '-c', 'echo one > "$1"', 'sh', join(c.args.dir, `${c.args.key}-1`)],
          timeoutMs: 5000,
          log: c.log,
        });
        c.data.wrote = [join(c.args.dir, `${c.args.key}-1`)];
      },
      async (c) => rmSync(join(c.args.dir, `${c.args.key}-1`), { force: true }),
    ),
    step(
      'two',
      async (c) => {
        writeFileSync(join(c.args.dir, `${c.args.key}-2`), 'two');
        if (c.args.slowMs) {
          await new Promise<void>((resolve) => {
            gates.set(c.args.key, resolve);
            const timer = setTimeout(resolve, c.args.slowMs).unref();
            c.signal.addEventListener('abort', () => {
              clearTimeout(timer);
              resolve();
            });
          });
        }
      },
      async (c) => rmSync(join(c.args.dir, `${c.args.key}-2`), { force: true }),
    ),
    step('three', async (c) => {
      if (c.args.fail) throw new CairnError('COMMAND_FAILED', { program: 'three', reason: 'asked to fail' });
      writeFileSync(join(c.args.dir, `${c.args.key}-3`), 'three');
    }),
  ],
  result: (c) => ({ key: c.args.key }),
  onRolledBack: async (c, reason) => void rolledBack.set(c.jobId, reason),
});

// A kind with a queue of two, on the same lock as the file job.
const queuedJob = defineJob<{ key: string }>({
  kind: 'test.queued',
  title: (a) => `queued on ${a.key}`,
  locks: (a) => [exclusive(`thing:${a.key}`)],
  queueLimit: 2,
  cancellable: true,
  onInterrupt: 'rollback',
  steps: [step('noop', async () => undefined)],
});

// Holds its shared lock for holdMs on the first attempt; a resumed attempt finishes at once.
const sharedJob = defineJob<{ key: string; holdMs: number }>({
  kind: 'test.shared',
  title: (a) => `read ${a.key}`,
  locks: (a) => [shared(`thing:${a.key}`)],
  cancellable: false,
  onInterrupt: 'resume',
  steps: [
    step('hold', async (c) => {
      c.data.attempts = Number(c.data.attempts ?? 0) + 1;
      c.data.resumed = [...((c.data.resumed as boolean[] | undefined) ?? []), c.resumed];
      await c.save();
      if (c.data.attempts === 1) await new Promise((r) => setTimeout(r, c.args.holdMs).unref());
    }),
  ],
  result: (c) => ({ attempts: c.data.attempts, resumed: c.data.resumed }),
});

// One step that asks for a row to be written with its success (or fails after asking).
const commitJob = defineJob<{ key: string; fail?: boolean }>({
  kind: 'test.commit',
  title: (a) => `commit ${a.key}`,
  locks: (a) => [exclusive(`thing:${a.key}`)],
  cancellable: false,
  onInterrupt: 'rollback',
  steps: [
    step('mark', async (c) => {
      c.log.write('info', 'marking');
      c.commitWithStep(async (tx) => {
        await tx
          .insertInto('settings')
          .values({ key: `commit-${c.args.key}`, value: 'done' })
          .execute();
      });
      if (c.args.fail) throw new CairnError('COMMAND_FAILED', { program: 'mark', reason: 'asked to fail' });
    }),
  ],
});

async function engineOn(t: T, url: string) {
  const store = await openStore(url);
  t.after(() => store.close().catch(() => undefined));
  await migrate(store.db, store.dialect);
  const jobs = new JobStore(store.db, store.dialect);
  const engine = new JobEngine(jobs, logger);
  engine.register(fileJob);
  engine.register(sharedJob);
  engine.register(queuedJob);
  engine.register(commitJob);
  return { engine, jobs, store };
}

for (const kind of testStores()) {
  test(`${kind}: steps run in order and the result is recorded, with the argv in the log`, async (t) => {
    const dir = tempDir(t);
    const { engine, jobs } = await engineOn(t, await databaseUrl(t, kind, dir));
    const job = await engine.submit(fileJob, { dir, key: 'a' }, { name: 'user:test' });
    const done = await engine.wait(job.id, 10_000);
    assert.equal(done.state, 'succeeded');
    assert.deepEqual(done.result, { key: 'a' });
    assert.equal(done.progress, 1);
    // wait() answers with the job the engine announced (not read back): it must equal the stored row.
    assert.deepEqual(done, await jobs.get(job.id));
    assert.deepEqual(
      (await jobs.steps(job.id)).map((s) => s.state),
      ['succeeded', 'succeeded', 'succeeded'],
    );
    for (const n of [1, 2, 3]) assert.ok(existsSync(join(dir, `a-${n}`)));
    const logs = await jobs.logs(job.id);
    assert.ok(
      logs.some((l) => l.message.startsWith('$ sh -c')),
      JSON.stringify(logs),
    );
  });

  test(`${kind}: a failed step undoes the completed ones in reverse and leaves nothing behind`, async (t) => {
    const dir = tempDir(t);
    const { engine, jobs } = await engineOn(t, await databaseUrl(t, kind, dir));
    const job = await engine.submit(fileJob, { dir, key: 'f', fail: true }, { name: 'user:test' });
    const done = await engine.wait(job.id, 10_000);
    assert.equal(done.state, 'failed');
    assert.equal(done.error?.code, 'COMMAND_FAILED');
    assert.deepEqual(
      (await jobs.steps(job.id)).map((s) => s.state),
      ['undone', 'undone', 'failed'],
    );
    for (const n of [1, 2, 3]) assert.ok(!existsSync(join(dir, `f-${n}`)), `f-${n} left behind`);
    const undo = (await jobs.logs(job.id)).filter((l) => l.message.startsWith('undo ')).map((l) => l.message);
    assert.deepEqual(undo, ['undo two', 'undo one']);
  });

  test(`${kind}: jobs on one object run one after the other, on different objects side by side`, async (t) => {
    const dir = tempDir(t);
    const { engine } = await engineOn(t, await databaseUrl(t, kind, dir));
    const a1 = await engine.submit(fileJob, { dir, key: 'x', slowMs: 10_000 }, { name: 'user:test' });
    const a2 = await engine.submit(fileJob, { dir, key: 'x' }, { name: 'user:test' });
    const b = await engine.submit(fileJob, { dir, key: 'y' }, { name: 'user:test' });
    assert.equal((await engine.wait(b.id, 10_000)).state, 'succeeded', 'the other object is not blocked');
    assert.equal((await engine.get(a2.id)).state, 'pending', 'same object waits');
    assert.equal(engine.locks.holderOf('thing:x'), a1.id);
    (await reachedStepTwo('x'))();
    assert.equal((await engine.wait(a1.id, 10_000)).state, 'succeeded');
    assert.equal((await engine.wait(a2.id, 10_000)).state, 'succeeded');
    assert.equal(engine.locks.holderOf('thing:x'), undefined);
    // Shared holders run together.
    // Each holds its lock for 3 s: seen running at the same moment, they shared it.
    const s1 = await engine.submit(sharedJob, { key: 'z', holdMs: 3000 }, { name: 'user:test' });
    const s2 = await engine.submit(sharedJob, { key: 'z', holdMs: 3000 }, { name: 'user:test' });
    await waitFor(
      'both shared holders running at once',
      async () =>
        (await engine.get(s1.id)).state === 'running' && (await engine.get(s2.id)).state === 'running',
      10_000,
      20,
    );
    assert.equal((await engine.wait(s2.id, 10_000)).state, 'succeeded');
  });

  test(`${kind}: cancel a pending job at once, a running cancellable one with rollback`, async (t) => {
    const dir = tempDir(t);
    const { engine, jobs } = await engineOn(t, await databaseUrl(t, kind, dir));
    // The API's view says beforehand whether a cancel would be accepted (the console offers it only then).
    const view = new JobsService(engine, jobs);
    const running = await engine.submit(fileJob, { dir, key: 'c', slowMs: 20_000 }, { name: 'user:test' });
    const pending = await engine.submit(fileJob, { dir, key: 'c' }, { name: 'user:test' });
    const behind = await engine.submit(queuedJob, { key: 'c' }, { name: 'user:test' });
    await reachedStepTwo('c');
    assert.equal((await view.get(running.id)).cancellable, true, 'running, of a kind that can stop');
    assert.equal((await view.get(pending.id)).cancellable, true, 'pending');
    await engine.cancel(pending.id);
    // At once: it leaves the lock queue, not when the running job frees the lock.
    const p = await engine.wait(pending.id, 10_000);
    assert.equal(p.state, 'cancelled');
    assert.equal(p.error?.code, 'JOB_CANCELLED');
    assert.equal((await engine.get(running.id)).state, 'running');
    assert.equal(rolledBack.get(pending.id), 'cancelled', 'the service forgets what it prepared');
    assert.equal((await engine.get(behind.id)).state, 'pending', 'the job behind still waits its turn');
    await engine.cancel(running.id);
    const r = await engine.wait(running.id, 10_000);
    assert.equal(r.state, 'cancelled');
    assert.ok(!existsSync(join(dir, 'c-1')) && !existsSync(join(dir, 'c-2')));
    assert.equal(rolledBack.get(running.id), 'cancelled');
    assert.equal((await engine.wait(behind.id, 10_000)).state, 'succeeded', 'and then runs');
    assert.equal((await view.get(r.id)).cancellable, false, 'finished');
    const listed = await view.list({ limit: 10, offset: 0, cursor: null, sort: [], filters: [] });
    assert.equal(listed.items.find((j) => j.id === r.id)?.cancellable, false, 'in the list too');
    await assert.rejects(
      engine.cancel(r.id),
      (e: unknown) => e instanceof CairnError && e.code === 'JOB_NOT_CANCELLABLE',
    );
    const s = await engine.submit(sharedJob, { key: 'nc', holdMs: 2000 }, { name: 'user:test' });
    await waitFor(
      'the shared job running',
      async () => (await engine.get(s.id)).state === 'running',
      10_000,
      20,
    );
    assert.equal((await view.get(s.id)).cancellable, false, 'running, of a kind that cannot stop half-way');
    await assert.rejects(
      engine.cancel(s.id),
      (e: unknown) => e instanceof CairnError && e.code === 'JOB_NOT_CANCELLABLE',
    );
  });

  test(`${kind}: after an interruption, a rollback job is undone and a resume job finishes`, async (t) => {
    const dir = tempDir(t);
    const url = await databaseUrl(t, kind, dir);
    const first = await engineOn(t, url);
    const j = await first.engine.submit(fileJob, { dir, key: 'r', slowMs: 60_000 }, { name: 'user:test' });
    const s = await first.engine.submit(sharedJob, { key: 'q', holdMs: 60_000 }, { name: 'user:test' });
    const gateR = await reachedStepTwo('r');
    await waitFor('the shared job running', async () => (await first.engine.get(s.id)).state === 'running');
    assert.equal((await first.engine.get(j.id)).state, 'running');
    assert.ok(existsSync(join(dir, 'r-2')));
    // Simulate the crash: the first engine is abandoned mid-step (its process would be gone).
    await first.store.close().catch(() => undefined);
    const second = await engineOn(t, url);
    await second.engine.recover();
    const rj = await second.engine.wait(j.id, 10_000);
    assert.equal(rj.state, 'failed');
    assert.equal(rj.error?.code, 'JOB_INTERRUPTED');
    assert.ok(
      !existsSync(join(dir, 'r-1')) && !existsSync(join(dir, 'r-2')),
      'files of the interrupted job are undone',
    );
    const sj = await second.engine.wait(s.id, 10_000);
    assert.equal(sj.state, 'succeeded');
    assert.deepEqual(
      sj.result,
      { attempts: 2, resumed: [false, true] },
      'the interrupted step ran again, told it was resumed',
    );
    assert.equal(second.engine.locks.heldKeys().length, 0);
    const again = await second.engine.submit(fileJob, { dir, key: 'r' }, { name: 'user:test' });
    assert.equal((await second.engine.wait(again.id, 10_000)).state, 'succeeded');
    assert.equal(readFileSync(join(dir, 'r-3'), 'utf8'), 'three');
    gateR();
  });

  test(`${kind}: rows written with the job and with a step's success, or not at all`, async (t) => {
    const dir = tempDir(t);
    const { engine, jobs, store } = await engineOn(t, await databaseUrl(t, kind, dir));
    const setting = async (key: string) =>
      (await store.db.selectFrom('settings').select('value').where('key', '=', key).executeTakeFirst())
        ?.value;
    const actor = { name: 'user:test' };
    const ok = await engine.wait((await engine.submit(commitJob, { key: 'ok' }, actor)).id, 10_000);
    assert.equal(ok.state, 'succeeded');
    assert.equal(await setting('commit-ok'), 'done');
    // The step's log line was written (with the step's end, in its transaction).
    assert.deepEqual(
      (await jobs.logs(ok.id)).map((l) => [l.step, l.message]),
      [[0, 'marking']],
    );
    const bad = await engine.wait(
      (await engine.submit(commitJob, { key: 'bad', fail: true }, actor)).id,
      10_000,
    );
    assert.equal(bad.state, 'failed');
    assert.equal(await setting('commit-bad'), undefined, 'a failed step commits nothing it asked for');
    // Rows of `within` are recorded with the job; when it throws, neither is recorded.
    const withRow = await engine.submit(commitJob, { key: 'w1' }, actor, {
      within: async (tx) => {
        await tx.insertInto('settings').values({ key: 'within-w1', value: 'x' }).execute();
      },
    });
    assert.equal(await setting('within-w1'), 'x');
    assert.equal((await engine.wait(withRow.id, 10_000)).state, 'succeeded');
    await assert.rejects(
      engine.submit(commitJob, { key: 'w2' }, actor, {
        within: async (tx) => {
          await tx.insertInto('settings').values({ key: 'within-w2', value: 'x' }).execute();
          throw new CairnError('BAD_REQUEST', { reason: 'refused within' });
        },
      }),
      (e: unknown) => e instanceof CairnError && e.code === 'BAD_REQUEST',
    );
    assert.equal(await setting('within-w2'), undefined);
    const titles = await store.db
      .selectFrom('jobs')
      .select('title')
      .where('kind', '=', 'test.commit')
      .execute();
    assert.deepEqual(titles.map((r) => r.title).sort(), ['commit bad', 'commit ok', 'commit w1']);
  });

  test(`${kind}: submit records a job with free locks running its first step, one that must wait pending`, async (t) => {
    const dir = tempDir(t);
    const { engine, jobs } = await engineOn(t, await databaseUrl(t, kind, dir));
    const first = await engine.submit(fileJob, { dir, key: 'sa', slowMs: 20_000 }, { name: 'user:test' });
    assert.equal(first.state, 'running');
    assert.ok(first.startedAt);
    const gate = await reachedStepTwo('sa');
    const second = await engine.submit(fileJob, { dir, key: 'sa' }, { name: 'user:test' });
    assert.equal(second.state, 'pending');
    assert.equal(second.startedAt, null);
    assert.deepEqual(
      (await jobs.steps(second.id)).map((s) => s.state),
      ['pending', 'pending', 'pending'],
    );
    gate();
    for (const j of [first, second]) assert.equal((await engine.wait(j.id, 10_000)).state, 'succeeded');
    // Each step's start is recorded once: the first by submit, the others by the engine.
    for (const j of [first, second])
      assert.ok((await jobs.steps(j.id)).every((s) => s.state === 'succeeded' && s.startedAt));
  });

  test(`${kind}: a job recorded running by submit whose first step never ran is rolled back or resumed`, async (t) => {
    const dir = tempDir(t);
    const url = await databaseUrl(t, kind, dir);
    const first = await engineOn(t, url);
    // The rows submit writes when it takes free locks, as a crash right after that commit leaves them.
    const recorded = async (def: typeof fileJob | typeof sharedJob, args: object) => {
      const id = newId();
      await first.jobs.insert({
        id,
        kind: def.kind,
        title: 'crashed before its first step',
        args: args as Record<string, unknown>,
        steps: def.steps.map((s) => s.name),
        locks: [],
        objectType: null,
        objectId: null,
        createdBy: 'user:test',
        startedAt: nowIso(),
      });
      return id;
    };
    const rb = await recorded(fileJob, { dir, key: 'cr' });
    const rs = await recorded(sharedJob, { key: 'cs', holdMs: 10 });
    await first.store.close();
    const second = await engineOn(t, url);
    assert.equal(await second.engine.recover(), 2);
    const r1 = await second.engine.wait(rb, 10_000);
    assert.equal(r1.state, 'failed');
    assert.equal(r1.error?.code, 'JOB_INTERRUPTED');
    assert.equal(rolledBack.get(rb), 'failed');
    assert.deepEqual(
      (await second.jobs.steps(rb)).map((s) => s.state),
      ['undone', 'pending', 'pending'],
    );
    const r2 = await second.engine.wait(rs, 10_000);
    assert.equal(r2.state, 'succeeded');
    assert.deepEqual(r2.result, { attempts: 1, resumed: [true] }, 'the step ran, told it was resumed');
  });

  test(`${kind}: the queue limit counts jobs waiting for their locks, and frees as they start`, async (t) => {
    const dir = tempDir(t);
    const { engine } = await engineOn(t, await databaseUrl(t, kind, dir));
    const blocker = await engine.submit(fileJob, { dir, key: 'ql', slowMs: 20_000 }, { name: 'user:test' });
    const gate = await reachedStepTwo('ql');
    const q1 = await engine.submit(queuedJob, { key: 'ql' }, { name: 'user:test' });
    const q2 = await engine.submit(queuedJob, { key: 'ql' }, { name: 'user:test' });
    await assert.rejects(
      engine.submit(queuedJob, { key: 'ql' }, { name: 'user:test' }),
      (e: unknown) => e instanceof CairnError && e.code === 'JOB_QUEUE_FULL',
    );
    gate();
    for (const j of [blocker, q1, q2]) assert.equal((await engine.wait(j.id, 10_000)).state, 'succeeded');
    const more = await Promise.all(
      [1, 2].map(() => engine.submit(queuedJob, { key: 'ql' }, { name: 'user:test' })),
    );
    for (const j of more) assert.equal((await engine.wait(j.id, 10_000)).state, 'succeeded');
  });
}
