// The alert evaluator: turns a sampling round (pools, volumes, …), the certificate and the other
// sources into conditions, raises, repeats and clears alerts against the store, and turns events
// other areas record (pool.degraded, disk.missing, scrub.errors, …) into alerts at once.
import type { Logger } from 'pino';
import type { AlertStore } from '../store/alerts.js';
import type { Notifier } from './notifier.js';
import type { Round } from './sampler.js';
import type { CairnEvent } from '../domain/events.js';
import {
  capacityCondition,
  volumeCapacityCondition,
  certificateCondition,
  eventEffect,
  planAlerts,
  spareClears,
  daemonDown,
  replicationConditions,
  type AlertRuleRecord,
  type Condition,
  type MonitorSources,
  type RuleKind,
} from '../domain/monitor.js';

export class AlertEvaluator {
  constructor(
    private readonly deps: {
      store: AlertStore;
      notifier: Notifier;
      sources: () => MonitorSources;
      certificateValidTo: () => string | null;
      now: () => number;
      logger: Logger;
    },
  ) {}

  private iso = () => new Date(this.deps.now()).toISOString();

  /** Evaluates every rule whose inputs are known after a round; clears what no longer holds. */
  async evaluate(round: Round | null): Promise<void> {
    const rules = new Map((await this.deps.store.rules()).map((r) => [r.id, r]));
    const on = (k: RuleKind): AlertRuleRecord | null => {
      const r = rules.get(k);
      return r && r.enabled ? r : null;
    };
    const evaluated = new Set<string>();
    const conds: Condition[] = [];
    // Disabled rules have no conditions: their open alerts clear.
    for (const r of rules.values()) if (!r.enabled) evaluated.add(r.id);

    if (round?.pools) {
      const cap = on('pool_capacity');
      const health = on('pool_health');
      const dev = on('device_errors');
      if (cap) evaluated.add(cap.id);
      if (health) evaluated.add(health.id);
      if (dev && round.pools.some((p) => p.deviceErrors)) evaluated.add(dev.id);
      for (const p of round.pools) {
        const c = cap && capacityCondition(p, p, cap.params);
        if (c) conds.push(c);
        if (health && (p.health === 'degraded' || p.health === 'faulted'))
          conds.push({
            rule: 'pool_health',
            objectType: 'pool',
            objectId: p.id,
            poolId: p.id,
            severity: p.health === 'faulted' ? 'critical' : 'error',
            message: `pool ${p.name} is ${p.health}`,
            details: { health: p.health },
          });
        const errs = (p.deviceErrors ?? []).filter((d) => d.errors > (dev?.params.max_errors ?? 0));
        if (dev && errs.length)
          conds.push({
            rule: 'device_errors',
            objectType: 'pool',
            objectId: p.id,
            poolId: p.id,
            severity: 'error',
            message: `pool ${p.name} has device errors on ${errs.map((d) => d.device).join(', ')}`,
            details: { devices: errs },
          });
      }
    }

    const vcap = on('volume_capacity');
    if (round?.volumes && vcap) {
      evaluated.add(vcap.id);
      for (const v of round.volumes) {
        const c = volumeCapacityCondition(v, vcap.params);
        if (c) conds.push(c);
      }
    }

    const snap = on('snapshot_limit');
    if (round?.volumes && snap) {
      evaluated.add(snap.id);
      for (const v of round.volumes) {
        if (!v.snapshotLimit || v.snapshotCount === undefined) continue;
        const pct = (100 * v.snapshotCount) / v.snapshotLimit;
        if (pct >= (snap.params.warn_percent ?? 90))
          conds.push({
            rule: 'snapshot_limit',
            objectType: 'volume',
            objectId: v.id,
            poolId: v.poolId,
            severity: v.snapshotCount >= v.snapshotLimit ? 'error' : 'warning',
            message: `volume ${v.name} holds ${v.snapshotCount} of at most ${v.snapshotLimit} snapshots`,
            details: { count: v.snapshotCount, limit: v.snapshotLimit },
          });
      }
    }

    const sources = this.deps.sources();
    const repl = on('replication');
    if (repl && sources.replication) {
      try {
        const list = await sources.replication.relationships();
        evaluated.add(repl.id);
        conds.push(...replicationConditions(list, repl.params));
      } catch (e) {
        this.deps.logger.warn({ err: e }, 'replication source failed');
      }
    }

    const daemon = on('daemon_down');
    if (daemon && sources.daemons) {
      try {
        const list = await sources.daemons.daemons();
        evaluated.add(daemon.id);
        for (const d of list)
          if (daemonDown(d))
            conds.push({
              rule: 'daemon_down',
              objectType: 'daemon',
              objectId: d.name,
              poolId: null,
              severity: 'error',
              message: `daemon ${d.name} is not running${d.lastError ? `: ${d.lastError}` : ''}`,
              details: {
                state: d.state ?? null,
                restarts: d.restarts ?? null,
                last_error: d.lastError ?? null,
              },
            });
      } catch (e) {
        this.deps.logger.warn({ err: e }, 'daemon source failed');
      }
    }

    const cert = on('certificate_expiry');
    const validTo = this.deps.certificateValidTo();
    if (cert && validTo) {
      evaluated.add(cert.id);
      const c = certificateCondition(validTo, this.deps.now(), cert.params);
      if (c) conds.push(c);
    }

    await this.apply(conds, evaluated, round ? new Date(round.ts).toISOString() : undefined);
  }

  private async apply(conds: Condition[], evaluated: Set<string>, observedAt?: string): Promise<void> {
    const open = await this.deps.store.open([...evaluated, ...new Set(conds.map((c) => c.rule))]);
    const plan = planAlerts(conds, open, evaluated, observedAt);
    const now = this.iso();
    for (const c of plan.raise) {
      const { alert, created } = await this.deps.store.raise(c, now);
      if (created) await this.deps.notifier.notify('alert.raised', alert);
    }
    for (const r of plan.repeat) await this.deps.store.bump(r.alertId, r.condition, now);
    for (const id of plan.clear) {
      const a = await this.deps.store.clear(id, now);
      if (a) await this.deps.notifier.notify('alert.cleared', a);
    }
  }

  /** For EventStore.listen: the event's alert is raised or cleared in the background; a failure is logged. */
  readonly eventListener = (e: CairnEvent): void => {
    void this.onEvent(e).catch((err: unknown) =>
      this.deps.logger.warn({ err, event: e.type }, 'alert from event failed'),
    );
  };

  /** An event another area recorded: raise or clear the alert it stands for. */
  async onEvent(e: CairnEvent): Promise<void> {
    const now = this.iso();
    const replaced = spareClears(e);
    if (replaced) await this.clearFor('disk_missing', replaced, now);
    const eff = eventEffect(e);
    if (!eff) return;
    if (eff.action === 'clear') {
      await this.clearFor(eff.rule, eff.objectId, now);
      return;
    }
    const rule = await this.deps.store.rule(eff.condition.rule);
    if (!rule?.enabled) return;
    const { alert, created } = await this.deps.store.raise(eff.condition, now);
    if (created) await this.deps.notifier.notify('alert.raised', alert);
  }

  private async clearFor(rule: string, objectId: string, now: string): Promise<void> {
    const open = await this.deps.store.openFor(rule, objectId);
    if (!open) return;
    const a = await this.deps.store.clear(open.id, now);
    if (a) await this.deps.notifier.notify('alert.cleared', a);
  }
}
