// Exports and hosts: every export with its copyable URI (iSCSI, NFS, SMB, NBD), a volume exported
// from here or from the Volumes page, the hosts allowed in (IQNs, addresses, CHAP), and the
// services behind the exports with their state.
import {
  Badge,
  Button,
  Card,
  Checkbox,
  Group,
  PasswordInput,
  Select,
  SimpleGrid,
  Stack,
  Table,
  Text,
  TextInput,
  Textarea,
} from '@mantine/core';
import { useState } from 'react';
import { api, change, must, type Export, type Volume } from '../api/client';
import { useApi, useChange } from '../api/hooks';
import { ActionModal } from '../components/ActionModal';
import { ApiErrorAlert } from '../components/ApiErrorAlert';
import { CopyField } from '../components/CopyField';
import { PageTitle, StateBadge, Scroll } from '../components/common';

type Protocol = 'nfs' | 'smb' | 'iscsi' | 'nbd';
const lines = (s: string) =>
  s
    .split(/[\s,]+/)
    .map((x) => x.trim())
    .filter(Boolean);

export function ExportForm({ volume, onClose }: { volume: Volume; onClose: () => void }) {
  const hosts = useApi(['hosts'], () =>
    must(api.GET('/api/v1/hosts', { params: { query: { limit: 1000 } } })),
  );
  const [protocol, setProtocol] = useState<Protocol>(volume.type === 'lun' ? 'iscsi' : 'nfs');
  const [allowed, setAllowed] = useState('');
  const [hostIds, setHostIds] = useState<string[]>([]);
  const [readOnly, setReadOnly] = useState(false);
  const [smbUser, setSmbUser] = useState('');
  const [smbPassword, setSmbPassword] = useState('');
  const create = useChange(
    () =>
      change(
        api.POST('/api/v1/volumes/{id}/exports', {
          params: { path: { id: volume.id } },
          body: {
            protocol,
            read_only: readOnly,
            ...(allowed ? { allowed: lines(allowed) } : {}),
            ...(hostIds.length ? { hosts: hostIds } : {}),
            ...(protocol === 'smb' && smbUser ? { users: [{ name: smbUser, password: smbPassword }] } : {}),
          },
        }),
      ),
    { onDone: onClose },
  );
  const protocols: Protocol[] = volume.type === 'lun' ? ['iscsi', 'nbd'] : ['nfs', 'smb'];
  return (
    <ActionModal
      title={`Export ${volume.name}`}
      opened
      onClose={onClose}
      onSubmit={() => create.mutate(undefined)}
      pending={create.isPending}
      error={create.error}
      submitLabel="Export"
    >
      <Select
        label="Protocol"
        data={protocols}
        value={protocol}
        allowDeselect={false}
        onChange={(p) => setProtocol((p ?? protocols[0]) as Protocol)}
      />
      <Select
        label="Hosts"
        description="a host's IQNs, addresses and CHAP"
        data={(hosts.data?.items ?? []).map((h) => ({ value: h.id, label: h.name }))}
        value={hostIds[0] ?? null}
        onChange={(h) => setHostIds(h ? [h] : [])}
        clearable
      />
      <Textarea
        label="Allowed addresses or networks"
        description="e.g. 10.0.0.0/24; empty: everyone"
        value={allowed}
        onChange={(e) => setAllowed(e.currentTarget.value)}
      />
      <Checkbox label="Read-only" checked={readOnly} onChange={(e) => setReadOnly(e.currentTarget.checked)} />
      {protocol === 'smb' && (
        <Group grow>
          <TextInput label="Share user" value={smbUser} onChange={(e) => setSmbUser(e.currentTarget.value)} />
          <PasswordInput
            label="Share user's password"
            value={smbPassword}
            onChange={(e) => setSmbPassword(e.currentTarget.value)}
          />
        </Group>
      )}
    </ActionModal>
  );
}

function NewExport({ onClose }: { onClose: () => void }) {
  const volumes = useApi(['volumes', 'all'], () =>
    must(api.GET('/api/v1/volumes', { params: { query: { limit: 1000, sort: 'name' } } })),
  );
  const [id, setId] = useState<string | null>(null);
  const v = volumes.data?.items.find((x) => x.id === id);
  if (v) return <ExportForm volume={v} onClose={onClose} />;
  return (
    <ActionModal
      title="Export a volume"
      opened
      onClose={onClose}
      onSubmit={() => undefined}
      pending={false}
      error={null}
      submitLabel="Next"
      disabled
    >
      <Select
        label="Volume"
        data={(volumes.data?.items ?? []).map((x) => ({ value: x.id, label: `${x.name} (${x.type})` }))}
        value={id}
        onChange={setId}
      />
    </ActionModal>
  );
}

function HostForm({ onClose }: { onClose: () => void }) {
  const [name, setName] = useState('');
  const [iqns, setIqns] = useState('');
  const [addresses, setAddresses] = useState('');
  const [chapUser, setChapUser] = useState('');
  const [chapSecret, setChapSecret] = useState('');
  const create = useChange(
    () =>
      change(
        api.POST('/api/v1/hosts', {
          body: {
            name,
            iqns: lines(iqns),
            addresses: lines(addresses),
            ...(chapUser ? { chap: { user: chapUser, secret: chapSecret } } : {}),
          },
        }),
      ),
    { onDone: onClose, success: 'Host added' },
  );
  return (
    <ActionModal
      title="Add a host"
      opened
      onClose={onClose}
      onSubmit={() => create.mutate(undefined)}
      pending={create.isPending}
      error={create.error}
      submitLabel="Add host"
    >
      <TextInput label="Name" value={name} onChange={(e) => setName(e.currentTarget.value)} required />
      <Textarea
        label="Initiator IQNs"
        description="one per line (iSCSI)"
        value={iqns}
        onChange={(e) => setIqns(e.currentTarget.value)}
      />
      <Textarea
        label="Addresses or networks"
        description="NFS, SMB, NBD"
        value={addresses}
        onChange={(e) => setAddresses(e.currentTarget.value)}
      />
      <Group grow>
        <TextInput label="CHAP user" value={chapUser} onChange={(e) => setChapUser(e.currentTarget.value)} />
        <PasswordInput
          label="CHAP secret"
          description="12 to 16 characters"
          value={chapSecret}
          onChange={(e) => setChapSecret(e.currentTarget.value)}
        />
      </Group>
    </ActionModal>
  );
}

function Services() {
  const services = useApi(['services'], () => must(api.GET('/api/v1/services')), { refetchInterval: 10_000 });
  const restart = useChange(
    (name: string) => change(api.POST('/api/v1/services/{name}/restart', { params: { path: { name } } })),
    {
      success: 'Restarted',
    },
  );
  return (
    <Card withBorder>
      <Text fw={600} mb="xs">
        Services
      </Text>
      <ApiErrorAlert error={restart.error} />
      <SimpleGrid cols={{ base: 1, sm: 2, lg: 3 }}>
        {(services.data?.items ?? []).map((s) => (
          <Group key={s.name} justify="space-between" wrap="nowrap" data-testid={`service-${s.name}`}>
            <Text size="sm" style={{ wordBreak: 'break-all' }}>
              {s.name}
            </Text>
            <Group gap={4} wrap="nowrap">
              <StateBadge value={s.state} />
              <Button
                size="compact-xs"
                variant="default"
                onClick={() => restart.mutate(s.name)}
                aria-label={`Restart ${s.name}`}
              >
                Restart
              </Button>
            </Group>
          </Group>
        ))}
      </SimpleGrid>
    </Card>
  );
}

export function ExportsPage() {
  const exports = useApi(
    ['exports'],
    () => must(api.GET('/api/v1/exports', { params: { query: { limit: 1000 } } })),
    { refetchInterval: 10_000 },
  );
  const hosts = useApi(['hosts'], () =>
    must(api.GET('/api/v1/hosts', { params: { query: { limit: 1000 } } })),
  );
  const remove = useChange((id: string) =>
    change(api.DELETE('/api/v1/exports/{id}', { params: { path: { id } } })),
  );
  const removeHost = useChange((id: string) =>
    change(api.DELETE('/api/v1/hosts/{id}', { params: { path: { id } } })),
  );
  const [form, setForm] = useState<'export' | 'host' | null>(null);
  return (
    <Stack>
      <PageTitle title="Exports & hosts">
        <Button variant="default" onClick={() => setForm('host')}>
          Add host
        </Button>
        <Button onClick={() => setForm('export')}>Export a volume</Button>
      </PageTitle>
      <ApiErrorAlert error={exports.error ?? remove.error ?? removeHost.error} />
      <Scroll minWidth={700}>
        <Table striped aria-label="exports">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Name</Table.Th>
              <Table.Th>Protocol</Table.Th>
              <Table.Th>State</Table.Th>
              <Table.Th>URI</Table.Th>
              <Table.Th>Access</Table.Th>
              <Table.Th>
                <span className="sr-only">Actions</span>
              </Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {(exports.data?.items ?? []).map((e: Export) => (
              <Table.Tr key={e.id} data-testid={`export-${e.protocol}`}>
                <Table.Td>{e.name}</Table.Td>
                <Table.Td>
                  <Badge variant="outline">{e.protocol}</Badge>
                </Table.Td>
                <Table.Td>
                  <StateBadge value={e.state} />
                </Table.Td>
                <Table.Td>{e.uri ? <CopyField value={e.uri} label={`${e.name} URI`} /> : '—'}</Table.Td>
                <Table.Td>{[e.read_only ? 'read-only' : 'read-write', ...e.allowed].join(', ')}</Table.Td>
                <Table.Td>
                  <Button
                    size="compact-xs"
                    color="red"
                    variant="light"
                    onClick={() => remove.mutate(e.id)}
                    aria-label={`Remove export ${e.name}`}
                  >
                    Remove
                  </Button>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Scroll>
      <Card withBorder>
        <Text fw={600} mb="xs">
          Hosts
        </Text>
        <Stack gap={4}>
          {(hosts.data?.items ?? []).map((h) => (
            <Group key={h.id} justify="space-between">
              <Text size="sm">
                <b>{h.name}</b> {[...h.iqns, ...h.addresses].join(', ')} {h.chap ? '· CHAP' : ''}
              </Text>
              <Button
                size="compact-xs"
                color="red"
                variant="light"
                onClick={() => removeHost.mutate(h.id)}
                aria-label={`Remove host ${h.name}`}
              >
                Remove
              </Button>
            </Group>
          ))}
          {hosts.data?.items.length === 0 && (
            <Text size="sm" c="dimmed">
              No hosts: exports are open to the addresses they allow.
            </Text>
          )}
        </Stack>
      </Card>
      <Services />
      {form === 'export' && <NewExport onClose={() => setForm(null)} />}
      {form === 'host' && <HostForm onClose={() => setForm(null)} />}
    </Stack>
  );
}
