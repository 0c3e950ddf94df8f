// Protection: schedules (cron shown in plain words, retention by count and GFS), partners,
// replication relationships (create, sync now, promote), and replication sessions with live
// progress and throughput.
import {
  Badge,
  Button,
  Card,
  Code,
  Group,
  PasswordInput,
  Progress,
  Select,
  Stack,
  Switch,
  Table,
  Tabs,
  Text,
  TextInput,
} from '@mantine/core';
import { useState, type ChangeEvent } from 'react';
import { api, change, must } from '../api/client';
import { useApi, useChange } from '../api/hooks';
import { ActionModal } from '../components/ActionModal';
import { ApiErrorAlert } from '../components/ApiErrorAlert';
import { CronEditor } from '../components/CronEditor';
import { RetentionEditor } from '../components/RetentionEditor';
import { PageTitle, StateBadge, when, Scroll } from '../components/common';
import { describeRetention, type Retention } from '../lib/retention';
import { formatBytes, formatRate } from '../lib/sizes';

type Kind = 'snapshot' | 'replication' | 'scrub' | 'dedup';
const KINDS: { value: Kind; label: string }[] = [
  { value: 'snapshot', label: 'Snapshot a volume' },
  { value: 'replication', label: 'Replicate (sync a relationship)' },
  { value: 'scrub', label: 'Scrub a pool' },
  { value: 'dedup', label: 'Deduplicate a pool' },
];

/** What a schedule of each kind can act on, as choices: volumes, relationships or pools. */
function useTargets(kind: Kind) {
  const volumes = useApi(['volumes', 'all'], () =>
    must(api.GET('/api/v1/volumes', { params: { query: { limit: 1000, sort: 'name' } } })),
  );
  const pools = useApi(['pools', 'all'], () =>
    must(api.GET('/api/v1/pools', { params: { query: { limit: 1000, sort: 'name' } } })),
  );
  const rels = useApi(['relationships'], () =>
    must(api.GET('/api/v1/relationships', { params: { query: { limit: 1000 } } })),
  );
  if (kind === 'snapshot') return (volumes.data?.items ?? []).map((v) => ({ value: v.id, label: v.name }));
  if (kind === 'replication')
    return (rels.data?.items ?? [])
      .filter((r) => r.role === 'source')
      .map((r) => ({ value: r.id, label: `to ${r.remote_volume_name ?? r.remote_volume ?? r.id}` }));
  return (pools.data?.items ?? []).map((x) => ({ value: x.id, label: x.name }));
}

function NewSchedule({ onClose }: { onClose: () => void }) {
  const [name, setName] = useState('');
  const [kind, setKind] = useState<Kind>('snapshot');
  const [target, setTarget] = useState<string | null>(null);
  const [cron, setCron] = useState('0 2 * * *');
  const [retention, setRetention] = useState<Retention>({ keep_last: 7 });
  const targets = useTargets(kind);
  const create = useChange(
    () =>
      change(
        api.POST('/api/v1/schedules', {
          body: {
            name,
            kind,
            target: target ?? '',
            cron,
            ...(kind === 'snapshot' ? { retention } : {}),
          },
        }),
      ),
    { onDone: onClose, success: 'Schedule created' },
  );
  return (
    <ActionModal
      title="New schedule"
      opened
      onClose={onClose}
      onSubmit={() => create.mutate(undefined)}
      pending={create.isPending}
      error={create.error}
      submitLabel="Create schedule"
    >
      <TextInput label="Name" value={name} onChange={(e) => setName(e.currentTarget.value)} required />
      <Select
        label="What it does"
        data={KINDS}
        value={kind}
        allowDeselect={false}
        onChange={(k) => {
          setKind((k ?? 'snapshot') as Kind);
          setTarget(null);
        }}
      />
      <Select
        label={kind === 'snapshot' ? 'Volume' : kind === 'replication' ? 'Relationship' : 'Pool'}
        data={targets}
        value={target}
        onChange={setTarget}
        required
      />
      <CronEditor value={cron} onChange={setCron} />
      {kind === 'snapshot' && (
        <>
          <Text size="sm" fw={500}>
            Retention
          </Text>
          <RetentionEditor value={retention} onChange={setRetention} />
        </>
      )}
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
  const toggle = useChange(({ id, enabled }: { id: string; enabled: boolean }) =>
    change(api.PATCH('/api/v1/schedules/{id}', { params: { path: { id } }, body: { enabled } })),
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
      <ApiErrorAlert error={schedules.error ?? run.error ?? toggle.error ?? remove.error} />
      {(schedules.data?.items ?? []).map((s) => (
        <Card key={s.id} withBorder p="xs" data-testid={`schedule-${s.name}`}>
          <Group justify="space-between" wrap="wrap">
            <div>
              <Text size="sm" fw={600}>
                {s.name} <Badge variant="outline">{s.kind}</Badge>{' '}
                {!s.enabled && <Badge color="gray">disabled</Badge>}
              </Text>
              <Text size="xs">
                {s.description || s.cron} <Code>{s.cron}</Code> · next {when(s.next_run_at)} · last{' '}
                {s.last_status ?? 'never'} {s.last_run_at ? when(s.last_run_at) : ''}
              </Text>
              {s.last_error && (
                <Text size="xs" c="red">
                  {s.last_error}
                </Text>
              )}
              {s.kind === 'snapshot' && (
                <Text size="xs" c="dimmed">
                  {describeRetention((s.retention ?? {}) as Retention)}
                </Text>
              )}
            </div>
            <Group gap={4}>
              <Switch
                size="xs"
                label="Enabled"
                checked={s.enabled}
                onChange={(e) => toggle.mutate({ id: s.id, enabled: e.currentTarget.checked })}
                aria-label={`Schedule ${s.name} enabled`}
              />
              <Button
                size="compact-xs"
                variant="light"
                onClick={() => run.mutate(s.id)}
                aria-label={`Run now ${s.name}`}
              >
                Run now
              </Button>
              <Button
                size="compact-xs"
                color="red"
                variant="light"
                onClick={() => remove.mutate(s.id)}
                aria-label={`Delete schedule ${s.name}`}
              >
                Delete
              </Button>
            </Group>
          </Group>
        </Card>
      ))}
      {schedules.data?.items.length === 0 && (
        <Text size="sm" c="dimmed">
          No schedules yet.
        </Text>
      )}
      {creating && <NewSchedule onClose={() => setCreating(false)} />}
    </Stack>
  );
}

function PartnerForm({ onClose }: { onClose: () => void }) {
  const [p, setP] = useState({ name: '', url: '', api_key: '', fingerprint_sha256: '' });
  const create = useChange(
    async () => ({ job: null, result: await must(api.POST('/api/v1/partners', { body: p })) }),
    { onDone: onClose, success: 'Partner added' },
  );
  const field = (key: keyof typeof p) => ({
    value: p[key],
    onChange: (e: ChangeEvent<HTMLInputElement>) => setP({ ...p, [key]: e.currentTarget.value }),
  });
  return (
    <ActionModal
      title="Add a partner"
      opened
      onClose={onClose}
      onSubmit={() => create.mutate(undefined)}
      pending={create.isPending}
      error={create.error}
      submitLabel="Add partner"
    >
      <TextInput label="Name" required {...field('name')} />
      <TextInput label="URL" description="https://host:8900" required {...field('url')} />
      <PasswordInput label="API key of the partner" required {...field('api_key')} />
      <TextInput
        label="Its certificate fingerprint"
        description="SHA-256, shown on the partner's sign-in page"
        required
        {...field('fingerprint_sha256')}
      />
    </ActionModal>
  );
}

function RelationshipForm({ onClose }: { onClose: () => void }) {
  const volumes = useApi(['volumes', 'all'], () =>
    must(api.GET('/api/v1/volumes', { params: { query: { limit: 1000, sort: 'name' } } })),
  );
  const partners = useApi(['partners'], () =>
    must(api.GET('/api/v1/partners', { params: { query: { limit: 1000 } } })),
  );
  const [volume, setVolume] = useState<string | null>(null);
  const [partner, setPartner] = useState<string | null>(null);
  const [pool, setPool] = useState('');
  const [replicaName, setReplicaName] = useState('');
  const [retention, setRetention] = useState<Retention>({ keep_last: 7 });
  const create = useChange(
    async () => ({
      job: null,
      result: await must(
        api.POST('/api/v1/relationships', {
          body: {
            volume: volume ?? '',
            partner: partner ?? '',
            target_pool: pool.trim(),
            ...(replicaName ? { target_volume_name: replicaName } : {}),
            replica_retention: retention,
          },
        }),
      ),
    }),
    { onDone: onClose, success: 'Relationship created' },
  );
  return (
    <ActionModal
      title="Replicate a volume"
      opened
      onClose={onClose}
      onSubmit={() => create.mutate(undefined)}
      pending={create.isPending}
      error={create.error}
      submitLabel="Create relationship"
    >
      <Select
        label="Volume"
        data={(volumes.data?.items ?? []).map((v) => ({ value: v.id, label: v.name }))}
        value={volume}
        onChange={setVolume}
        required
      />
      <Select
        label="Partner"
        data={(partners.data?.items ?? []).map((x) => ({ value: x.id, label: x.name }))}
        value={partner}
        onChange={setPartner}
        required
      />
      <TextInput
        label="Pool on the partner"
        description="the pool's id there (its Pools page shows it)"
        value={pool}
        onChange={(e) => setPool(e.currentTarget.value)}
        required
      />
      <TextInput
        label="Replica volume name"
        description="empty: the same name as the volume"
        value={replicaName}
        onChange={(e) => setReplicaName(e.currentTarget.value)}
      />
      <Text size="sm" fw={500}>
        Snapshots kept on the replica
      </Text>
      <RetentionEditor value={retention} onChange={setRetention} />
    </ActionModal>
  );
}

const LIVE = new Set(['PENDING', 'ACTIVE']);

function Sessions() {
  const sessions = useApi(
    ['sessions'],
    () => must(api.GET('/api/v1/sessions', { params: { query: { limit: 20, sort: '-created_at' } } })),
    { refetchInterval: 1000 },
  );
  return (
    <Card withBorder>
      <Text fw={600} mb="xs">
        Sessions
      </Text>
      <ApiErrorAlert error={sessions.error} />
      <Scroll minWidth={640} label="sessions">
        <Table aria-label="sessions">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Snapshot</Table.Th>
              <Table.Th>Direction</Table.Th>
              <Table.Th>Status</Table.Th>
              <Table.Th>Progress</Table.Th>
              <Table.Th>Sent</Table.Th>
              <Table.Th>Throughput</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {(sessions.data?.items ?? []).map((s) => {
              const pct = Math.round((s.status === 'COMPLETED' ? 1 : (s.progress ?? 0)) * 100);
              return (
                <Table.Tr key={s.id} data-testid="session" data-status={s.status}>
                  <Table.Td>{s.snapshot_name ?? s.snapshot ?? '—'}</Table.Td>
                  <Table.Td>
                    {s.direction}
                    {s.parent_snapshot ? ' (incremental)' : ' (full)'}
                  </Table.Td>
                  <Table.Td>
                    <StateBadge value={s.status} />
                    {s.message && (
                      <Text size="xs" c={s.status === 'FAILED' ? 'red' : 'dimmed'}>
                        {s.message}
                      </Text>
                    )}
                  </Table.Td>
                  <Table.Td miw={160}>
                    <Progress
                      value={pct}
                      animated={LIVE.has(s.status)}
                      aria-label={`session ${s.snapshot_name ?? s.id} ${pct}%`}
                    />
                  </Table.Td>
                  <Table.Td>{formatBytes(s.bytes_sent)}</Table.Td>
                  <Table.Td>{LIVE.has(s.status) || s.rate ? formatRate(s.rate ?? 0) : '—'}</Table.Td>
                </Table.Tr>
              );
            })}
          </Table.Tbody>
        </Table>
      </Scroll>
      {sessions.data?.items.length === 0 && (
        <Text size="sm" c="dimmed">
          No replication sessions yet.
        </Text>
      )}
    </Card>
  );
}

function Replication() {
  const partners = useApi(['partners'], () =>
    must(api.GET('/api/v1/partners', { params: { query: { limit: 1000 } } })),
  );
  const rels = useApi(
    ['relationships'],
    () => must(api.GET('/api/v1/relationships', { params: { query: { limit: 1000 } } })),
    { refetchInterval: 5000 },
  );
  const check = useChange(
    async (id: string) => ({
      job: null,
      result: await must(api.POST('/api/v1/partners/{id}/check', { params: { path: { id } } })),
    }),
    { success: 'Partner verified' },
  );
  const removePartner = useChange((id: string) =>
    change(api.DELETE('/api/v1/partners/{id}', { params: { path: { id } } })),
  );
  // Sync answers with the session (202 while it runs); its job goes to the tray like any other.
  const sync = useChange(async (id: string) => {
    const session = await must(api.POST('/api/v1/relationships/{id}/sync', { params: { path: { id } } }));
    const job = session.job
      ? await must(api.GET('/api/v1/jobs/{id}', { params: { path: { id: session.job } } }))
      : null;
    return { job, result: session };
  });
  const promote = useChange((id: string) =>
    change(api.POST('/api/v1/relationships/{id}/promote', { params: { path: { id } } })),
  );
  const [form, setForm] = useState<'partner' | 'relationship' | null>(null);
  const names = new Map((partners.data?.items ?? []).map((x) => [x.id, x.name]));
  return (
    <Stack>
      <Card withBorder>
        <Group justify="space-between" mb="xs">
          <Text fw={600}>Partners</Text>
          <Button size="compact-sm" onClick={() => setForm('partner')}>
            Add partner
          </Button>
        </Group>
        <ApiErrorAlert error={partners.error ?? check.error ?? removePartner.error} />
        {(partners.data?.items ?? []).map((x) => (
          <Group key={x.id} justify="space-between" data-testid={`partner-${x.name}`}>
            <Text size="sm">
              <b>{x.name}</b> {x.url} · {x.remote_name ?? '?'} {x.remote_version ?? ''} · verified{' '}
              {when(x.verified_at)}
            </Text>
            <Group gap={4}>
              <Button
                size="compact-xs"
                variant="light"
                onClick={() => check.mutate(x.id)}
                aria-label={`Check partner ${x.name}`}
              >
                Check
              </Button>
              <Button
                size="compact-xs"
                color="red"
                variant="light"
                onClick={() => removePartner.mutate(x.id)}
                aria-label={`Remove partner ${x.name}`}
              >
                Remove
              </Button>
            </Group>
          </Group>
        ))}
        {partners.data?.items.length === 0 && (
          <Text size="sm" c="dimmed">
            No partners: add another Cairn system to replicate to.
          </Text>
        )}
      </Card>
      <Card withBorder>
        <Group justify="space-between" mb="xs">
          <Text fw={600}>Relationships</Text>
          <Button size="compact-sm" onClick={() => setForm('relationship')}>
            Replicate a volume
          </Button>
        </Group>
        <ApiErrorAlert error={rels.error ?? sync.error ?? promote.error} />
        {(rels.data?.items ?? []).map((r) => (
          <Group key={r.id} justify="space-between" data-testid="relationship">
            <Text size="sm">
              {r.role} · {r.role === 'source' ? `to ${names.get(r.partner ?? '') ?? r.partner} ` : ''}
              {r.remote_volume_name ?? r.remote_volume} · <StateBadge value={r.state} /> last{' '}
              {r.last_sync_status ?? 'never'} {when(r.last_success_at)}
            </Text>
            <Group gap={4}>
              {r.role === 'source' && (
                <Button size="compact-xs" variant="light" onClick={() => sync.mutate(r.id)}>
                  Sync now
                </Button>
              )}
              {r.role !== 'source' && r.state === 'active' && (
                <Button size="compact-xs" color="orange" variant="light" onClick={() => promote.mutate(r.id)}>
                  Promote
                </Button>
              )}
            </Group>
          </Group>
        ))}
        {rels.data?.items.length === 0 && (
          <Text size="sm" c="dimmed">
            No relationships.
          </Text>
        )}
      </Card>
      <Sessions />
      {form === 'partner' && <PartnerForm onClose={() => setForm(null)} />}
      {form === 'relationship' && <RelationshipForm onClose={() => setForm(null)} />}
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
