// How a service declares a job: kind `noun.verb`, locks from its arguments, ordered steps each with
// an undo, what to do when a restart interrupts it, and whether cancelling is safe.
import type { JobLog } from '../domain/job-log.js';
import type { LockRequest } from '../domain/job.js';
import type { TxWrite } from '../store/jobs.js';

export interface StepContext<A> {
  readonly jobId: string;
  readonly args: A;
  /**
   * Job-scoped facts persisted after every step (e.g. the loop device a step attached), so later
   * steps, undo and a resumed run after a crash can see them. Mutate, then call save().
   */
  readonly data: Record<string, unknown>;
  save(): Promise<void>;
  readonly log: JobLog;
  /** 0..1 within the current step; the engine maps it onto the whole job. */
  progress(fraction: number): void;
  /** Aborted when a cancel is requested on a cancellable job. */
  readonly signal: AbortSignal;
  /**
   * True when this run of the step resumes a job a restart interrupted in it (the step may have
   * done part of its work before); false on a step's first run, where nothing of it exists yet.
   */
  readonly resumed: boolean;
  /**
   * A write committed in the same transaction that records this step's success (e.g. the object
   * the step made, marked available): a crash leaves both or neither, and it costs no commit of its
   * own. Dropped if the step fails.
   */
  commitWithStep(write: TxWrite): void;
}

export interface StepDefinition<A> {
  name: string;
  /** Must be idempotent: after a crash it may run again on what it half did. */
  run(ctx: StepContext<A>): Promise<void>;
  /** Undoes run(); must be idempotent and tolerate a run() that never started or half finished. */
  undo?(ctx: StepContext<A>): Promise<void>;
}

export interface JobDefinition<A> {
  kind: string;
  title(args: A): string;
  locks(args: A): LockRequest[];
  /** The object the job is about, for filtering jobs by object. */
  object?(args: A): { type: string; id: string };
  /** How many jobs of this kind may wait at once (default 1000). */
  queueLimit?: number;
  /** Whether a running job may be cancelled; pending jobs can always be cancelled. */
  cancellable: boolean;
  /** After a crash or restart: run the interrupted step again and go on, or undo what was done. */
  onInterrupt: 'resume' | 'rollback';
  steps: StepDefinition<A>[];
  /** What the finished job reports as its result (e.g. the created object's id). */
  result?(ctx: StepContext<A>): Promise<unknown> | unknown;
  /** Called after the job failed or was cancelled and rolled back (e.g. to drop desired state). */
  onRolledBack?(ctx: StepContext<A>, reason: 'failed' | 'cancelled'): Promise<void>;
}

export function defineJob<A>(def: JobDefinition<A>): JobDefinition<A> {
  return def;
}

export function step<A>(
  name: string,
  run: (ctx: StepContext<A>) => Promise<void>,
  undo?: (ctx: StepContext<A>) => Promise<void>,
): StepDefinition<A> {
  return undo ? { name, run, undo } : { name, run };
}
