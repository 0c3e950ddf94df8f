// Alert rules (one row per rule kind, thresholds as JSON) and alerts with their lifecycle: raised →
// acknowledged → cleared. At most one open alert per rule and object, enforced by a unique open_key.
import type { Kysely, Selectable } from 'kysely';
import type { DB } from './schema.js';
import type { AlertsTable } from './schema-monitor.js';
import type { StoreDialect } from './dialect.js';
import { listPage } from './list.js';
import type { ListParams, Page } from '../domain/list.js';
import { newId } from '../domain/ids.js';
import type { Severity } from '../domain/events.js';
import {
  ALERT_LIST,
  DEFAULT_RULES,
  alertKey,
  type AlertRecord,
  type AlertRuleRecord,
  type AlertState,
  type Condition,
  type RuleKind,
} from '../domain/monitor.js';

const toAlert = (r: Selectable<AlertsTable>): AlertRecord => ({
  id: r.id,
  rule: r.rule,
  objectType: r.object_type,
  objectId: r.object_id,
  poolId: r.pool_id,
  severity: r.severity as Severity,
  state: r.state as AlertState,
  message: r.message,
  details: JSON.parse(r.details) as Record<string, unknown>,
  count: Number(r.count),
  raisedAt: r.raised_at,
  lastSeenAt: r.last_seen_at,
  acknowledgedAt: r.acknowledged_at,
  acknowledgedBy: r.acknowledged_by,
  clearedAt: r.cleared_at,
});

const toRule = (r: Selectable<DB['alert_rules']>): AlertRuleRecord => ({
  id: r.id as RuleKind,
  name: r.name,
  description: r.description,
  enabled: r.enabled === 1,
  params: JSON.parse(r.params) as Record<string, number>,
  updatedAt: r.updated_at,
});

export class AlertStore {
  constructor(
    private readonly db: Kysely<DB>,
    private readonly dialect: StoreDialect,
  ) {}

  // ---------- rules
  /** Inserts the built-in rules that are missing (thresholds already changed are kept). */
  async ensureRules(now: string): Promise<void> {
    for (const r of DEFAULT_RULES)
      await this.db
        .insertInto('alert_rules')
        .values({
          id: r.id,
          name: r.name,
          description: r.description,
          enabled: r.enabled ? 1 : 0,
          params: JSON.stringify(r.params),
          updated_at: now,
        })
        .onConflict((oc) => oc.column('id').doNothing())
        .execute();
    // A rule whose parameters changed in a release (replication: max_lag_seconds → lag_intervals)
    // gets the new set: thresholds an admin set for parameters that still exist are kept.
    for (const r of await this.rules()) {
      const def = DEFAULT_RULES.find((d) => d.id === r.id);
      if (!def) continue;
      const keys = Object.keys(def.params);
      const stored = Object.keys(r.params);
      if (keys.length === stored.length && keys.every((k) => k in r.params)) continue;
      const params = Object.fromEntries(keys.map((k) => [k, r.params[k] ?? def.params[k]!]));
      await this.db
        .updateTable('alert_rules')
        .set({ params: JSON.stringify(params), description: def.description, updated_at: now })
        .where('id', '=', r.id)
        .execute();
    }
  }

  async rules(): Promise<AlertRuleRecord[]> {
    return (await this.db.selectFrom('alert_rules').selectAll().orderBy('id').execute()).map(toRule);
  }

  async rule(id: string): Promise<AlertRuleRecord | null> {
    const r = await this.db.selectFrom('alert_rules').selectAll().where('id', '=', id).executeTakeFirst();
    return r ? toRule(r) : null;
  }

  async updateRule(id: string, patch: { enabled?: boolean; params?: Record<string, number> }, now: string) {
    await this.db
      .updateTable('alert_rules')
      .set({
        ...(patch.enabled === undefined ? {} : { enabled: patch.enabled ? 1 : 0 }),
        ...(patch.params ? { params: JSON.stringify(patch.params) } : {}),
        updated_at: now,
      })
      .where('id', '=', id)
      .execute();
  }

  // ---------- alerts
  async get(id: string): Promise<AlertRecord | null> {
    const r = await this.db.selectFrom('alerts').selectAll().where('id', '=', id).executeTakeFirst();
    return r ? toAlert(r) : null;
  }

  /** Open (raised or acknowledged) alerts, optionally of some rules only. */
  async open(rules?: string[]): Promise<AlertRecord[]> {
    let q = this.db.selectFrom('alerts').selectAll().where('open_key', 'is not', null);
    if (rules) {
      if (rules.length === 0) return [];
      q = q.where('rule', 'in', rules);
    }
    return (await q.execute()).map(toAlert);
  }

  async openFor(rule: string, objectId: string): Promise<AlertRecord | null> {
    const r = await this.db
      .selectFrom('alerts')
      .selectAll()
      .where('open_key', '=', alertKey(rule, objectId))
      .executeTakeFirst();
    return r ? toAlert(r) : null;
  }

  /**
   * Raises an alert for a condition, or bumps the open one for the same rule and object. Returns
   * the alert and whether it is new (new ones are notified).
   */
  async raise(c: Condition, now: string): Promise<{ alert: AlertRecord; created: boolean }> {
    const existing = await this.openFor(c.rule, c.objectId);
    if (existing) return { alert: await this.bump(existing.id, c, now), created: false };
    const id = newId();
    try {
      await this.db
        .insertInto('alerts')
        .values({
          id,
          rule: c.rule,
          object_type: c.objectType,
          object_id: c.objectId,
          pool_id: c.poolId,
          severity: c.severity,
          state: 'raised',
          open_key: alertKey(c.rule, c.objectId),
          message: c.message,
          details: JSON.stringify(c.details ?? {}),
          count: 1,
          raised_at: now,
          last_seen_at: now,
          acknowledged_at: null,
          acknowledged_by: null,
          cleared_at: null,
        })
        .execute();
    } catch (e) {
      // Another writer raised it first (unique open_key): this is a repeat.
      const again = await this.openFor(c.rule, c.objectId);
      if (!again) throw e;
      return { alert: await this.bump(again.id, c, now), created: false };
    }
    return { alert: (await this.get(id))!, created: true };
  }

  /** A repeat: count + 1, last seen now; severity and message follow the condition. */
  async bump(id: string, c: Condition, now: string): Promise<AlertRecord> {
    await this.db
      .updateTable('alerts')
      .set((eb) => ({
        count: eb('count', '+', 1),
        last_seen_at: now,
        severity: c.severity,
        message: c.message,
        details: JSON.stringify(c.details ?? {}),
      }))
      .where('id', '=', id)
      .execute();
    return (await this.get(id))!;
  }

  /** Clears an open alert (the condition ended); returns it, or null when it was not open. */
  async clear(id: string, now: string): Promise<AlertRecord | null> {
    const r = await this.db
      .updateTable('alerts')
      .set({ state: 'cleared', open_key: null, cleared_at: now })
      .where('id', '=', id)
      .where('open_key', 'is not', null)
      .executeTakeFirst();
    return Number(r.numUpdatedRows) > 0 ? this.get(id) : null;
  }

  async acknowledge(id: string, by: string, now: string): Promise<void> {
    await this.db
      .updateTable('alerts')
      .set({ state: 'acknowledged', acknowledged_at: now, acknowledged_by: by })
      .where('id', '=', id)
      .where('state', '=', 'raised')
      .execute();
  }

  /** Lists alerts; `pools` limits to alerts of those pools (API keys limited to pools). */
  list(params: ListParams, pools: string[] | null): Promise<Page<AlertRecord>> {
    let q = this.db.selectFrom('alerts').selectAll();
    if (pools) q = pools.length ? q.where('pool_id', 'in', pools) : q.where('pool_id', '=', '\u0000');
    return listPage(q, ALERT_LIST, params, this.dialect, toAlert);
  }

  async countOpen(): Promise<{ severity: string; n: number }[]> {
    const rows = await this.db
      .selectFrom('alerts')
      .select(['severity', (e) => e.fn.countAll().as('n')])
      .where('open_key', 'is not', null)
      .groupBy('severity')
      .execute();
    return rows.map((r) => ({ severity: r.severity, n: Number(r.n) }));
  }
}
