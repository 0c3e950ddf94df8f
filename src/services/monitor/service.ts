// The monitoring service the API and CLI call: live and history statistics, alerts and their
// rules, notification channels, the event and unified logs, status and /metrics. It checks input
// and scope (API keys limited to pools) and throws CairnError; the monitor/ modules do the work.
import { CairnError, type FieldProblem } from '../../domain/errors.js';
import { newId } from '../../domain/ids.js';
import { parseListQuery, type ListParams, type ListSpec, type Page, mapPage } from '../../domain/list.js';
import { EVENT_LIST } from '../../domain/list-specs.js';
import { allows, principalName, type Principal } from '../../domain/permissions.js';
import { eventWire, type Event } from '../../domain/events.js';
import {
  ALERT_LIST,
  CHANNEL_LIST,
  DELIVERY_LIST,
  LOG_EXTRA_PARAMS,
  LOG_LIST,
  RULE_PARAM_BOUNDS,
  autoResolution,
  foldLogParams,
  alertWire,
  alertRuleWire,
  type Alert,
  type AlertRecord,
  type AlertRule,
  type AlertRuleUpdate,
  type ChannelCreate,
  type ChannelType,
  type ChannelUpdate,
  logEntryWire,
  deliveryWire,
  type LogEntry,
  type MonitorSources,
  type NotificationChannel,
  type Resolution,
  type Retention,
  type StatKind,
} from '../../domain/monitor.js';
import type { StatsStore } from '../../store/stats.js';
import type { AlertStore } from '../../store/alerts.js';
import { publicChannel, type NotificationStore } from '../../store/notifications.js';
import type { EventStore } from '../../store/events.js';
import type { MonitorLogStore } from '../../store/monitor-log.js';
import type { Sampler } from '../../monitor/sampler.js';
import type { AlertEvaluator } from '../../monitor/alerts.js';
import type { Notifier } from '../../monitor/notifier.js';
import type { Metrics } from '../../monitor/metrics.js';
import type { VersionService } from '../records.js';
import type { SystemService } from '../system.js';
import type { SourceSet } from './sources.js';

export interface HistoryQuery {
  from?: string;
  to?: string;
  resolution?: Resolution | 'auto';
  metrics?: string;
  limit?: number;
}

const scoped = (p: Principal, poolId: string | null | undefined) => {
  if (p.pools && (!poolId || !p.pools.includes(poolId))) throw new CairnError('OUT_OF_SCOPE');
};

export class MonitorService {
  constructor(
    private readonly d: {
      stats: StatsStore;
      alerts: AlertStore;
      notifications: NotificationStore;
      events: EventStore;
      log: MonitorLogStore;
      audit: { list(params: ListParams): Promise<Page<unknown>> };
      sampler: Sampler;
      evaluator: AlertEvaluator;
      notifier: Notifier;
      metrics: Metrics;
      versions: Pick<VersionService, 'all'>;
      system: SystemService;
      sources: SourceSet;
      retention: () => Promise<Retention>;
      nodeId: string;
      intervalMs: number;
      now: () => number;
      metricsPublic: boolean;
    },
  ) {}

  readonly intervalMs = () => this.d.intervalMs;
  /** Sampling rounds completed since start (tests count rounds instead of waiting for time). */
  readonly rounds = () => this.d.sampler.rounds;
  /** The event log every area records into (alerts follow the events recorded here). */
  get eventSink(): Pick<EventStore, 'record'> {
    return this.d.events;
  }
  readonly metricsPublic = () => this.d.metricsPublic;

  /** The sources in use: those found among the areas, overridden by registered ones. */
  sources(): MonitorSources {
    return this.d.sources.current();
  }

  /** Plugs in sources (areas that land later, dialects, tests); replaces those of the same kind. */
  registerSources(s: MonitorSources): void {
    this.d.sources.register(s);
  }

  /** Samples now and evaluates the alerts (what the timer does every interval). */
  async sampleNow(): Promise<void> {
    await this.d.sampler.sample();
  }

  /** Runs the rollups and retention for `now` (the sampler runs them as hours pass). */
  async rollup(now = this.d.now()) {
    return this.d.stats.rollup(now, await this.d.retention());
  }

  // ------------------------------------------------------------ statistics
  private checkObject(p: Principal, kind: StatKind, id: string): void {
    const o = this.d.sampler.latest.get(`${kind}/${id}`);
    if (kind === 'pool') scoped(p, id);
    else if (kind === 'volume' || kind === 'export') scoped(p, o?.labels.pool_id);
  }

  async live(p: Principal, kind: StatKind, id: string) {
    this.checkObject(p, kind, id);
    const o = this.d.sampler.latest.get(`${kind}/${id}`);
    if (o)
      return {
        kind,
        id,
        name: o.name,
        ts: new Date(o.ts).toISOString(),
        interval_ms: this.d.intervalMs,
        metrics: o.metrics,
      };
    const rows = await this.d.stats.latest(kind, id);
    if (rows.length === 0) throw new CairnError('STATS_OBJECT_NOT_FOUND', { kind, id });
    const ts = Math.max(...rows.map((r) => r.ts));
    return {
      kind,
      id,
      name: id,
      ts: new Date(ts).toISOString(),
      interval_ms: this.d.intervalMs,
      metrics: Object.fromEntries(rows.map((r) => [r.metric, r.value])),
    };
  }

  async history(p: Principal, kind: StatKind, id: string, q: HistoryQuery) {
    this.checkObject(p, kind, id);
    const now = this.d.now();
    const problems: FieldProblem[] = [];
    const time = (field: string, v: string | undefined, def: number) => {
      if (v === undefined) return def;
      const t = Date.parse(v);
      if (Number.isNaN(t))
        problems.push({ field, code: 'NOT_TIME', message: `${v} is not an ISO 8601 time` });
      return t;
    };
    const to = time('to', q.to, now);
    const from = time('from', q.from, to - 3_600_000);
    if (from > to) problems.push({ field: 'from', code: 'AFTER_TO', message: 'from must not be after to' });
    CairnError.assertNoProblems(problems);
    const retention = await this.d.retention();
    const resolution =
      !q.resolution || q.resolution === 'auto' ? autoResolution(from, to, now, retention) : q.resolution;
    const metrics = q.metrics ? q.metrics.split(',').filter(Boolean) : null;
    const series = await this.d.stats.history(kind, id, resolution, from, to, metrics, q.limit ?? 10_000);
    if (series.length === 0 && !this.d.sampler.latest.has(`${kind}/${id}`)) {
      if ((await this.d.stats.latest(kind, id)).length === 0)
        throw new CairnError('STATS_OBJECT_NOT_FOUND', { kind, id });
    }
    return {
      kind,
      id,
      resolution,
      from: new Date(from).toISOString(),
      to: new Date(to).toISOString(),
      series: series.map((s) => ({
        metric: s.metric,
        points: s.points.map((x) => ({ ...x, ts: new Date(x.ts).toISOString() })),
      })),
    };
  }

  /** Objects with live figures, optionally of one kind (for `cairn stats list`). */
  objects(p: Principal, kind?: StatKind) {
    return [...this.d.sampler.latest.values()]
      .filter((o) => !kind || o.kind === kind)
      .filter((o) => {
        if (!p.pools) return true;
        const pool = o.kind === 'pool' ? o.id : o.labels.pool_id;
        return o.kind === 'node' || (pool ? p.pools.includes(pool) : false);
      })
      .map((o) => ({ kind: o.kind, id: o.id, name: o.name, ts: new Date(o.ts).toISOString() }));
  }

  // ------------------------------------------------------------ alerts
  async listAlerts(p: Principal, params: ListParams): Promise<Page<Alert>> {
    const page = await this.d.alerts.list(params, p.pools);
    return mapPage(page, alertWire);
  }

  async getAlert(p: Principal, id: string): Promise<Alert> {
    return alertWire(await this.alert(p, id));
  }

  private async alert(p: Principal, id: string): Promise<AlertRecord> {
    const a = await this.d.alerts.get(id);
    if (!a) throw new CairnError('ALERT_NOT_FOUND', { id });
    if (p.pools) scoped(p, a.poolId);
    return a;
  }

  async acknowledge(p: Principal, id: string): Promise<Alert> {
    const a = await this.alert(p, id);
    if (a.state === 'cleared') throw new CairnError('ALERT_CLEARED', { id });
    await this.d.alerts.acknowledge(id, principalName(p), new Date(this.d.now()).toISOString());
    return this.getAlert(p, id);
  }

  async rules(): Promise<AlertRule[]> {
    return (await this.d.alerts.rules()).map(alertRuleWire);
  }

  async updateRule(id: string, patch: AlertRuleUpdate) {
    const rule = await this.d.alerts.rule(id);
    if (!rule) throw new CairnError('ALERT_RULE_NOT_FOUND', { id });
    const problems: FieldProblem[] = [];
    const params = { ...rule.params };
    for (const [k, v] of Object.entries(patch.params ?? {})) {
      const b = RULE_PARAM_BOUNDS[k];
      if (!(k in rule.params) || !b)
        problems.push({ field: `params.${k}`, code: 'UNKNOWN_FIELD', message: `rule ${id} has no ${k}` });
      else if (typeof v !== 'number' || v < b.min || v > b.max)
        problems.push({
          field: `params.${k}`,
          code: 'OUT_OF_RANGE',
          message: `${k} must be from ${b.min} to ${b.max}`,
        });
      else params[k] = v;
    }
    CairnError.assertNoProblems(problems);
    await this.d.alerts.updateRule(
      id,
      { enabled: patch.enabled, params },
      new Date(this.d.now()).toISOString(),
    );
    // A changed threshold takes effect now, not at the next round.
    await this.d.evaluator.evaluate(await this.d.sampler.sample().catch(() => null));
    return alertRuleWire((await this.d.alerts.rule(id))!);
  }

  // ------------------------------------------------------------ notification channels
  listChannels(params: ListParams): Promise<Page<NotificationChannel>> {
    return this.d.notifications.list(params);
  }

  private async channel(id: string) {
    const c = await this.d.notifications.get(id);
    if (!c) throw new CairnError('NOTIFICATION_CHANNEL_NOT_FOUND', { id });
    return c;
  }

  async getChannel(id: string): Promise<NotificationChannel> {
    return publicChannel(await this.channel(id));
  }

  private channelConfig(type: ChannelType, i: Partial<ChannelCreate>, problems: FieldProblem[]) {
    const need = (field: keyof ChannelCreate) => {
      if (i[field] === undefined)
        problems.push({ field, code: 'REQUIRED', message: `${field} is required for ${type} channels` });
    };
    if (type === 'webhook') {
      need('url');
      if (i.url !== undefined) {
        let ok = false;
        try {
          ok = ['http:', 'https:'].includes(new URL(i.url).protocol);
        } catch {
          ok = false;
        }
        if (!ok) problems.push({ field: 'url', code: 'NOT_URL', message: 'url must be an http(s) URL' });
      }
      return { url: i.url };
    }
    need('to');
    need('from');
    need('smtp_host');
    return {
      to: i.to,
      from: i.from,
      smtp_host: i.smtp_host,
      smtp_port: i.smtp_port ?? (i.smtp_security === 'tls' ? 465 : 587),
      smtp_security: i.smtp_security ?? 'starttls',
      ...(i.smtp_user ? { smtp_user: i.smtp_user } : {}),
    };
  }

  async createChannel(i: ChannelCreate): Promise<NotificationChannel> {
    const problems: FieldProblem[] = [];
    const config = this.channelConfig(i.type, i, problems);
    if (i.type === 'email' && i.secret !== undefined)
      problems.push({ field: 'secret', code: 'NOT_FOR_TYPE', message: 'email channels use smtp_password' });
    if (i.type === 'webhook' && (i.smtp_password !== undefined || i.to !== undefined))
      problems.push({ field: 'to', code: 'NOT_FOR_TYPE', message: 'webhook channels take url and secret' });
    CairnError.assertNoProblems(problems);
    if (await this.d.notifications.byName(i.name))
      throw new CairnError('NOTIFICATION_CHANNEL_NAME_TAKEN', { name: i.name });
    const id = newId();
    await this.d.notifications.insert(
      {
        id,
        name: i.name,
        type: i.type,
        enabled: i.enabled ?? true,
        minSeverity: i.min_severity ?? 'warning',
        config,
        secret: (i.type === 'webhook' ? i.secret : i.smtp_password) ?? null,
      },
      new Date(this.d.now()).toISOString(),
    );
    return this.getChannel(id);
  }

  async updateChannel(
    id: string,
    i: ChannelUpdate & Pick<Partial<ChannelCreate>, 'type'>,
  ): Promise<NotificationChannel> {
    const c = await this.channel(id);
    const problems: FieldProblem[] = [];
    if (i.type !== undefined && i.type !== c.type)
      problems.push({ field: 'type', code: 'IMMUTABLE', message: 'the type of a channel cannot change' });
    const merged = { ...(c.config as Partial<ChannelCreate>), ...i };
    const config = this.channelConfig(c.type, merged, problems);
    CairnError.assertNoProblems(problems);
    if (i.name && i.name !== c.name && (await this.d.notifications.byName(i.name)))
      throw new CairnError('NOTIFICATION_CHANNEL_NAME_TAKEN', { name: i.name });
    const secret = c.type === 'webhook' ? i.secret : i.smtp_password;
    await this.d.notifications.update(
      id,
      {
        ...(i.name === undefined ? {} : { name: i.name }),
        ...(i.enabled === undefined ? {} : { enabled: i.enabled }),
        ...(i.min_severity === undefined ? {} : { minSeverity: i.min_severity }),
        config,
        ...(secret === undefined ? {} : { secret: secret === '' ? null : secret }),
      },
      new Date(this.d.now()).toISOString(),
    );
    return this.getChannel(id);
  }

  async deleteChannel(id: string): Promise<void> {
    await this.channel(id);
    await this.d.notifications.delete(id);
  }

  /** Sends a test notification on a channel now (one attempt); 422 NOTIFICATION_FAILED if it fails. */
  async testChannel(id: string) {
    const c = await this.channel(id);
    const payload = JSON.stringify({
      event: 'test',
      system: (await this.d.system.info()).name,
      sent_at: new Date(this.d.now()).toISOString(),
      channel: { id: c.id, name: c.name },
    });
    const r = await this.d.notifier.send(c, payload, 'test');
    if (!r.delivered)
      throw new CairnError('NOTIFICATION_FAILED', { name: c.name, reason: r.error ?? 'failed' });
    return { delivered: true, status: r.status ?? null };
  }

  async deliveries(id: string, params: ListParams) {
    await this.channel(id);
    const page = await this.d.notifications.listDeliveries(id, params);
    return mapPage(page, deliveryWire);
  }

  /** Waits until the notification worker is idle (tests). */
  notificationsIdle(): Promise<void> {
    return this.d.notifier.idle();
  }

  // ------------------------------------------------------------ events and the unified log
  private logParams(spec: ListSpec, query: unknown): ListParams {
    const f = foldLogParams((query ?? {}) as Record<string, unknown>, 'at');
    try {
      const params = parseListQuery(spec, f.query);
      CairnError.assertNoProblems(f.problems);
      return params;
    } catch (e) {
      if (e instanceof CairnError && f.problems.length) {
        const prior = (e.details.problems as FieldProblem[] | undefined) ?? [];
        CairnError.assertNoProblems([...prior, ...f.problems]);
      }
      throw e;
    }
  }

  async listEvents(p: Principal, query: unknown): Promise<Page<Event>> {
    const params = this.logParams(EVENT_LIST, query);
    if (p.pools)
      params.filters.push(
        { field: 'object_type', column: 'object_type', op: 'eq', value: 'pool' },
        { field: 'object_id', column: 'object_id', op: 'in', value: p.pools.length ? p.pools : ['\u0000'] },
      );
    const page = await this.d.events.list(params);
    return mapPage(page, eventWire);
  }

  /** Events, alerts and (for principals with audit.read) the audit trail, in one list. */
  async listLog(p: Principal, query: unknown): Promise<Page<LogEntry>> {
    const params = this.logParams(LOG_LIST, query);
    if (!allows(p.permissions, 'audit.read'))
      params.filters.push({ field: 'source', column: 'source', op: 'ne', value: 'audit' });
    const page = await this.d.log.list(params, p.pools);
    return mapPage(page, logEntryWire);
  }

  // ------------------------------------------------------------ status
  async statusSystem() {
    const info = await this.d.system.info();
    const counts = this.objects({ pools: null } as Principal).reduce<Record<string, number>>((a, o) => {
      a[o.kind] = (a[o.kind] ?? 0) + 1;
      return a;
    }, {});
    return {
      ...info,
      node_id: this.d.nodeId,
      parts: await this.d.versions.all(),
      counts: {
        disks: counts.disk ?? 0,
        pools: counts.pool ?? 0,
        volumes: counts.volume ?? 0,
        exports: counts.export ?? 0,
      },
      open_alerts: Object.fromEntries((await this.d.alerts.countOpen()).map((a) => [a.severity, a.n])),
    };
  }

  statusCapacity(p: Principal) {
    const pools = [...this.d.sampler.latest.values()]
      .filter((o) => o.kind === 'pool' && (!p.pools || p.pools.includes(o.id)))
      .map((o) => ({
        id: o.id,
        name: o.name,
        health: o.labels.health ?? 'unknown',
        size: o.metrics.size_bytes ?? 0,
        used: o.metrics.used_bytes ?? 0,
        free: o.metrics.free_bytes ?? 0,
        used_ratio: o.metrics.used_ratio ?? 0,
      }));
    const sum = (k: 'size' | 'used' | 'free') => pools.reduce((s, x) => s + x[k], 0);
    return {
      total: { size: sum('size'), used: sum('used'), free: sum('free'), pools: pools.length },
      pools,
    };
  }

  async statusServices() {
    const s = this.sources().daemons;
    if (!s) return { services: [] };
    const list = await s.daemons();
    return {
      services: list.map((d) => ({
        name: d.name,
        state: d.state ?? (d.running ? 'running' : 'stopped'),
        running: d.running,
        enabled: d.enabled,
        pid: d.pid,
        restarts: d.restarts ?? 0,
        last_error: d.lastError ?? null,
        started_at: d.startedAt ?? null,
      })),
    };
  }

  async statusCluster() {
    const info = await this.d.system.info();
    return {
      connected: true,
      nodes: [
        {
          id: this.d.nodeId,
          name: info.name,
          hostname: info.hostname,
          address: info.hostname,
          role: 'primary',
          connected: true,
          version: info.version,
        },
      ],
    };
  }

  // ------------------------------------------------------------ metrics
  async metricsText() {
    return this.d.metrics.render(this.d.sampler.latest.values(), {
      openAlerts: await this.d.alerts.countOpen(),
      rounds: this.d.sampler.rounds,
      lastRoundMs: this.d.sampler.lastRoundMs,
      nodeId: this.d.nodeId,
    });
  }
}

export { ALERT_LIST, CHANNEL_LIST, DELIVERY_LIST, LOG_EXTRA_PARAMS, LOG_LIST };
