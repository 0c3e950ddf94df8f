// Snapshots system-wide or of one volume, paged, sorted and filtered by the server; clone,
// rollback (with what it discards) and delete.
import { Alert, Button, Checkbox, Group, Select, Text, TextInput } from '@mantine/core';
import { useState } from 'react';
import { useSearchParams } from 'react-router-dom';
import { api, change, must, type Snapshot } from '../api/client';
import { useApi, useChange } from '../api/hooks';
import { ActionModal } from '../components/ActionModal';
import { PageTitle, StateBadge, when } from '../components/common';
import { ServerTable } from '../components/ServerTable';
import { formatBytes } from '../lib/sizes';

type Action = { kind: 'clone' | 'rollback' | 'delete'; snap: Snapshot } | null;

function SnapshotAction({ action, onClose }: { action: Exclude<Action, null>; onClose: () => void }) {
  const s = action.snap;
  const [name, setName] = useState(`${s.name}-clone`);
  const [keep, setKeep] = useState(true);
  const run = useChange(
    () =>
      action.kind === 'clone'
        ? change(api.POST('/api/v1/snapshots/{id}/clone', { params: { path: { id: s.id } }, body: { name } }))
        : action.kind === 'rollback'
          ? change(
              api.POST('/api/v1/volumes/{id}/rollback', {
                params: { path: { id: s.volume } },
                body: { snapshot: s.id, keep_current: keep },
              }),
            )
          : change(api.DELETE('/api/v1/snapshots/{id}', { params: { path: { id: s.id } } })),
    { onDone: onClose, success: 'Done' },
  );
  return (
    <ActionModal
      title={`${action.kind === 'clone' ? 'Clone' : action.kind === 'rollback' ? 'Roll back to' : 'Delete'} snapshot ${s.name}`}
      opened
      onClose={onClose}
      onSubmit={() => run.mutate(undefined)}
      pending={run.isPending}
      error={run.error}
      submitLabel={
        action.kind === 'clone' ? 'Clone' : action.kind === 'rollback' ? 'Roll back' : 'Delete snapshot'
      }
      danger={action.kind !== 'clone'}
    >
      {action.kind === 'clone' && (
        <TextInput label="New volume name" value={name} onChange={(e) => setName(e.currentTarget.value)} />
      )}
      {action.kind === 'rollback' && (
        <>
          <Alert color="orange" title="Rolling back">
            <Text size="sm">
              The volume becomes what it was when this snapshot was taken: every change made since is
              discarded unless you keep the current state as a snapshot. Clients using it see the old data at
              once; the API refuses while it is exported read-write.
            </Text>
          </Alert>
          <Checkbox
            label="Keep the current state as a snapshot"
            checked={keep}
            onChange={(e) => setKeep(e.currentTarget.checked)}
          />
        </>
      )}
      {action.kind === 'delete' && 'The snapshot is destroyed. A snapshot with clones or holds is refused.'}
    </ActionModal>
  );
}

export function SnapshotsPage() {
  const [params, setParams] = useSearchParams();
  const volume = params.get('volume');
  const volumes = useApi(['volumes', 'all'], () =>
    must(api.GET('/api/v1/volumes', { params: { query: { limit: 1000, sort: 'name' } } })),
  );
  const [action, setAction] = useState<Action>(null);
  return (
    <>
      <PageTitle title="Snapshots">
        <Select
          aria-label="Volume"
          placeholder="All volumes"
          clearable
          data={(volumes.data?.items ?? []).map((v) => ({ value: v.id, label: v.name }))}
          value={volume}
          onChange={(v) => setParams(v ? { volume: v } : {})}
          w={220}
        />
      </PageTitle>
      <ServerTable<Snapshot>
        name="snapshots"
        queryKey={['snapshots', volume]}
        defaultSort="-created_at"
        filterField="name"
        filterLabel="Name contains"
        extraFilter={volume ? { volume } : {}}
        fetch={(q) =>
          api.GET('/api/v1/snapshots', {
            params: { query: { limit: q.limit, offset: q.offset, sort: q.sort, ...q.filter } },
          })
        }
        columns={[
          { key: 'name', label: 'Name', sortable: true, render: (s) => s.name },
          {
            key: 'volume',
            label: 'Volume',
            render: (s) => volumes.data?.items.find((v) => v.id === s.volume)?.name ?? s.volume,
          },
          { key: 'state', label: 'State', render: (s) => <StateBadge value={s.state} /> },
          { key: 'created_at', label: 'Taken', sortable: true, render: (s) => when(s.created_at) },
          { key: 'exclusive', label: 'Exclusive', render: (s) => formatBytes(s.exclusive) },
          { key: 'clones', label: 'Clones', render: (s) => s.clone_count },
          {
            key: 'actions',
            label: '',
            render: (s) => (
              <Group gap={4} wrap="nowrap">
                <Button
                  size="compact-xs"
                  variant="light"
                  onClick={() => setAction({ kind: 'clone', snap: s })}
                  aria-label={`Clone ${s.name}`}
                  // Only a snapshot whose job has ended can be cloned.
                  disabled={s.state !== 'available'}
                >
                  Clone
                </Button>
                <Button
                  size="compact-xs"
                  variant="default"
                  onClick={() => setAction({ kind: 'rollback', snap: s })}
                  aria-label={`Roll back to ${s.name}`}
                >
                  Roll back
                </Button>
                <Button
                  size="compact-xs"
                  color="red"
                  variant="light"
                  onClick={() => setAction({ kind: 'delete', snap: s })}
                  aria-label={`Delete ${s.name}`}
                >
                  Delete
                </Button>
              </Group>
            ),
          },
        ]}
      />
      {action && <SnapshotAction action={action} onClose={() => setAction(null)} />}
    </>
  );
}
