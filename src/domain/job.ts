// Jobs as the API shows them, and the legal state machine (STYLE.md §7).
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

export interface LockRequest {
  key: string;
  mode: 'shared' | 'exclusive';
}
export const shared = (key: string): LockRequest => ({ key, mode: 'shared' });
export const exclusive = (key: string): LockRequest => ({ key, mode: 'exclusive' });

export interface JobStep {
  index: number;
  name: string;
  state: StepState;
  started_at: string | null;
  finished_at: string | null;
  error: string | null;
}

export interface JobError {
  code: string;
  message: string;
  details?: Record<string, unknown>;
}

export interface Job {
  id: string;
  kind: string;
  title: string;
  state: JobState;
  progress: number;
  step_index: number;
  step_count: number;
  locks: LockRequest[];
  object_type: string | null;
  object_id: string | null;
  cancel_requested: boolean;
  created_by: string;
  created_at: string;
  started_at: string | null;
  finished_at: string | null;
  result: unknown;
  error: JobError | null;
  args: Record<string, unknown>;
}

/**
 * A job as the API shows it: `cancellable` says whether a cancel would be accepted now (a pending
 * job always, a running one only when its kind can stop half-way; never a finished job or one
 * already asked to stop).
 */
export interface JobView extends Job {
  cancellable: boolean;
}

export interface JobLogLine {
  seq: number;
  step: number | null;
  at: string;
  level: string;
  message: string;
}
