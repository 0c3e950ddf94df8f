// Sign-in with a user's password (a browser session with a CSRF token), and the certificate's
// SHA-256 fingerprint, so the administrator can compare it with the one cairnd printed at start.
import { Alert, Button, Center, Paper, PasswordInput, Stack, Text, TextInput, Title } from '@mantine/core';
import { useMutation, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { api, must } from '../api/client';
import { session } from '../api/session';
import { ApiErrorAlert } from '../components/ApiErrorAlert';
import { CopyField } from '../components/CopyField';

export function SignIn({ notice }: { notice: string | null }) {
  const [username, setUsername] = useState('admin');
  const [password, setPassword] = useState('');
  const cert = useQuery({
    queryKey: ['certificate'],
    queryFn: async () => {
      const r = await api.GET('/api/v1/system/certificate');
      return r.data ?? null;
    },
    retry: false,
  });
  const login = useMutation({
    mutationFn: () => must(api.POST('/api/v1/auth/login', { body: { username, password } })),
    onSuccess: (s) =>
      session.start({ csrf: s.csrf_token, user: s.user.name, role: s.user.role, expiresAt: s.expires_at }),
  });
  return (
    <Center mih="100vh" p="md" component="main">
      <Paper withBorder shadow="sm" p="xl" w={420} maw="100%">
        <form
          onSubmit={(e) => {
            e.preventDefault();
            login.mutate();
          }}
        >
          <Stack>
            <Title order={1} size="h2">
              Sign in to Cairn
            </Title>
            {notice && (
              <Alert color="yellow" role="status">
                {notice}
              </Alert>
            )}
            <TextInput
              label="User"
              autoComplete="username"
              value={username}
              onChange={(e) => setUsername(e.currentTarget.value)}
              required
            />
            <PasswordInput
              label="Password"
              autoComplete="current-password"
              value={password}
              onChange={(e) => setPassword(e.currentTarget.value)}
              required
            />
            <ApiErrorAlert error={login.error} title="Not signed in" />
            <Button type="submit" loading={login.isPending}>
              Sign in
            </Button>
            <Stack gap={4}>
              <Text size="sm" fw={500}>
                Certificate fingerprint (SHA-256)
              </Text>
              {cert.data ? (
                <>
                  <CopyField value={cert.data.fingerprint_sha256} label="certificate fingerprint" />
                  <Text size="xs" c="dimmed">
                    Compare it with the one cairnd printed at start before you type a password.
                    {cert.data.self_signed ? ' The certificate is self-signed.' : ''}
                  </Text>
                </>
              ) : (
                <Text size="xs" c="dimmed">
                  {cert.isLoading ? 'Loading…' : 'No certificate: this server speaks plain HTTP on loopback.'}
                </Text>
              )}
            </Stack>
          </Stack>
        </form>
      </Paper>
    </Center>
  );
}
