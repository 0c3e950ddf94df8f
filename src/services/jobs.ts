// The jobs API surface over the engine: read, list, cancel, wait, logs and the live event feed.
import type { JobEngine } from '../jobs/engine.js';
import type { JobStore } from '../store/jobs.js';
import type { ListParams, Page } from '../domain/list.js';
import type { Job, JobLogLine, JobStep } from '../domain/job.js';

export class JobsService {
  constructor(
    readonly engine: JobEngine,
    private readonly store: JobStore,
  ) {}

  get(id: string): Promise<Job> {
    return this.store.get(id);
  }
  list(params: ListParams): Promise<Page<Job>> {
    return this.store.list(params);
  }
  async detail(id: string): Promise<Job & { steps: JobStep[] }> {
    const job = await this.store.get(id);
    return { ...job, steps: await this.store.steps(id) };
  }
  async logs(id: string, after: number, limit: number): Promise<JobLogLine[]> {
    await this.store.get(id);
    return this.store.logs(id, after, limit);
  }
  cancel(id: string): Promise<Job> {
    return this.engine.cancel(id);
  }
  wait(id: string, seconds: number): Promise<Job> {
    return this.engine.wait(id, seconds * 1000);
  }
  /** Subscribes to job transitions and progress; returns the unsubscribe function. */
  subscribe(onEvent: (type: 'job' | 'progress', payload: unknown) => void): () => void {
    const onJob = (j: Job) => onEvent('job', j);
    const onProgress = (p: unknown) => onEvent('progress', p);
    this.engine.events.on('job', onJob);
    this.engine.events.on('progress', onProgress);
    return () => {
      this.engine.events.off('job', onJob);
      this.engine.events.off('progress', onProgress);
    };
  }
}
