// The dashboard: pools at a glance (health, used/free, compression and dedup savings), open alerts
// by severity, running jobs, services, and live or historical charts.
import { Anchor, Badge, Card, Group, SimpleGrid, Stack, Table, Text } from '@mantine/core';
import { Link } from 'react-router-dom';
import { api, must } from '../api/client';
import { useApi } from '../api/hooks';
import { JobProgress } from '../components/JobProgress';
import { PageTitle, StateBadge, Usage, Scroll } from '../components/common';
import { StatsCharts } from '../components/StatsCharts';
import { formatBytes } from '../lib/sizes';
import { ApiErrorAlert } from '../components/ApiErrorAlert';

const SEVERITIES = ['critical', 'error', 'warning', 'info'] as const;
const SEVERITY_COLOR: Record<string, string> = {
  critical: 'red',
  error: 'red',
  warning: 'yellow',
  info: 'blue',
};

export function Dashboard() {
  const pools = useApi(
    ['pools'],
    () => must(api.GET('/api/v1/pools', { params: { query: { limit: 100 } } })),
    { refetchInterval: 10_000 },
  );
  const alerts = useApi(
    ['alerts', 'open'],
    () => must(api.GET('/api/v1/alerts', { params: { query: { state__ne: 'cleared', limit: 1000 } } })),
    { refetchInterval: 10_000 },
  );
  const jobs = useApi(
    ['jobs', 'running'],
    () =>
      must(
        api.GET('/api/v1/jobs', {
          params: { query: { state__in: 'pending,running', sort: '-created_at', limit: 10 } },
        }),
      ),
    { refetchInterval: 10_000 },
  );
  const services = useApi(['services'], () => must(api.GET('/api/v1/services')), { refetchInterval: 15_000 });
  const counts = new Map<string, number>();
  for (const a of alerts.data?.items ?? [])
    if (a.state !== 'cleared') counts.set(a.severity, (counts.get(a.severity) ?? 0) + 1);
  return (
    <Stack>
      <PageTitle title="Dashboard" />
      <ApiErrorAlert error={pools.error ?? alerts.error} />
      <SimpleGrid cols={{ base: 1, sm: 2, lg: 4 }}>
        <Card withBorder>
          <Text size="sm" c="dimmed">
            Pools
          </Text>
          <Text size="xl" fw={700}>
            {pools.data?.total ?? '…'}
          </Text>
          <Text size="xs" c="dimmed">
            {(pools.data?.items ?? []).filter((p) => p.health !== 'online').length} not healthy
          </Text>
        </Card>
        <Card withBorder>
          <Text size="sm" c="dimmed">
            Open alerts
          </Text>
          <Group gap={6} mt={4} data-testid="alert-counts">
            {SEVERITIES.map((s) => (
              <Badge key={s} color={SEVERITY_COLOR[s]} variant={counts.get(s) ? 'filled' : 'light'}>
                {s}: {counts.get(s) ?? 0}
              </Badge>
            ))}
          </Group>
          <Anchor component={Link} to="/monitoring" size="xs" mt={6}>
            See alerts
          </Anchor>
        </Card>
        <Card withBorder>
          <Text size="sm" c="dimmed">
            Capacity
          </Text>
          <Usage
            label="all pools"
            used={(pools.data?.items ?? []).reduce((s, p) => s + p.used, 0)}
            size={(pools.data?.items ?? []).reduce((s, p) => s + p.size, 0)}
          />
        </Card>
        <Card withBorder>
          <Text size="sm" c="dimmed">
            Services
          </Text>
          <Group gap={4} mt={4}>
            {(services.data?.items ?? []).map((s) => (
              <Badge
                key={s.name}
                color={s.state === 'running' ? 'green' : s.state === 'stopped' ? 'gray' : 'red'}
                variant="light"
              >
                {s.name}: {s.state}
              </Badge>
            ))}
          </Group>
        </Card>
      </SimpleGrid>
      <Card withBorder>
        <Text fw={600} mb="xs">
          Pools
        </Text>
        <Scroll minWidth={600}>
          <Table>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Name</Table.Th>
                <Table.Th>Health</Table.Th>
                <Table.Th>Profile</Table.Th>
                <Table.Th>Used / free</Table.Th>
                <Table.Th>Compression saves</Table.Th>
                <Table.Th>Dedup saves</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {(pools.data?.items ?? []).map((p) => {
                const c = p.capacity?.compression;
                return (
                  <Table.Tr key={p.id} data-testid={`pool-row-${p.name}`}>
                    <Table.Td>
                      <Anchor component={Link} to={`/pools?pool=${p.id}`}>
                        {p.name}
                      </Anchor>
                    </Table.Td>
                    <Table.Td>
                      <StateBadge value={p.health} />
                    </Table.Td>
                    <Table.Td>{p.profile}</Table.Td>
                    <Table.Td>
                      <Usage used={p.used} size={p.size} label={p.name} />
                    </Table.Td>
                    <Table.Td>
                      {c
                        ? `${formatBytes(Math.max(0, c.logical_bytes - c.stored_bytes))}${c.ratio ? ` (×${c.ratio.toFixed(2)})` : ''}`
                        : '—'}
                    </Table.Td>
                    <Table.Td>{formatBytes(p.dedup?.saved_bytes ?? p.dedup_saved_bytes ?? 0)}</Table.Td>
                  </Table.Tr>
                );
              })}
              {pools.data?.items.length === 0 && (
                <Table.Tr>
                  <Table.Td colSpan={6}>
                    <Text size="sm" c="dimmed">
                      No pools yet.{' '}
                      <Anchor component={Link} to="/pools">
                        Create one
                      </Anchor>
                      .
                    </Text>
                  </Table.Td>
                </Table.Tr>
              )}
            </Table.Tbody>
          </Table>
        </Scroll>
      </Card>
      <Card withBorder>
        <Text fw={600} mb="xs">
          Running jobs
        </Text>
        <Stack gap="xs">
          {(jobs.data?.items ?? []).map((j) => (
            <JobProgress key={j.id} id={j.id} />
          ))}
          {jobs.data?.items.length === 0 && (
            <Text size="sm" c="dimmed">
              Nothing running.
            </Text>
          )}
        </Stack>
      </Card>
      <StatsCharts />
    </Stack>
  );
}
