// Monitoring's pure model: statistic kinds and resolutions, time buckets and rollup arithmetic,
// alert rules and their lifecycle, the sources other areas provide, and webhook signing. No I/O.
import { createHmac } from 'node:crypto';
import { listSpec } from './list.js';
import type { Severity } from './events.js';
import { nextRun } from './protection.js';

// ---------------------------------------------------------------- statistics

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

// ---------------------------------------------------------------- sources other areas provide

/** One pool as the monitor sees it in a sampling round (sizes in bytes). */
export interface PoolRow {
  id: string;
  name: string;
  sizeBytes: number;
  usedBytes: number;
  freeBytes: number;
  health: PoolHealth;
  /** btrfs error counters (write, read, flush, corruption, generation) summed per device. */
  deviceErrors?: { device: string; errors: number }[];
}

export type PoolHealth = 'online' | 'degraded' | 'faulted' | 'unknown';

/** What the monitor needs from pools: every pool in one call per round (storage area). */
export interface PoolStatsSource {
  /**
   * `fresh`: a round asked for now (sampleNow, tests) measures everything again; timed rounds may
   * reuse figures that are slow to measure and slow to change (pool capacity).
   */
  pools(o?: { fresh?: boolean }): Promise<PoolRow[]>;
}

export interface VolumeRow {
  id: string;
  name: string;
  poolId: string;
  sizeBytes: number;
  usedBytes: number;
  exclusiveBytes: number;
  snapshotBytes: number;
  snapshotCount?: number;
  /** The volume's snapshot limit; null or absent: no limit. */
  snapshotLimit?: number | null;
  /**
   * The block device whose kernel counters are the volume's I/O: an attached lun's loop device.
   * Absent for the others (btrfs keeps no I/O counters per subvolume).
   */
  device?: string;
  /** filesystem (its size is a quota) or lun (its size is the file's); absent: not known. */
  type?: 'filesystem' | 'lun';
}

/** Every volume with its usage in one call per round (e.g. one qgroup listing per pool). */
export interface VolumeStatsSource {
  volumes(): Promise<VolumeRow[]>;
}

export interface ExportRow {
  id: string;
  name: string;
  poolId: string | null;
  /** Figures the daemon reports, by metric name with units (e.g. `clients`, `read_bytes_total`). */
  metrics: Record<string, number>;
}

export interface ExportStatsSource {
  exports(): Promise<ExportRow[]>;
}

/** A Cairn disk and the kernel block device behind it (`loop3`, `vdb`). */
export interface DiskRow {
  id: string;
  name: string;
  device: string;
  poolId: string | null;
}

export interface DiskSource {
  disks(): Promise<DiskRow[]>;
}

export interface DaemonStatus {
  name: string;
  running: boolean;
  pid: number | null;
  /** Whether it should run (something is configured that needs it). */
  enabled: boolean;
  /** The supervisor's state (stopped, starting, running, backoff, stopping, failed, external). */
  state?: string;
  restarts?: number;
  lastError?: string | null;
  startedAt?: string | null;
}

/**
 * Down: it should run and does not. A start in progress (spawned, not answering yet) and an admin's
 * stop are not outages; a start that failed before spawning (no PID) is.
 */
export function daemonDown(d: DaemonStatus): boolean {
  if (!d.enabled || d.running) return false;
  if (d.state === 'stopping') return false;
  return !(d.state === 'starting' && d.pid !== null);
}

export interface DaemonSource {
  daemons(): Promise<DaemonStatus[]>;
}

/** A replication relationship (source side) as the monitor sees it. */
export interface ReplicationStatus {
  id: string;
  name: string;
  poolId: string | null;
  volumeId: string | null;
  /** The last session's end (COMPLETED, FAILED, CANCELLED), or null before the first. */
  lastState: string | null;
  lastSuccessAt: string | null;
  /** Seconds between runs of the schedule driving it; null when no enabled schedule does. */
  intervalSeconds: number | null;
  /** How long a scheduled run has been due without a success, in seconds (0 when on time). */
  lagSeconds: number;
}

/** A schedule that drives a relationship's syncs (cron in its time zone). */
export interface SyncSchedule {
  cron: string;
  timeZone: string;
}

/**
 * A relationship's lag against its schedules (fake-clock friendly: `now` in ms). The first run due
 * after the last success (or after the relationship was made) starts the lag; the interval is the
 * gap between that run and the next. Several schedules: the most demanding one counts.
 */
export function replicationLag(
  since: string,
  schedules: readonly SyncSchedule[],
  now: number,
): { intervalSeconds: number | null; lagSeconds: number } {
  const from = new Date(since);
  if (Number.isNaN(from.getTime())) return { intervalSeconds: null, lagSeconds: 0 };
  let intervalSeconds: number | null = null;
  let lagSeconds = 0;
  for (const s of schedules) {
    let first: Date | null;
    let second: Date | null;
    try {
      first = nextRun(s.cron, s.timeZone, from);
      second = first && nextRun(s.cron, s.timeZone, first);
    } catch {
      continue; // a schedule that no longer parses drives nothing
    }
    if (!first) continue;
    if (second) {
      const i = (second.getTime() - first.getTime()) / 1000;
      intervalSeconds = intervalSeconds === null ? i : Math.min(intervalSeconds, i);
    }
    lagSeconds = Math.max(lagSeconds, Math.max(0, (now - first.getTime()) / 1000));
  }
  return { intervalSeconds, lagSeconds };
}

/**
 * The replication rule: the last session failed (error), or a schedule drives the relationship and
 * its last success is older than `lag_intervals` intervals, i.e. a due run is more than
 * lag_intervals − 1 intervals late (warning). Without a schedule only a failure counts. A success
 * ends both (the condition goes, the alert clears).
 */
export function replicationConditions(
  rows: readonly ReplicationStatus[],
  params: Record<string, number>,
): Condition[] {
  const factor = params.lag_intervals ?? 2;
  const out: Condition[] = [];
  for (const r of rows) {
    const failed = r.lastState === 'FAILED';
    const lagging =
      r.intervalSeconds !== null && r.lagSeconds > 0 && r.lagSeconds > (factor - 1) * r.intervalSeconds;
    if (!failed && !lagging) continue;
    const lag = Math.round(r.lagSeconds);
    out.push({
      rule: 'replication',
      objectType: 'relationship',
      objectId: r.id,
      poolId: r.poolId,
      severity: failed ? 'error' : 'warning',
      message: failed
        ? `replication ${r.name} failed`
        : `replication ${r.name} is lagging: a scheduled sync has been due for ${lag} s (every ${Math.round(r.intervalSeconds!)} s)`,
      details: {
        reason: failed ? 'failed' : 'lagging',
        last_state: r.lastState,
        last_success_at: r.lastSuccessAt,
        lag_seconds: lag,
        interval_seconds: r.intervalSeconds,
        volume_id: r.volumeId,
      },
    });
  }
  return out;
}

export interface ReplicationSource {
  relationships(): Promise<ReplicationStatus[]>;
}

export interface MonitorSources {
  disks?: DiskSource;
  pools?: PoolStatsSource;
  volumes?: VolumeStatsSource;
  exports?: ExportStatsSource;
  daemons?: DaemonSource;
  replication?: ReplicationSource;
}

// ---------------------------------------------------------------- alerts

export const ALERT_STATES = ['raised', 'acknowledged', 'cleared'] as const;
export type AlertState = (typeof ALERT_STATES)[number];

/** Rule kinds: what condition a rule watches. Each kind has one rule row (thresholds in params). */
export const RULE_KINDS = [
  'pool_capacity',
  'volume_capacity',
  'pool_health',
  'device_errors',
  'scrub_errors',
  'snapshot_limit',
  'replication',
  'daemon_down',
  'certificate_expiry',
  'disk_missing',
  'job_failed',
  'login_failures',
] as const;
export type RuleKind = (typeof RULE_KINDS)[number];

export interface AlertRule {
  id: RuleKind;
  name: string;
  description: string;
  enabled: boolean;
  /** Thresholds; keys depend on the kind (see DEFAULT_RULES). */
  params: Record<string, number>;
  updated_at: string;
}

export const DEFAULT_RULES: Omit<AlertRule, 'updated_at'>[] = [
  {
    id: 'pool_capacity',
    name: 'pool capacity',
    description: 'used space of a pool above warn_percent (warning) or critical_percent (critical)',
    enabled: true,
    params: { warn_percent: 80, critical_percent: 90 },
  },
  {
    id: 'volume_capacity',
    name: 'volume near its quota',
    description:
      'a filesystem volume uses warn_percent (warning) or critical_percent (critical) of its size, its quota',
    enabled: true,
    params: { warn_percent: 85, critical_percent: 95 },
  },
  {
    id: 'pool_health',
    name: 'pool degraded or faulted',
    description: 'a pool runs degraded (error) or is faulted (critical)',
    enabled: true,
    params: {},
  },
  {
    id: 'device_errors',
    name: 'device errors',
    description: 'btrfs error counters of a pool device above max_errors',
    enabled: true,
    params: { max_errors: 0 },
  },
  {
    id: 'scrub_errors',
    name: 'scrub found errors',
    description: 'a scrub reported errors (event scrub.errors); cleared by a clean scrub (scrub.clean)',
    enabled: true,
    params: {},
  },
  {
    id: 'snapshot_limit',
    name: 'snapshot count near limit',
    description: 'a volume holds more than warn_percent of its snapshot limit',
    enabled: true,
    params: { warn_percent: 90 },
  },
  {
    id: 'replication',
    name: 'replication failed or lagging',
    description:
      'the last sync of a relationship failed (error), or its schedule has had no success for more than lag_intervals intervals (warning)',
    enabled: true,
    params: { lag_intervals: 2 },
  },
  {
    id: 'daemon_down',
    name: 'daemon down',
    description: 'a service daemon that should run does not',
    enabled: true,
    params: {},
  },
  {
    id: 'certificate_expiry',
    name: 'certificate expiring',
    description: 'the HTTPS certificate expires within warn_days (warning) or critical_days (critical)',
    enabled: true,
    params: { warn_days: 30, critical_days: 7 },
  },
  {
    id: 'disk_missing',
    name: 'disk missing',
    description: 'a pool disk went missing (event disk.missing); cleared when it is back or replaced',
    enabled: true,
    params: {},
  },
  {
    id: 'job_failed',
    name: 'job failed',
    description:
      'a job failed (event job.failed); acknowledge to dismiss, cleared when the same job kind succeeds on that object',
    enabled: false,
    params: {},
  },
  {
    id: 'login_failures',
    name: 'password guessing',
    description:
      'a burst of wrong passwords for one user from one address (event auth.login_failures); acknowledge to dismiss',
    enabled: true,
    params: {},
  },
];

/** Which params a rule accepts, with their bounds (validated on PATCH). */
export const RULE_PARAM_BOUNDS: Record<string, { min: number; max: number }> = {
  warn_percent: { min: 1, max: 100 },
  critical_percent: { min: 1, max: 100 },
  max_errors: { min: 0, max: 1e12 },
  lag_intervals: { min: 1, max: 1000 },
  warn_days: { min: 0, max: 100000 },
  critical_days: { min: 0, max: 100000 },
};

/** An alert condition that holds now for one object. */
export interface Condition {
  rule: RuleKind;
  objectType: string;
  objectId: string;
  /** The pool the object belongs to (for keys limited to pools), when known. */
  poolId: string | null;
  severity: Severity;
  message: string;
  details?: Record<string, unknown>;
}

/** An alert as stored and answered on the wire. */
export interface Alert {
  id: string;
  rule: string;
  object_type: string;
  object_id: string;
  pool_id: string | null;
  severity: Severity;
  state: AlertState;
  message: string;
  details: Record<string, unknown>;
  count: number;
  raised_at: string;
  last_seen_at: string;
  acknowledged_at: string | null;
  acknowledged_by: string | null;
  cleared_at: string | null;
}

/** The de-duplication key: one open alert per rule and object. */
export const alertKey = (rule: string, objectId: string): string => `${rule}|${objectId}`;

export interface AlertPlan {
  raise: Condition[];
  /** Conditions that repeat an open alert (count and last_seen are bumped; severity follows). */
  repeat: { alertId: string; condition: Condition }[];
  clear: string[];
}

/**
 * Compares the conditions that hold now with the open alerts of the rules that were evaluated:
 * new conditions raise, repeats bump, open alerts whose condition ended are cleared.
 */
export function planAlerts(
  conditions: Condition[],
  open: (Pick<Alert, 'id' | 'rule' | 'object_id'> & { last_seen_at?: string })[],
  evaluatedRules: ReadonlySet<string>,
  /**
   * When the conditions were observed (ISO): an alert seen after that (an event recorded while the
   * round was reading its sources) is newer than the observation and is not cleared by it.
   */
  observedAt?: string,
): AlertPlan {
  const openByKey = new Map(open.map((a) => [alertKey(a.rule, a.object_id), a]));
  const seen = new Set<string>();
  const plan: AlertPlan = { raise: [], repeat: [], clear: [] };
  for (const c of conditions) {
    const key = alertKey(c.rule, c.objectId);
    if (seen.has(key)) continue;
    seen.add(key);
    const a = openByKey.get(key);
    if (a) plan.repeat.push({ alertId: a.id, condition: c });
    else plan.raise.push(c);
  }
  for (const a of open)
    if (
      evaluatedRules.has(a.rule) &&
      !seen.has(alertKey(a.rule, a.object_id)) &&
      !(observedAt && a.last_seen_at && a.last_seen_at > observedAt)
    )
      plan.clear.push(a.id);
  return plan;
}

const pct = (used: number, size: number) => (size > 0 ? (100 * used) / size : 0);

/** An object `used` of `size` full past the warning or critical percent, as a condition. */
function fullness(
  rule: 'pool_capacity' | 'volume_capacity',
  obj: { type: 'pool' | 'volume'; id: string; name: string; poolId: string },
  cap: { sizeBytes: number; usedBytes: number },
  params: Record<string, number>,
  defaults: { warn: number; crit: number },
): Condition | null {
  const p = pct(cap.usedBytes, cap.sizeBytes);
  const crit = params.critical_percent ?? defaults.crit;
  const warn = params.warn_percent ?? defaults.warn;
  if (p < warn && p < crit) return null;
  const severity: Severity = p >= crit ? 'critical' : 'warning';
  return {
    rule,
    objectType: obj.type,
    objectId: obj.id,
    poolId: obj.poolId,
    severity,
    message: `${obj.type} ${obj.name} is ${p.toFixed(1)}% full (${severity === 'critical' ? crit : warn}% threshold)`,
    details: { used_percent: Math.round(p * 10) / 10, used_bytes: cap.usedBytes, size_bytes: cap.sizeBytes },
  };
}

/** The pool capacity condition, if any, for a pool at these thresholds. */
export function capacityCondition(
  pool: { id: string; name: string },
  cap: { sizeBytes: number; usedBytes: number },
  params: Record<string, number>,
): Condition | null {
  return fullness('pool_capacity', { type: 'pool', ...pool, poolId: pool.id }, cap, params, {
    warn: 80,
    crit: 90,
  });
}

/**
 * A filesystem volume near its quota (the bytes it references against its size). A lun's size is
 * its data file's, which a preallocated or fully written lun always fills: luns never raise it.
 */
export function volumeCapacityCondition(v: VolumeRow, params: Record<string, number>): Condition | null {
  if (v.type === 'lun') return null;
  return fullness(
    'volume_capacity',
    { type: 'volume', id: v.id, name: v.name, poolId: v.poolId },
    v,
    params,
    {
      warn: 85,
      crit: 95,
    },
  );
}

/** The certificate expiry condition, if any. */
export function certificateCondition(
  validTo: string,
  now: number,
  params: Record<string, number>,
): Condition | null {
  const end = Date.parse(validTo);
  if (Number.isNaN(end)) return null;
  const days = (end - now) / DAY_MS;
  const crit = params.critical_days ?? 7;
  const warn = params.warn_days ?? 30;
  if (days > warn && days > crit) return null;
  return {
    rule: 'certificate_expiry',
    objectType: 'certificate',
    objectId: 'https',
    poolId: null,
    severity: days <= crit ? 'critical' : 'warning',
    message:
      days <= 0
        ? `the HTTPS certificate expired on ${validTo}`
        : `the HTTPS certificate expires in ${Math.floor(days)} days (${validTo})`,
    details: { valid_to: validTo, days_left: Math.floor(days) },
  };
}

/**
 * What an event means for alerts: which rule it raises or clears, on which object. Events other
 * areas record (pool.degraded, disk.missing, scrub.errors, replication.failed, daemon.down, …).
 */
export function eventEffect(e: {
  type: string;
  severity: Severity;
  object_type: string | null;
  object_id: string | null;
  message: string;
  details: Record<string, unknown>;
}): { action: 'raise'; condition: Condition } | { action: 'clear'; rule: RuleKind; objectId: string } | null {
  if (!e.object_id) return null;
  const poolId =
    e.object_type === 'pool' ? e.object_id : typeof e.details.pool_id === 'string' ? e.details.pool_id : null;
  const raise = (rule: RuleKind, severity: Severity) => ({
    action: 'raise' as const,
    condition: {
      rule,
      objectType: e.object_type ?? 'object',
      objectId: e.object_id!,
      poolId,
      severity,
      message: e.message,
      details: { event_type: e.type, ...e.details },
    },
  });
  const clear = (rule: RuleKind) => ({ action: 'clear' as const, rule, objectId: e.object_id! });
  switch (e.type) {
    case 'pool.degraded':
      return raise('pool_health', 'error');
    case 'pool.faulted':
      return raise('pool_health', 'critical');
    case 'pool.online':
      return clear('pool_health');
    case 'disk.missing':
      return raise('disk_missing', 'error');
    case 'disk.online':
    case 'disk.added':
    case 'disk.replaced':
      return clear('disk_missing');
    case 'scrub.errors':
      return raise('scrub_errors', 'error');
    case 'scrub.clean':
      return clear('scrub_errors');
    case 'replication.failed':
      return raise('replication', 'error');
    case 'replication.succeeded':
      return clear('replication');
    case 'daemon.down':
      return raise('daemon_down', 'error');
    case 'daemon.up':
      return clear('daemon_down');
    case 'job.failed':
      return raise('job_failed', 'warning');
    case 'auth.login_failures':
      return raise('login_failures', 'warning');
    default:
      return null;
  }
}

/** `spare.replaced` names the disk it replaced: that disk's missing alert is over. */
export function spareClears(e: { type: string; details: Record<string, unknown> }): string | null {
  if (e.type !== 'spare.replaced') return null;
  const d =
    e.details.replaced_disk_id ?? e.details.old_disk ?? e.details.missing_disk_id ?? e.details.old_disk_id;
  return typeof d === 'string' ? d : null;
}

export const SEVERITY_RANK: Record<Severity, number> = { info: 0, warning: 1, error: 2, critical: 3 };

// ---------------------------------------------------------------- notifications

export const CHANNEL_TYPES = ['webhook', 'email'] as const;
export type ChannelType = (typeof CHANNEL_TYPES)[number];

export interface NotificationChannel {
  id: string;
  name: string;
  type: ChannelType;
  enabled: boolean;
  /** Alerts below this severity are not sent. */
  min_severity: Severity;
  /** webhook: { url }; email: { to[], from, smtp_host, smtp_port, smtp_secure, smtp_user } */
  config: Record<string, unknown>;
  /** Whether a secret (webhook HMAC key or SMTP password) is stored; the secret is never returned. */
  has_secret: boolean;
  created_at: string;
  updated_at: string;
}

export const SIGNATURE_HEADER = 'x-cairn-signature';

/** `sha256=<hex>` of HMAC-SHA256 over the raw body with the channel's secret. */
export const signBody = (secret: string, body: string): string =>
  `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;

/** Delay before attempt n+1 after n failed attempts: base·2^(n-1), at most one hour. */
export const backoffMs = (attempts: number, baseMs: number): number =>
  Math.min(HOUR_MS, baseMs * 2 ** Math.max(0, attempts - 1));

export const MAX_DELIVERY_ATTEMPTS = 10;

// ---------------------------------------------------------------- list specs

export const ALERT_LIST = listSpec({
  fields: {
    rule: { column: 'rule', type: 'string', filterable: true, sortable: true },
    state: { column: 'state', type: 'string', filterable: true, sortable: true },
    severity: { column: 'severity', type: 'string', filterable: true, sortable: true },
    object_type: { column: 'object_type', type: 'string', filterable: true, sortable: true },
    object_id: { column: 'object_id', type: 'string', filterable: true },
    pool_id: { column: 'pool_id', type: 'string', filterable: true },
    raised_at: { column: 'raised_at', type: 'time', filterable: true, sortable: true },
    last_seen_at: { column: 'last_seen_at', type: 'time', filterable: true, sortable: true },
    cleared_at: { column: 'cleared_at', type: 'time', filterable: true, sortable: true },
    count: { column: 'count', type: 'integer', filterable: true, sortable: true },
    message: { column: 'message', type: 'string', filterable: true },
  },
  defaultSort: '-raised_at',
  tieBreaker: 'id',
});

export const CHANNEL_LIST = listSpec({
  fields: {
    name: { column: 'name', type: 'string', filterable: true, sortable: true },
    type: { column: 'type', type: 'string', filterable: true, sortable: true },
    enabled: { column: 'enabled', type: 'boolean', filterable: true },
    created_at: { column: 'created_at', type: 'time', filterable: true, sortable: true },
  },
  defaultSort: 'name',
  tieBreaker: 'id',
});

export const DELIVERY_LIST = listSpec({
  fields: {
    state: { column: 'state', type: 'string', filterable: true, sortable: true },
    alert_id: { column: 'alert_id', type: 'string', filterable: true },
    event: { column: 'event', type: 'string', filterable: true },
    created_at: { column: 'created_at', type: 'time', filterable: true, sortable: true },
  },
  defaultSort: '-created_at',
  tieBreaker: 'id',
});

/** The one log across events, alerts and the audit trail (NGXStorage's /log/* needs these filters). */
export const LOG_SOURCES = ['event', 'alert', 'audit'] as const;
export type LogSource = (typeof LOG_SOURCES)[number];

/** One line of the unified log. */
export interface LogEntry {
  source: LogSource;
  id: string;
  at: string;
  type: string;
  severity: string;
  object_type: string | null;
  object_id: string | null;
  message: string;
  actor: string;
}

export const LOG_LIST = listSpec({
  fields: {
    at: { column: 'at', type: 'time', filterable: true, sortable: true },
    source: { column: 'source', type: 'string', filterable: true, sortable: true },
    type: { column: 'type', type: 'string', filterable: true, sortable: true },
    severity: { column: 'severity', type: 'string', filterable: true, sortable: true },
    object_type: { column: 'object_type', type: 'string', filterable: true, sortable: true },
    object_id: { column: 'object_id', type: 'string', filterable: true },
    actor: { column: 'actor', type: 'string', filterable: true, sortable: true },
    message: { column: 'message', type: 'string', filterable: true },
  },
  defaultSort: '-at',
  tieBreaker: 'id',
});

/** Parameters log-style lists take besides the shared ones (the shape NGXStorage's log API needs). */
export const LOG_EXTRA_PARAMS = ['from', 'to', 'order', 'page'] as const;

/**
 * Folds `from`/`to` (time range), `order` (asc|desc, applied to the sort fields) and `page`
 * (1-based, with limit) into shared list parameters. Problems are collected with the rest.
 */
export function foldLogParams(
  query: Record<string, unknown>,
  defaultSortField: string,
): { query: Record<string, unknown>; problems: { field: string; code: string; message: string }[] } {
  const q: Record<string, unknown> = { ...query };
  const problems: { field: string; code: string; message: string }[] = [];
  const take = (k: string) => {
    const v = q[k];
    delete q[k];
    return v === undefined ? undefined : String(v);
  };
  const from = take('from');
  const to = take('to');
  const order = take('order');
  const page = take('page');
  if (from !== undefined) q[`${defaultSortField}__gte`] = from;
  if (to !== undefined) q[`${defaultSortField}__lte`] = to;
  if (order !== undefined) {
    if (order !== 'asc' && order !== 'desc')
      problems.push({ field: 'order', code: 'NOT_ORDER', message: 'order must be asc or desc' });
    const fields = String(q.sort ?? defaultSortField)
      .split(',')
      .filter(Boolean)
      .map((f) => f.replace(/^[-+]/, ''));
    q.sort = fields.map((f) => (order === 'desc' ? `-${f}` : f)).join(',');
  }
  if (page !== undefined) {
    const n = Number(page);
    if (!Number.isInteger(n) || n < 1)
      problems.push({ field: 'page', code: 'OUT_OF_RANGE', message: 'page must be an integer from 1' });
    else if (q.offset !== undefined || q.cursor !== undefined)
      problems.push({ field: 'page', code: 'CONFLICT', message: 'use page or offset/cursor, not both' });
    else q.offset = String((n - 1) * Number(q.limit ?? 100));
  }
  return { query: q, problems };
}
