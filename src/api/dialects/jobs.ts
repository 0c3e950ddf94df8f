// Products whose APIs answer changes synchronously get the finished result: wait for the job and
// turn its failure back into the CairnError it carried, for the dialect's error table.
import { CairnError, ERRORS, type ErrorCode } from '../../domain/errors.js';
import type { Job } from '../../domain/job.js';
import type { Services } from '../../services/index.js';

export async function finished(svc: Services, job: Job, seconds = 900): Promise<Job> {
  const done = await svc.jobs.wait(job.id, seconds);
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
