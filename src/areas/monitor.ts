// Wiring of statistics, alerts, events and metrics: builds the sampler (started by reconcile,
// stopped by stop), the alert evaluator fed by rounds and by events, the durable notifier, the
// monitor service and its API plugins. Settings, the node id and the hourly rollup are the
// services' (src/services/monitor/settings.ts, hourly.ts; SystemService.nodeId).
import type { AreaContext, AreaPart } from './types.js';
import type { Services } from '../services/index.js';
import { SettingsStore } from '../store/settings.js';
import { StatsStore } from '../store/stats.js';
import { AlertStore } from '../store/alerts.js';
import { NotificationStore } from '../store/notifications.js';
import { MonitorLogStore } from '../store/monitor-log.js';
import { ProcFs } from '../system/procfs/index.js';
import { Sampler } from '../monitor/sampler.js';
import { AlertEvaluator } from '../monitor/alerts.js';
import { Notifier } from '../monitor/notifier.js';
import { Metrics } from '../monitor/metrics.js';
import { MonitorService } from '../services/monitor/service.js';
import { SourceSet, sourcesFrom } from '../services/monitor/sources.js';
import { monitorSettings } from '../services/monitor/settings.js';
import { Hourly } from '../services/monitor/hourly.js';
import { CAIRN_VERSION } from '../services/system.js';
import { monitorPlugins } from '../api/native/monitor-plugins.js';

/** The part of `Services` this area builds (declared once, in src/services/index.ts). */
export type MonitorServices = Pick<Services, 'monitor'>;

/** What it needs: the system, the audit trail and versions, and the services it observes. */
export type MonitorNeeds = Pick<
  Services,
  | 'system'
  | 'audit'
  | 'versions'
  | 'pools'
  | 'disks'
  | 'volumes'
  | 'attachments'
  | 'daemons'
  | 'exports'
  | 'relationships'
  | 'schedules'
>;

export async function buildMonitorArea(
  ctx: AreaContext,
  needs: MonitorNeeds,
): Promise<AreaPart<MonitorServices>> {
  const now = () => Date.now();
  const settings = await monitorSettings(new SettingsStore(ctx.db), ctx.config);
  const stats = new StatsStore(ctx.db, ctx.dialect);
  const alerts = new AlertStore(ctx.db, ctx.dialect);
  await alerts.ensureRules(new Date().toISOString());
  const notifications = new NotificationStore(ctx.db, ctx.dialect);
  const log = ctx.logger.child({ component: 'monitor' });
  const sources = new SourceSet(sourcesFrom(needs, { now }));
  const nodeId = await needs.system.nodeId();

  const notifier = new Notifier({
    store: notifications,
    now,
    backoffBaseMs: settings.notifyBackoffMs,
    systemName: () => needs.system.name(),
    logger: log,
  });
  const evaluator = new AlertEvaluator({
    store: alerts,
    notifier,
    sources: sources.current,
    certificateValidTo: () => needs.system.certificate?.valid_to ?? null,
    now,
    logger: log,
  });
  const hourly = new Hourly(
    { stats, retention: settings.retention, systemName: () => needs.system.name() },
    await needs.system.name(),
  );
  const sampler = new Sampler({
    procfs: new ProcFs(),
    stats,
    sources: sources.current,
    nodeId,
    nodeName: hourly.nodeName,
    now,
    logger: log,
    onRound: async (round) => {
      await evaluator.evaluate(round);
      await hourly.roundDone(round.ts);
    },
  });
  const monitor = new MonitorService({
    stats,
    alerts,
    notifications,
    events: ctx.events,
    log: new MonitorLogStore(ctx.db, ctx.dialect),
    audit: needs.audit,
    sampler,
    evaluator,
    notifier,
    metrics: new Metrics(CAIRN_VERSION),
    versions: needs.versions,
    system: needs.system,
    sources,
    retention: settings.retention,
    nodeId,
    intervalMs: settings.intervalMs,
    now,
    metricsPublic: settings.metricsPublic,
  });
  const unlisten = ctx.events.listen(evaluator.eventListener);

  return {
    services: { monitor },
    plugins: monitorPlugins,
    reconcile: async () => {
      sampler.start(settings.intervalMs);
      notifier.start();
    },
    stop: async () => {
      unlisten();
      await sampler.stop();
      await notifier.stop();
    },
  };
}
