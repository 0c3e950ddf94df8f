// Protection: schedules (cron shown in plain words, retention by count and GFS), partners,
// replication relationships (sync now, promote), and replication sessions with live progress.
import {
  Badge,
  Button,
  Card,
  Group,
  Progress,
  Select,
  Stack,
  Table,
  Tabs,
  Text,
  TextInput,
} from '@mantine/core';
import { useState } from 'react';
import { api, change, must } from '../api/client';
import { useApi, useChange } from '../api/hooks';
import { ActionModal } from '../components/ActionModal';
import { ApiErrorAlert } from '../components/ApiErrorAlert';
import { CronEditor } from '../components/CronEditor';
import { RetentionEditor } from '../components/RetentionEditor';
import { PageTitle, StateBadge, when, Scroll } from '../components/common';
import { describeRetention, type Retention } from '../lib/retention';
import { formatBytes, formatRate } from '../lib/sizes';

function NewSchedule({ onClose }: { onClose: () => void }) {
  const volumes = useApi(['volumes', 'all'], () =>
    must(api.GET('/api/v1/volumes', { params: { query: { limit: 1000, sort: 'name' } } })),
  );
  const [name, setName] = useState('');
  const [target, setTarget] = useState<string | null>(null);
  const [cron, setCron] = useState('0 2 * * *');
  const [retention, setRetention] = useState<Retention>({ keep_last: 7 });
  const create = useChange(
    () =>
      change(
        api.POST('/api/v1/schedules', {
          body: { name, kind: 'snapshot', target: target ?? '', cron, retention },
        }),
      ),
    { onDone: onClose, success: 'Schedule created' },
  );
  return (
    <ActionModal
      title="New snapshot schedule"
      opened
      onClose={onClose}
      onSubmit={() => create.mutate(undefined)}
      pending={create.isPending}
      error={create.error}
      submitLabel="Create schedule"
    >
      <TextInput label="Name" value={name} onChange={(e) => setName(e.currentTarget.value)} required />
      <Select
        label="Volume"
        data={(volumes.data?.items ?? []).map((v) => ({ value: v.id, label: v.name }))}
        value={target}
        onChange={setTarget}
        required
      />
      <CronEditor value={cron} onChange={setCron} />
      <Text size="sm" fw={500}>
        Retention
      </Text>
      <RetentionEditor value={retention} onChange={setRetention} />
    </ActionModal>
  );
}

function Schedules() {
  const schedules = useApi(['schedules'], () =>
    must(api.GET('/api/v1/schedules', { params: { query: { limit: 1000 } } })),
  );
  const run = useChange((id: string) =>
    change(api.POST('/api/v1/schedules/{id}/run', { params: { path: { id } } })),
  );
  const remove = useChange((id: string) =>
    change(api.DELETE('/api/v1/schedules/{id}', { params: { path: { id } } })),
  );
  const [creating, setCreating] = useState(false);
  return (
    <Stack gap="xs">
      <Group>
        <Button onClick={() => setCreating(true)}>New schedule</Button>
      </Group>
      <ApiErrorAlert error={schedules.error ?? run.error ?? remove.error} />
      {(schedules.data?.items ?? []).map((s) => (
        <Card key={s.id} withBorder p="xs">
          <Group justify="space-between" wrap="wrap">
            <div>
              <Text size="sm" fw={600}>
                {s.name} <Badge variant="outline">{s.kind}</Badge>{' '}
                {!s.enabled && <Badge color="gray">disabled</Badge>}
              </Text>
              <Text size="xs">
                {s.description ?? s.cron} · next {when(s.next_run_at)} · last {s.last_status ?? 'never'}
              </Text>
              <Text size="xs" c="dimmed">
                {describeRetention((s.retention ?? {}) as Retention)}
              </Text>
            </div>
            <Group gap={4}>
              <Button size="compact-xs" variant="light" onClick={() => run.mutate(s.id)}>
                Run now
              </Button>
              <Button size="compact-xs" color="red" variant="light" onClick={() => remove.mutate(s.id)}>
                Delete
              </Button>
            </Group>
          </Group>
        </Card>
      ))}
      {creating && <NewSchedule onClose={() => setCreating(false)} />}
    </Stack>
  );
}

function Replication() {
  const partners = useApi(['partners'], () =>
    must(api.GET('/api/v1/partners', { params: { query: { limit: 1000 } } })),
  );
  const rels = useApi(['relationships'], () =>
    must(api.GET('/api/v1/relationships', { params: { query: { limit: 1000 } } })),
  );
  const sessions = useApi(
    ['sessions'],
    () => must(api.GET('/api/v1/sessions', { params: { query: { limit: 20, sort: '-created_at' } } })),
    {
      refetchInterval: 3000,
    },
  );
  const sync = useChange((id: string) =>
    change(api.POST('/api/v1/relationships/{id}/sync', { params: { path: { id } } })),
  );
  const promote = useChange((id: string) =>
    change(api.POST('/api/v1/relationships/{id}/promote', { params: { path: { id } } })),
  );
  const [addPartner, setAddPartner] = useState(false);
  const [p, setP] = useState({ name: '', url: '', api_key: '', fingerprint_sha256: '' });
  const create = useChange(() => change(api.POST('/api/v1/partners', { body: p })), {
    onDone: () => setAddPartner(false),
    success: 'Partner added',
  });
  return (
    <Stack>
      <Card withBorder>
        <Group justify="space-between" mb="xs">
          <Text fw={600}>Partners</Text>
          <Button size="compact-sm" onClick={() => setAddPartner(true)}>
            Add partner
          </Button>
        </Group>
        {(partners.data?.items ?? []).map((x) => (
          <Text key={x.id} size="sm">
            <b>{x.name}</b> {x.url} · {x.remote_name ?? '?'} {x.remote_version ?? ''} · verified{' '}
            {when(x.verified_at)}
          </Text>
        ))}
      </Card>
      <Card withBorder>
        <Text fw={600} mb="xs">
          Relationships
        </Text>
        <ApiErrorAlert error={sync.error ?? promote.error} />
        {(rels.data?.items ?? []).map((r) => (
          <Group key={r.id} justify="space-between">
            <Text size="sm">
              {r.role} · {r.remote_volume_name ?? r.remote_volume} · <StateBadge value={r.state} /> last{' '}
              {r.last_sync_status ?? 'never'} {when(r.last_success_at)}
            </Text>
            <Group gap={4}>
              {r.role === 'source' && (
                <Button size="compact-xs" variant="light" onClick={() => sync.mutate(r.id)}>
                  Sync now
                </Button>
              )}
              {r.role !== 'source' && (
                <Button size="compact-xs" color="orange" variant="light" onClick={() => promote.mutate(r.id)}>
                  Promote
                </Button>
              )}
            </Group>
          </Group>
        ))}
      </Card>
      <Card withBorder>
        <Text fw={600} mb="xs">
          Sessions
        </Text>
        <Scroll minWidth={500}>
          <Table>
            <Table.Tbody>
              {(sessions.data?.items ?? []).map((s) => (
                <Table.Tr key={s.id}>
                  <Table.Td>{s.snapshot_name ?? s.snapshot}</Table.Td>
                  <Table.Td>
                    <StateBadge value={s.status} />
                  </Table.Td>
                  <Table.Td miw={160}>
                    <Progress
                      value={(s.progress ?? 0) * 100}
                      animated={s.status === 'ACTIVE'}
                      aria-label={`session ${s.id}`}
                    />
                  </Table.Td>
                  <Table.Td>
                    {formatBytes(s.bytes_sent)} · {formatRate(s.rate ?? 0)}
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Scroll>
      </Card>
      {addPartner && (
        <ActionModal
          title="Add a partner"
          opened
          onClose={() => setAddPartner(false)}
          onSubmit={() => create.mutate(undefined)}
          pending={create.isPending}
          error={create.error}
          submitLabel="Add partner"
        >
          <TextInput
            label="Name"
            value={p.name}
            onChange={(e) => setP({ ...p, name: e.currentTarget.value })}
          />
          <TextInput
            label="URL"
            description="https://host:8900"
            value={p.url}
            onChange={(e) => setP({ ...p, url: e.currentTarget.value })}
          />
          <TextInput
            label="API key of the partner"
            value={p.api_key}
            onChange={(e) => setP({ ...p, api_key: e.currentTarget.value })}
          />
          <TextInput
            label="Its certificate fingerprint"
            value={p.fingerprint_sha256}
            onChange={(e) => setP({ ...p, fingerprint_sha256: e.currentTarget.value })}
          />
        </ActionModal>
      )}
    </Stack>
  );
}

export function ProtectionPage() {
  return (
    <>
      <PageTitle title="Protection" />
      <Tabs defaultValue="schedules" keepMounted={false}>
        <Tabs.List mb="md">
          <Tabs.Tab value="schedules">Schedules</Tabs.Tab>
          <Tabs.Tab value="replication">Replication</Tabs.Tab>
        </Tabs.List>
        <Tabs.Panel value="schedules">
          <Schedules />
        </Tabs.Panel>
        <Tabs.Panel value="replication">
          <Replication />
        </Tabs.Panel>
      </Tabs>
    </>
  );
}
