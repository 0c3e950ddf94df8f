// Disks: physical and virtual (sparse files on loop devices), their state and where they are used;
// make a virtual disk, rescan, delete a virtual one.
import { Button, Table, TextInput } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { useState } from 'react';
import { api, change, must } from '../api/client';
import { useApi, useChange } from '../api/hooks';
import { ActionModal } from '../components/ActionModal';
import { ApiErrorAlert } from '../components/ApiErrorAlert';
import { PageTitle, StateBadge, Scroll } from '../components/common';
import { SizeInput } from '../components/SizeInput';
import { formatBytes } from '../lib/sizes';

const MiB = 1024 * 1024;

export function DisksPage() {
  const disks = useApi(['disks'], () =>
    must(api.GET('/api/v1/disks', { params: { query: { limit: 1000, sort: 'name' } } })),
  );
  const [opened, { open, close }] = useDisclosure();
  const [size, setSize] = useState<number | null>(256 * MiB);
  const [name, setName] = useState('');
  const make = useChange(
    () => change(api.POST('/api/v1/disks', { body: { size: size ?? 0, ...(name ? { name } : {}) } })),
    {
      onDone: close,
    },
  );
  const rescan = useChange(() => change(api.POST('/api/v1/disks/rescan')), { success: 'Disks rescanned' });
  const remove = useChange((id: string) =>
    change(api.DELETE('/api/v1/disks/{id}', { params: { path: { id } } })),
  );
  return (
    <>
      <PageTitle title="Disks">
        <Button variant="default" onClick={() => rescan.mutate(undefined)} loading={rescan.isPending}>
          Rescan
        </Button>
        <Button onClick={open}>Make a virtual disk</Button>
      </PageTitle>
      <ApiErrorAlert error={disks.error ?? rescan.error ?? remove.error} />
      <Scroll minWidth={700}>
        <Table striped>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Name</Table.Th>
              <Table.Th>Kind</Table.Th>
              <Table.Th>State</Table.Th>
              <Table.Th>Size</Table.Th>
              <Table.Th>Device</Table.Th>
              <Table.Th>Model / serial</Table.Th>
              <Table.Th>Use</Table.Th>
              <Table.Th>
                <span className="sr-only">Actions</span>
              </Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {(disks.data?.items ?? []).map((d) => (
              <Table.Tr key={d.id} data-testid={`disk-row-${d.name}`}>
                <Table.Td>{d.name}</Table.Td>
                <Table.Td>{d.kind}</Table.Td>
                <Table.Td>
                  <StateBadge value={d.state} />
                </Table.Td>
                <Table.Td>{formatBytes(d.size)}</Table.Td>
                <Table.Td>{d.path ?? '—'}</Table.Td>
                <Table.Td>{[d.model, d.serial].filter(Boolean).join(' / ') || '—'}</Table.Td>
                <Table.Td>{d.pool_id ? `pool ${d.pool_id}` : d.in_use ? 'in use' : 'unused'}</Table.Td>
                <Table.Td>
                  {d.kind === 'virtual' && !d.pool_id && (
                    <Button
                      size="compact-xs"
                      color="red"
                      variant="light"
                      onClick={() => remove.mutate(d.id)}
                      aria-label={`Delete disk ${d.name}`}
                    >
                      Delete
                    </Button>
                  )}
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Scroll>
      <ActionModal
        title="Make a virtual disk"
        opened={opened}
        onClose={close}
        onSubmit={() => make.mutate(undefined)}
        pending={make.isPending}
        error={make.error}
        submitLabel="Make disk"
        disabled={size === null || size < 128 * MiB}
      >
        <TextInput
          label="Name"
          description="optional"
          value={name}
          onChange={(e) => setName(e.currentTarget.value)}
        />
        <SizeInput
          label="Size"
          value={size}
          onChange={setSize}
          min={128 * MiB}
          description="a sparse file; at least 128 MiB"
          required
        />
      </ActionModal>
    </>
  );
}
