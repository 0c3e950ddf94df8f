// What the monitor reads from other areas in a sampling round (pools, volumes, disks, exports,
// daemons, replication), as interfaces those areas implement, and the rules on their figures
// that are not alerts themselves (a daemon counts as down, a relationship's lag). Pure.
import { nextRun } from '../protection.js';

/** One pool as the monitor sees it in a sampling round (sizes in bytes). */
export interface PoolRow {
  id: string;
  name: string;
  sizeBytes: number;
  usedBytes: number;
  freeBytes: number;
  health: PoolHealth;
  /** btrfs error counters (write, read, flush, corruption, generation) summed per device. */
  deviceErrors?: { device: string; errors: number }[];
}

export type PoolHealth = 'online' | 'degraded' | 'faulted' | 'unknown';

/** What the monitor needs from pools: every pool in one call per round (storage area). */
export interface PoolStatsSource {
  /**
   * `fresh`: a round asked for now (sampleNow, tests) measures everything again; timed rounds may
   * reuse figures that are slow to measure and slow to change (pool capacity).
   */
  pools(o?: { fresh?: boolean }): Promise<PoolRow[]>;
}

export interface VolumeRow {
  id: string;
  name: string;
  poolId: string;
  sizeBytes: number;
  usedBytes: number;
  exclusiveBytes: number;
  snapshotBytes: number;
  snapshotCount?: number;
  /** The volume's snapshot limit; null or absent: no limit. */
  snapshotLimit?: number | null;
  /**
   * The block device whose kernel counters are the volume's I/O: an attached lun's loop device.
   * Absent for the others (btrfs keeps no I/O counters per subvolume).
   */
  device?: string;
  /** filesystem (its size is a quota) or lun (its size is the file's); absent: not known. */
  type?: 'filesystem' | 'lun';
}

/** Every volume with its usage in one call per round (e.g. one qgroup listing per pool). */
export interface VolumeStatsSource {
  volumes(): Promise<VolumeRow[]>;
}

export interface ExportRow {
  id: string;
  name: string;
  poolId: string | null;
  /** Figures the daemon reports, by metric name with units (e.g. `clients`, `read_bytes_total`). */
  metrics: Record<string, number>;
}

export interface ExportStatsSource {
  exports(): Promise<ExportRow[]>;
}

/** A Cairn disk and the kernel block device behind it (`loop3`, `vdb`). */
export interface DiskRow {
  id: string;
  name: string;
  device: string;
  poolId: string | null;
}

export interface DiskSource {
  disks(): Promise<DiskRow[]>;
}

export interface DaemonStatus {
  name: string;
  running: boolean;
  pid: number | null;
  /** Whether it should run (something is configured that needs it). */
  enabled: boolean;
  /** The supervisor's state (stopped, starting, running, backoff, stopping, failed, external). */
  state?: string;
  restarts?: number;
  lastError?: string | null;
  startedAt?: string | null;
}

/**
 * Down: it should run and does not. A start in progress (spawned, not answering yet) and an admin's
 * stop are not outages; a start that failed before spawning (no PID) is.
 */
export function daemonDown(d: DaemonStatus): boolean {
  if (!d.enabled || d.running) return false;
  if (d.state === 'stopping') return false;
  return !(d.state === 'starting' && d.pid !== null);
}

export interface DaemonSource {
  daemons(): Promise<DaemonStatus[]>;
}

/** A replication relationship (source side) as the monitor sees it. */
export interface ReplicationStatus {
  id: string;
  name: string;
  poolId: string | null;
  volumeId: string | null;
  /** The last session's end (COMPLETED, FAILED, CANCELLED), or null before the first. */
  lastState: string | null;
  lastSuccessAt: string | null;
  /** Seconds between runs of the schedule driving it; null when no enabled schedule does. */
  intervalSeconds: number | null;
  /** How long a scheduled run has been due without a success, in seconds (0 when on time). */
  lagSeconds: number;
}

/** A schedule that drives a relationship's syncs (cron in its time zone). */
export interface SyncSchedule {
  cron: string;
  timeZone: string;
}

/**
 * A relationship's lag against its schedules (fake-clock friendly: `now` in ms). The first run due
 * after the last success (or after the relationship was made) starts the lag; the interval is the
 * gap between that run and the next. Several schedules: the most demanding one counts.
 */
export function replicationLag(
  since: string,
  schedules: readonly SyncSchedule[],
  now: number,
): { intervalSeconds: number | null; lagSeconds: number } {
  const from = new Date(since);
  if (Number.isNaN(from.getTime())) return { intervalSeconds: null, lagSeconds: 0 };
  let intervalSeconds: number | null = null;
  let lagSeconds = 0;
  for (const s of schedules) {
    let first: Date | null;
    let second: Date | null;
    try {
      first = nextRun(s.cron, s.timeZone, from);
      second = first && nextRun(s.cron, s.timeZone, first);
    } catch {
      continue; // a schedule that no longer parses drives nothing
    }
    if (!first) continue;
    if (second) {
      const i = (second.getTime() - first.getTime()) / 1000;
      intervalSeconds = intervalSeconds === null ? i : Math.min(intervalSeconds, i);
    }
    lagSeconds = Math.max(lagSeconds, Math.max(0, (now - first.getTime()) / 1000));
  }
  return { intervalSeconds, lagSeconds };
}

export interface ReplicationSource {
  relationships(): Promise<ReplicationStatus[]>;
}

export interface MonitorSources {
  disks?: DiskSource;
  pools?: PoolStatsSource;
  volumes?: VolumeStatsSource;
  exports?: ExportStatsSource;
  daemons?: DaemonSource;
  replication?: ReplicationSource;
}
