// Small shared pieces of the pages: a page title, health badges, a usage bar, dates.
import { Badge, Group, Progress, Stack, Text, Title } from '@mantine/core';
import type { ReactNode } from 'react';
import { formatBytes } from '../lib/sizes';

export function PageTitle({ title, children }: { title: string; children?: ReactNode }) {
  return (
    <Group justify="space-between" mb="md" wrap="wrap">
      <Title order={1} size="h2">
        {title}
      </Title>
      <Group gap="xs">{children}</Group>
    </Group>
  );
}

const HEALTH: Record<string, string> = {
  healthy: 'green',
  online: 'green',
  running: 'green',
  active: 'green',
  ok: 'green',
  degraded: 'yellow',
  warning: 'yellow',
  acknowledged: 'gray',
  raised: 'red',
  faulted: 'red',
  failed: 'red',
  error: 'red',
  critical: 'red',
  stopped: 'gray',
  info: 'blue',
};

export function StateBadge({ value }: { value: string | null | undefined }) {
  const v = value ?? 'unknown';
  return (
    // A state is never cut to "AC…": the badge keeps its width and the text beside it wraps.
    <Badge color={HEALTH[v.toLowerCase()] ?? 'gray'} variant="light" style={{ minWidth: 'max-content' }}>
      {v}
    </Badge>
  );
}

export function Usage({ used, size, label }: { used: number; size: number; label: string }) {
  const pct = size > 0 ? Math.min(100, (used / size) * 100) : 0;
  return (
    <Stack gap={2} miw={140}>
      <Progress
        value={pct}
        color={pct > 90 ? 'red' : pct > 80 ? 'yellow' : 'blue'}
        aria-label={`${label} used ${pct.toFixed(0)}%`}
      />
      <Text size="xs" c="dimmed">
        {formatBytes(used)} of {formatBytes(size)} ({pct.toFixed(0)}%)
      </Text>
    </Stack>
  );
}

export const when = (iso: string | null | undefined) => (iso ? new Date(iso).toLocaleString() : '—');

/** A wide table that scrolls sideways on a phone; focusable, so the keyboard can scroll it too. */
export function Scroll({
  minWidth,
  label,
  children,
}: {
  minWidth: number;
  label?: string;
  children: ReactNode;
}) {
  return (
    <div className="scroll-x" tabIndex={0} role="region" aria-label={label ?? 'table'}>
      <div style={{ minWidth }}>{children}</div>
    </div>
  );
}
