// Volumes: filesystem and lun volumes, created and resized with sizes in binary units, with quota
// (a filesystem's size), compression and a snapshot limit; take a snapshot, export, delete.
import { Anchor, Button, Group, NumberInput, Select, TextInput } from '@mantine/core';
import { useState } from 'react';
import { Link } from 'react-router-dom';
import { api, change, must, type Volume } from '../api/client';
import { useApi, useChange } from '../api/hooks';
import { ActionModal } from '../components/ActionModal';
import { PageTitle, StateBadge } from '../components/common';
import { ServerTable } from '../components/ServerTable';
import { SizeInput } from '../components/SizeInput';
import { formatBytes } from '../lib/sizes';
import { ExportForm } from './Exports';

const MiB = 1024 * 1024;
const COMPRESSION = ['inherit', 'none', 'zstd', 'zstd:1', 'zstd:3', 'zstd:9', 'lzo', 'zlib'];

function CreateVolume({ onClose }: { onClose: () => void }) {
  const pools = useApi(['pools'], () =>
    must(api.GET('/api/v1/pools', { params: { query: { limit: 100 } } })),
  );
  const [pool, setPool] = useState<string | null>(null);
  const [name, setName] = useState('');
  const [type, setType] = useState<'filesystem' | 'lun'>('filesystem');
  const [size, setSize] = useState<number | null>(1024 * MiB);
  const [compression, setCompression] = useState('inherit');
  const [limit, setLimit] = useState<number | string>('');
  const create = useChange(
    () =>
      change(
        api.POST('/api/v1/volumes', {
          body: {
            pool: pool ?? '',
            name,
            type,
            size: size ?? 0,
            compression,
            ...(limit === '' ? {} : { snapshot_limit: Number(limit) }),
          },
        }),
      ),
    { onDone: onClose },
  );
  return (
    <ActionModal
      title="Create a volume"
      opened
      onClose={onClose}
      onSubmit={() => create.mutate(undefined)}
      pending={create.isPending}
      error={create.error}
      submitLabel="Create volume"
      disabled={!pool || !name || size === null}
    >
      <Select
        label="Pool"
        data={(pools.data?.items ?? []).map((p) => ({ value: p.id, label: p.name }))}
        value={pool}
        onChange={setPool}
        required
      />
      <TextInput label="Name" value={name} onChange={(e) => setName(e.currentTarget.value)} required />
      <Select
        label="Type"
        data={[
          { value: 'filesystem', label: 'filesystem (NFS, SMB)' },
          { value: 'lun', label: 'lun (iSCSI, NBD block device)' },
        ]}
        value={type}
        allowDeselect={false}
        onChange={(t) => setType((t ?? 'filesystem') as 'filesystem' | 'lun')}
      />
      <SizeInput
        label={type === 'filesystem' ? 'Quota' : 'Size'}
        value={size}
        onChange={setSize}
        min={MiB}
        required
      />
      <Select
        label="Compression"
        data={COMPRESSION}
        value={compression}
        allowDeselect={false}
        onChange={(c) => setCompression(c ?? 'inherit')}
      />
      <NumberInput
        label="Snapshot limit"
        description="optional: most snapshots kept"
        min={0}
        max={100000}
        value={limit}
        onChange={setLimit}
      />
    </ActionModal>
  );
}

type Action = { kind: 'resize' | 'snapshot' | 'export' | 'delete'; volume: Volume } | null;

function VolumeAction({ action, onClose }: { action: Exclude<Action, null>; onClose: () => void }) {
  const v = action.volume;
  const [size, setSize] = useState<number | null>(v.size);
  const [compression, setCompression] = useState(v.compression ?? 'inherit');
  const [snapName, setSnapName] = useState('');
  const path = { params: { path: { id: v.id } } };
  const run = useChange(
    () =>
      action.kind === 'resize'
        ? change(api.PATCH('/api/v1/volumes/{id}', { ...path, body: { size: size ?? v.size, compression } }))
        : action.kind === 'snapshot'
          ? change(
              api.POST('/api/v1/volumes/{id}/snapshots', {
                ...path,
                body: snapName ? { name: snapName } : {},
              }),
            )
          : change(api.DELETE('/api/v1/volumes/{id}', path)),
    { onDone: onClose, success: 'Done' },
  );
  if (action.kind === 'export') return <ExportForm volume={v} onClose={onClose} />;
  return (
    <ActionModal
      title={`${action.kind === 'resize' ? 'Change' : action.kind === 'snapshot' ? 'Snapshot' : 'Delete'} volume ${v.name}`}
      opened
      onClose={onClose}
      onSubmit={() => run.mutate(undefined)}
      pending={run.isPending}
      error={run.error}
      submitLabel={
        action.kind === 'resize' ? 'Apply' : action.kind === 'snapshot' ? 'Take snapshot' : 'Delete volume'
      }
      danger={action.kind === 'delete'}
    >
      {action.kind === 'resize' && (
        <>
          <SizeInput
            label={v.type === 'filesystem' ? 'Quota' : 'Size'}
            value={size}
            onChange={setSize}
            min={MiB}
          />
          <Select
            label="Compression"
            data={COMPRESSION}
            value={compression}
            allowDeselect={false}
            onChange={(c) => setCompression(c ?? 'inherit')}
          />
        </>
      )}
      {action.kind === 'snapshot' && (
        <TextInput
          label="Snapshot name"
          description="optional; generated when empty"
          value={snapName}
          onChange={(e) => setSnapName(e.currentTarget.value)}
        />
      )}
      {action.kind === 'delete' &&
        `The volume ${v.name} and its data are destroyed. A volume with snapshots, clones or exports is refused; the answer says what holds it.`}
    </ActionModal>
  );
}

export function VolumesPage() {
  const [creating, setCreating] = useState(false);
  const [action, setAction] = useState<Action>(null);
  return (
    <>
      <PageTitle title="Volumes">
        <Button onClick={() => setCreating(true)}>Create volume</Button>
      </PageTitle>
      <ServerTable<Volume>
        name="volumes"
        queryKey={['volumes']}
        defaultSort="name"
        filterField="name"
        filterLabel="Name contains"
        fetch={(q) =>
          api.GET('/api/v1/volumes', {
            params: { query: { limit: q.limit, offset: q.offset, sort: q.sort, ...q.filter } },
          })
        }
        columns={[
          { key: 'name', label: 'Name', sortable: true, render: (v) => v.name },
          { key: 'type', label: 'Type', sortable: true, render: (v) => v.type },
          { key: 'state', label: 'State', render: (v) => <StateBadge value={v.state} /> },
          { key: 'size', label: 'Size', sortable: true, render: (v) => formatBytes(v.size) },
          { key: 'used', label: 'Used', render: (v) => formatBytes(v.used) },
          { key: 'compression', label: 'Compression', render: (v) => v.compression },
          {
            key: 'snapshots',
            label: 'Snapshots',
            render: (v) => (
              <Anchor component={Link} to={`/snapshots?volume=${v.id}`}>
                {v.snapshot_count}
              </Anchor>
            ),
          },
          {
            key: 'actions',
            label: '',
            render: (v) => (
              <Group gap={4} wrap="nowrap">
                <Button
                  size="compact-xs"
                  variant="light"
                  onClick={() => setAction({ kind: 'snapshot', volume: v })}
                  aria-label={`Snapshot ${v.name}`}
                  // Until its create job ends (or while it is deleted) a snapshot would be refused.
                  disabled={v.state !== 'online'}
                >
                  Snapshot
                </Button>
                <Button
                  size="compact-xs"
                  variant="light"
                  onClick={() => setAction({ kind: 'export', volume: v })}
                  aria-label={`Export ${v.name}`}
                >
                  Export
                </Button>
                <Button
                  size="compact-xs"
                  variant="default"
                  onClick={() => setAction({ kind: 'resize', volume: v })}
                  aria-label={`Change ${v.name}`}
                >
                  Change
                </Button>
                <Button
                  size="compact-xs"
                  color="red"
                  variant="light"
                  onClick={() => setAction({ kind: 'delete', volume: v })}
                  aria-label={`Delete ${v.name}`}
                >
                  Delete
                </Button>
              </Group>
            ),
          },
        ]}
      />
      {creating && <CreateVolume onClose={() => setCreating(false)} />}
      {action && <VolumeAction action={action} onClose={() => setAction(null)} />}
    </>
  );
}
