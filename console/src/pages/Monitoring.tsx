// Monitoring: alerts (acknowledge), alert rules (enable), notification channels (test send),
// events and the audit trail, each paged and filtered by the server.
import { Badge, Button, Card, Group, Stack, Switch, Tabs, Text } from '@mantine/core';
import { api, change, must, type Alert } from '../api/client';
import { useApi, useChange } from '../api/hooks';
import { ApiErrorAlert } from '../components/ApiErrorAlert';
import { PageTitle, StateBadge, when } from '../components/common';
import { ServerTable } from '../components/ServerTable';

const SEVERITY: Record<string, string> = { critical: 'red', error: 'red', warning: 'yellow', info: 'blue' };

function Alerts() {
  const ack = useChange(
    (id: string) => change(api.POST('/api/v1/alerts/{id}/acknowledge', { params: { path: { id } } })),
    {
      success: 'Alert acknowledged',
    },
  );
  return (
    <>
      <ApiErrorAlert error={ack.error} />
      <ServerTable<Alert>
        name="alerts"
        queryKey={['alerts', 'page']}
        defaultSort="-raised_at"
        filterField="message"
        filterLabel="Message contains"
        fetch={(q) =>
          api.GET('/api/v1/alerts', {
            params: { query: { limit: q.limit, offset: q.offset, sort: q.sort, ...q.filter } },
          })
        }
        columns={[
          {
            key: 'severity',
            label: 'Severity',
            sortable: true,
            render: (a) => (
              <Badge color={SEVERITY[a.severity] ?? 'gray'} variant="light">
                {a.severity}
              </Badge>
            ),
          },
          { key: 'message', label: 'Alert', render: (a) => a.message },
          { key: 'state', label: 'State', sortable: true, render: (a) => <StateBadge value={a.state} /> },
          { key: 'raised_at', label: 'Raised', sortable: true, render: (a) => when(a.raised_at) },
          {
            key: 'actions',
            label: '',
            render: (a) =>
              a.state === 'raised' ? (
                <Button
                  size="compact-xs"
                  variant="light"
                  onClick={() => ack.mutate(a.id)}
                  aria-label={`Acknowledge ${a.message}`}
                >
                  Acknowledge
                </Button>
              ) : a.acknowledged_by ? (
                <Text size="xs">by {a.acknowledged_by}</Text>
              ) : null,
          },
        ]}
      />
    </>
  );
}

function Rules() {
  const rules = useApi(['alert-rules'], () => must(api.GET('/api/v1/alert-rules')));
  const toggle = useChange(({ id, enabled }: { id: string; enabled: boolean }) =>
    change(api.PATCH('/api/v1/alert-rules/{id}', { params: { path: { id } }, body: { enabled } })),
  );
  return (
    <Stack gap="xs">
      <ApiErrorAlert error={toggle.error} />
      {(rules.data?.items ?? []).map((r) => (
        <Group key={r.id} justify="space-between" wrap="nowrap">
          <div>
            <Text size="sm" fw={500}>
              {r.name}
            </Text>
            <Text size="xs" c="dimmed">
              {r.description}
            </Text>
          </div>
          <Switch
            checked={r.enabled}
            onChange={(e) => toggle.mutate({ id: r.id, enabled: e.currentTarget.checked })}
            aria-label={`Rule ${r.name} enabled`}
          />
        </Group>
      ))}
    </Stack>
  );
}

function Channels() {
  const channels = useApi(['channels'], () =>
    must(api.GET('/api/v1/notification-channels', { params: { query: { limit: 1000 } } })),
  );
  const test = useChange(
    (id: string) => change(api.POST('/api/v1/notification-channels/{id}/test', { params: { path: { id } } })),
    {
      success: 'Test notification sent',
    },
  );
  return (
    <Stack gap="xs">
      <ApiErrorAlert error={test.error} />
      {(channels.data?.items ?? []).map((c) => (
        <Card key={c.id} withBorder p="xs">
          <Group justify="space-between">
            <Text size="sm">
              <b>{c.name}</b> · {c.type} · from {c.min_severity} · {c.enabled ? 'enabled' : 'disabled'}
            </Text>
            <Button
              size="compact-xs"
              variant="light"
              onClick={() => test.mutate(c.id)}
              aria-label={`Send a test to ${c.name}`}
            >
              Send test
            </Button>
          </Group>
        </Card>
      ))}
      {channels.data?.items.length === 0 && (
        <Text size="sm" c="dimmed">
          No notification channels (add one with the API: POST /api/v1/notification-channels).
        </Text>
      )}
    </Stack>
  );
}

type Row = {
  id: string;
  at: string;
  severity?: string;
  type?: string;
  message?: string;
  actor: string;
  method?: string;
  url?: string;
  status?: number;
};

export function MonitoringPage() {
  return (
    <>
      <PageTitle title="Monitoring" />
      <Tabs defaultValue="alerts" keepMounted={false}>
        <Tabs.List mb="md">
          <Tabs.Tab value="alerts">Alerts</Tabs.Tab>
          <Tabs.Tab value="rules">Rules</Tabs.Tab>
          <Tabs.Tab value="channels">Notification channels</Tabs.Tab>
          <Tabs.Tab value="events">Events</Tabs.Tab>
          <Tabs.Tab value="audit">Audit trail</Tabs.Tab>
        </Tabs.List>
        <Tabs.Panel value="alerts">
          <Alerts />
        </Tabs.Panel>
        <Tabs.Panel value="rules">
          <Rules />
        </Tabs.Panel>
        <Tabs.Panel value="channels">
          <Channels />
        </Tabs.Panel>
        <Tabs.Panel value="events">
          <ServerTable<Row>
            name="events"
            queryKey={['events']}
            defaultSort="-at"
            filterField="message"
            filterLabel="Message contains"
            fetch={(q) =>
              api.GET('/api/v1/events', {
                params: { query: { limit: q.limit, offset: q.offset, sort: q.sort, ...q.filter } },
              })
            }
            columns={[
              { key: 'at', label: 'When', sortable: true, render: (e) => when(e.at) },
              { key: 'severity', label: 'Severity', sortable: true, render: (e) => e.severity },
              { key: 'type', label: 'Type', sortable: true, render: (e) => e.type },
              { key: 'message', label: 'Message', render: (e) => e.message },
            ]}
          />
        </Tabs.Panel>
        <Tabs.Panel value="audit">
          <ServerTable<Row>
            name="audit"
            queryKey={['audit']}
            defaultSort="-at"
            filterField="actor"
            filterLabel="Actor contains"
            fetch={(q) =>
              api.GET('/api/v1/audit', {
                params: { query: { limit: q.limit, offset: q.offset, sort: q.sort, ...q.filter } },
              })
            }
            columns={[
              { key: 'at', label: 'When', sortable: true, render: (e) => when(e.at) },
              { key: 'actor', label: 'Who', sortable: true, render: (e) => e.actor },
              { key: 'method', label: 'What', sortable: true, render: (e) => `${e.method} ${e.url}` },
              { key: 'status', label: 'Answer', render: (e) => e.status },
            ]}
          />
        </Tabs.Panel>
      </Tabs>
    </>
  );
}
