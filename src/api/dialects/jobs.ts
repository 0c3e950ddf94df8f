// Products whose APIs answer changes synchronously get the finished result: wait for the job and
// turn its failure back into the CairnError it carried, for the dialect's error table.
import type { Job, JobView } from '../../domain/job.js';
import type { Services } from '../../services/index.js';

export const finished = (svc: Services, job: Job, seconds?: number): Promise<JobView> =>
  svc.jobs.settled(job, seconds);

/** Walks every page of a native list (products without paging return whole collections). */
export async function allPages<T>(
  fetch: (offset: number, limit: number) => Promise<{ items: T[]; total: number }>,
  max = 10_000,
): Promise<T[]> {
  const out: T[] = [];
  for (let offset = 0; offset < max; offset += 1000) {
    const page = await fetch(offset, 1000);
    out.push(...page.items);
    if (out.length >= page.total || page.items.length === 0) break;
  }
  return out;
}
