// Jobs as the API shows them (the wire schema), and the legal state machine (STYLE.md §7).
import { Type, type Static } from '@sinclair/typebox';
import { OneOf } from './wire.js';

export const JOB_STATES = ['pending', 'running', 'succeeded', 'failed', 'cancelled'] as const;
export type JobState = (typeof JOB_STATES)[number];
export const STEP_STATES = [
  'pending',
  'running',
  'succeeded',
  'failed',
  'undone',
  'undo_failed',
  'skipped',
] as const;
export type StepState = (typeof STEP_STATES)[number];

export const FINISHED: readonly JobState[] = ['succeeded', 'failed', 'cancelled'];
export const isFinished = (s: JobState): boolean => FINISHED.includes(s);

/** How long to wait for a job that must be over by `deadline` (epoch ms): whole seconds, at least one. */
export const secondsUntil = (deadline: number): number =>
  Math.max(1, Math.floor((deadline - Date.now()) / 1000));

export interface LockRequest {
  key: string;
  mode: 'shared' | 'exclusive';
}
export const shared = (key: string): LockRequest => ({ key, mode: 'shared' });
export const exclusive = (key: string): LockRequest => ({ key, mode: 'exclusive' });

/** A step as the store keeps it. */
export interface JobStepRecord {
  index: number;
  name: string;
  state: StepState;
  startedAt: string | null;
  finishedAt: string | null;
  error: string | null;
}

/** A step on the wire (`GET /api/v1/jobs/{id}`). */
export interface JobStep {
  index: number;
  name: string;
  state: StepState;
  started_at: string | null;
  finished_at: string | null;
  error: string | null;
}

export const jobStepWire = (s: JobStepRecord): JobStep => ({
  index: s.index,
  name: s.name,
  state: s.state,
  started_at: s.startedAt,
  finished_at: s.finishedAt,
  error: s.error,
});

export interface JobError {
  code: string;
  message: string;
  details?: Record<string, unknown>;
}

// ---- Wire schema: the job as shown; the record the engine keeps is the same less `cancellable`.

/** A job as the API shows it (`$id: 'Job'`). */
export const JobView = Type.Object(
  {
    id: Type.String(),
    kind: Type.String({ description: 'noun.verb' }),
    title: Type.String(),
    state: OneOf(JOB_STATES),
    progress: Type.Number({ minimum: 0, maximum: 1 }),
    step_index: Type.Integer(),
    step_count: Type.Integer(),
    locks: Type.Array(Type.Unsafe<LockRequest>(Type.Object({ key: Type.String(), mode: Type.String() }))),
    object_type: Type.Union([Type.String(), Type.Null()]),
    object_id: Type.Union([Type.String(), Type.Null()]),
    cancel_requested: Type.Boolean(),
    cancellable: Type.Boolean({
      description:
        'whether a cancel would be accepted now: a pending job, or a running one whose kind can stop half-way',
    }),
    created_by: Type.String(),
    created_at: Type.String({ format: 'date-time' }),
    started_at: Type.Union([Type.String(), Type.Null()]),
    finished_at: Type.Union([Type.String(), Type.Null()]),
    result: Type.Unknown(),
    error: Type.Union([
      Type.Unsafe<JobError>(
        Type.Object({ code: Type.String(), message: Type.String(), details: Type.Optional(Type.Unknown()) }),
      ),
      Type.Null(),
    ]),
    args: Type.Record(Type.String(), Type.Unknown()),
  },
  { $id: 'Job' },
);
/**
 * A job as the API shows it: `cancellable` says whether a cancel would be accepted now (a pending
 * job always, a running one only when its kind can stop half-way; never a finished job or one
 * already asked to stop).
 */
export type JobView = Static<typeof JobView>;
/** A job as the engine and the store keep it (the wire form less `cancellable`). */
export interface Job {
  id: string;
  kind: string;
  title: string;
  state: JobState;
  progress: number;
  stepIndex: number;
  stepCount: number;
  locks: LockRequest[];
  objectType: string | null;
  objectId: string | null;
  cancelRequested: boolean;
  createdBy: string;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
  result: unknown;
  error: JobError | null;
  args: Record<string, unknown>;
}

export interface JobLogLine {
  seq: number;
  step: number | null;
  at: string;
  level: string;
  message: string;
}

/** The job on the wire, with whether a cancel would be accepted now. */
export const jobWire = (j: Job, cancellable: boolean): JobView => ({
  id: j.id,
  kind: j.kind,
  title: j.title,
  state: j.state,
  progress: j.progress,
  step_index: j.stepIndex,
  step_count: j.stepCount,
  locks: j.locks,
  object_type: j.objectType,
  object_id: j.objectId,
  cancel_requested: j.cancelRequested,
  cancellable,
  created_by: j.createdBy,
  created_at: j.createdAt,
  started_at: j.startedAt,
  finished_at: j.finishedAt,
  result: j.result,
  error: j.error,
  args: j.args,
});
