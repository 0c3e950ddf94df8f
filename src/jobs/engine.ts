// The durable job engine: persists every transition, runs steps in order under their locks, undoes
// completed steps in reverse on failure or cancel, and at start-up resumes or rolls back whatever a
// crash interrupted, so nothing stays "running" and no lock stays held.
import { EventEmitter } from 'node:events';
import type { Logger } from 'pino';
import { CairnError, isCairnError } from '../domain/errors.js';
import { newId, nowIso } from '../domain/ids.js';
import type { Job, JobError, LockRequest } from '../domain/job.js';
import { isFinished } from '../domain/job.js';
import type { JobLog, LogLevel } from '../domain/job-log.js';
import {
  applyJobPatch,
  type JobPatch,
  type JobStore,
  type NewLogLine,
  type StoreTx,
  type TxWrite,
} from '../store/jobs.js';
import type { EventSink } from '../domain/events.js';
import type { JobDefinition, StepContext } from './define.js';
import { LockManager } from './locks.js';

export interface Actor {
  /** Who asked, as recorded on the job (`user:admin`, `key:backup`, `system:scheduler`). */
  name: string;
}

export const SYSTEM_ACTOR: Actor = { name: 'system' };

class CancelledError extends Error {}

/** What submit hands to the job's first run: the row as written, and whether it holds the locks. */
interface Known {
  job: Job;
  data: Record<string, unknown>;
  holdsLocks?: boolean;
}

/**
 * Job log lines are written in batches: with the job's next transition (in its transaction), or
 * this long after the first unwritten line of a step that runs longer. A short step's argv and
 * output then cost no commit of their own. Live followers get each line at once (the 'log' event).
 */
const LOG_BATCH_MS = 200;

/** What a step-boundary transaction carries besides the job's own columns. */
interface Carried {
  logs: NewLogLine[];
  writes: TxWrite[];
}

function toJobError(e: unknown): JobError {
  if (isCairnError(e)) return { code: e.code, message: e.message, details: e.details };
  if (e instanceof CancelledError) return { code: 'JOB_CANCELLED', message: 'cancelled on request' };
  return { code: 'INTERNAL', message: e instanceof Error ? e.message : String(e) };
}

export class JobEngine {
  readonly events = new EventEmitter();
  readonly locks = new LockManager();
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  private readonly defs = new Map<string, JobDefinition<any>>();
  private readonly running = new Map<string, { abort: AbortController; done: Promise<void> }>();
  /**
   * The current row of every job this engine is executing, kept in step with each write, so a
   * transition is announced without reading the row back (the engine is the only writer of it).
   */
  private readonly live = new Map<string, Job>();
  /** Jobs per kind recorded but not yet holding their locks (the queue limit), counted here, not in SQL. */
  private readonly queued = new Map<string, number>();
  private stopping = false;

  constructor(
    private readonly store: JobStore,
    private readonly logger: Logger,
    private readonly eventSink?: EventSink,
    /** Test hook (CAIRN_TEST_STEP_DELAY_MS): a pause before every step, so crash tests can kill cairnd while a job runs. */
    private readonly stepDelayMs = 0,
  ) {
    this.events.setMaxListeners(0);
  }

  register<A>(def: JobDefinition<A>): JobDefinition<A> {
    if (this.defs.has(def.kind)) throw new Error(`job kind ${def.kind} registered twice`);
    this.defs.set(def.kind, def);
    return def;
  }

  /**
   * Records a job and starts it as soon as its locks allow. `within` runs in the transaction that
   * records the job (the caller's own rows for it, e.g. the object it creates, which may name the
   * job by the id it is handed): both are recorded or neither, and whatever `within` throws is the
   * submit's error. Every service that records a desired state for a job records it here.
   */
  async submit<A extends object>(
    def: JobDefinition<A>,
    args: A,
    actor: Actor,
    opts: { within?: (tx: StoreTx, job: { id: string }) => Promise<void> } = {},
  ): Promise<Job> {
    if (this.stopping)
      throw new CairnError('SERVICE_UNAVAILABLE', { what: 'the job engine', reason: 'cairnd is stopping' });
    const limit = def.queueLimit ?? 1000;
    if (this.queuedOf(def.kind) >= limit) throw new CairnError('JOB_QUEUE_FULL', { kind: def.kind, limit });
    const id = newId();
    const locks = def.locks(args);
    const object = def.object?.(args) ?? null;
    // Locks free now: the job is recorded running its first step, and starts without a write of its
    // own. A crash before that step does anything leaves the job to its onInterrupt rule, as a crash
    // just after a step is marked running always could; otherwise the job waits in the queue, which
    // is counted before the insert, so concurrent submits cannot all pass the check.
    const startsNow = def.steps.length > 0 && this.locks.tryAcquire(id, locks);
    if (!startsNow) this.countQueued(def.kind, +1);
    const within = opts.within;
    let job: Job;
    try {
      job = await this.store.insert(
        {
          id,
          kind: def.kind,
          title: def.title(args),
          args: args as Record<string, unknown>,
          steps: def.steps.map((s) => s.name),
          locks,
          objectType: object?.type ?? null,
          objectId: object?.id ?? null,
          createdBy: actor.name,
          ...(startsNow ? { startedAt: nowIso() } : {}),
        },
        within && ((tx) => within(tx, { id })),
      );
    } catch (e) {
      if (startsNow) this.locks.release(id);
      else this.countQueued(def.kind, -1);
      throw e;
    }
    this.emit(job);
    this.start(job, 'run', true, { job, data: {}, holdsLocks: startsNow });
    return job;
  }

  get(id: string): Promise<Job> {
    return this.store.get(id);
  }

  /**
   * Runs `work` holding `locks`, granted in arrival order with the jobs' own, for short upkeep that
   * is no job of its own (the volumes' size and qgroup pass of a pool): a job that changes the
   * pool exclusively never runs beside it. `holder` names it in the lock table.
   */
  async underLocks<T>(holder: string, locks: LockRequest[], work: () => Promise<T>): Promise<T> {
    const id = `${holder}:${newId()}`;
    await this.locks.acquire(id, locks);
    try {
      return await work();
    } finally {
      this.locks.release(id);
    }
  }

  /**
   * Waits up to `timeoutMs` for the job to finish; returns its latest state either way. Woken by
   * the engine's own 'job' event (no polling); the finished job comes with the event, unread. A job
   * this engine is running is known without a read: its live copy, or, before it has one (still
   * waiting for its locks), unfinished (a job gets its live copy before it can finish).
   */
  async wait(id: string, timeoutMs: number): Promise<Job> {
    if (timeoutMs <= 0) return this.store.get(id);
    let finished: Job | undefined;
    let wake = () => {};
    const onJob = (j: Job) => {
      if (j.id === id && isFinished(j.state)) {
        finished = j;
        wake();
      }
    };
    // Subscribed before the read, so a finish between the two cannot be missed.
    this.events.on('job', onJob);
    try {
      const first = this.live.get(id) ?? (this.running.has(id) ? null : await this.store.get(id));
      if (first && isFinished(first.state)) return first;
      if (!finished)
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, timeoutMs);
          wake = () => {
            clearTimeout(timer);
            resolve();
          };
        });
      return finished ?? this.live.get(id) ?? (await this.store.get(id));
    } finally {
      this.events.off('job', onJob);
    }
  }

  /** Whether a cancel of `job` would be accepted now (a repeated cancel is accepted, and changes nothing). */
  acceptsCancel(job: Job): boolean {
    if (isFinished(job.state)) return false;
    return job.state === 'pending' || this.defs.get(job.kind)?.cancellable === true;
  }

  async cancel(id: string): Promise<Job> {
    const job = await this.store.get(id);
    if (!this.acceptsCancel(job))
      throw new CairnError('JOB_NOT_CANCELLABLE', { id, kind: job.kind, state: job.state });
    await this.patch(id, { cancelRequested: true });
    this.running.get(id)?.abort.abort();
    return this.live.get(id) ?? this.store.get(id);
  }

  /**
   * At start-up, before serving: pending jobs are queued again; running ones are resumed or rolled
   * back as their definition says. Returns how many were recovered.
   */
  async recover(): Promise<number> {
    const jobs = await this.store.unfinished();
    for (const job of jobs) {
      const def = this.defs.get(job.kind);
      if (!def) {
        await this.finish(job.id, 'failed', undefined, {
          code: 'INTERNAL',
          message: `unknown job kind ${job.kind}`,
        });
        continue;
      }
      if (job.state === 'pending') this.start(job, 'run', false);
      else if (def.onInterrupt === 'resume') {
        await this.store.appendLog(
          job.id,
          job.stepIndex,
          'warn',
          'cairnd restarted while this job ran: resuming',
        );
        this.start(job, 'run', false);
      } else {
        await this.store.appendLog(
          job.id,
          job.stepIndex,
          'warn',
          'cairnd restarted while this job ran: rolling back',
        );
        this.start(job, 'rollback', false);
      }
    }
    return jobs.length;
  }

  /** Stops taking jobs and waits (up to `timeoutMs`) for running ones; the rest resume at next start. */
  async stop(timeoutMs = 10_000): Promise<void> {
    this.stopping = true;
    const all = Promise.all([...this.running.values()].map((r) => r.done));
    await Promise.race([all, new Promise((r) => setTimeout(r, timeoutMs).unref())]);
  }

  runningCount(): number {
    return this.running.size;
  }

  private emit(job: Job): void {
    this.events.emit('job', job);
  }

  private queuedOf(kind: string): number {
    return this.queued.get(kind) ?? 0;
  }

  private countQueued(kind: string, by: 1 | -1): void {
    const n = this.queuedOf(kind) + by;
    if (n > 0) this.queued.set(kind, n);
    else this.queued.delete(kind);
  }

  /** Writes `patch` and returns the job as it now is (from the live copy when this engine runs it). */
  private async patch(id: string, patch: JobPatch): Promise<Job> {
    await this.store.update(id, patch);
    const cur = this.live.get(id);
    if (!cur) return this.store.get(id);
    const next = applyJobPatch(cur, patch);
    this.live.set(id, next);
    return next;
  }

  /**
   * `counted`: submit already counted this job as queued. `known`: the row as submit just wrote it,
   * so execute need not read it back (while it waits for its locks only cancel() changes the row,
   * and cancel() also aborts the controller); `holdsLocks`: submit took them and recorded the first
   * step running.
   */
  private start(job: Job, mode: 'run' | 'rollback', counted: boolean, known?: Known): void {
    const queued = job.state === 'pending';
    if (queued && !counted) this.countQueued(job.kind, +1);
    const abort = new AbortController();
    const done = this.execute(job, mode, abort, queued, known).catch((e: unknown) =>
      this.logger.error({ err: e, jobId: job.id }, 'job engine failure'),
    );
    this.running.set(job.id, { abort, done });
    void done.finally(() => {
      this.running.delete(job.id);
      this.live.delete(job.id);
    });
  }

  private async execute(
    job: Job,
    mode: 'run' | 'rollback',
    abort: AbortController,
    queued: boolean,
    known?: Known,
  ): Promise<void> {
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    const def = this.defs.get(job.kind) as JobDefinition<any>;
    // Only a job that has not started may leave the lock queue on cancel; a running one (resumed or
    // rolled back after a restart) must get its locks and finish what it began.
    const granted =
      known?.holdsLocks ||
      (await this.locks.acquire(job.id, job.locks, queued && mode === 'run' ? abort.signal : undefined));
    if (queued) this.countQueued(job.kind, -1);
    try {
      const loaded = known ?? (await this.store.withData(job.id));
      // Only cancel() aborts, after recording the request: the unread row has it too.
      const fresh = abort.signal.aborted ? { ...loaded.job, cancelRequested: true } : loaded.job;
      const data = loaded.data;
      this.live.set(job.id, fresh);
      // The step a restart interrupted (a job loaded as running); every other step runs a first time.
      const resumedAt = !known && fresh.state === 'running' ? fresh.stepIndex : -1;
      const ctx = this.context(fresh, data, abort.signal, resumedAt);
      if (!granted || (fresh.cancelRequested && fresh.state === 'pending')) {
        // No step ran, so nothing to undo; the service still forgets what it prepared for the job
        // (e.g. the snapshot row in state 'creating').
        await def
          .onRolledBack?.(ctx.ctx, 'cancelled')
          .catch((x: unknown) => ctx.ctx.log.write('error', `after cancel: ${toJobError(x).message}`));
        await ctx.flush();
        await this.finish(job.id, 'cancelled', undefined, toJobError(new CancelledError()));
        return;
      }
      if (mode === 'rollback') {
        await this.rollback(def, ctx, fresh.stepIndex);
        await def.onRolledBack?.(ctx.ctx, 'failed');
        await ctx.flush();
        await this.finish(
          job.id,
          'failed',
          undefined,
          toJobError(
            new CairnError('JOB_INTERRUPTED', {
              id: job.id,
              step: def.steps[fresh.stepIndex]?.name ?? fresh.stepIndex,
            }),
          ),
        );
        return;
      }
      const n = def.steps.length;
      let i = fresh.stepIndex;
      // A pending job becomes running with its first step's transition (one write, one event).
      let starting: JobPatch =
        fresh.state === 'pending' ? { state: 'running', startedAt: new Date().toISOString() } : {};
      if (i >= n) this.emit(Object.keys(starting).length ? await this.patch(job.id, starting) : fresh);
      // Submit wrote (and announced) the first step's start when it took the locks.
      const startWritten = known?.holdsLocks ? i : -1;
      try {
        for (; i < n; i++) {
          // cancel() records the request and aborts this controller, so the signal is enough here
          // (a request recorded before a restart is seen in the read above).
          if (abort.signal.aborted) throw new CancelledError();
          ctx.step = i;
          const patch: JobPatch = { ...starting, stepIndex: i, progress: i / n };
          starting = {};
          const at = i;
          if (at !== startWritten) {
            await ctx.transition((also) => this.store.stepTransition(job.id, at, 'running', patch, also));
            this.emit(this.livePatch(job.id, patch));
          }
          if (this.stepDelayMs > 0) await new Promise((r) => setTimeout(r, this.stepDelayMs));
          await def.steps[i]!.run(ctx.ctx);
          // The last step's success is written with the job's (below), in one transaction.
          if (i < n - 1)
            await ctx.transition((also) =>
              this.store.stepTransition(job.id, at, 'succeeded', { data: ctx.ctx.data }, also),
            );
        }
        const result = def.result ? await def.result(ctx.ctx) : null;
        await this.finish(
          job.id,
          'succeeded',
          result ?? null,
          null,
          n > 0 ? { index: n - 1, data: ctx.ctx.data, via: ctx.transition } : undefined,
        );
      } catch (e) {
        // What the failed step asked to commit with its success is never written.
        ctx.dropWrites();
        const cancelled = e instanceof CancelledError || (abort.signal.aborted && def.cancellable);
        const err = cancelled ? toJobError(new CancelledError()) : toJobError(e);
        ctx.ctx.log.write('error', `${def.steps[i]?.name ?? 'job'}: ${err.message}`);
        if (i < def.steps.length) await this.store.setStep(job.id, i, 'failed', err.message);
        await this.rollback(def, ctx, Math.min(i, def.steps.length - 1));
        await def
          .onRolledBack?.(ctx.ctx, cancelled ? 'cancelled' : 'failed')
          .catch((x: unknown) => ctx.ctx.log.write('error', `after rollback: ${toJobError(x).message}`));
        await ctx.flush();
        await this.finish(job.id, cancelled ? 'cancelled' : 'failed', undefined, err);
      }
    } finally {
      this.locks.release(job.id);
    }
  }

  /** Undoes steps `from`..0 in reverse; a step that never started has nothing to undo. */
  private async rollback(
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    def: JobDefinition<any>,
    ctx: Awaited<ReturnType<JobEngine['context']>>,
    from: number,
  ): Promise<void> {
    const steps = await this.store.steps(ctx.ctx.jobId);
    const undoSignal = new AbortController().signal;
    const undoCtx = { ...ctx.ctx, signal: undoSignal };
    for (let i = from; i >= 0; i--) {
      const s = def.steps[i];
      const state = steps[i]?.state;
      if (!s || state === 'pending' || state === 'undone' || state === 'skipped') continue;
      if (!s.undo) {
        // Nothing to undo: a step that failed stays 'failed'; a completed one is marked as not undone.
        if (state !== 'failed')
          await this.store.setStep(ctx.ctx.jobId, i, 'skipped', steps[i]?.error ?? null);
        continue;
      }
      try {
        ctx.step = i;
        undoCtx.log.write('info', `undo ${s.name}`);
        await s.undo(undoCtx);
        await this.store.setStep(ctx.ctx.jobId, i, 'undone', steps[i]?.error ?? null);
      } catch (e) {
        undoCtx.log.write('error', `undo of ${s.name} failed: ${toJobError(e).message}`);
        await this.store.setStep(ctx.ctx.jobId, i, 'undo_failed', toJobError(e).message);
      }
      await ctx.flush();
    }
  }

  private async finish(
    id: string,
    state: 'succeeded' | 'failed' | 'cancelled',
    result: unknown,
    error: JobError | null,
    /** The last step's success, written with the job's end through `via` (the context's transition). */
    lastStep?: {
      index: number;
      data: Record<string, unknown>;
      via: (write: (also: Carried) => Promise<void>) => Promise<void>;
    },
  ) {
    const patch: JobPatch = {
      state,
      ...(result !== undefined ? { result } : {}),
      error,
      ...(state === 'succeeded' ? { progress: 1 } : {}),
      finishedAt: new Date().toISOString(),
    };
    let job: Job;
    if (lastStep && this.live.has(id)) {
      await lastStep.via((also) =>
        this.store.stepTransition(id, lastStep.index, 'succeeded', { ...patch, data: lastStep.data }, also),
      );
      job = this.livePatch(id, patch);
    } else job = await this.patch(id, patch);
    if (state === 'failed') {
      this.logger.warn({ jobId: id, kind: job.kind, error }, 'job failed');
      await this.eventSink
        ?.record({
          type: 'job.failed',
          severity: 'error',
          objectType: job.objectType ?? 'job',
          objectId: job.objectId ?? job.id,
          message: `${job.title} failed: ${error?.message ?? 'unknown error'}`,
          details: { job_id: job.id, kind: job.kind, code: error?.code },
          actor: job.createdBy,
        })
        .catch((e: unknown) => this.logger.error({ err: e }, 'could not record job.failed event'));
    }
    this.emit(job);
  }

  /** Applies `patch` to the live copy only (the caller wrote it). */
  private livePatch(id: string, patch: JobPatch): Job {
    const next = applyJobPatch(this.live.get(id)!, patch);
    this.live.set(id, next);
    return next;
  }

  private context(job: Job, data: Record<string, unknown>, signal: AbortSignal, resumedAt: number) {
    const store = this.store;
    // Every write of the context (log batches, progress, transitions) is chained, so they land in
    // the order made and a transition sees every earlier write done.
    let pending: Promise<void> = Promise.resolve();
    let lines: NewLogLine[] = [];
    let writes: TxWrite[] = [];
    let timer: NodeJS.Timeout | undefined;
    let lastProgressWrite = 0;
    const holder = { step: job.stepIndex as number };
    const drain = () => {
      clearTimeout(timer);
      timer = undefined;
      if (!lines.length) return;
      const batch = lines;
      lines = [];
      pending = pending.then(() => store.appendLogs(job.id, batch)).catch(() => undefined);
    };
    const log: JobLog = {
      write: (level: LogLevel, message: string) => {
        const step = holder.step;
        lines.push({ step, at: nowIso(), level, message });
        this.events.emit('log', { job: job.id, step, level, message });
        timer ??= setTimeout(drain, LOG_BATCH_MS);
      },
    };
    const ctx: StepContext<unknown> = {
      jobId: job.id,
      args: job.args,
      data,
      save: () => store.update(job.id, { data }),
      log,
      signal,
      get resumed() {
        return holder.step === resumedAt;
      },
      commitWithStep: (write: TxWrite) => void writes.push(write),
      progress: (f: number) => {
        const p = (holder.step + Math.max(0, Math.min(1, f))) / Math.max(1, job.stepCount);
        this.events.emit('progress', { id: job.id, kind: job.kind, progress: p });
        const now = Date.now();
        if (now - lastProgressWrite > 500) {
          lastProgressWrite = now;
          pending = pending.then(() => store.update(job.id, { progress: p })).catch(() => undefined);
          // The live copy follows the row, so the next announced transition carries this progress.
          const cur = this.live.get(job.id);
          if (cur) this.live.set(job.id, { ...cur, progress: p });
        }
      },
    };
    return {
      ctx,
      get step() {
        return holder.step;
      },
      set step(v: number) {
        holder.step = v;
      },
      /** Writes the unwritten log lines now; resolves when every write so far is done. */
      flush: () => {
        drain();
        return pending;
      },
      /**
       * Runs a step-boundary transaction after every earlier write, handing it the unwritten log
       * lines and the step's writes to commit with it. If it fails the lines stay unwritten (the
       * next write takes them) and the step's writes are gone (the step is then undone).
       */
      transition: (write: (also: Carried) => Promise<void>): Promise<void> => {
        const run = pending.then(async () => {
          clearTimeout(timer);
          timer = undefined;
          const also = { logs: lines, writes };
          lines = [];
          writes = [];
          try {
            await write(also);
          } catch (e) {
            lines = [...also.logs, ...lines];
            throw e;
          }
        });
        pending = run.catch(() => undefined);
        return run;
      },
      dropWrites: () => {
        writes = [];
      },
    };
  }
}
