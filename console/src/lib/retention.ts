// A schedule's retention policy (the API's shape): the newest N, and grandfather-father-son counts
// per hour, day, week, month and year. Unset counts are left out; an empty policy keeps everything.
export const GFS_FIELDS = ['keep_last', 'hourly', 'daily', 'weekly', 'monthly', 'yearly'] as const;
export type RetentionField = (typeof GFS_FIELDS)[number];
export type Retention = Partial<Record<RetentionField, number>>;

export const FIELD_LABELS: Record<RetentionField, string> = {
  keep_last: 'Newest snapshots',
  hourly: 'Hourly',
  daily: 'Daily',
  weekly: 'Weekly',
  monthly: 'Monthly',
  yearly: 'Yearly',
};

const UNIT_WORDS: Record<Exclude<RetentionField, 'keep_last'>, string> = {
  hourly: 'hour',
  daily: 'day',
  weekly: 'week',
  monthly: 'month',
  yearly: 'year',
};

/** Drops unset and negative counts; what the API is sent. */
export function normalizeRetention(r: Retention): Retention {
  const out: Retention = {};
  for (const f of GFS_FIELDS) {
    const v = r[f];
    if (typeof v === 'number' && Number.isInteger(v) && v >= 0) out[f] = v;
  }
  return out;
}

const plural = (n: number, w: string) => `${n} ${w}${n === 1 ? '' : 's'}`;

/** "Keeps the newest 7, one per day for 14 days and one per week for 8 weeks." */
export function describeRetention(r: Retention): string {
  const n = normalizeRetention(r);
  const parts: string[] = [];
  if (n.keep_last !== undefined) parts.push(`the newest ${n.keep_last}`);
  for (const f of ['hourly', 'daily', 'weekly', 'monthly', 'yearly'] as const) {
    const v = n[f];
    if (v !== undefined && v > 0) parts.push(`one per ${UNIT_WORDS[f]} for ${plural(v, UNIT_WORDS[f])}`);
  }
  if (!parts.length) return 'Keeps every snapshot (no retention policy).';
  const last = parts.pop()!;
  return `Keeps ${parts.length ? `${parts.join(', ')} and ${last}` : last}; cloned or held snapshots are always kept.`;
}

/** At most this many snapshots stay (besides cloned or held ones). */
export function maxKept(r: Retention): number | null {
  const n = normalizeRetention(r);
  if (!Object.keys(n).length) return null;
  return GFS_FIELDS.reduce((s, f) => s + (n[f] ?? 0), 0);
}
