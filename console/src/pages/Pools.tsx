// Pools: create (disks, a profile explained in plain words, compression, sync, the raid5/6
// write-hole acknowledgement), and per pool: expand, convert, replace a disk, spares, scrub with
// progress and last result, deduplication, delete with its consequences listed.
import {
  Alert,
  Badge,
  Button,
  Card,
  Checkbox,
  Group,
  MultiSelect,
  Progress,
  Select,
  SimpleGrid,
  Stack,
  Text,
  TextInput,
} from '@mantine/core';
import { useState } from 'react';
import { api, change, must, type Pool } from '../api/client';
import { useApi, useChange } from '../api/hooks';
import { ActionModal } from '../components/ActionModal';
import { ApiErrorAlert } from '../components/ApiErrorAlert';
import { CopyField } from '../components/CopyField';
import { PageTitle, StateBadge, Usage, when } from '../components/common';
import { PROFILES, PROFILE_INFO, WRITE_HOLE, type Profile } from '../lib/profiles';
import { formatBytes } from '../lib/sizes';

type Compression = 'none' | 'zstd' | 'lzo' | 'zlib';
type Sync = 'standard' | 'always' | 'relaxed';
const SYNC_WORDS: Record<Sync, string> = {
  standard: 'standard: btrfs commits every 30 s; fsync is honoured',
  always: 'always: every write reaches the disks before it is acknowledged (slowest, safest)',
  relaxed: 'relaxed: commits every 120 s; up to two minutes of unsynced writes lost in a crash',
};

function useUnusedDisks() {
  const disks = useApi(['disks'], () =>
    must(api.GET('/api/v1/disks', { params: { query: { limit: 1000, sort: 'name' } } })),
  );
  return (disks.data?.items ?? []).filter((d) => !d.in_use && !d.pool_id && d.state !== 'missing');
}

function ProfileChoice({
  profile,
  onChange,
  disks,
}: {
  profile: Profile;
  onChange: (p: Profile) => void;
  disks: number;
}) {
  const info = PROFILE_INFO[profile];
  return (
    <Stack gap={4}>
      <Select
        label="Profile"
        data={PROFILES.map((p) => ({
          value: p,
          label: p,
          disabled: PROFILE_INFO[p].minDisks > Math.max(disks, 1),
        }))}
        value={profile}
        allowDeselect={false}
        onChange={(p) => onChange((p ?? 'raid1') as Profile)}
      />
      <Text size="sm" data-testid="profile-survives">
        Survives: {info.survives} {disks < info.minDisks ? `Needs at least ${info.minDisks} disks.` : ''}
      </Text>
    </Stack>
  );
}

function CreatePool({ opened, onClose }: { opened: boolean; onClose: () => void }) {
  const unused = useUnusedDisks();
  const [name, setName] = useState('');
  const [disks, setDisks] = useState<string[]>([]);
  const [profile, setProfile] = useState<Profile>('raid1');
  const [compression, setCompression] = useState<Compression>('zstd');
  const [sync, setSync] = useState<Sync>('standard');
  const [ack, setAck] = useState(false);
  const hole = PROFILE_INFO[profile].writeHole === true;
  const create = useChange(
    () =>
      change(
        api.POST('/api/v1/pools', {
          body: {
            name,
            disks,
            profile,
            compression,
            sync,
            ...(hole ? { acknowledge_raid56_write_hole: ack } : {}),
          },
        }),
      ),
    { onDone: onClose },
  );
  return (
    <ActionModal
      title="Create a pool"
      opened={opened}
      onClose={onClose}
      onSubmit={() => create.mutate(undefined)}
      pending={create.isPending}
      error={create.error}
      submitLabel="Create pool"
      disabled={!name || disks.length === 0 || (hole && !ack)}
    >
      <TextInput label="Name" required value={name} onChange={(e) => setName(e.currentTarget.value)} />
      <MultiSelect
        label="Disks"
        description="unused disks; everything on them is erased"
        data={unused.map((d) => ({ value: d.id, label: `${d.name} (${formatBytes(d.size)})` }))}
        value={disks}
        onChange={setDisks}
        searchable
      />
      <ProfileChoice profile={profile} onChange={setProfile} disks={disks.length} />
      {hole && (
        <Alert color="orange" title="The raid5/6 write hole">
          <Text size="sm">{WRITE_HOLE}</Text>
          <Checkbox
            mt="xs"
            label="I understand and accept the write hole"
            checked={ack}
            onChange={(e) => setAck(e.currentTarget.checked)}
          />
        </Alert>
      )}
      <Select
        label="Compression"
        data={['zstd', 'lzo', 'zlib', 'none']}
        value={compression}
        allowDeselect={false}
        onChange={(c) => setCompression((c ?? 'zstd') as Compression)}
      />
      <Select
        label="Sync"
        data={(Object.keys(SYNC_WORDS) as Sync[]).map((s) => ({ value: s, label: SYNC_WORDS[s] }))}
        value={sync}
        allowDeselect={false}
        onChange={(s) => setSync((s ?? 'standard') as Sync)}
      />
    </ActionModal>
  );
}

type Action = 'expand' | 'convert' | 'replace' | 'spares' | 'delete' | null;

function PoolActions({ pool, action, onClose }: { pool: Pool; action: Action; onClose: () => void }) {
  const unused = useUnusedDisks();
  const [picked, setPicked] = useState<string[]>([]);
  const [profile, setProfile] = useState<Profile>(pool.profile as Profile);
  const [ack, setAck] = useState(false);
  const [oldDisk, setOldDisk] = useState<string | null>(null);
  const [force, setForce] = useState(false);
  const id = pool.id;
  const path = { params: { path: { id } } };
  const run = useChange(
    async () => {
      switch (action) {
        case 'expand':
          return change(api.POST('/api/v1/pools/{id}/disks', { ...path, body: { disks: picked } }));
        case 'convert':
          return change(
            api.POST('/api/v1/pools/{id}/convert', {
              ...path,
              body: {
                profile,
                ...(PROFILE_INFO[profile].writeHole ? { acknowledge_raid56_write_hole: ack } : {}),
              },
            }),
          );
        case 'replace':
          return change(
            api.POST('/api/v1/pools/{id}/replace', {
              ...path,
              body: { disk: oldDisk ?? '', with: picked[0] ?? '' },
            }),
          );
        case 'spares':
          return change(api.POST('/api/v1/pools/{id}/spares', { ...path, body: { disks: picked } }));
        default:
          return change(api.DELETE('/api/v1/pools/{id}', { params: { path: { id }, query: { force } } }));
      }
    },
    { onDone: onClose },
  );
  const choose = (max?: number) => (
    <MultiSelect
      label={max === 1 ? 'New disk' : 'Disks'}
      data={unused.map((d) => ({ value: d.id, label: `${d.name} (${formatBytes(d.size)})` }))}
      value={picked}
      onChange={(v) => setPicked(max ? v.slice(-max) : v)}
    />
  );
  const titles: Record<Exclude<Action, null>, string> = {
    expand: `Add disks to ${pool.name}`,
    convert: `Convert ${pool.name} to another profile`,
    replace: `Replace a disk of ${pool.name}`,
    spares: `Add hot spares to ${pool.name}`,
    delete: `Delete pool ${pool.name}`,
  };
  if (!action) return null;
  return (
    <ActionModal
      title={titles[action]}
      opened
      onClose={onClose}
      onSubmit={() => run.mutate(undefined)}
      pending={run.isPending}
      error={run.error}
      submitLabel={action === 'delete' ? 'Delete pool' : 'Apply'}
      danger={action === 'delete'}
    >
      {action === 'expand' && choose()}
      {action === 'spares' && choose()}
      {action === 'convert' && (
        <>
          <ProfileChoice profile={profile} onChange={setProfile} disks={pool.disks.length} />
          {PROFILE_INFO[profile].writeHole && (
            <Checkbox
              label={`I accept the raid5/6 write hole: ${WRITE_HOLE}`}
              checked={ack}
              onChange={(e) => setAck(e.currentTarget.checked)}
            />
          )}
        </>
      )}
      {action === 'replace' && (
        <>
          <Select
            label="Disk to replace"
            data={pool.disks.map((d) => ({ value: d.id, label: d.name ?? d.id }))}
            value={oldDisk}
            onChange={setOldDisk}
          />
          {choose(1)}
        </>
      )}
      {action === 'delete' && (
        <Alert color="red" title="What deleting does">
          <Text size="sm">
            The pool is unmounted and its disks are wiped and freed. Every volume and snapshot in it is
            destroyed, their exports are removed, and schedules and replication relationships of its volumes
            go too. This cannot be undone.
          </Text>
          <Checkbox
            mt="xs"
            label="Also delete the volumes it holds"
            checked={force}
            onChange={(e) => setForce(e.currentTarget.checked)}
          />
        </Alert>
      )}
    </ActionModal>
  );
}

function Scrub({ pool }: { pool: Pool }) {
  const scrub = useApi(
    ['scrub', pool.id],
    () => must(api.GET('/api/v1/pools/{id}/scrub', { params: { path: { id: pool.id } } })),
    {
      refetchInterval: 5000,
    },
  );
  const start = useChange(() =>
    change(api.POST('/api/v1/pools/{id}/scrub', { params: { path: { id: pool.id } } })),
  );
  const s = scrub.data;
  return (
    <Stack gap={4}>
      <Group justify="space-between">
        <Text size="sm" fw={500}>
          Scrub
        </Text>
        <Button
          size="compact-xs"
          variant="light"
          onClick={() => start.mutate(undefined)}
          loading={start.isPending}
          disabled={s?.running}
        >
          Scrub now
        </Button>
      </Group>
      {s?.running && (
        <Progress value={(s.progress ?? 0) * 100} animated aria-label={`scrub of ${pool.name}`} />
      )}
      <Text size="xs" c="dimmed">
        {s?.last
          ? `Last: ${s.last.state} ${when(s.last.finished_at)}, ${formatBytes(s.last.bytes_scrubbed)}, ${s.last.corrected_errors} corrected, ${s.last.uncorrectable_errors} uncorrectable`
          : 'Never scrubbed.'}
      </Text>
      <ApiErrorAlert error={start.error} />
    </Stack>
  );
}

function PoolCard({ pool }: { pool: Pool }) {
  const [action, setAction] = useState<Action>(null);
  const dedup = useChange(() =>
    change(api.POST('/api/v1/pools/{id}/dedup', { params: { path: { id: pool.id } } })),
  );
  return (
    <Card withBorder data-testid={`pool-${pool.name}`}>
      <Stack gap="xs">
        <Group justify="space-between">
          <Text fw={600}>{pool.name}</Text>
          <Group gap={4}>
            <StateBadge value={pool.health} />
            <Badge variant="outline">{pool.profile}</Badge>
          </Group>
        </Group>
        {pool.health_reason && <Text size="sm">{pool.health_reason}</Text>}
        <Usage used={pool.used} size={pool.size} label={pool.name} />
        <Text size="xs" c="dimmed">
          compression {pool.compression} · sync {pool.sync} · disks{' '}
          {pool.disks.map((d) => d.name ?? d.id).join(', ')}
          {pool.spares.length ? ` · spares ${pool.spares.map((d) => d.name ?? d.id).join(', ')}` : ''}
        </Text>
        <Group gap={4}>
          <Text size="xs" c="dimmed">
            id
          </Text>
          <CopyField value={pool.id} label={`${pool.name} id`} />
        </Group>
        <Scrub pool={pool} />
        <Group gap={4}>
          <Text size="xs">
            Dedup: saved {formatBytes(pool.dedup?.saved_bytes ?? 0)}
            {pool.dedup?.schedule_description ? ` · ${pool.dedup.schedule_description}` : ''}
          </Text>
          <Button
            size="compact-xs"
            variant="light"
            onClick={() => dedup.mutate(undefined)}
            loading={dedup.isPending}
          >
            Deduplicate now
          </Button>
        </Group>
        <ApiErrorAlert error={dedup.error} />
        <Group gap={4}>
          <Button size="compact-sm" variant="default" onClick={() => setAction('expand')}>
            Add disks
          </Button>
          <Button size="compact-sm" variant="default" onClick={() => setAction('convert')}>
            Convert
          </Button>
          <Button size="compact-sm" variant="default" onClick={() => setAction('replace')}>
            Replace disk
          </Button>
          <Button size="compact-sm" variant="default" onClick={() => setAction('spares')}>
            Spares
          </Button>
          <Button size="compact-sm" color="red" variant="light" onClick={() => setAction('delete')}>
            Delete
          </Button>
        </Group>
      </Stack>
      {action && <PoolActions pool={pool} action={action} onClose={() => setAction(null)} />}
    </Card>
  );
}

export function PoolsPage() {
  const pools = useApi(
    ['pools'],
    () => must(api.GET('/api/v1/pools', { params: { query: { limit: 100, sort: 'name' } } })),
    {
      refetchInterval: 5000,
    },
  );
  const [creating, setCreating] = useState(false);
  return (
    <>
      <PageTitle title="Pools">
        <Button onClick={() => setCreating(true)}>Create pool</Button>
      </PageTitle>
      <ApiErrorAlert error={pools.error} />
      <SimpleGrid cols={{ base: 1, md: 2 }}>
        {(pools.data?.items ?? []).map((p) => (
          <PoolCard key={p.id} pool={p} />
        ))}
      </SimpleGrid>
      {pools.data?.items.length === 0 && <Text c="dimmed">No pools yet.</Text>}
      {creating && <CreatePool opened onClose={() => setCreating(false)} />}
    </>
  );
}
