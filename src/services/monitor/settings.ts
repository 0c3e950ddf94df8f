// The monitor's settings, decided once at start: the configuration (flags, environment) wins,
// else the settings table, else the defaults. The retention is read again at each rollup (an
// admin may change it while cairnd runs).
import type { SettingsStore } from '../../store/settings.js';
import {
  DEFAULT_INTERVAL_MS,
  DEFAULT_RETENTION,
  MIN_INTERVAL_MS,
  type Retention,
} from '../../domain/monitor.js';

/** What the configuration may set (src/daemon/config.ts RuntimeConfig has these fields). */
export interface MonitorConfig {
  statsIntervalMs?: number;
  metricsPublic: boolean;
  notifyBackoffMs?: number;
}

export interface MonitorSettings {
  /** The sampling interval, at least MIN_INTERVAL_MS. */
  intervalMs: number;
  /** /metrics without credentials. */
  metricsPublic: boolean;
  /** The notifier's first retry delay. */
  notifyBackoffMs: number;
  retention(): Promise<Retention>;
}

const DEFAULT_NOTIFY_BACKOFF_MS = 5_000;

export async function monitorSettings(
  settings: SettingsStore,
  config: MonitorConfig,
): Promise<MonitorSettings> {
  return {
    intervalMs: Math.max(
      MIN_INTERVAL_MS,
      config.statsIntervalMs ?? (await settings.get('monitor.interval_ms', DEFAULT_INTERVAL_MS)),
    ),
    metricsPublic: config.metricsPublic || (await settings.get('monitor.metrics_public', false)),
    notifyBackoffMs:
      config.notifyBackoffMs ?? (await settings.get('monitor.notify_backoff_ms', DEFAULT_NOTIFY_BACKOFF_MS)),
    retention: async () => ({
      ...DEFAULT_RETENTION,
      ...(await settings.get<Partial<Retention>>('monitor.retention', {})),
    }),
  };
}
