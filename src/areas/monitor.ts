// Wiring of statistics, alerts, events and metrics (issue 8): the sampler (timer stopped in
// stop()), the alert evaluator fed by rounds and by events, the durable notifier, the API plugins
// and /metrics (by stats.read, or public with CAIRN_METRICS_PUBLIC=1 / setting monitor.metrics_public).
import type { AreaContext, AreaPart } from './types.js';
import type { Services } from '../services/index.js';
import { SettingsStore } from '../store/settings.js';
import { StatsStore } from '../store/stats.js';
import { AlertStore } from '../store/alerts.js';
import { NotificationStore } from '../store/notifications.js';
import { MonitorLogStore } from '../store/monitor-log.js';
import { ProcFs } from '../system/procfs/index.js';
import { Versions } from '../system/versions/index.js';
import { VersionService } from '../services/records.js';
import { Sampler } from '../monitor/sampler.js';
import { AlertEvaluator } from '../monitor/alerts.js';
import { Notifier } from '../monitor/notifier.js';
import { Metrics } from '../monitor/metrics.js';
import { MonitorService } from '../services/monitor/service.js';
import { sourcesFrom } from '../services/monitor/sources.js';
import { CAIRN_VERSION } from '../services/system.js';
import { newId } from '../domain/ids.js';
import type { CairnEvent } from '../domain/events.js';
import {
  DEFAULT_INTERVAL_MS,
  DEFAULT_RETENTION,
  MIN_INTERVAL_MS,
  bucketStart,
  type Retention,
} from '../domain/monitor.js';
import { monitorPlugins } from '../api/native/monitor-plugins.js';

/** The part of `Services` this area builds (declared once, in src/services/index.ts). */
export type MonitorServices = Pick<Services, 'monitor'>;

export async function buildMonitorArea(
  ctx: AreaContext,
  sofar: Partial<Services>,
): Promise<AreaPart<MonitorServices>> {
  const settings = new SettingsStore(ctx.db);
  const now = () => Date.now();
  const intervalMs = Math.max(
    MIN_INTERVAL_MS,
    ctx.config.statsIntervalMs ?? (await settings.get('monitor.interval_ms', DEFAULT_INTERVAL_MS)),
  );
  const metricsPublic = ctx.config.metricsPublic || (await settings.get('monitor.metrics_public', false));
  const backoffBaseMs =
    ctx.config.notifyBackoffMs ?? (await settings.get('monitor.notify_backoff_ms', 5_000));
  let nodeId = await settings.get<string | null>('monitor.node_id', null);
  if (!nodeId) {
    nodeId = newId();
    await settings.set('monitor.node_id', nodeId);
  }
  const retention = async (): Promise<Retention> => ({
    ...DEFAULT_RETENTION,
    ...(await settings.get<Partial<Retention>>('monitor.retention', {})),
  });

  const stats = new StatsStore(ctx.db, ctx.dialect);
  const alerts = new AlertStore(ctx.db, ctx.dialect);
  await alerts.ensureRules(new Date().toISOString());
  const notifications = new NotificationStore(ctx.db, ctx.dialect);
  const system = sofar.system!;
  const log = ctx.logger.child({ component: 'monitor' });

  const notifier = new Notifier({
    store: notifications,
    now,
    backoffBaseMs,
    systemName: async () => (await system.info()).name,
    logger: log,
  });
  let service: MonitorService | null = null;
  const sources = () => service?.sources() ?? {};
  const evaluator = new AlertEvaluator({
    store: alerts,
    notifier,
    sources,
    certificateValidTo: () => system.certificate?.valid_to ?? null,
    now,
    logger: log,
  });
  let rolledHour = 0;
  let systemName = (await system.info()).name;
  const sampler = new Sampler({
    procfs: new ProcFs(),
    stats,
    sources,
    nodeId,
    nodeName: () => systemName,
    now,
    logger: log,
    onRound: async (round) => {
      await evaluator.evaluate(round);
      const hour = bucketStart(round.ts, 'hour');
      if (hour > rolledHour) {
        rolledHour = hour;
        systemName = (await system.info()).name;
        await stats.rollup(round.ts, await retention());
      }
    },
  });

  // Pools, disks and volumes from the storage and volume areas, daemons and export figures from the
  // exports area, relationships and their schedules from the protection area. A pool a job holds
  // (replace, expand …) is not observed: its recorded health is used.
  const baseSources = sourcesFrom(sofar, {
    poolBusy: (id) => ctx.engine.locks.holderOf(`pool:${id}`) !== undefined,
    now,
  });
  service = new MonitorService({
    stats,
    alerts,
    notifications,
    events: ctx.events,
    log: new MonitorLogStore(ctx.db, ctx.dialect),
    audit: sofar.audit!,
    sampler,
    evaluator,
    notifier,
    metrics: new Metrics(CAIRN_VERSION),
    versions: sofar.versions ?? new VersionService(new Versions(ctx.exec)),
    system,
    baseSources: () => baseSources,
    retention,
    nodeId,
    intervalMs,
    now,
    metricsPublic,
  });

  const onEvent = (e: CairnEvent) => {
    void evaluator
      .onEvent(e)
      .catch((err: unknown) => log.warn({ err, event: e.type }, 'alert from event failed'));
  };
  ctx.events.listeners.push(onEvent);

  return {
    services: { monitor: service },
    plugins: monitorPlugins,
    reconcile: async () => {
      sampler.start(intervalMs);
      notifier.start();
    },
    stop: async () => {
      const i = ctx.events.listeners.indexOf(onEvent);
      if (i >= 0) ctx.events.listeners.splice(i, 1);
      await sampler.stop();
      await notifier.stop();
    },
  };
}
