// Server state through TanStack Query: typed reads, and changes that follow their job.
import { useMutation, useQuery, useQueryClient, type QueryKey } from '@tanstack/react-query';
import { notifications } from '@mantine/notifications';
import type { Job } from './client';
import { jobTray, seedJob } from './jobs';

export function useApi<T>(
  key: QueryKey,
  fn: () => Promise<T>,
  opts: { refetchInterval?: number; enabled?: boolean } = {},
) {
  return useQuery({ queryKey: key, queryFn: fn, ...opts });
}

/**
 * A change: runs `fn`, puts its job (if it answered with one) in the jobs tray, refreshes the
 * lists, and calls `onDone`. Errors stay on the mutation for the form to show where the user acted.
 */
export function useChange<A>(
  fn: (a: A) => Promise<{ job: Job | null; result: unknown }>,
  opts: { onDone?: () => void; success?: string } = {},
) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: fn,
    onSuccess: ({ job }) => {
      if (job) {
        seedJob(qc, job);
        jobTray.add(job);
      } else if (opts.success)
        // Mantine's × has no text of its own; named, a screen reader can say what it does.
        notifications.show({
          message: opts.success,
          color: 'green',
          closeButtonProps: { 'aria-label': 'Dismiss notification' },
        });
      void qc.invalidateQueries({ predicate: (q) => q.queryKey[0] !== 'job' });
      opts.onDone?.();
    },
  });
}
