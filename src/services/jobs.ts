// The jobs API surface over the engine: read, list, cancel, wait, logs and the live event feed.
// Every job leaves it as a JobView, with whether a cancel would be accepted now.
import type { JobEngine } from '../jobs/engine.js';
import type { JobStore } from '../store/jobs.js';
import { type ListParams, type Page, mapPage } from '../domain/list.js';
import {
  jobStepWire,
  jobWire,
  secondsUntil,
  type Job,
  type JobLogLine,
  type JobStep,
  type JobView,
} from '../domain/job.js';
import { CairnError, ERRORS, type ErrorCode } from '../domain/errors.js';

/**
 * Waits for a job and gives it back succeeded, or throws the CairnError its failure carried (a
 * service whose rule is "this, then that" waits between the two; products that answer changes
 * synchronously wait for the end).
 */
export async function settled(engine: Pick<JobEngine, 'wait'>, job: Job, seconds = 900): Promise<Job> {
  const done = await engine.wait(job.id, seconds * 1000);
  if (done.state === 'succeeded') return done;
  const e = done.error;
  if (done.state === 'pending' || done.state === 'running')
    throw new CairnError('SERVICE_UNAVAILABLE', {
      what: `job ${job.id}`,
      reason: `still ${done.state} after ${seconds} s`,
    });
  const code = e && e.code in ERRORS ? (e.code as ErrorCode) : 'JOB_FAILED';
  throw new CairnError(code, { ...(e?.details ?? {}), id: done.id, reason: e?.message }, e?.message);
}

/** `settled`, waiting no later than `deadline` (epoch ms; at least a second) when one is given. */
export const settledBy = (engine: Pick<JobEngine, 'wait'>, job: Job, deadline?: number): Promise<Job> =>
  settled(engine, job, deadline === undefined ? undefined : secondsUntil(deadline));

export class JobsService {
  constructor(
    readonly engine: JobEngine,
    private readonly store: JobStore,
  ) {}

  /** The job as the API shows it. A job asked to stop is no longer offered a cancel. */
  view(job: Job): JobView {
    return jobWire(job, !job.cancelRequested && this.engine.acceptsCancel(job));
  }
  async get(id: string): Promise<JobView> {
    return this.view(await this.store.get(id));
  }
  async list(params: ListParams): Promise<Page<JobView>> {
    const page = await this.store.list(params);
    return mapPage(page, (j) => this.view(j));
  }
  async detail(id: string): Promise<JobView & { steps: JobStep[] }> {
    const job = await this.store.get(id);
    return { ...this.view(job), steps: (await this.store.steps(id)).map(jobStepWire) };
  }
  async logs(id: string, after: number, limit: number): Promise<JobLogLine[]> {
    await this.store.get(id);
    return this.store.logs(id, after, limit);
  }
  async cancel(id: string): Promise<JobView> {
    return this.view(await this.engine.cancel(id));
  }
  async wait(id: string, seconds: number): Promise<JobView> {
    return this.view(await this.engine.wait(id, seconds * 1000));
  }
  /** The job once it succeeded, or its failure as a CairnError (see `settled`). */
  async settled(job: Job, seconds?: number): Promise<JobView> {
    return this.view(await settled(this.engine, job, seconds));
  }
  /** Subscribes to job transitions and progress; returns the unsubscribe function. */
  subscribe(onEvent: (type: 'job' | 'progress', payload: unknown) => void): () => void {
    const onJob = (j: Job) => onEvent('job', this.view(j));
    const onProgress = (p: unknown) => onEvent('progress', p);
    this.engine.events.on('job', onJob);
    this.engine.events.on('progress', onProgress);
    return () => {
      this.engine.events.off('job', onJob);
      this.engine.events.off('progress', onProgress);
    };
  }
}
