// Monitoring: alerts (acknowledge), alert rules (enable, thresholds), notification channels (add,
// test send), events and the audit trail, each paged and filtered by the server.
import {
  Alert as Notice,
  Badge,
  Button,
  Card,
  Group,
  NumberInput,
  PasswordInput,
  Select,
  Stack,
  Switch,
  Tabs,
  Text,
  TextInput,
} from '@mantine/core';
import { useState, type ChangeEvent } from 'react';
import { api, change, must, type Alert, type Schemas } from '../api/client';
import { useApi, useChange } from '../api/hooks';
import { ActionModal } from '../components/ActionModal';
import { ApiErrorAlert } from '../components/ApiErrorAlert';
import { PageTitle, StateBadge, when } from '../components/common';
import { ServerTable } from '../components/ServerTable';

type AlertRule = Schemas['AlertRule'];
const SEVERITIES = ['info', 'warning', 'error', 'critical'] as const;
type Severity = (typeof SEVERITIES)[number];
const isSeverity = (v: string | null): v is Severity => SEVERITIES.some((s) => s === v);

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
        choices={[
          { field: 'severity', label: 'Severity', options: [...SEVERITIES] },
          { field: 'state', label: 'State', options: ['raised', 'acknowledged', 'cleared'] },
        ]}
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

function RuleRow({ rule }: { rule: AlertRule }) {
  const [params, setParams] = useState<Record<string, number>>(rule.params);
  const save = useChange(
    (body: { enabled?: boolean; params?: Record<string, number> }) =>
      change(api.PATCH('/api/v1/alert-rules/{id}', { params: { path: { id: rule.id } }, body })),
    { success: 'Rule saved' },
  );
  const keys = Object.keys(rule.params);
  const edited = keys.some((k) => params[k] !== rule.params[k]);
  return (
    <Card withBorder p="xs" data-testid={`rule-${rule.name}`}>
      <Group justify="space-between" wrap="nowrap" align="flex-start">
        <div>
          <Text size="sm" fw={500}>
            {rule.name}
          </Text>
          <Text size="xs" c="dimmed">
            {rule.description}
          </Text>
        </div>
        <Switch
          checked={rule.enabled}
          onChange={(e) => save.mutate({ enabled: e.currentTarget.checked })}
          aria-label={`Rule ${rule.name} enabled`}
        />
      </Group>
      {keys.length > 0 && (
        <Group align="flex-end" gap="xs" mt={4}>
          {keys.map((k) => (
            <NumberInput
              key={k}
              size="xs"
              w={150}
              label={k.replace(/_/g, ' ')}
              aria-label={`${rule.name} ${k.replace(/_/g, ' ')}`}
              value={params[k]}
              onChange={(v) => setParams({ ...params, [k]: Number(v) })}
            />
          ))}
          <Button
            size="compact-sm"
            variant="light"
            disabled={!edited}
            loading={save.isPending}
            onClick={() => save.mutate({ params })}
            aria-label={`Save ${rule.name}`}
          >
            Save
          </Button>
        </Group>
      )}
      <ApiErrorAlert error={save.error} />
    </Card>
  );
}

function Rules() {
  const rules = useApi(['alert-rules'], () => must(api.GET('/api/v1/alert-rules')));
  return (
    <Stack gap="xs">
      <ApiErrorAlert error={rules.error} />
      {(rules.data?.items ?? []).map((r) => (
        <RuleRow key={`${r.id}-${r.updated_at}`} rule={r} />
      ))}
    </Stack>
  );
}

function ChannelForm({ onClose }: { onClose: () => void }) {
  const [type, setType] = useState<'webhook' | 'email'>('webhook');
  const [f, setF] = useState({
    name: '',
    url: '',
    secret: '',
    to: '',
    from: '',
    smtp_host: '',
    smtp_port: '',
  });
  const [minSeverity, setMinSeverity] = useState<Severity>('warning');
  const create = useChange(
    async () => ({
      job: null,
      result: await must(
        api.POST('/api/v1/notification-channels', {
          body: {
            name: f.name,
            type,
            min_severity: minSeverity,
            ...(type === 'webhook'
              ? { url: f.url, ...(f.secret ? { secret: f.secret } : {}) }
              : {
                  to: f.to.split(/[\s,]+/).filter(Boolean),
                  ...(f.from ? { from: f.from } : {}),
                  smtp_host: f.smtp_host,
                  ...(f.smtp_port ? { smtp_port: Number(f.smtp_port) } : {}),
                }),
          },
        }),
      ),
    }),
    { onDone: onClose, success: 'Channel added' },
  );
  const field = (key: keyof typeof f) => ({
    value: f[key],
    onChange: (e: ChangeEvent<HTMLInputElement>) => setF({ ...f, [key]: e.currentTarget.value }),
  });
  return (
    <ActionModal
      title="Add a notification channel"
      opened
      onClose={onClose}
      onSubmit={() => create.mutate(undefined)}
      pending={create.isPending}
      error={create.error}
      submitLabel="Add channel"
    >
      <TextInput label="Name" required {...field('name')} />
      <Group grow>
        <Select
          label="Type"
          data={['webhook', 'email']}
          value={type}
          allowDeselect={false}
          onChange={(t) => setType(t === 'email' ? 'email' : 'webhook')}
        />
        <Select
          label="From severity"
          data={[...SEVERITIES]}
          value={minSeverity}
          allowDeselect={false}
          onChange={(v) => setMinSeverity(isSeverity(v) ? v : 'warning')}
        />
      </Group>
      {type === 'webhook' ? (
        <>
          <TextInput
            label="Webhook URL"
            description="alerts are POSTed here as JSON"
            required
            {...field('url')}
          />
          <PasswordInput
            label="Signing secret"
            description="optional: the body is signed in X-Cairn-Signature"
            {...field('secret')}
          />
        </>
      ) : (
        <>
          <TextInput label="To" description="addresses, comma separated" required {...field('to')} />
          <TextInput label="From" {...field('from')} />
          <Group grow>
            <TextInput label="SMTP server" required {...field('smtp_host')} />
            <TextInput label="SMTP port" {...field('smtp_port')} />
          </Group>
        </>
      )}
    </ActionModal>
  );
}

function Channels() {
  const channels = useApi(['channels'], () =>
    must(api.GET('/api/v1/notification-channels', { params: { query: { limit: 1000 } } })),
  );
  const [result, setResult] = useState<{ name: string; delivered: boolean; status: number | null } | null>(
    null,
  );
  const test = useChange(async (c: { id: string; name: string }) => {
    const r = await must(
      api.POST('/api/v1/notification-channels/{id}/test', { params: { path: { id: c.id } } }),
    );
    setResult({ name: c.name, ...r });
    return { job: null, result: r };
  });
  const remove = useChange((id: string) =>
    change(api.DELETE('/api/v1/notification-channels/{id}', { params: { path: { id } } })),
  );
  const [adding, setAdding] = useState(false);
  return (
    <Stack gap="xs">
      <Group>
        <Button onClick={() => setAdding(true)}>Add channel</Button>
      </Group>
      <ApiErrorAlert error={channels.error ?? test.error ?? remove.error} />
      {result && (
        <Notice
          color={result.delivered ? 'green' : 'red'}
          role="status"
          title={result.delivered ? 'Test delivered' : 'Test not delivered'}
        >
          {result.name}: {result.delivered ? 'the endpoint accepted it' : 'no delivery'}
          {result.status !== null ? ` (HTTP ${result.status})` : ''}
        </Notice>
      )}
      {(channels.data?.items ?? []).map((c) => (
        <Card key={c.id} withBorder p="xs" data-testid={`channel-${c.name}`}>
          <Group justify="space-between">
            <Text size="sm">
              <b>{c.name}</b> · {c.type} · {String(c.config.url ?? c.config.to ?? '')} · from {c.min_severity}{' '}
              · {c.enabled ? 'enabled' : 'disabled'}
            </Text>
            <Group gap={4}>
              <Button
                size="compact-xs"
                variant="light"
                onClick={() => test.mutate(c)}
                loading={test.isPending}
                aria-label={`Send test to ${c.name}`}
              >
                Send test
              </Button>
              <Button
                size="compact-xs"
                color="red"
                variant="light"
                onClick={() => remove.mutate(c.id)}
                aria-label={`Delete channel ${c.name}`}
              >
                Delete
              </Button>
            </Group>
          </Group>
        </Card>
      ))}
      {channels.data?.items.length === 0 && (
        <Text size="sm" c="dimmed">
          No notification channels: alerts are only shown here.
        </Text>
      )}
      {adding && <ChannelForm onClose={() => setAdding(false)} />}
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
            choices={[{ field: 'severity', label: 'Severity', options: [...SEVERITIES] }]}
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
            choices={[
              { field: 'method', label: 'Method', options: ['POST', 'PUT', 'PATCH', 'DELETE'] },
              { field: 'result', label: 'Result', options: ['ok', 'error'] },
            ]}
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
