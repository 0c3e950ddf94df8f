// Persistence of jobs, their steps and log lines. The engine (src/jobs) owns the state machine.
import type { Kysely, Selectable } from 'kysely';
import type { DB, JobsTable } from './schema.js';
import type {
  Job,
  JobLogLine,
  JobState,
  JobStepRecord,
  LockRequest,
  StepState,
  JobError,
} from '../domain/job.js';
import type { ListParams, Page } from '../domain/list.js';
import { listPage } from './list.js';
import { JOB_LIST } from '../domain/list-specs.js';
import type { StoreDialect } from './dialect.js';
import { nowIso } from '../domain/ids.js';
import { CairnError } from '../domain/errors.js';

type Row = Selectable<JobsTable>;

export function toJob(r: Row): Job {
  return {
    id: r.id,
    kind: r.kind,
    title: r.title,
    state: r.state as JobState,
    progress: r.progress,
    stepIndex: r.step_index,
    stepCount: r.step_count,
    locks: JSON.parse(r.locks) as LockRequest[],
    objectType: r.object_type,
    objectId: r.object_id,
    cancelRequested: r.cancel_requested === 1,
    createdBy: r.created_by,
    createdAt: r.created_at,
    startedAt: r.started_at,
    finishedAt: r.finished_at,
    result: r.result === null ? null : (JSON.parse(r.result) as unknown),
    error: r.error === null ? null : (JSON.parse(r.error) as JobError),
    args: JSON.parse(r.args) as Record<string, unknown>,
  };
}

/** The columns of a job the engine changes; `applyJobPatch` gives the job a read would return after it. */
export interface JobPatch {
  state?: JobState;
  progress?: number;
  stepIndex?: number;
  data?: Record<string, unknown>;
  result?: unknown;
  error?: JobError | null;
  cancelRequested?: boolean;
  startedAt?: string;
  finishedAt?: string;
}

/** The job after `patch`, as `update` stores it (result and error go through JSON as in the row). */
export function applyJobPatch(job: Job, patch: JobPatch): Job {
  const j = { ...job };
  if (patch.state !== undefined) j.state = patch.state;
  if (patch.progress !== undefined) j.progress = patch.progress;
  if (patch.stepIndex !== undefined) j.stepIndex = patch.stepIndex;
  if (patch.result !== undefined) j.result = JSON.parse(JSON.stringify(patch.result ?? null)) as unknown;
  if (patch.error !== undefined)
    j.error = patch.error === null ? null : (JSON.parse(JSON.stringify(patch.error)) as JobError);
  if (patch.cancelRequested !== undefined) j.cancelRequested = patch.cancelRequested;
  if (patch.startedAt !== undefined) j.startedAt = patch.startedAt;
  if (patch.finishedAt !== undefined) j.finishedAt = patch.finishedAt;
  return j;
}

/** A transaction (or the database) that a caller's own writes join, so they commit with the job's. */
export type StoreTx = Kysely<DB>;

/** A write that joins one of the engine's transactions (e.g. a step's result, the job's own row). */
export type TxWrite = (tx: StoreTx) => Promise<void>;

/** A job log line as written, its time taken when it was logged (lines are written in batches). */
export interface NewLogLine {
  step: number | null;
  at: string;
  level: string;
  message: string;
}

export interface NewJob {
  id: string;
  kind: string;
  title: string;
  args: Record<string, unknown>;
  steps: string[];
  locks: LockRequest[];
  objectType: string | null;
  objectId: string | null;
  createdBy: string;
  /** Recorded already running its first step (its locks are held): when it started. */
  startedAt?: string;
}

export class JobStore {
  constructor(
    private readonly db: Kysely<DB>,
    private readonly dialect: StoreDialect,
  ) {}

  /**
   * Records a job and its steps in one transaction; returns the job as a read would (no re-read).
   * `within` runs first in the same transaction (the caller's own rows, e.g. the object the job
   * creates): both are recorded or neither, and an error it throws records nothing.
   */
  async insert(j: NewJob, within?: TxWrite): Promise<Job> {
    const now = nowIso();
    const row: Omit<Row, 'seq'> = {
      id: j.id,
      kind: j.kind,
      title: j.title,
      state: j.startedAt ? 'running' : 'pending',
      args: JSON.stringify(j.args),
      data: '{}',
      result: null,
      error: null,
      progress: 0,
      step_index: 0,
      step_count: j.steps.length,
      locks: JSON.stringify(j.locks),
      object_type: j.objectType,
      object_id: j.objectId,
      cancel_requested: 0,
      created_by: j.createdBy,
      created_at: now,
      started_at: j.startedAt ?? null,
      finished_at: null,
      updated_at: now,
    };
    await this.db.transaction().execute(async (tx) => {
      await within?.(tx);
      await tx.insertInto('jobs').values(row).execute();
      if (j.steps.length > 0)
        await tx
          .insertInto('job_steps')
          .values(
            j.steps.map((name, idx) => ({
              job_id: j.id,
              idx,
              name,
              state: j.startedAt && idx === 0 ? 'running' : 'pending',
              started_at: j.startedAt && idx === 0 ? j.startedAt : null,
              finished_at: null,
              error: null,
            })),
          )
          .execute();
    });
    return toJob(row as Row);
  }

  async find(id: string, db: Kysely<DB> = this.db): Promise<Job | undefined> {
    const r = await db.selectFrom('jobs').selectAll().where('id', '=', id).executeTakeFirst();
    return r ? toJob(r as Row) : undefined;
  }

  async get(id: string, db: Kysely<DB> = this.db): Promise<Job> {
    const j = await this.find(id, db);
    if (!j) throw new CairnError('JOB_NOT_FOUND', { id });
    return j;
  }

  /** The job and its step data in one read (what the engine needs to start or resume it). */
  async withData(id: string): Promise<{ job: Job; data: Record<string, unknown> }> {
    const r = await this.db.selectFrom('jobs').selectAll().where('id', '=', id).executeTakeFirst();
    if (!r) throw new CairnError('JOB_NOT_FOUND', { id });
    return { job: toJob(r as Row), data: JSON.parse(r.data) as Record<string, unknown> };
  }

  list(params: ListParams): Promise<Page<Job>> {
    return listPage(this.db.selectFrom('jobs').selectAll(), JOB_LIST, params, this.dialect, (r: Row) =>
      toJob(r),
    );
  }

  async steps(id: string): Promise<JobStepRecord[]> {
    const rows = await this.db
      .selectFrom('job_steps')
      .selectAll()
      .where('job_id', '=', id)
      .orderBy('idx')
      .execute();
    return rows.map((r) => ({
      index: r.idx,
      name: r.name,
      state: r.state as StepState,
      startedAt: r.started_at,
      finishedAt: r.finished_at,
      error: r.error,
    }));
  }

  async logs(id: string, afterSeq = 0, limit = 1000): Promise<JobLogLine[]> {
    const rows = await this.db
      .selectFrom('job_logs')
      .selectAll()
      .where('job_id', '=', id)
      .where('seq', '>', afterSeq)
      .orderBy('seq')
      .limit(limit)
      .execute();
    return rows.map((r) => ({ seq: r.seq, step: r.step_idx, at: r.at, level: r.level, message: r.message }));
  }

  async appendLog(id: string, step: number | null, level: string, message: string): Promise<void> {
    await this.db
      .insertInto('job_logs')
      .values({ job_id: id, step_idx: step, at: nowIso(), level, message })
      .execute();
  }

  /** Log lines in the order given, in one statement. */
  async appendLogs(id: string, lines: readonly NewLogLine[], db: Kysely<DB> = this.db): Promise<void> {
    if (!lines.length) return;
    await db
      .insertInto('job_logs')
      .values(
        lines.map((l) => ({ job_id: id, step_idx: l.step, at: l.at, level: l.level, message: l.message })),
      )
      .execute();
  }

  /** Jobs a restart must deal with: those that were pending or running when cairnd stopped. */
  async unfinished(): Promise<Job[]> {
    const rows = await this.db
      .selectFrom('jobs')
      .selectAll()
      .where('state', 'in', ['pending', 'running'])
      .orderBy('seq')
      .execute();
    return rows.map((r) => toJob(r as Row));
  }

  async update(id: string, patch: JobPatch, db: Kysely<DB> = this.db): Promise<void> {
    const set: Partial<Record<keyof JobsTable, unknown>> = { updated_at: nowIso() };
    if (patch.state !== undefined) set.state = patch.state;
    if (patch.progress !== undefined) set.progress = patch.progress;
    if (patch.stepIndex !== undefined) set.step_index = patch.stepIndex;
    if (patch.data !== undefined) set.data = JSON.stringify(patch.data);
    if (patch.result !== undefined) set.result = JSON.stringify(patch.result ?? null);
    if (patch.error !== undefined) set.error = patch.error === null ? null : JSON.stringify(patch.error);
    if (patch.cancelRequested !== undefined) set.cancel_requested = patch.cancelRequested ? 1 : 0;
    if (patch.startedAt !== undefined) set.started_at = patch.startedAt;
    if (patch.finishedAt !== undefined) set.finished_at = patch.finishedAt;
    await db
      .updateTable('jobs')
      .set(set as never)
      .where('id', '=', id)
      .execute();
  }

  /**
   * A step's transition together with the job's own columns, in one transaction (one commit per
   * step boundary instead of two, and never a step marked running on a job pointing elsewhere).
   * `also`: the job's log lines logged so far and writes the step asked to commit with its end.
   */
  async stepTransition(
    id: string,
    idx: number,
    state: StepState,
    patch: JobPatch,
    also: { logs?: readonly NewLogLine[]; writes?: readonly TxWrite[] } = {},
  ): Promise<void> {
    await this.db.transaction().execute(async (tx) => {
      for (const w of also.writes ?? []) await w(tx);
      await this.update(id, patch, tx);
      await this.setStep(id, idx, state, null, tx);
      await this.appendLogs(id, also.logs ?? [], tx);
    });
  }

  async setStep(
    id: string,
    idx: number,
    state: StepState,
    error: string | null = null,
    db: Kysely<DB> = this.db,
  ): Promise<void> {
    const now = nowIso();
    const set: Record<string, unknown> = { state, error };
    if (state === 'running') set.started_at = now;
    else set.finished_at = now;
    await db
      .updateTable('job_steps')
      .set(set as never)
      .where('job_id', '=', id)
      .where('idx', '=', idx)
      .execute();
  }
}
