// One job's live state: its title, a progress bar fed by the job event stream, its result or error,
// and a cancel button only when the job can be cancelled.
import { ActionIcon, Anchor, Badge, Button, Group, Paper, Progress, Stack, Text } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useEffect } from 'react';
import { Link } from 'react-router-dom';
import { api, must, type Job } from '../api/client';
import { isFinal, jobTray } from '../api/jobs';
import { useChange } from '../api/hooks';

export const STATE_COLORS: Record<string, string> = {
  pending: 'gray',
  running: 'blue',
  succeeded: 'green',
  failed: 'red',
  cancelled: 'orange',
};

export function useJob(id: string) {
  return useQuery({
    queryKey: ['job', id],
    queryFn: () => must(api.GET('/api/v1/jobs/{id}', { params: { path: { id } } })) as Promise<Job>,
    // The event stream keeps it current; a slow poll covers a stream that dropped.
    refetchInterval: (q) => (q.state.data && isFinal(q.state.data.state) ? false : 3000),
  });
}

export function CancelJob({ job }: { job: Job }) {
  const cancel = useChange(async () => {
    await must(api.POST('/api/v1/jobs/{id}/cancel', { params: { path: { id: job.id } } }));
    return { job: null, result: null };
  });
  // Offered only where the API says a cancel would be accepted now (pending, or a kind that can
  // stop half-way); if the job moved on meanwhile, the API's refusal is shown.
  if (!job.cancellable) return null;
  return (
    <Button
      title={cancel.error instanceof Error ? cancel.error.message : undefined}
      size="compact-xs"
      variant="light"
      color="orange"
      loading={cancel.isPending}
      onClick={() => cancel.mutate(undefined)}
    >
      {cancel.error ? 'Cannot cancel' : 'Cancel'}
    </Button>
  );
}

/** How long a succeeded job stays in the tray; failed and cancelled ones stay until dismissed. */
const TRAY_LINGER_MS = 8000;

export function JobProgress({ id, dismissable }: { id: string; dismissable?: boolean }) {
  const { data: job } = useJob(id);
  const state = job?.state;
  // The tray floats over the page: finished successes leave it by themselves so it never piles up
  // over the buttons beneath (what needs attention, a failure, stays).
  useEffect(() => {
    if (!dismissable || state !== 'succeeded') return;
    const timer = setTimeout(() => jobTray.remove(id), TRAY_LINGER_MS);
    return () => clearTimeout(timer);
  }, [dismissable, state, id]);
  if (!job) return null;
  const pct = Math.round((job.state === 'succeeded' ? 1 : job.progress) * 100);
  return (
    <Paper withBorder p="xs" radius="sm" data-testid="job-progress" data-job-state={job.state}>
      <Stack gap={4}>
        <Group justify="space-between" wrap="nowrap" gap="xs">
          <Anchor component={Link} to={`/jobs/${job.id}`} size="sm" lineClamp={1}>
            {job.title}
          </Anchor>
          <Group gap={4} wrap="nowrap">
            <Badge
              color={STATE_COLORS[job.state]}
              variant="light"
              size="sm"
              style={{ minWidth: 'max-content' }}
            >
              {job.state}
            </Badge>
            <CancelJob job={job} />
            {dismissable && (
              <ActionIcon
                variant="subtle"
                size="sm"
                aria-label={`Dismiss ${job.title}`}
                onClick={() => jobTray.remove(job.id)}
              >
                ×
              </ActionIcon>
            )}
          </Group>
        </Group>
        <Progress
          value={pct}
          color={STATE_COLORS[job.state]}
          animated={job.state === 'running'}
          aria-label={`${job.title}: ${pct}%`}
        />
        <Text size="xs" c="dimmed">
          {job.state === 'running' ? `step ${job.step_index + 1} of ${job.step_count} · ${pct}%` : null}
          {job.error ? job.error.message : null}
        </Text>
      </Stack>
    </Paper>
  );
}
