// Charts of one object's statistics (/api/v1/stats): live (polled at the sampling interval, the
// last few minutes kept in the page) or history over an hour, a day or a month.
import { Group, Paper, SegmentedControl, Select, SimpleGrid, Stack, Text } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useEffect, useMemo, useState } from 'react';
import { api, must } from '../api/client';
import { formatBytes } from '../lib/sizes';
import { TimeChart, type Series } from './TimeChart';

type Range = 'live' | 'hour' | 'day' | 'month';
const RANGE_MS: Record<Exclude<Range, 'live'>, number> = { hour: 3600e3, day: 86400e3, month: 30 * 86400e3 };

/** Which metrics go on which chart; a chart shows only the metrics the object has. */
const GROUPS: { title: string; metrics: string[]; format: (v: number) => string }[] = [
  {
    title: 'Throughput',
    metrics: [
      'read_bytes_per_second',
      'written_bytes_per_second',
      'network_receive_bytes_per_second',
      'network_transmit_bytes_per_second',
    ],
    format: (v) => `${formatBytes(v)}/s`,
  },
  { title: 'IOPS', metrics: ['reads_per_second', 'writes_per_second'], format: (v) => v.toFixed(0) },
  { title: 'CPU busy', metrics: ['cpu_busy_ratio', 'busy_ratio'], format: (v) => `${(v * 100).toFixed(0)}%` },
  {
    title: 'Space used',
    metrics: ['used_bytes', 'referenced_bytes', 'exclusive_bytes'],
    format: (v) => formatBytes(v),
  },
];

const label = (m: string) => m.replace(/_/g, ' ').replace(/ per second$/, '/s');
const LIVE_POINTS = 90;

export function StatsCharts() {
  const objects = useQuery({
    queryKey: ['stats-objects'],
    queryFn: () => must(api.GET('/api/v1/stats', {})),
    refetchInterval: 30_000,
  });
  const items = objects.data?.items ?? [];
  const [chosen, setChosen] = useState<string | null>(null);
  const [range, setRange] = useState<Range>('live');
  const current =
    chosen ??
    (items.find((i) => i.kind === 'node')
      ? `node/${items.find((i) => i.kind === 'node')!.id}`
      : items[0]
        ? `${items[0].kind}/${items[0].id}`
        : null);
  const [kind, id] = (current ?? '/').split('/') as [string, string];
  const [live, setLive] = useState<{ ts: number; metrics: Record<string, number> }[]>([]);
  useEffect(() => setLive([]), [current]);

  const liveQ = useQuery({
    queryKey: ['stats-live', kind, id],
    enabled: Boolean(current) && range === 'live',
    queryFn: () =>
      must(api.GET('/api/v1/stats/{kind}/{id}/live', { params: { path: { kind: kind as 'node', id } } })),
    refetchInterval: (q) => Math.max(2000, q.state.data?.interval_ms ?? 5000),
  });
  useEffect(() => {
    const d = liveQ.data;
    if (!d) return;
    const ts = Date.parse(d.ts) / 1000;
    setLive((old) =>
      old.length && old[old.length - 1]!.ts === ts
        ? old
        : [...old, { ts, metrics: d.metrics }].slice(-LIVE_POINTS),
    );
  }, [liveQ.data]);

  const historyQ = useQuery({
    queryKey: ['stats-history', kind, id, range],
    enabled: Boolean(current) && range !== 'live',
    queryFn: () => {
      const to = new Date();
      const from = new Date(to.getTime() - RANGE_MS[range as 'hour']);
      return must(
        api.GET('/api/v1/stats/{kind}/{id}/history', {
          params: {
            path: { kind: kind as 'node', id },
            query: { from: from.toISOString(), to: to.toISOString(), resolution: 'auto', limit: 2000 },
          },
        }),
      );
    },
    refetchInterval: 60_000,
  });

  const byMetric = useMemo(() => {
    const out = new Map<string, [number, number][]>();
    if (range === 'live')
      for (const p of live)
        for (const [m, v] of Object.entries(p.metrics)) out.set(m, [...(out.get(m) ?? []), [p.ts, v]]);
    else
      for (const s of historyQ.data?.series ?? [])
        out.set(
          s.metric,
          s.points.map((p) => [Date.parse(p.ts) / 1000, p.avg] as [number, number]),
        );
    return out;
  }, [range, live, historyQ.data]);

  const charts = GROUPS.map((g) => ({
    ...g,
    series: g.metrics
      .filter((m) => byMetric.has(m))
      .map((m): Series => ({ label: label(m), points: byMetric.get(m)! })),
  })).filter((g) => g.series.length);

  return (
    <Paper withBorder p="md">
      <Stack gap="sm">
        <Group justify="space-between" wrap="wrap">
          <Text fw={600}>Statistics</Text>
          <Group gap="xs" wrap="wrap">
            <Select
              aria-label="Object"
              data={items.map((i) => ({ value: `${i.kind}/${i.id}`, label: `${i.kind}: ${i.name}` }))}
              value={current}
              onChange={setChosen}
              allowDeselect={false}
              w={220}
              placeholder="No objects yet"
            />
            <SegmentedControl
              aria-label="Range"
              value={range}
              onChange={(r) => setRange(r as Range)}
              data={[
                { value: 'live', label: 'Live' },
                { value: 'hour', label: 'Hour' },
                { value: 'day', label: 'Day' },
                { value: 'month', label: 'Month' },
              ]}
            />
          </Group>
        </Group>
        {charts.length === 0 ? (
          <Text size="sm" c="dimmed">
            {range === 'live' ? 'Waiting for the next samples…' : 'No figures for this range yet.'}
          </Text>
        ) : (
          <SimpleGrid cols={{ base: 1, md: 2 }}>
            {charts.map((c) => (
              <TimeChart key={c.title} title={c.title} series={c.series} format={c.format} />
            ))}
          </SimpleGrid>
        )}
      </Stack>
    </Paper>
  );
}
