// Pools: rules and intent for create, delete, expand, remove, replace, convert, spares, scrub,
// dedup and settings; live health and capacity; and PoolAccess for the volume area.
import { dfFigures as statfsFigures } from '../../system/statfs.js';
import { join } from 'node:path';
import type { JobEngine } from '../../jobs/engine.js';
import type { Job } from '../../domain/job.js';
import { CairnError, type FieldProblem } from '../../domain/errors.js';
import { newId } from '../../domain/ids.js';
import type { ListParams, Page } from '../../domain/list.js';
import { principalName, type Principal } from '../../domain/permissions.js';
import {
  COMPRESSION_LEVELS,
  compressionValue,
  defaultMetadataProfile,
  MIN_DEVICES,
  profileProblems,
  removalShortfall,
  wastedBytes,
  type Compression,
  type Profile,
} from '../../domain/storage.js';
import type { DiskRecord } from '../../store/disks.js';
import type { PoolRecord } from '../../store/pools.js';
import type { StoreTx } from '../../store/jobs.js';
import type { MountedPool, PoolAccess, PoolDependents } from '../contracts.js';
import type { StorageDeps } from './deps.js';
import { cronProblems } from '../../domain/protection.js';
import { observeCapacity, observeHealth, type PoolCapacity, type PoolHealth } from './observe.js';
import type { PoolConvert, PoolCreate, PoolExpand, PoolReplace, PoolUpdate } from '../../domain/pools.js';
import { toPoolItem, type PoolItem } from './wire.js';
import { poolCreateJob, poolDeleteJob } from './jobs-lifecycle.js';
import { poolConvertJob, poolExpandJob, poolRemoveDiskJob, poolReplaceJob } from './jobs-devices.js';
import { poolDedupJob, poolScrubJob, poolUpdateJob } from './jobs-maint.js';

/** A create: the wire body the route validates (src/domain/pools.ts) but the devices btrfs lacks. */
export type PoolCreateInput = Omit<PoolCreate, 'log_devices' | 'cache_devices'>;
/** An update: the wire body the route validates. */
export type PoolUpdateInput = PoolUpdate;

const actor = (p: Principal) => ({ name: principalName(p) });

/**
 * A pool's `size`, `used` and `free`, the same in the list and the object: the filesystem's own
 * figures as `df` shows them (statfs: one syscall, no program run, so a list page stays cheap).
 * btrfs reports them per copy of the data profile, so `size` is the usable capacity (a raid1 pool of
 * two 2 GiB disks: 2 GiB). The object adds btrfs's detailed view in `capacity`.
 */
async function dfFigures(
  pool: PoolRecord,
  mountPath: string,
): Promise<{ size: number; used: number; free: number }> {
  const s = pool.state === 'ready' ? await statfsFigures(mountPath) : null;
  return s ?? { size: 0, used: 0, free: 0 };
}

export class PoolService implements PoolAccess {
  readonly jobs;

  private readonly dependents: PoolDependents[] = [];

  constructor(
    private readonly d: StorageDeps,
    private readonly engine: JobEngine,
  ) {
    this.jobs = {
      create: engine.register(poolCreateJob(d)),
      delete: engine.register(poolDeleteJob(d)),
      expand: engine.register(poolExpandJob(d)),
      removeDisk: engine.register(poolRemoveDiskJob(d)),
      replace: engine.register(poolReplaceJob(d)),
      convert: engine.register(poolConvertJob(d)),
      scrub: engine.register(poolScrubJob(d)),
      dedup: engine.register(poolDedupJob(d)),
      update: engine.register(poolUpdateJob(d)),
    };
  }

  /** OUT_OF_SCOPE when an API key limited to other pools asks about this one. */
  private scope(p: Principal | undefined, pool: { id: string; name: string }): void {
    if (p?.pools && !p.pools.includes(pool.id) && !p.pools.includes(pool.name))
      throw new CairnError('OUT_OF_SCOPE', { pool: pool.id });
  }

  private async load(p: Principal | undefined, id: string): Promise<PoolRecord> {
    const pool = await this.d.pools.get(id);
    this.scope(p, pool);
    return pool;
  }

  private async ready(p: Principal | undefined, id: string): Promise<PoolRecord> {
    const pool = await this.load(p, id);
    if (pool.state !== 'ready')
      throw new CairnError('POOL_NOT_READY', { id, state: pool.state, health: pool.health });
    return pool;
  }

  /**
   * The pool a new volume goes to when a request names none (the Docker and OpenStorage dialects):
   * `named` (a pool name or id), else the configured default (CAIRN_DOCKER_POOL), else the only
   * pool the principal may use. With several and none chosen the error says to set the default.
   */
  async defaultPool(p: Principal, named?: string): Promise<string> {
    const want = named ?? this.d.defaultPool;
    if (want !== undefined) {
      const pool = (await this.d.pools.find(want)) ?? (await this.d.pools.byName(want));
      if (!pool) throw new CairnError('POOL_NOT_FOUND', { id: want });
      this.scope(p, pool);
      return pool.id;
    }
    const page = await this.d.pools.list(
      { limit: 2, offset: 0, cursor: null, sort: [], filters: [] },
      (x) => x,
      p.pools,
    );
    if (page.total === 1) return page.items[0]!.id;
    throw new CairnError('VALIDATION_FAILED', {
      summary:
        page.total === 0
          ? 'pool: there is no pool yet; create one first'
          : `pool: there are ${page.total} pools; name one, or set CAIRN_DOCKER_POOL to the pool new volumes go to`,
    });
  }

  /** Whether a job holds the pool's lock now (replace, expand…: its recorded health is what counts). */
  busy(id: string): boolean {
    return this.engine.locks.holderOf(`pool:${id}`) !== undefined;
  }

  async list(p: Principal, params: ListParams): Promise<Page<PoolItem>> {
    const page = await this.d.pools.list(params, (x) => x, p.pools);
    const disks = await this.d.disks.ofPools(page.items.map((x) => x.id));
    const items = await Promise.all(
      page.items.map(async (pool) => {
        const mountPath = this.d.paths.poolMount(pool.id);
        return toPoolItem(pool, {
          mountPath,
          disks: disks.filter((x) => x.poolId === pool.id),
          ...(await dfFigures(pool, mountPath)),
        });
      }),
    );
    return { ...page, items };
  }

  async get(p: Principal | undefined, id: string): Promise<PoolItem> {
    const pool = await this.load(p, id);
    const disks = await this.d.disks.ofPool(id);
    const mountPath = this.d.paths.poolMount(id);
    if (pool.state !== 'ready') return toPoolItem(pool, { mountPath, disks, size: 0, used: 0, free: 0 });
    const [health, capacity] = await Promise.all([
      this.refreshHealth(pool),
      observeCapacity(this.d, pool, true).catch(() => null),
    ]);
    const now = await this.d.pools.get(id);
    return toPoolItem(now, {
      mountPath,
      disks: await this.d.disks.ofPool(id),
      ...(await dfFigures(now, mountPath)),
      capacity,
      health,
    });
  }

  /** Live health from btrfs (for the monitor); records the transition and its events. */
  async health(id: string): Promise<PoolHealth> {
    return this.refreshHealth(await this.d.pools.get(id));
  }

  /** Live capacity from btrfs (for the monitor); no tree walk. */
  async capacity(id: string): Promise<PoolCapacity> {
    return observeCapacity(this.d, await this.d.pools.get(id), false);
  }

  /** Observes health and, when it changed since last seen, stores it and records events. */
  async refreshHealth(pool: PoolRecord): Promise<PoolHealth> {
    const h = await observeHealth(this.d, pool);
    const reason = h.reasons.join('; ') || null;
    for (const dev of h.devices)
      if (dev.missing && dev.disk_id) {
        const disk = await this.d.disks.find(dev.disk_id);
        if (disk && disk.state === 'in_pool') {
          await this.d.disks.update(disk.id, { state: 'missing' });
          await this.d.events.record({
            type: 'disk.missing',
            severity: 'error',
            objectType: 'disk',
            objectId: disk.id,
            message: `disk ${disk.name} of pool ${pool.name} is missing: ${dev.missing_reason}`,
            details: { pool_id: pool.id, devid: dev.devid, reason: dev.missing_reason },
          });
        }
      }
    if (h.health !== pool.health || reason !== pool.healthReason) {
      await this.d.pools.update(pool.id, { health: h.health, healthReason: reason });
      if (h.health !== pool.health)
        await this.d.events.record({
          type: `pool.${h.health}`,
          severity: h.health === 'online' ? 'info' : h.health === 'degraded' ? 'warning' : 'critical',
          objectType: 'pool',
          objectId: pool.id,
          message: `pool ${pool.name} is ${h.health}${reason ? `: ${reason}` : ''}`,
          details: { previous: pool.health, reasons: h.reasons },
        });
    }
    return h;
  }

  async mounted(poolId: string, principal?: Principal): Promise<MountedPool> {
    const pool = await this.load(principal, poolId);
    const mountPath = this.d.paths.poolMount(poolId);
    if (pool.state !== 'ready' || pool.health === 'faulted' || !(await this.d.btrfs.mountedAt(mountPath)))
      throw new CairnError('POOL_NOT_READY', { id: poolId, state: pool.state, health: pool.health });
    const disks = await this.d.disks.ofPool(poolId);
    return {
      id: pool.id,
      name: pool.name,
      mountPath,
      compression: compressionValue(pool.compression, pool.compressionLevel),
      devices: disks.filter((x) => x.state === 'in_pool' && x.path).map((x) => x.path!),
    };
  }

  /** The pool's `size` as get() and list() show it (statfs; 0 while the pool is not ready). */
  async size(poolId: string, principal?: Principal): Promise<number> {
    const pool = await this.load(principal, poolId);
    return (await dfFigures(pool, this.d.paths.poolMount(poolId))).size;
  }

  /** Checks disks a pool may take: they exist, are unused, physical ones not in use elsewhere. */
  private async usableDisks(ids: string[], field: string, problems: FieldProblem[]): Promise<DiskRecord[]> {
    if (new Set(ids).size !== ids.length)
      problems.push({ field, code: 'DUPLICATE', message: 'a disk is listed twice' });
    const out: DiskRecord[] = [];
    for (const id of ids) {
      const disk = await this.d.disks.find(id);
      if (!disk) throw new CairnError('DISK_NOT_FOUND', { id });
      // What is on a disk (state in_use) says more than its state does.
      if (disk.inUse && !disk.poolId) throw new CairnError('DISK_IN_USE', { id, reason: disk.inUse });
      if (disk.state !== 'unused') throw new CairnError('DISK_NOT_AVAILABLE', { id, state: disk.state });
      if (disk.inUse) throw new CairnError('DISK_IN_USE', { id, reason: disk.inUse });
      out.push(disk);
    }
    return out;
  }

  /** Claims disks for a pool (state guarded, so two requests cannot take the same disk). */
  /**
   * Claims unused (or `from`) disks for a pool, in the caller's transaction (the one recording the
   * job that uses them): a disk taken meanwhile fails the whole transaction, so nothing is claimed.
   */
  private async claim(
    tx: StoreTx,
    ids: string[],
    poolId: string,
    state: 'in_pool' | 'spare',
    from: ('unused' | 'spare')[] = ['unused'],
  ) {
    for (const id of ids)
      if (!(await this.d.disks.transition(id, from, { state, poolId, devid: null }, tx)))
        throw new CairnError('DISK_NOT_AVAILABLE', { id, state: 'taken meanwhile' });
  }

  async create(p: Principal, input: PoolCreateInput): Promise<{ job: Job; id: string }> {
    if (p.pools && !p.pools.includes(input.name)) throw new CairnError('OUT_OF_SCOPE', { pool: input.name });
    const problems: FieldProblem[] = [];
    if (await this.d.pools.byName(input.name)) throw new CairnError('POOL_NAME_TAKEN', { name: input.name });
    const disks = await this.usableDisks(input.disks, 'disks', problems);
    const spares = await this.usableDisks(input.spares ?? [], 'spares', problems);
    if (input.spares?.some((s) => input.disks.includes(s)))
      problems.push({
        field: 'spares',
        code: 'OVERLAP',
        message: 'a disk cannot be both a member and a spare',
      });
    const metadata = input.metadata_profile ?? defaultMetadataProfile(input.profile, disks.length);
    const ack = input.acknowledge_raid56_write_hole === true;
    problems.push(
      ...profileProblems({ data: input.profile, metadata, disks: disks.length, acknowledgeRaid56: ack }),
    );
    const compression = input.compression ?? 'zstd';
    problems.push(...this.compressionProblems(compression, input.compression_level));
    if (input.dedup_schedule)
      problems.push(...cronProblems(input.dedup_schedule, undefined, 'dedup_schedule'));
    const sizes = disks.map((x) => x.sizeBytes);
    const waste = disks.length ? wastedBytes(input.profile, sizes) : 0;
    if (waste > 0.01 * sizes.reduce((a, b) => a + b, 0) && !input.allow_mixed_sizes)
      problems.push({
        field: 'allow_mixed_sizes',
        code: 'MIXED_SIZES',
        message: `these disks have mixed sizes: ${input.profile} cannot use ${waste} bytes of them; set allow_mixed_sizes=true to accept that`,
      });
    CairnError.assertNoProblems(problems);

    const id = newId();
    // The pool's row, its disks' claims and its job are recorded in one transaction: all or none.
    const job = await this.engine.submit(
      this.jobs.create,
      {
        poolId: id,
        diskIds: input.disks,
        data: input.profile,
        metadata,
        compression,
        compressionLevel: input.compression_level ?? (compression === 'zstd' ? 3 : null),
        sync: input.sync ?? 'standard',
      },
      actor(p),
      {
        within: async (tx) => {
          await this.d.pools.insert(
            {
              id,
              name: input.name,
              state: 'creating',
              health: 'faulted',
              healthReason: 'being created',
              dataProfile: input.profile,
              metadataProfile: metadata,
              compression,
              compressionLevel: input.compression_level ?? (compression === 'zstd' ? 3 : null),
              sync: input.sync ?? 'standard',
              dedupSchedule: input.dedup_schedule ?? null,
            },
            tx,
          );
          await this.claim(tx, input.disks, id, 'in_pool');
          await this.claim(
            tx,
            spares.map((s) => s.id),
            id,
            'spare',
          );
        },
      },
    );
    return { job, id };
  }

  private compressionProblems(c: Compression, level: number | null | undefined): FieldProblem[] {
    if (level === undefined || level === null) return [];
    const range = COMPRESSION_LEVELS[c];
    if (!range) return [{ field: 'compression_level', code: 'NO_LEVEL', message: `${c} takes no level` }];
    if (level < range[0] || level > range[1])
      return [
        {
          field: 'compression_level',
          code: 'OUT_OF_RANGE',
          message: `${c} levels are ${range[0]}..${range[1]}`,
        },
      ];
    return [];
  }

  async delete(p: Principal, id: string, force: boolean): Promise<Job> {
    const pool = await this.load(p, id);
    if (pool.state === 'creating')
      throw new CairnError('POOL_NOT_READY', { id, state: pool.state, health: pool.health });
    const count = await this.d.btrfs.subvolumesIn(join(this.d.paths.poolMount(id), 'volumes'));
    if (count > 0 && !force) throw new CairnError('POOL_HAS_VOLUMES', { id, count });
    // What the later areas keep in the pool goes first (volumes with their exports when forced, the
    // pool's schedules), before the delete job holds the pool exclusively (their jobs would wait on it).
    for (const dep of this.dependents) await dep.removeAll(id, actor(p));
    const diskIds = (await this.d.disks.ofPool(id)).map((x) => x.id);
    return this.engine.submit(this.jobs.delete, { poolId: id, diskIds, force }, actor(p));
  }

  /** Areas built later (volumes, protection) register what they keep in a pool. */
  registerDependents(dep: PoolDependents): void {
    this.dependents.push(dep);
  }

  async scrub(p: Principal, id: string): Promise<Job> {
    await this.ready(p, id);
    return this.engine.submit(this.jobs.scrub, { poolId: id }, actor(p));
  }

  /** The running scrub (live counters) if any, and the last finished one. */
  async scrubStatus(p: Principal, id: string) {
    const pool = await this.load(p, id);
    const job = await this.runningScrub(id);
    const live =
      job && pool.state === 'ready'
        ? await this.d.btrfs.scrubStatus(this.d.paths.poolMount(id)).catch(() => null)
        : null;
    return {
      running: job !== null,
      job_id: job?.id ?? null,
      progress: job?.progress ?? null,
      live: live
        ? {
            bytes_scrubbed: live.dataBytesScrubbed + live.treeBytesScrubbed,
            csum_errors: live.csumErrors,
            read_errors: live.readErrors,
            corrected_errors: live.correctedErrors,
            uncorrectable_errors: live.uncorrectableErrors,
          }
        : null,
      last: pool.lastScrub,
    };
  }

  /** Refuses (POOL_SPACE_INSUFFICIENT) when the pool's data would not fit on `disks` in `profile`. */
  private async assertRoom(pool: PoolRecord, profile: Profile, disks: readonly DiskRecord[]): Promise<void> {
    const cap = await observeCapacity(this.d, pool, false);
    const s = removalShortfall({
      profile,
      remainingSizes: disks.map((x) => x.sizeBytes),
      usedBytes: cap.used,
      metadataTotalBytes: cap.metadata.allocated,
    });
    if (s.missing > 0)
      throw new CairnError('POOL_SPACE_INSUFFICIENT', {
        id: pool.id,
        missing_bytes: s.missing,
        needed_bytes: s.needed,
        available_bytes: s.available,
      });
  }

  private async runningScrub(id: string): Promise<Job | null> {
    const holder = this.engine.locks.holderOf(`pool-maint:${id}`);
    if (!holder) return null;
    const job = await this.engine.get(holder);
    return job.kind === 'pool.scrub' && !['succeeded', 'failed', 'cancelled'].includes(job.state)
      ? job
      : null;
  }

  async cancelScrub(p: Principal, id: string): Promise<Job> {
    await this.load(p, id);
    const job = await this.runningScrub(id);
    if (!job) throw new CairnError('SCRUB_NOT_RUNNING', { id });
    return this.engine.cancel(job.id);
  }

  async dedup(p: Principal, id: string): Promise<Job> {
    await this.ready(p, id);
    return this.engine.submit(this.jobs.dedup, { poolId: id }, actor(p));
  }

  /** A run of the pool's dedup schedule (the dedup scheduler calls this when one is due). */
  async dedupScheduled(pool: PoolRecord, now: Date): Promise<Job> {
    return this.engine.submit(
      this.jobs.dedup,
      { poolId: pool.id },
      { name: 'scheduler' },
      { within: (tx) => this.d.pools.update(pool.id, { dedupLastRunAt: now.toISOString() }, tx) },
    );
  }

  async expand(p: Principal, id: string, input: PoolExpand): Promise<Job> {
    await this.ready(p, id);
    const problems: FieldProblem[] = [];
    await this.usableDisks(input.disks, 'disks', problems);
    CairnError.assertNoProblems(problems);
    return this.engine.submit(
      this.jobs.expand,
      { poolId: id, diskIds: input.disks, balance: input.balance ?? false },
      actor(p),
      { within: (tx) => this.claim(tx, input.disks, id, 'in_pool') },
    );
  }

  async removeDisk(p: Principal, id: string, diskId: string): Promise<Job> {
    const pool = await this.ready(p, id);
    const members = (await this.d.disks.ofPool(id)).filter((x) => x.state !== 'spare');
    const disk = members.find((x) => x.id === diskId);
    if (!disk || disk.devid === null) throw new CairnError('DISK_NOT_FOUND', { id: diskId });
    const remaining = members.filter((x) => x.id !== diskId);
    for (const prof of [pool.dataProfile, pool.metadataProfile])
      if (remaining.length < MIN_DEVICES[prof])
        throw new CairnError('POOL_PROFILE_INVALID', {
          reason: `${prof} needs at least ${MIN_DEVICES[prof]} disks; removing ${disk.name} would leave ${remaining.length}`,
        });
    await this.assertRoom(pool, pool.dataProfile, remaining);
    return this.engine.submit(this.jobs.removeDisk, { poolId: id, diskId, devid: disk.devid }, actor(p));
  }

  async replace(
    p: Principal | null,
    id: string,
    input: PoolReplace,
    auto?: { reason: string },
  ): Promise<Job> {
    await this.ready(p ?? undefined, id);
    const members = await this.d.disks.ofPool(id);
    const old = members.find((x) => x.id === input.disk && x.state !== 'spare');
    if (!old || old.devid === null) throw new CairnError('DISK_NOT_FOUND', { id: input.disk });
    const neu = await this.d.disks.get(input.with);
    const isSpare = neu.state === 'spare' && neu.poolId === id;
    if (!isSpare && neu.state === 'in_use' && neu.inUse)
      throw new CairnError('DISK_IN_USE', { id: neu.id, reason: neu.inUse });
    if (!isSpare && neu.state !== 'unused')
      throw new CairnError('DISK_NOT_AVAILABLE', { id: neu.id, state: neu.state });
    if (neu.inUse) throw new CairnError('DISK_IN_USE', { id: neu.id, reason: neu.inUse });
    if (neu.sizeBytes < old.sizeBytes)
      CairnError.assertNoProblems([
        {
          field: 'with',
          code: 'TOO_SMALL',
          message: `disk ${neu.name} (${neu.sizeBytes} bytes) is smaller than ${old.name} (${old.sizeBytes} bytes)`,
        },
      ]);
    return this.engine.submit(
      this.jobs.replace,
      {
        poolId: id,
        diskId: old.id,
        devid: old.devid,
        withId: neu.id,
        withWas: isSpare ? 'spare' : 'unused',
        auto: Boolean(auto),
        reason: auto?.reason ?? null,
      },
      p ? actor(p) : { name: 'system:spares' },
      { within: (tx) => this.claim(tx, [neu.id], id, 'in_pool', [isSpare ? 'spare' : 'unused']) },
    );
  }

  async convert(p: Principal, id: string, input: PoolConvert): Promise<Job> {
    const pool = await this.ready(p, id);
    const n = (await this.d.disks.ofPool(id)).filter((x) => x.state === 'in_pool').length;
    const metadata = input.metadata_profile ?? defaultMetadataProfile(input.profile, n);
    CairnError.assertNoProblems(
      profileProblems({
        data: input.profile,
        metadata,
        disks: n,
        acknowledgeRaid56: input.acknowledge_raid56_write_hole === true,
      }),
    );
    // Relocating every chunk needs room for the data in the new profile (btrfs forces the pool
    // read-only when metadata cannot be relocated).
    const disks = (await this.d.disks.ofPool(id)).filter((x) => x.state === 'in_pool');
    await this.assertRoom(pool, input.profile, disks);
    return this.engine.submit(this.jobs.convert, { poolId: id, data: input.profile, metadata }, actor(p));
  }

  async addSpares(p: Principal, id: string, diskIds: string[]): Promise<PoolItem> {
    await this.ready(p, id);
    const problems: FieldProblem[] = [];
    await this.usableDisks(diskIds, 'disks', problems);
    CairnError.assertNoProblems(problems);
    await this.d.disks.transaction((tx) => this.claim(tx, diskIds, id, 'spare'));
    return this.get(p, id);
  }

  async removeSpare(p: Principal, id: string, diskId: string): Promise<PoolItem> {
    await this.load(p, id);
    const disk = await this.d.disks.get(diskId);
    if (disk.poolId !== id || disk.state !== 'spare') throw new CairnError('DISK_NOT_FOUND', { id: diskId });
    if (!(await this.d.disks.transition(diskId, ['spare'], { state: 'unused', poolId: null })))
      throw new CairnError('DISK_NOT_AVAILABLE', { id: diskId, state: 'taken meanwhile' });
    return this.get(p, id);
  }

  async update(p: Principal, id: string, input: PoolUpdateInput): Promise<Job> {
    const pool = await this.ready(p, id);
    if (input.name !== undefined && input.name !== pool.name && (await this.d.pools.byName(input.name)))
      throw new CairnError('POOL_NAME_TAKEN', { name: input.name });
    const c = input.compression ?? pool.compression;
    const level =
      input.compression_level !== undefined
        ? input.compression_level
        : input.compression !== undefined && input.compression !== pool.compression
          ? null
          : pool.compressionLevel;
    CairnError.assertNoProblems([
      ...this.compressionProblems(c, level),
      ...(input.dedup_schedule ? cronProblems(input.dedup_schedule, undefined, 'dedup_schedule') : []),
    ]);
    return this.engine.submit(
      this.jobs.update,
      {
        poolId: id,
        ...(input.name !== undefined ? { name: input.name } : {}),
        ...(input.compression !== undefined ? { compression: input.compression } : {}),
        ...(level !== pool.compressionLevel ? { compressionLevel: level } : {}),
        ...(input.sync !== undefined ? { sync: input.sync } : {}),
        ...(input.dedup_schedule !== undefined ? { dedupSchedule: input.dedup_schedule } : {}),
        before: { compression: pool.compression, compressionLevel: pool.compressionLevel, sync: pool.sync },
      },
      actor(p),
    );
  }

  /** Log (ZIL/SLOG) and cache (L2ARC) devices are ZFS ideas; btrfs has neither. */
  unsupported(feature: 'log devices' | 'cache devices'): never {
    throw new CairnError('POOL_FEATURE_UNSUPPORTED', {
      feature,
      reason:
        feature === 'log devices'
          ? 'btrfs has no separate intent log; sync writes go to the pool itself (see the pool sync policy)'
          : 'btrfs has no separate read cache device; the Linux page cache serves reads',
    });
  }
}
