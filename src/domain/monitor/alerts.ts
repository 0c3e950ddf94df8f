// Alert rules and the alert lifecycle: rule kinds with their default thresholds, the stored
// alert, and how the conditions of a round raise, repeat or clear open alerts. Pure.
import type { Severity } from '../events.js';
import { Type, type Static } from '@sinclair/typebox';
import { listSpec } from '../list.js';

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

// ---- Wire schemas: the alert, the rule and the rule's change; the records and the mappers below.

/** An alert as stored and answered on the wire. */
export const Alert = Type.Object(
  {
    id: Type.String(),
    rule: Type.String(),
    object_type: Type.String(),
    object_id: Type.String(),
    pool_id: Type.Union([Type.String(), Type.Null()]),
    severity: Type.Unsafe<Severity>(Type.String({ description: 'info, warning, error or critical' })),
    state: Type.Unsafe<AlertState>(Type.String({ description: 'raised, acknowledged or cleared' })),
    message: Type.String(),
    details: Type.Record(Type.String(), Type.Unknown()),
    count: Type.Integer({ description: 'how many times the condition was seen while open' }),
    raised_at: Type.String(),
    last_seen_at: Type.String(),
    acknowledged_at: Type.Union([Type.String(), Type.Null()]),
    acknowledged_by: Type.Union([Type.String(), Type.Null()]),
    cleared_at: Type.Union([Type.String(), Type.Null()]),
  },
  { $id: 'Alert' },
);
export type Alert = Static<typeof Alert>;
export const AlertRule = Type.Object(
  {
    id: Type.Unsafe<RuleKind>(Type.String()),
    name: Type.String(),
    description: Type.String(),
    enabled: Type.Boolean(),
    /** Thresholds; keys depend on the kind (see DEFAULT_RULES). */
    params: Type.Record(Type.String(), Type.Number()),
    updated_at: Type.String(),
  },
  { $id: 'AlertRule' },
);
export type AlertRule = Static<typeof AlertRule>;

/** An alert as the store and the monitor keep it. */
export interface AlertRecord {
  id: string;
  rule: string;
  objectType: string;
  objectId: string;
  poolId: string | null;
  severity: Severity;
  state: AlertState;
  message: string;
  details: Record<string, unknown>;
  count: number;
  raisedAt: string;
  lastSeenAt: string;
  acknowledgedAt: string | null;
  acknowledgedBy: string | null;
  clearedAt: string | null;
}

/** The alert on the wire (and in a notification's payload). */
export const alertWire = (a: AlertRecord): Alert => ({
  id: a.id,
  rule: a.rule,
  object_type: a.objectType,
  object_id: a.objectId,
  pool_id: a.poolId,
  severity: a.severity,
  state: a.state,
  message: a.message,
  details: a.details,
  count: a.count,
  raised_at: a.raisedAt,
  last_seen_at: a.lastSeenAt,
  acknowledged_at: a.acknowledgedAt,
  acknowledged_by: a.acknowledgedBy,
  cleared_at: a.clearedAt,
});

/** A rule as the store and the monitor keep it. */
export interface AlertRuleRecord {
  id: RuleKind;
  name: string;
  description: string;
  enabled: boolean;
  params: Record<string, number>;
  updatedAt: string;
}
/** A rule's change: enabling, thresholds. */
export const AlertRuleUpdate = Type.Object(
  {
    enabled: Type.Optional(Type.Boolean()),
    params: Type.Optional(
      Type.Record(Type.String({ pattern: '^[a-z_]{1,40}$' }), Type.Number(), {
        description: 'thresholds to change, e.g. {"warn_percent": 70}',
      }),
    ),
  },
  { additionalProperties: false, minProperties: 1 },
);
export type AlertRuleUpdate = Static<typeof AlertRuleUpdate>;

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
  open: (Pick<AlertRecord, 'id' | 'rule' | 'objectId'> & { lastSeenAt?: string })[],
  evaluatedRules: ReadonlySet<string>,
  /**
   * When the conditions were observed (ISO): an alert seen after that (an event recorded while the
   * round was reading its sources) is newer than the observation and is not cleared by it.
   */
  observedAt?: string,
): AlertPlan {
  const openByKey = new Map(open.map((a) => [alertKey(a.rule, a.objectId), a]));
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
      !seen.has(alertKey(a.rule, a.objectId)) &&
      !(observedAt && a.lastSeenAt && a.lastSeenAt > observedAt)
    )
      plan.clear.push(a.id);
  return plan;
}

export const SEVERITY_RANK: Record<Severity, number> = { info: 0, warning: 1, error: 2, critical: 3 };

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

/** The rule on the wire. */
export const alertRuleWire = (r: AlertRuleRecord): AlertRule => ({
  id: r.id,
  name: r.name,
  description: r.description,
  enabled: r.enabled,
  params: r.params,
  updated_at: r.updatedAt,
});
