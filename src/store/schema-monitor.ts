// Row types of the tables of statistics, alerts and notifications (issue 8). Merged into DB in schema.ts.
// Times of statistics are integer ms since the epoch (bigint on PostgreSQL); the rest ISO 8601 text.
import type { Generated } from 'kysely';

export interface StatPointsTable {
  kind: string;
  object_id: string;
  metric: string;
  ts: number | string;
  value: number;
}

export interface StatRollupsTable {
  resolution: string;
  kind: string;
  object_id: string;
  metric: string;
  ts: number | string;
  min: number;
  max: number;
  avg: number;
  last: number;
  count: number | string;
}

export interface AlertRulesTable {
  id: string;
  name: string;
  description: string;
  enabled: number;
  params: string;
  updated_at: string;
}

export interface AlertsTable {
  seq: Generated<number>;
  id: string;
  rule: string;
  object_type: string;
  object_id: string;
  pool_id: string | null;
  severity: string;
  state: string;
  /** rule|object while the alert is open (raised or acknowledged), NULL once cleared: unique. */
  open_key: string | null;
  message: string;
  details: string;
  count: number;
  raised_at: string;
  last_seen_at: string;
  acknowledged_at: string | null;
  acknowledged_by: string | null;
  cleared_at: string | null;
}

export interface NotificationChannelsTable {
  seq: Generated<number>;
  id: string;
  name: string;
  type: string;
  enabled: number;
  min_severity: string;
  config: string;
  secret: string | null;
  created_at: string;
  updated_at: string;
}

export interface NotificationDeliveriesTable {
  seq: Generated<number>;
  id: string;
  channel_id: string;
  alert_id: string | null;
  event: string;
  payload: string;
  state: string;
  attempts: number;
  next_attempt_at: number | string;
  last_error: string | null;
  created_at: string;
  delivered_at: string | null;
}

export interface MonitorTables {
  stat_points: StatPointsTable;
  stat_rollups: StatRollupsTable;
  alert_rules: AlertRulesTable;
  alerts: AlertsTable;
  notification_channels: NotificationChannelsTable;
  notification_deliveries: NotificationDeliveriesTable;
}
