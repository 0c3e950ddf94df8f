// Administration: users, roles, API keys (the secret shown once), the system's name and
// maintenance mode, and the certificate with its fingerprint.
import {
  Alert,
  Button,
  Card,
  Group,
  PasswordInput,
  Select,
  SimpleGrid,
  Stack,
  Switch,
  Text,
  TextInput,
  Textarea,
} from '@mantine/core';
import { useState } from 'react';
import { api, change, must } from '../api/client';
import { useApi, useChange } from '../api/hooks';
import { ActionModal } from '../components/ActionModal';
import { ApiErrorAlert } from '../components/ApiErrorAlert';
import { CopyField } from '../components/CopyField';
import { PageTitle, when } from '../components/common';

function RoleForm({ onClose }: { onClose: () => void }) {
  const [name, setName] = useState('');
  const [description, setDescription] = useState('');
  const [permissions, setPermissions] = useState('');
  const create = useChange(
    async () => ({
      job: null,
      result: await must(
        api.POST('/api/v1/roles', {
          body: {
            name,
            ...(description ? { description } : {}),
            permissions: permissions.split(/[\s,]+/).filter(Boolean),
          },
        }),
      ),
    }),
    { onDone: onClose, success: 'Role created' },
  );
  return (
    <ActionModal
      title="Add a role"
      opened
      onClose={onClose}
      onSubmit={() => create.mutate(undefined)}
      pending={create.isPending}
      error={create.error}
      submitLabel="Add role"
    >
      <TextInput label="Name" required value={name} onChange={(e) => setName(e.currentTarget.value)} />
      <TextInput
        label="Description"
        value={description}
        onChange={(e) => setDescription(e.currentTarget.value)}
      />
      <Textarea
        label="Permissions"
        description="resource.verb, one per line or comma separated; * is a wildcard (e.g. volume.*, pool.read)"
        required
        value={permissions}
        onChange={(e) => setPermissions(e.currentTarget.value)}
      />
    </ActionModal>
  );
}

function Users() {
  const users = useApi(['users'], () =>
    must(api.GET('/api/v1/users', { params: { query: { limit: 1000 } } })),
  );
  const roles = useApi(['roles'], () =>
    must(api.GET('/api/v1/roles', { params: { query: { limit: 1000 } } })),
  );
  const [adding, setAdding] = useState(false);
  const [addingRole, setAddingRole] = useState(false);
  const [u, setU] = useState({ name: '', password: '', role: 'viewer' });
  const create = useChange(
    async () => ({ job: null, result: await must(api.POST('/api/v1/users', { body: u })) }),
    {
      onDone: () => setAdding(false),
      success: 'User created',
    },
  );
  const remove = useChange((id: string) =>
    change(api.DELETE('/api/v1/users/{id}', { params: { path: { id } } })),
  );
  return (
    <Card withBorder>
      <Group justify="space-between" mb="xs">
        <Text fw={600}>Users</Text>
        <Button size="compact-sm" onClick={() => setAdding(true)}>
          Add user
        </Button>
      </Group>
      <ApiErrorAlert error={remove.error} />
      {(users.data?.items ?? []).map((x) => (
        <Group key={x.id} justify="space-between">
          <Text size="sm">
            <b>{x.name}</b> · {x.role} · {x.enabled ? 'enabled' : 'disabled'}
            {x.locked_until ? ` · locked until ${when(x.locked_until)}` : ''}
          </Text>
          <Button
            size="compact-xs"
            color="red"
            variant="light"
            onClick={() => remove.mutate(x.id)}
            aria-label={`Delete user ${x.name}`}
          >
            Delete
          </Button>
        </Group>
      ))}
      <Group justify="space-between" mt="md" mb="xs">
        <Text fw={600}>Roles</Text>
        <Button size="compact-sm" variant="default" onClick={() => setAddingRole(true)}>
          Add role
        </Button>
      </Group>
      {(roles.data?.items ?? []).map((r) => (
        <Text key={r.id} size="sm" data-testid={`role-${r.name}`}>
          <b>{r.name}</b> {r.builtin ? '(built in)' : ''} — {r.description || r.permissions.join(', ')}
          {!r.builtin && r.description ? ` (${r.permissions.join(', ')})` : ''}
        </Text>
      ))}
      {addingRole && <RoleForm onClose={() => setAddingRole(false)} />}
      {adding && (
        <ActionModal
          title="Add a user"
          opened
          onClose={() => setAdding(false)}
          onSubmit={() => create.mutate(undefined)}
          pending={create.isPending}
          error={create.error}
          submitLabel="Add user"
        >
          <TextInput
            label="Name"
            value={u.name}
            onChange={(e) => setU({ ...u, name: e.currentTarget.value })}
          />
          <PasswordInput
            label="Password"
            description="at least 8 characters"
            value={u.password}
            onChange={(e) => setU({ ...u, password: e.currentTarget.value })}
          />
          <Select
            label="Role"
            data={(roles.data?.items ?? []).map((r) => r.name)}
            value={u.role}
            onChange={(r) => setU({ ...u, role: r ?? 'viewer' })}
          />
        </ActionModal>
      )}
    </Card>
  );
}

function ApiKeys() {
  const keys = useApi(['api-keys'], () =>
    must(api.GET('/api/v1/api-keys', { params: { query: { limit: 1000 } } })),
  );
  const [name, setName] = useState('');
  const [secret, setSecret] = useState<string | null>(null);
  const create = useChange(async () => {
    const k = (await must(api.POST('/api/v1/api-keys', { body: { name } }))) as { key?: string };
    setSecret(k.key ?? null);
    return { job: null, result: k };
  });
  const revoke = useChange((id: string) =>
    change(api.DELETE('/api/v1/api-keys/{id}', { params: { path: { id } } })),
  );
  return (
    <Card withBorder>
      <Text fw={600} mb="xs">
        API keys
      </Text>
      <Group align="flex-end">
        <TextInput label="New key name" value={name} onChange={(e) => setName(e.currentTarget.value)} />
        <Button onClick={() => create.mutate(undefined)} loading={create.isPending} disabled={!name}>
          Create key
        </Button>
      </Group>
      <ApiErrorAlert error={create.error ?? revoke.error} />
      {secret && (
        <Alert color="yellow" mt="xs" title="Copy the key now: it is shown only once">
          <CopyField value={secret} label="API key" />
        </Alert>
      )}
      <Stack gap={4} mt="xs">
        {(keys.data?.items ?? []).map((k) => (
          <Group key={k.id} justify="space-between">
            <Text size="sm">
              <b>{k.name}</b> · last used {when(k.last_used_at)} · expires {when(k.expires_at)}
            </Text>
            <Button
              size="compact-xs"
              color="red"
              variant="light"
              onClick={() => revoke.mutate(k.id)}
              aria-label={`Revoke key ${k.name}`}
            >
              Revoke
            </Button>
          </Group>
        ))}
      </Stack>
    </Card>
  );
}

function SystemCard() {
  const sys = useApi(['system'], () => must(api.GET('/api/v1/system')));
  const cert = useApi(
    ['certificate'],
    async () => (await api.GET('/api/v1/system/certificate')).data ?? null,
  );
  const [name, setName] = useState('');
  const rename = useChange(
    async () => ({ job: null, result: await must(api.PATCH('/api/v1/system', { body: { name } })) }),
    {
      success: 'System renamed',
    },
  );
  const maintenance = useApi(['maintenance'], () => must(api.GET('/api/v1/system/maintenance')));
  const setMaintenance = useChange(
    async (enabled: boolean) => ({
      job: null,
      result: await must(api.POST('/api/v1/system/maintenance', { body: { enabled } })),
    }),
    { success: 'Maintenance mode changed' },
  );
  const s = sys.data;
  return (
    <Card withBorder>
      <Text fw={600} mb="xs">
        System
      </Text>
      {s && (
        <Text size="sm">
          {s.name} · {s.hostname} · Cairn {s.version} · {s.os_name} {s.os_version} · {s.database} · up since{' '}
          {when(s.started_at)}
        </Text>
      )}
      <Group align="flex-end" mt="xs">
        <TextInput label="Rename the system" value={name} onChange={(e) => setName(e.currentTarget.value)} />
        <Button variant="default" onClick={() => rename.mutate(undefined)} disabled={!name}>
          Rename
        </Button>
      </Group>
      <ApiErrorAlert error={rename.error} />
      <Switch
        mt="md"
        label="Maintenance mode"
        description="while on, schedules and replication pause and new exports and attachments are refused"
        checked={maintenance.data?.enabled ?? false}
        onChange={(e) => setMaintenance.mutate(e.currentTarget.checked)}
      />
      {maintenance.data?.since && (
        <Text size="xs" c="dimmed">
          on since {when(maintenance.data.since)}
        </Text>
      )}
      <ApiErrorAlert error={setMaintenance.error ?? maintenance.error} />
      <Text fw={600} mt="md" mb="xs">
        Certificate
      </Text>
      {cert.data ? (
        <Stack gap={4}>
          <CopyField value={cert.data.fingerprint_sha256} label="certificate fingerprint" />
          <Text size="xs">
            {cert.data.subject.replace(/\n/g, ', ')} · valid to {when(cert.data.valid_to)}{' '}
            {cert.data.self_signed ? '· self-signed' : ''}
          </Text>
        </Stack>
      ) : (
        <Text size="sm" c="dimmed">
          Plain HTTP: no certificate.
        </Text>
      )}
    </Card>
  );
}

export function AdminPage() {
  return (
    <>
      <PageTitle title="Administration" />
      <SimpleGrid cols={{ base: 1, lg: 2 }}>
        <Users />
        <Stack>
          <ApiKeys />
          <SystemCard />
        </Stack>
      </SimpleGrid>
    </>
  );
}
