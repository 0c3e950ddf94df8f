// Jobs: every job (server-side paging, filter by kind and state), and one job with its live
// progress (the job event stream), its steps, its log (filtered by level and text) and a cancel button.
import { Anchor, Badge, Card, Code, Group, Select, Stack, Table, Text, TextInput } from '@mantine/core';
import { useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import { Link, useParams } from 'react-router-dom';
import { api, must, type Job } from '../api/client';
import { isFinal } from '../api/jobs';
import { ApiErrorAlert } from '../components/ApiErrorAlert';
import { JobProgress, STATE_COLORS } from '../components/JobProgress';
import { PageTitle, when, Scroll } from '../components/common';
import { ServerTable } from '../components/ServerTable';

export function JobsPage() {
  return (
    <>
      <PageTitle title="Jobs" />
      <ServerTable<Job>
        name="jobs"
        queryKey={['jobs']}
        defaultSort="-created_at"
        filterField="kind"
        filterLabel="Kind contains"
        choices={[
          {
            field: 'state',
            label: 'State',
            options: ['pending', 'running', 'succeeded', 'failed', 'cancelled'],
          },
        ]}
        fetch={(q) =>
          api.GET('/api/v1/jobs', {
            params: { query: { limit: q.limit, offset: q.offset, sort: q.sort, ...q.filter } },
          })
        }
        columns={[
          {
            key: 'title',
            label: 'Job',
            render: (j) => (
              <Anchor component={Link} to={`/jobs/${j.id}`}>
                {j.title}
              </Anchor>
            ),
          },
          { key: 'kind', label: 'Kind', sortable: true, render: (j) => j.kind },
          {
            key: 'state',
            label: 'State',
            sortable: true,
            render: (j) => (
              <Badge color={STATE_COLORS[j.state]} variant="light">
                {j.state}
              </Badge>
            ),
          },
          { key: 'created_by', label: 'By', sortable: true, render: (j) => j.created_by },
          { key: 'created_at', label: 'Started', sortable: true, render: (j) => when(j.created_at) },
        ]}
      />
    </>
  );
}

export function JobPage() {
  const { id = '' } = useParams();
  const detail = useQuery({
    queryKey: ['job-detail', id],
    queryFn: () => must(api.GET('/api/v1/jobs/{id}', { params: { path: { id } } })),
    refetchInterval: (q) => (q.state.data && isFinal(q.state.data.state) ? false : 2000),
  });
  const logs = useQuery({
    queryKey: ['job-logs', id],
    queryFn: () => must(api.GET('/api/v1/jobs/{id}/logs', { params: { path: { id } } })),
    refetchInterval: () => (detail.data && isFinal(detail.data.state) ? false : 2000),
  });
  const j = detail.data;
  const [level, setLevel] = useState<string | null>(null);
  const [text, setText] = useState('');
  const shown = (logs.data?.items ?? []).filter(
    (l) => (!level || l.level === level) && (!text || l.message.toLowerCase().includes(text.toLowerCase())),
  );
  return (
    <Stack>
      <PageTitle title={j ? j.title : 'Job'} />
      <ApiErrorAlert error={detail.error} />
      <JobProgress id={id} />
      {j && (
        <Card withBorder>
          <Text fw={600} mb="xs">
            Steps
          </Text>
          <Scroll minWidth={500}>
            <Table>
              <Table.Tbody>
                {j.steps.map((s) => (
                  <Table.Tr key={s.index} data-testid="job-step">
                    <Table.Td>{s.index + 1}</Table.Td>
                    <Table.Td>{s.name}</Table.Td>
                    <Table.Td>
                      <Badge color={STATE_COLORS[s.state] ?? 'gray'} variant="light">
                        {s.state}
                      </Badge>
                    </Table.Td>
                    <Table.Td>{s.error ?? ''}</Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Scroll>
          <Group gap="xs" mt="xs">
            <Text size="xs" c="dimmed">
              kind {j.kind} · by {j.created_by} · started {when(j.started_at)} · finished{' '}
              {when(j.finished_at)}
            </Text>
          </Group>
        </Card>
      )}
      <Card withBorder>
        <Group justify="space-between" mb="xs" align="flex-end">
          <Text fw={600}>Log</Text>
          <Group gap="xs">
            <Select
              size="xs"
              label="Level"
              data={['debug', 'info', 'warn', 'error']}
              value={level}
              onChange={setLevel}
              clearable
              placeholder="any"
              w={110}
            />
            <TextInput
              size="xs"
              label="Log contains"
              value={text}
              onChange={(e) => setText(e.currentTarget.value)}
              w={180}
            />
          </Group>
        </Group>
        {/* One scrolling box, reachable with Tab so the log can be scrolled from the keyboard. */}
        <Code block tabIndex={0} role="region" aria-label="Job log" className="job-log">
          {shown.map((l) => `${l.at.slice(11, 23)} ${l.level.padEnd(5)} ${l.message}`).join('\n') ||
            'No log lines.'}
        </Code>
      </Card>
    </Stack>
  );
}
