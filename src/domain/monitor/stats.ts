// Monitoring statistics: kinds and resolutions, UTC time buckets, the rollup arithmetic (raw →
// hour → day → month), retention and the sampling interval. Pure.
export const STAT_KINDS = ['node', 'disk', 'pool', 'volume', 'export'] as const;
export type StatKind = (typeof STAT_KINDS)[number];
export const RESOLUTIONS = ['raw', 'hour', 'day', 'month'] as const;
export type Resolution = (typeof RESOLUTIONS)[number];
export type RollupResolution = Exclude<Resolution, 'raw'>;

/** One measured value of one metric of one object at one time (ms since the epoch). */
export interface StatPoint {
  kind: StatKind;
  objectId: string;
  metric: string;
  ts: number;
  value: number;
}

/** An aggregate of the points of one metric within one bucket. */
export interface Aggregate {
  ts: number;
  min: number;
  max: number;
  avg: number;
  last: number;
  count: number;
}

export const HOUR_MS = 3_600_000;
export const DAY_MS = 24 * HOUR_MS;

/** Start of the bucket holding `ts` (UTC): hour, day or calendar month. */
export function bucketStart(ts: number, res: RollupResolution): number {
  if (res === 'hour') return ts - (((ts % HOUR_MS) + HOUR_MS) % HOUR_MS);
  if (res === 'day') return ts - (((ts % DAY_MS) + DAY_MS) % DAY_MS);
  const d = new Date(ts);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1);
}

/** Start of the bucket after the one starting at `start`. */
export function nextBucket(start: number, res: RollupResolution): number {
  if (res === 'hour') return start + HOUR_MS;
  if (res === 'day') return start + DAY_MS;
  const d = new Date(start);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1);
}

/** The resolution each rollup is computed from. */
export const ROLLUP_SOURCE: Record<RollupResolution, Resolution> = { hour: 'raw', day: 'hour', month: 'day' };

/**
 * Aggregates a series (any order) into buckets: min, max, average, last (the value at the latest
 * time) and count. The SQL rollup in src/store/stats.ts computes the same; tests hold them equal.
 */
export function aggregate(points: { ts: number; value: number }[], res: RollupResolution): Aggregate[] {
  const by = new Map<number, { ts: number; value: number }[]>();
  for (const p of points) {
    const b = bucketStart(p.ts, res);
    const list = by.get(b) ?? [];
    list.push(p);
    by.set(b, list);
  }
  return [...by.entries()]
    .sort(([a], [b]) => a - b)
    .map(([ts, ps]) => {
      const latest = ps.reduce((a, b) => (b.ts >= a.ts ? b : a));
      return {
        ts,
        min: Math.min(...ps.map((p) => p.value)),
        max: Math.max(...ps.map((p) => p.value)),
        avg: ps.reduce((s, p) => s + p.value, 0) / ps.length,
        last: latest.value,
        count: ps.length,
      };
    });
}

/** Merges finer aggregates into coarser buckets (average weighted by count). */
export function reaggregate(aggs: Aggregate[], res: RollupResolution): Aggregate[] {
  const by = new Map<number, Aggregate[]>();
  for (const a of aggs) {
    const b = bucketStart(a.ts, res);
    by.set(b, [...(by.get(b) ?? []), a]);
  }
  return [...by.entries()]
    .sort(([a], [b]) => a - b)
    .map(([ts, as]) => {
      const count = as.reduce((s, a) => s + a.count, 0);
      return {
        ts,
        min: Math.min(...as.map((a) => a.min)),
        max: Math.max(...as.map((a) => a.max)),
        avg: as.reduce((s, a) => s + a.avg * a.count, 0) / count,
        last: as.reduce((x, y) => (y.ts >= x.ts ? y : x)).last,
        count,
      };
    });
}

/** How long each resolution is kept, in ms (settings `monitor.retention`). */
export interface Retention {
  raw_ms: number;
  hour_ms: number;
  day_ms: number;
  month_ms: number;
}

export const DEFAULT_RETENTION: Retention = {
  raw_ms: HOUR_MS,
  hour_ms: 7 * DAY_MS,
  day_ms: 366 * DAY_MS,
  month_ms: 5 * 366 * DAY_MS,
};

/** The finest resolution that still holds data over [from, to] and gives a readable number of points. */
export function autoResolution(from: number, to: number, now: number, r: Retention): Resolution {
  const span = to - from;
  if (from >= now - r.raw_ms && span <= 2 * HOUR_MS) return 'raw';
  if (from >= now - r.hour_ms && span <= 3 * DAY_MS) return 'hour';
  if (from >= now - r.day_ms && span <= 120 * DAY_MS) return 'day';
  return 'month';
}

export const DEFAULT_INTERVAL_MS = 10_000;
export const MIN_INTERVAL_MS = 100;
