// The monitor's sources over the services of the areas built before it: pools (storage: paged list,
// live health and capacity, btrfs device error counters), disks (their loop or block device, for
// /sys/block stats), volumes (sizes and snapshot counts), the supervised daemons and per-export
// client figures (exports area), and replication relationships with their lag against their
// schedules (protection area). Each source is present only when its area is.
import { parseListQuery, type ListParams, type Page } from '../../domain/list.js';
import { DISK_LIST, POOL_LIST } from '../../domain/storage.js';
import { VOLUME_LIST } from '../../domain/volumes.js';
import type { ListSpec } from '../../domain/list.js';
import { systemPrincipal } from '../../domain/permissions.js';
import type {
  DaemonStatus,
  DiskRow,
  ExportRow,
  MonitorSources,
  PoolHealth,
  PoolRow,
  ReplicationStatus,
  SyncSchedule,
  VolumeRow,
} from '../../domain/monitor.js';
import { replicationLag } from '../../domain/monitor.js';
import type { PoolService } from '../pools/service.js';
import type { DiskService } from '../disks/service.js';
import type { VolumeService } from '../volumes/service.js';
import type { AttachmentService } from '../attachments/service.js';
import type { DaemonControl } from '../daemons/control.js';
import type { ExportService } from '../exports/service.js';
import { EXPORT_LIST } from '../../domain/exports.js';
import type { RelationshipService } from '../replication/relationships.js';
import type { ScheduleService } from '../schedules/service.js';
import { RELATIONSHIP_LIST, SCHEDULE_LIST } from '../../domain/protection.js';
import { KNOWN_DAEMONS } from '../daemons/control.js';

/** Who the monitor reads as (every pool). */
const SYSTEM = systemPrincipal('system:monitor');

const PAGE = '1000';

/** Every row of a list (filtered by `where`), a page at a time (cursor paging, in SQL). */
async function all<T>(
  spec: ListSpec,
  page: (p: ListParams) => Promise<Page<T>>,
  where: Record<string, string> = {},
): Promise<T[]> {
  const out: T[] = [];
  let cursor: string | null = null;
  do {
    const params = parseListQuery(
      spec,
      cursor ? { ...where, limit: PAGE, cursor } : { ...where, limit: PAGE },
    );
    const p = await page(params);
    out.push(...p.items);
    cursor = p.next_cursor;
  } while (cursor);
  return out;
}

const HEALTHS: readonly PoolHealth[] = ['online', 'degraded', 'faulted'];
const asHealth = (h: string): PoolHealth =>
  HEALTHS.includes(h as PoolHealth) ? (h as PoolHealth) : 'unknown';

/** What the monitor needs besides the services: whether a job holds a pool now. */
export interface SourceOptions {
  /** True while a job changing the pool holds its lock: its last recorded health is used then. */
  poolBusy?: (poolId: string) => boolean;
  /** The clock replication lag is measured with (tests pass a fake one). */
  now?: () => number;
  /**
   * How long a pool's capacity (one `btrfs filesystem usage` per pool) is reused before it is
   * measured again, in ms (default 60 s). Running it every round cost transfers a large share of
   * their speed; capacity moves slowly next to the sampling interval, and free space is alerted on
   * with thresholds, not seconds.
   */
  capacityEveryMs?: number;
}

/** Default for SourceOptions.capacityEveryMs. */
export const CAPACITY_EVERY_MS = 60_000;

export function poolSource(pools: PoolService, o: SourceOptions = {}): NonNullable<MonitorSources['pools']> {
  const now = o.now ?? Date.now;
  const every = o.capacityEveryMs ?? CAPACITY_EVERY_MS;
  const measured = new Map<string, { at: number; cap: Awaited<ReturnType<PoolService['capacity']>> }>();
  const capacity = async (id: string, fresh: boolean) => {
    const t = now();
    const last = measured.get(id);
    if (!fresh && last && t - last.at < every && t >= last.at) return last.cap;
    const cap = await pools.capacity(id).catch(() => null);
    if (cap) measured.set(id, { at: t, cap });
    else measured.delete(id);
    return cap;
  };
  return {
    pools: async ({ fresh = true } = {}) => {
      const rows: PoolRow[] = [];
      const listed = new Set<string>();
      for (const p of await all(POOL_LIST, (params) => pools.list(SYSTEM, params))) {
        listed.add(p.id);
        // A pool being created or deleted is not observed (its health would read "not mounted").
        if (p.state !== 'ready') continue;
        const busy = o.poolBusy?.(p.id) ?? false;
        const health = busy ? null : await pools.health(p.id).catch(() => null);
        const mounted = health ? health.mounted : p.size > 0;
        const cap = mounted ? await capacity(p.id, fresh) : null;
        if (!mounted) measured.delete(p.id);
        rows.push({
          id: p.id,
          name: p.name,
          sizeBytes: cap ? cap.usable_size : p.size,
          usedBytes: cap ? cap.used : p.used,
          freeBytes: cap ? cap.free : p.free,
          health: asHealth(health?.health ?? p.health),
          ...(health
            ? {
                deviceErrors: health.devices.map((d) => ({
                  device: d.path ?? `devid ${d.devid}`,
                  errors: d.error_total,
                })),
              }
            : {}),
        });
      }
      // Pools gone (deleted) are forgotten.
      for (const id of measured.keys()) if (!listed.has(id)) measured.delete(id);
      return rows;
    },
  };
}

export function diskSource(disks: DiskService): NonNullable<MonitorSources['disks']> {
  return {
    disks: async () => {
      const rows: DiskRow[] = [];
      for (const d of await all(DISK_LIST, (params) => disks.list(SYSTEM, params)))
        // A missing disk's old loop device may belong to someone else by now: not sampled.
        if (d.path && d.state !== 'missing')
          rows.push({ id: d.id, name: d.name, device: d.path, poolId: d.pool_id });
      return rows;
    },
  };
}

export function volumeSource(
  volumes: VolumeService,
  attachments?: AttachmentService,
): NonNullable<MonitorSources['volumes']> {
  return {
    volumes: async () => {
      const devices = (await attachments?.devices()) ?? new Map<string, string>();
      const rows: VolumeRow[] = [];
      for (const v of await all(VOLUME_LIST, (params) => volumes.usage(params)))
        rows.push({
          id: v.id,
          name: v.name,
          poolId: v.poolId,
          sizeBytes: v.size,
          usedBytes: v.referenced,
          exclusiveBytes: v.exclusive,
          // Data the volume shares with its snapshots and clones (referenced but not exclusive).
          snapshotBytes: Math.max(0, v.referenced - v.exclusive),
          snapshotCount: v.snapshotCount,
          snapshotLimit: v.snapshotLimit,
          type: v.type,
          ...(devices.has(v.id) ? { device: devices.get(v.id)! } : {}),
        });
      return rows;
    },
  };
}

/** The programs every cairnd can supervise; nbdkit runs once per NBD export (`nbdkit-<export id>`). */
const PROGRAMS = [...KNOWN_DAEMONS, 'nbdkit'] as const;

export function daemonSource(daemons: DaemonControl): NonNullable<MonitorSources['daemons']> {
  const row = (d: ReturnType<DaemonControl['list']>[number]): DaemonStatus => ({
    name: d.name,
    running: d.state === 'running' || d.state === 'external',
    pid: d.pid,
    enabled: d.wanted,
    state: d.state,
    restarts: d.restarts,
    lastError: d.last_error,
    startedAt: d.started_at,
  });
  return {
    daemons: async () => {
      const list = daemons.list().map(row);
      // Programs not defined (yet) are listed stopped, so the list always names all of them.
      for (const name of PROGRAMS)
        if (!list.some((d) => d.name === name || d.name.startsWith(`${name}-`)))
          list.push({
            name,
            running: false,
            pid: null,
            enabled: false,
            state: 'stopped',
            restarts: 0,
            lastError: null,
            startedAt: null,
          });
      return list.sort((a, b) => a.name.localeCompare(b.name));
    },
  };
}

/** Active exports with the client figures their daemons report (one daemon call per protocol). */
export function exportSource(exports: ExportService): NonNullable<MonitorSources['exports']> {
  return {
    exports: async () => {
      const live = await all(EXPORT_LIST, (p) => exports.list(SYSTEM, p), { state: 'active' });
      const figures = await exports.figures(live);
      return live.map((e): ExportRow => ({
        id: e.id,
        name: e.exportName,
        poolId: e.poolId,
        metrics: figures.get(e.id) ?? {},
      }));
    },
  };
}

/**
 * Source-side relationships that are active (a replica or a promoted one sends nothing), with the
 * lag against the enabled replication schedules that target them. Both lists page in SQL.
 */
export function replicationSource(
  relationships: RelationshipService,
  schedules: ScheduleService,
  now: () => number,
): NonNullable<MonitorSources['replication']> {
  return {
    relationships: async () => {
      const driving = new Map<string, SyncSchedule[]>();
      for (const s of await all(SCHEDULE_LIST, (p) => schedules.list(SYSTEM, p), {
        kind: 'replication',
        enabled: 'true',
      }))
        driving.set(s.target, [...(driving.get(s.target) ?? []), { cron: s.cron, timeZone: s.time_zone }]);
      const t = now();
      const rows: ReplicationStatus[] = [];
      for (const r of await all(RELATIONSHIP_LIST, (p) => relationships.list(SYSTEM, p), {
        role: 'source',
        state: 'active',
      })) {
        const lag = replicationLag(r.last_success_at ?? r.created_at, driving.get(r.id) ?? [], t);
        rows.push({
          id: r.id,
          name: r.remote_volume_name ?? r.id,
          poolId: r.pool,
          volumeId: r.volume,
          lastState: r.last_sync_status,
          lastSuccessAt: r.last_success_at,
          ...lag,
        });
      }
      return rows;
    },
  };
}

/** The sources of the areas present in `sofar`. */
export function sourcesFrom(
  sofar: {
    pools?: PoolService;
    disks?: DiskService;
    volumes?: VolumeService;
    attachments?: AttachmentService;
    daemons?: DaemonControl;
    exports?: ExportService;
    relationships?: RelationshipService;
    schedules?: ScheduleService;
  },
  o: SourceOptions = {},
): MonitorSources {
  const s: MonitorSources = {};
  const pools = sofar.pools;
  if (pools) s.pools = poolSource(pools, { poolBusy: (id) => pools.busy(id), ...o });
  if (sofar.disks) s.disks = diskSource(sofar.disks);
  if (sofar.volumes) s.volumes = volumeSource(sofar.volumes, sofar.attachments);
  if (sofar.daemons) s.daemons = daemonSource(sofar.daemons);
  if (sofar.exports) s.exports = exportSource(sofar.exports);
  if (sofar.relationships && sofar.schedules)
    s.replication = replicationSource(sofar.relationships, sofar.schedules, o.now ?? Date.now);
  return s;
}

/**
 * The sources a sampling round reads: those of the areas, overridden by registered ones (dialects,
 * tests). The sampler, the alert evaluator and the service share one set.
 */
export class SourceSet {
  private extra: MonitorSources = {};

  constructor(private readonly base: MonitorSources) {}

  readonly current = (): MonitorSources => ({ ...this.base, ...this.extra });

  /** Plugs in sources; replaces those of the same kind. */
  register(s: MonitorSources): void {
    this.extra = { ...this.extra, ...s };
  }
}
