// A time-series chart (uPlot: small and fast with thousands of points) sized to its container.
import { Box, Text } from '@mantine/core';
import { useElementSize } from '@mantine/hooks';
import { useEffect, useRef } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';

export interface Series {
  label: string;
  points: [number, number][]; // [unix seconds, value]
}

const COLORS = ['#1c7ed6', '#e8590c', '#2f9e44', '#ae3ec9', '#f08c00', '#0c8599'];

export function TimeChart({
  title,
  series,
  format,
}: {
  title: string;
  series: Series[];
  format?: (v: number) => string;
}) {
  const { ref, width } = useElementSize();
  const holder = useRef<HTMLDivElement>(null);
  const plotRef = useRef<uPlot | null>(null);
  const hasWidth = width > 0;
  // Built when the data changes; a new width only resizes (rebuilding on resize could flip the
  // page's scrollbar on and off forever).
  useEffect(() => {
    if (!holder.current || !hasWidth) return;
    const xs = [...new Set(series.flatMap((s) => s.points.map((p) => p[0])))].sort((a, b) => a - b);
    const data: uPlot.AlignedData = [
      xs,
      ...series.map((s) => {
        const m = new Map(s.points);
        return xs.map((x) => m.get(x) ?? null);
      }),
    ];
    const plot = new uPlot(
      {
        width: holder.current.clientWidth || 300,
        height: 180,
        series: [
          {},
          ...series.map((s, i) => ({
            label: s.label,
            stroke: COLORS[i % COLORS.length],
            width: 1.5,
            value: (_u: uPlot, v: number | null) => (v === null ? '—' : format ? format(v) : v.toFixed(1)),
          })),
        ],
        axes: [
          { stroke: '#868e96' },
          {
            stroke: '#868e96',
            size: 70,
            values: (_u, vals) => vals.map((v) => (format ? format(v) : String(v))),
          },
        ],
        legend: { show: true },
      },
      data,
      holder.current,
    );
    plotRef.current = plot;
    return () => {
      plot.destroy();
      plotRef.current = null;
    };
  }, [series, hasWidth, format]);
  useEffect(() => {
    if (width > 0) plotRef.current?.setSize({ width, height: 180 });
  }, [width]);
  return (
    <Box ref={ref} role="figure" aria-label={title}>
      <Text size="sm" fw={500} mb={4}>
        {title}
      </Text>
      {series.every((s) => s.points.length === 0) ? (
        <Text size="sm" c="dimmed">
          No figures yet for this range.
        </Text>
      ) : (
        <div ref={holder} style={{ minHeight: 220 }} />
      )}
    </Box>
  );
}
