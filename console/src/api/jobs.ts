// Jobs followed live: one server-sent event stream (/api/v1/jobs/events) per tab updates the
// cached jobs and, when a job ends, refreshes what it changed. Changes made from the console are
// tracked in the jobs tray until dismissed.
import { useQueryClient, type QueryClient } from '@tanstack/react-query';
import { useEffect, useSyncExternalStore } from 'react';
import type { Job } from './client';

const FINAL = new Set(['succeeded', 'failed', 'cancelled']);
export const isFinal = (state: string) => FINAL.has(state);

let tracked: string[] = [];
const trackers = new Set<() => void>();
const notify = () => trackers.forEach((f) => f());

export const jobTray = {
  add(job: Job) {
    if (!tracked.includes(job.id)) tracked = [job.id, ...tracked].slice(0, 4);
    notify();
  },
  remove(id: string) {
    tracked = tracked.filter((t) => t !== id);
    notify();
  },
  clear() {
    tracked = [];
    notify();
  },
};

export function useTrackedJobs(): string[] {
  return useSyncExternalStore(
    (f) => {
      trackers.add(f);
      return () => trackers.delete(f);
    },
    () => tracked,
  );
}

export function seedJob(qc: QueryClient, job: Job) {
  qc.setQueryData(['job', job.id], (old: Job | undefined) => ({ ...(old ?? {}), ...job }));
}

/** Listens to the job event stream while signed in. */
export function useJobEvents(enabled: boolean) {
  const qc = useQueryClient();
  useEffect(() => {
    if (!enabled) return;
    const es = new EventSource('/api/v1/jobs/events');
    es.addEventListener('job', (ev) => {
      const job = JSON.parse((ev as MessageEvent<string>).data) as Job;
      qc.setQueryData(['job', job.id], (old: Job | undefined) => ({ ...(old ?? {}), ...job }));
      void qc.invalidateQueries({ queryKey: ['job-detail', job.id] });
      void qc.invalidateQueries({ queryKey: ['jobs'] });
      if (isFinal(job.state)) void qc.invalidateQueries({ predicate: (q) => q.queryKey[0] !== 'job' });
    });
    es.addEventListener('progress', (ev) => {
      const p = JSON.parse((ev as MessageEvent<string>).data) as { id: string; progress: number };
      qc.setQueryData(['job', p.id], (old: Job | undefined) =>
        old ? { ...old, progress: p.progress } : old,
      );
    });
    return () => es.close();
  }, [enabled, qc]);
}
