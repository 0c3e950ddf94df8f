// The conditions each rule watches, computed from a round's figures (capacity, certificate,
// replication) or read from an event (pool health, disk missing, scrub, daemons, jobs). Pure.
import type { CairnEvent, Severity } from '../events.js';
import type { Condition, RuleKind } from './alerts.js';
import type { ReplicationStatus, VolumeRow } from './sources.js';
import { DAY_MS } from './stats.js';

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
export function eventEffect(
  e: Pick<CairnEvent, 'type' | 'severity' | 'objectType' | 'objectId' | 'message' | 'details'>,
): { action: 'raise'; condition: Condition } | { action: 'clear'; rule: RuleKind; objectId: string } | null {
  const objectId = e.objectId;
  if (!objectId) return null;
  const poolId =
    e.objectType === 'pool' ? objectId : typeof e.details.pool_id === 'string' ? e.details.pool_id : null;
  const raise = (rule: RuleKind, severity: Severity) => ({
    action: 'raise' as const,
    condition: {
      rule,
      objectType: e.objectType ?? 'object',
      objectId,
      poolId,
      severity,
      message: e.message,
      details: { event_type: e.type, ...e.details },
    },
  });
  const clear = (rule: RuleKind) => ({ action: 'clear' as const, rule, objectId });
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
