// The shell: sign-in until there is a session; then navigation, the pages, and the jobs tray.
import {
  ActionIcon,
  AppShell,
  Burger,
  Button,
  Group,
  NavLink,
  ScrollArea,
  Stack,
  Text,
  Title,
  useComputedColorScheme,
  useMantineColorScheme,
} from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { Link, Navigate, Route, Routes, useLocation } from 'react-router-dom';
import { api } from './api/client';
import { jobTray, useJobEvents, useTrackedJobs } from './api/jobs';
import { session, type SessionInfo } from './api/session';
import { JobProgress } from './components/JobProgress';
import { SignIn } from './pages/SignIn';
import { Dashboard } from './pages/Dashboard';
import { DisksPage } from './pages/Disks';
import { PoolsPage } from './pages/Pools';
import { VolumesPage } from './pages/Volumes';
import { SnapshotsPage } from './pages/Snapshots';
import { ExportsPage } from './pages/Exports';
import { ProtectionPage } from './pages/Protection';
import { MonitoringPage } from './pages/Monitoring';
import { JobsPage, JobPage } from './pages/Jobs';
import { AdminPage } from './pages/Admin';

export const PAGES = [
  { path: '/', label: 'Dashboard' },
  { path: '/disks', label: 'Disks' },
  { path: '/pools', label: 'Pools' },
  { path: '/volumes', label: 'Volumes' },
  { path: '/snapshots', label: 'Snapshots' },
  { path: '/exports', label: 'Exports & hosts' },
  { path: '/protection', label: 'Protection' },
  { path: '/monitoring', label: 'Monitoring' },
  { path: '/jobs', label: 'Jobs' },
  { path: '/admin', label: 'Administration' },
];

function ThemeToggle() {
  const { setColorScheme } = useMantineColorScheme();
  const scheme = useComputedColorScheme('light');
  const next = scheme === 'dark' ? 'light' : 'dark';
  return (
    <ActionIcon
      variant="default"
      size="lg"
      aria-label={`Switch to ${next} theme`}
      onClick={() => setColorScheme(next)}
    >
      {scheme === 'dark' ? '☀' : '☾'}
    </ActionIcon>
  );
}

function JobsTray() {
  const ids = useTrackedJobs();
  if (!ids.length) return null;
  return (
    <Stack className="jobs-tray" gap={6} aria-label="Jobs started here" role="region">
      {ids.map((id) => (
        <JobProgress key={id} id={id} dismissable />
      ))}
      <Button size="compact-xs" variant="default" onClick={() => jobTray.clear()}>
        Dismiss all
      </Button>
    </Stack>
  );
}

function useSession(): [SessionInfo | null, string | null] {
  const [s, setS] = useState(session.current);
  const [reason, setReason] = useState<string | null>(null);
  useEffect(
    () =>
      session.listen((next, why) => {
        setS(next);
        setReason(why === 'expired' ? 'Your session has ended. Sign in again to go on.' : null);
      }),
    [],
  );
  // The session ends at its expiry even if no request notices it.
  useEffect(() => {
    if (!s) return;
    const left = Date.parse(s.expiresAt) - Date.now();
    const t = setTimeout(() => session.expired(), Math.max(0, Math.min(left, 2 ** 31 - 1)));
    return () => clearTimeout(t);
  }, [s]);
  return [s, reason];
}

export function App() {
  const [s, reason] = useSession();
  const [opened, { toggle, close }] = useDisclosure();
  const qc = useQueryClient();
  const location = useLocation();
  useJobEvents(s !== null);
  useEffect(() => close(), [location.pathname, close]);
  // What one user saw is dropped when the session ends (before the sign-in page mounts).
  useEffect(() => session.listen((next) => (next ? undefined : qc.clear())), [qc]);
  if (!s) return <SignIn notice={reason} />;
  const signOut = async () => {
    await api.POST('/api/v1/auth/logout').catch(() => undefined);
    session.end('signed-out');
  };
  return (
    <AppShell
      header={{ height: 56 }}
      navbar={{ width: 220, breakpoint: 'sm', collapsed: { mobile: !opened } }}
      padding="md"
    >
      <AppShell.Header>
        <Group h="100%" px="md" justify="space-between" wrap="nowrap">
          <Group gap="xs" wrap="nowrap">
            <Burger opened={opened} onClick={toggle} hiddenFrom="sm" size="sm" aria-label="Menu" />
            <Title order={2} size="h4">
              Cairn
            </Title>
          </Group>
          <Group gap="xs" wrap="nowrap">
            <Text size="sm" visibleFrom="xs" data-testid="signed-in-user">
              {s.user}
            </Text>
            <ThemeToggle />
            <Button variant="default" size="sm" onClick={() => void signOut()}>
              Sign out
            </Button>
          </Group>
        </Group>
      </AppShell.Header>
      <AppShell.Navbar p="xs" aria-label="Pages">
        <ScrollArea>
          <nav>
            {PAGES.map((p) => (
              <NavLink
                key={p.path}
                component={Link}
                to={p.path}
                label={p.label}
                active={p.path === '/' ? location.pathname === '/' : location.pathname.startsWith(p.path)}
              />
            ))}
          </nav>
        </ScrollArea>
      </AppShell.Navbar>
      <AppShell.Main>
        <Routes>
          <Route path="/" element={<Dashboard />} />
          <Route path="/disks" element={<DisksPage />} />
          <Route path="/pools" element={<PoolsPage />} />
          <Route path="/volumes" element={<VolumesPage />} />
          <Route path="/snapshots" element={<SnapshotsPage />} />
          <Route path="/exports" element={<ExportsPage />} />
          <Route path="/protection" element={<ProtectionPage />} />
          <Route path="/monitoring" element={<MonitoringPage />} />
          <Route path="/jobs" element={<JobsPage />} />
          <Route path="/jobs/:id" element={<JobPage />} />
          <Route path="/admin" element={<AdminPage />} />
          <Route path="*" element={<Navigate to="/" replace />} />
        </Routes>
      </AppShell.Main>
      <JobsTray />
    </AppShell>
  );
}
