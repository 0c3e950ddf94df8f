// GET /metrics: the sampler's latest figures in Prometheus text, through prom-client with its own
// Registry (never the global one, so several instances in one process do not clash). Names are
// cairn_<kind>_<metric>, units in the names; `_total` metrics are counters, the rest gauges.
import { Counter, Gauge, Registry } from 'prom-client';
import type { LatestObject } from './sampler.js';
import type { StatKind } from '../domain/monitor.js';

const KIND_LABELS: Record<StatKind, string[]> = {
  node: ['id', 'name'],
  disk: ['id', 'name', 'device', 'pool_id'],
  pool: ['id', 'name', 'health'],
  volume: ['id', 'name', 'pool_id'],
  export: ['id', 'name', 'pool_id'],
};

const clean = (s: string) => s.toLowerCase().replace(/[^a-z0-9_]/g, '_');

export class Metrics {
  private readonly registry = new Registry();
  private readonly metrics = new Map<string, Gauge | Counter>();

  constructor(private readonly version: string) {}

  private metric(name: string, help: string, labelNames: string[]): Gauge | Counter {
    let m = this.metrics.get(name);
    if (!m) {
      const cfg = { name, help, labelNames, registers: [this.registry] };
      m = name.endsWith('_total') ? new Counter(cfg) : new Gauge(cfg);
      this.metrics.set(name, m);
    }
    return m;
  }

  private put(name: string, help: string, labels: Record<string, string>, value: number): void {
    const m = this.metric(name, help, Object.keys(labels));
    if (m instanceof Counter) m.inc(labels, Math.max(0, value));
    else m.set(labels, value);
  }

  /** The exposition text for the given latest objects and open alerts. */
  async render(
    latest: Iterable<LatestObject>,
    extra: {
      openAlerts: { severity: string; n: number }[];
      rounds: number;
      lastRoundMs: number;
      nodeId: string;
    },
  ): Promise<{ contentType: string; body: string }> {
    this.registry.resetMetrics();
    this.put('cairn_info', 'Cairn version (always 1)', { version: this.version, node_id: extra.nodeId }, 1);
    for (const sev of ['info', 'warning', 'error', 'critical'])
      this.put(
        'cairn_alerts_open',
        'open (raised or acknowledged) alerts by severity',
        { severity: sev },
        extra.openAlerts.find((a) => a.severity === sev)?.n ?? 0,
      );
    this.put('cairn_sampler_rounds_total', 'sampling rounds since start', {}, extra.rounds);
    this.put(
      'cairn_sampler_round_duration_seconds',
      'wall time of the last sampling round',
      {},
      extra.lastRoundMs / 1000,
    );
    for (const o of latest) {
      const names = KIND_LABELS[o.kind];
      const labels: Record<string, string> = {};
      for (const l of names) labels[l] = l === 'id' ? o.id : l === 'name' ? o.name : (o.labels[l] ?? '');
      for (const [metric, value] of Object.entries(o.metrics))
        this.put(`cairn_${o.kind}_${clean(metric)}`, `${o.kind} ${metric.replace(/_/g, ' ')}`, labels, value);
    }
    return { contentType: this.registry.contentType, body: await this.registry.metrics() };
  }
}
