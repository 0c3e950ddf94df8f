// Schedules and replication: wire types, rules (cron, time zone, retention policy) and the pure
// retention (keep newest N + grandfather-father-son) logic. No I/O: the clock is an argument.
import { Type, type Static } from '@sinclair/typebox';
import { Cron } from 'croner';
import cronstrue from 'cronstrue';
import type { FieldProblem } from './errors.js';
import { listSpec } from './list.js';
import { isValidName } from './names.js';

export const SCHEDULE_KINDS = ['snapshot', 'scrub', 'dedup', 'replication'] as const;
export type ScheduleKind = (typeof SCHEDULE_KINDS)[number];
/** What each kind acts on: a volume, a pool, or a replication relationship. */
export const TARGET_OF: Record<ScheduleKind, 'volume' | 'pool' | 'relationship'> = {
  snapshot: 'volume',
  scrub: 'pool',
  dedup: 'pool',
  replication: 'relationship',
};

export const SESSION_STATES = ['PENDING', 'ACTIVE', 'COMPLETED', 'FAILED', 'CANCELLED'] as const;
export type SessionState = (typeof SESSION_STATES)[number];
export const SESSION_DIRECTIONS = ['send', 'receive'] as const;
export type SessionDirection = (typeof SESSION_DIRECTIONS)[number];
export const RELATIONSHIP_ROLES = ['source', 'replica'] as const;
export type RelationshipRole = (typeof RELATIONSHIP_ROLES)[number];
export const RELATIONSHIP_STATES = ['active', 'promoted', 'reversed'] as const;
export type RelationshipState = (typeof RELATIONSHIP_STATES)[number];

export const RETENTION_KEYS = ['keep_last', 'hourly', 'daily', 'weekly', 'monthly', 'yearly'] as const;
export const MAX_RETENTION_COUNT = 10_000;

const Count = (what: string) =>
  Type.Optional(Type.Integer({ minimum: 0, maximum: MAX_RETENTION_COUNT, description: what }));

/** How many snapshots to keep (schedules, relationships, sessions); every count is optional. */
export const Retention = Type.Object(
  {
    keep_last: Count('keep the newest N'),
    hourly: Count('keep the newest snapshot of each of the last K hours that have one'),
    daily: Count('… of the last K days'),
    weekly: Count('… of the last K ISO weeks'),
    monthly: Count('… of the last K months'),
    yearly: Count('… of the last K years'),
  },
  {
    additionalProperties: false,
    description: 'an empty policy keeps everything; cloned or held snapshots are always kept',
  },
);
export type RetentionPolicy = Static<typeof Retention>;

export interface RetentionCandidate {
  id: string;
  createdAt: Date;
  /** Has clones, or is held (e.g. replication's incremental base): never deleted. */
  protected: boolean;
}

export interface RetentionDecision {
  keep: string[];
  delete: string[];
  /** Why each kept snapshot is kept (`keep_last`, `daily`, `protected`, …), for the job log. */
  reasons: Record<string, string[]>;
}

const pad = (n: number, w = 2) => String(n).padStart(w, '0');

/** The calendar fields of `d` in `timeZone`. */
export function localParts(d: Date, timeZone: string): { y: number; m: number; day: number; h: number } {
  const f = new Intl.DateTimeFormat('en-US', {
    timeZone,
    year: 'numeric',
    month: 'numeric',
    day: 'numeric',
    hour: 'numeric',
    hourCycle: 'h23',
  });
  const get = (t: string) => Number(f.formatToParts(d).find((p) => p.type === t)?.value ?? 0);
  return { y: get('year'), m: get('month'), day: get('day'), h: get('hour') };
}

/** ISO-8601 week ("2024-W01") of a calendar date. */
function isoWeek(y: number, m: number, day: number): string {
  const d = new Date(Date.UTC(y, m - 1, day));
  const dow = d.getUTCDay() || 7;
  d.setUTCDate(d.getUTCDate() + 4 - dow);
  const yearStart = Date.UTC(d.getUTCFullYear(), 0, 1);
  const week = Math.ceil(((d.getTime() - yearStart) / 86_400_000 + 1) / 7);
  return `${d.getUTCFullYear()}-W${pad(week)}`;
}

/** The period a time falls in, for each GFS level, in the given time zone. */
export function periodKey(level: Exclude<keyof RetentionPolicy, 'keep_last'>, d: Date, tz: string): string {
  const p = localParts(d, tz);
  switch (level) {
    case 'hourly':
      return `${p.y}-${pad(p.m)}-${pad(p.day)}T${pad(p.h)}`;
    case 'daily':
      return `${p.y}-${pad(p.m)}-${pad(p.day)}`;
    case 'weekly':
      return isoWeek(p.y, p.m, p.day);
    case 'monthly':
      return `${p.y}-${pad(p.m)}`;
    case 'yearly':
      return `${p.y}`;
  }
}

/**
 * Which snapshots a policy keeps: the newest `keep_last`, and for each GFS level the newest
 * snapshot of each of the last K periods that have a snapshot (as borg and restic count them);
 * protected snapshots are always kept. An empty policy keeps everything.
 */
export function applyRetention(
  snaps: readonly RetentionCandidate[],
  policy: RetentionPolicy,
  timeZone = 'UTC',
): RetentionDecision {
  const sorted = [...snaps].sort(
    (a, b) => b.createdAt.getTime() - a.createdAt.getTime() || (a.id < b.id ? 1 : -1),
  );
  const reasons: Record<string, string[]> = {};
  const mark = (id: string, why: string) => (reasons[id] ??= []).push(why);
  const active = RETENTION_KEYS.filter((k) => (policy[k] ?? 0) > 0);
  if (active.length === 0) for (const s of sorted) mark(s.id, 'no policy');
  sorted.slice(0, policy.keep_last ?? 0).forEach((s) => mark(s.id, 'keep_last'));
  for (const level of ['hourly', 'daily', 'weekly', 'monthly', 'yearly'] as const) {
    const k = policy[level] ?? 0;
    if (k <= 0) continue;
    const seen = new Set<string>();
    for (const s of sorted) {
      if (seen.size >= k) break;
      const key = periodKey(level, s.createdAt, timeZone);
      if (seen.has(key)) continue;
      seen.add(key);
      mark(s.id, level);
    }
  }
  for (const s of sorted) if (s.protected) mark(s.id, 'protected');
  return {
    keep: sorted.filter((s) => reasons[s.id]).map((s) => s.id),
    delete: sorted.filter((s) => !reasons[s.id]).map((s) => s.id),
    reasons,
  };
}

export function retentionProblems(field: string, r: RetentionPolicy | undefined): FieldProblem[] {
  const out: FieldProblem[] = [];
  for (const k of RETENTION_KEYS) {
    const v = r?.[k];
    if (v !== undefined && (!Number.isSafeInteger(v) || v < 0 || v > MAX_RETENTION_COUNT))
      out.push({
        field: `${field}.${k}`,
        code: 'OUT_OF_RANGE',
        message: `from 0 to ${MAX_RETENTION_COUNT}`,
      });
  }
  return out;
}

export function isTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

/** Problems with a cron expression and its time zone (croner's five- or six-field syntax). */
export function cronProblems(
  cron: string | undefined,
  tz: string | undefined,
  field = 'cron',
): FieldProblem[] {
  const out: FieldProblem[] = [];
  if (tz !== undefined && !isTimeZone(tz))
    out.push({ field: 'time_zone', code: 'BAD_TIME_ZONE', message: `${tz} is not an IANA time zone` });
  if (cron !== undefined)
    try {
      new Cron(cron, { paused: true, ...(tz && isTimeZone(tz) ? { timezone: tz } : {}) });
    } catch (e) {
      out.push({ field, code: 'BAD_CRON', message: e instanceof Error ? e.message : String(e) });
    }
  return out;
}

/** The first run strictly after `after`, or null when the expression never fires again. */
export function nextRun(cron: string, tz: string, after: Date): Date | null {
  return new Cron(cron, { paused: true, timezone: tz }).nextRun(after) ?? null;
}

/** "At 02:00 AM, only on Sunday" — for every schedule in every response. */
export function describeCron(cron: string): string {
  try {
    return cronstrue.toString(cron, { use24HourTimeFormat: true });
  } catch {
    return cron;
  }
}

export const PREFIX_PATTERN = '^[A-Za-z0-9][A-Za-z0-9_.-]{0,31}$';
export const isValidPrefix = (s: string) => new RegExp(PREFIX_PATTERN).test(s);

/** The name of a snapshot taken by a schedule: `<prefix>-20240101T120000Z`. */
export function scheduledSnapshotName(prefix: string, at: Date): string {
  const t = at
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d+Z$/, 'Z');
  return `${prefix}-${t}`;
}

/** Whether a snapshot name was made by a schedule with this prefix. */
export const madeByPrefix = (prefix: string, name: string): boolean =>
  name.startsWith(`${prefix}-`) && /^\d{8}T\d{6}Z(-\d+)?$/.test(name.slice(prefix.length + 1));

export const isValidObjectName = isValidName;

export const SCHEDULE_LIST = listSpec({
  fields: {
    id: { column: 'id', type: 'string', filterable: true },
    name: { column: 'name', type: 'string', filterable: true, sortable: true },
    kind: { column: 'kind', type: 'string', filterable: true, sortable: true },
    target: { column: 'target_id', type: 'string', filterable: true },
    enabled: { column: 'enabled', type: 'boolean', filterable: true },
    next_run_at: { column: 'next_run_at', type: 'time', filterable: true, sortable: true },
    created_at: { column: 'created_at', type: 'time', filterable: true, sortable: true },
  },
  defaultSort: 'created_at',
  tieBreaker: 'id',
});

export const PARTNER_LIST = listSpec({
  fields: {
    id: { column: 'id', type: 'string', filterable: true },
    name: { column: 'name', type: 'string', filterable: true, sortable: true },
    url: { column: 'url', type: 'string', filterable: true },
    created_at: { column: 'created_at', type: 'time', filterable: true, sortable: true },
  },
  defaultSort: 'created_at',
  tieBreaker: 'id',
});

export const RELATIONSHIP_LIST = listSpec({
  fields: {
    id: { column: 'id', type: 'string', filterable: true },
    role: { column: 'role', type: 'string', filterable: true, sortable: true },
    state: { column: 'state', type: 'string', filterable: true, sortable: true },
    volume: { column: 'volume_id', type: 'string', filterable: true },
    partner: { column: 'partner_id', type: 'string', filterable: true },
    pool: { column: 'pool_id', type: 'string', filterable: true },
    last_sync_status: { column: 'last_sync_status', type: 'string', filterable: true },
    created_at: { column: 'created_at', type: 'time', filterable: true, sortable: true },
  },
  defaultSort: 'created_at',
  tieBreaker: 'id',
});

export const SESSION_LIST = listSpec({
  fields: {
    id: { column: 'id', type: 'string', filterable: true },
    relationship: { column: 'relationship_id', type: 'string', filterable: true },
    status: { column: 'status', type: 'string', filterable: true, sortable: true },
    direction: { column: 'direction', type: 'string', filterable: true },
    bytes_sent: { column: 'bytes_sent', type: 'integer', filterable: true, sortable: true },
    created_at: { column: 'created_at', type: 'time', filterable: true, sortable: true },
  },
  defaultSort: '-created_at',
  tieBreaker: 'id',
});
