// Per-pool upkeep after changes, batched: one `subvolume list` + one `qgroup show` per pool refresh
// the size columns of every volume and snapshot (never one command per row), clear the qgroup limit
// that read-only snapshots inherit from their volume, and remove stale qgroups of deleted subvolumes.
import type { Logger } from 'pino';
import type { VolumeStore } from '../../store/volumes.js';
import type { SnapshotStore } from '../../store/snapshots.js';
import type { Subvolumes } from '../../system/subvolumes/index.js';
import type { Paths } from '../../system/paths.js';
import { nowIso } from '../../domain/ids.js';

export interface MaintenanceResult {
  refreshed: number;
  limitsCleared: number;
  staleLeft: number;
}

export class PoolMaintenance {
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private readonly running = new Map<string, Promise<MaintenanceResult>>();
  private stopped = false;

  constructor(
    private readonly volumes: VolumeStore,
    private readonly snapshots: SnapshotStore,
    private readonly sys: Subvolumes,
    private readonly paths: Paths,
    private readonly logger: Logger,
    /** Quiet time after the last change before a pass runs, in ms. */
    private readonly delayMs = 1500,
  ) {}

  /** Runs a pass for the pool soon, coalescing bursts of changes into one. */
  schedule(poolId: string): void {
    if (this.stopped || this.timers.has(poolId)) return;
    const t = setTimeout(() => {
      this.timers.delete(poolId);
      void this.run(poolId).catch((e: unknown) =>
        this.logger.warn({ err: e, poolId }, 'volume maintenance pass failed'),
      );
    }, this.delayMs);
    t.unref();
    this.timers.set(poolId, t);
  }

  /**
   * One pass now (waits for a running one first). With `sync`, first waits until deleted
   * subvolumes are dropped so their qgroups can be removed.
   */
  async run(poolId: string, o: { sync?: boolean } = {}): Promise<MaintenanceResult> {
    const prev = this.running.get(poolId);
    if (prev) await prev.catch(() => undefined);
    const p = this.pass(poolId, o.sync ?? false);
    this.running.set(poolId, p);
    try {
      return await p;
    } finally {
      if (this.running.get(poolId) === p) this.running.delete(poolId);
    }
  }

  private async pass(poolId: string, sync: boolean): Promise<MaintenanceResult> {
    const mount = this.paths.poolMount(poolId);
    if (!(await this.sys.isSubvolume(mount))) return { refreshed: 0, limitsCleared: 0, staleLeft: 0 };
    if (sync) await this.sys.sync(mount);
    const [subvols, qgroups] = [await this.sys.list(mount), await this.sys.qgroups(mount)];
    const idByPath = new Map(subvols.map((s) => [s.path, s.id]));
    const qBySubvol = new Map(qgroups.filter((q) => q.subvolumeId !== null).map((q) => [q.subvolumeId!, q]));
    const at = nowIso();
    let refreshed = 0;
    let limitsCleared = 0;

    for (const v of await this.volumes.byPool(poolId)) {
      const id = idByPath.get(`volumes/${v.id}`) ?? null;
      const q = id === null ? undefined : qBySubvol.get(id);
      if (!q) continue;
      if (q.referenced !== v.referenced || q.exclusive !== v.exclusive || id !== v.subvol_id) {
        await this.volumes.setSizes(v.id, q.referenced, q.exclusive, id, at);
        refreshed++;
      }
    }
    for (const s of await this.snapshots.byPool(poolId)) {
      const id = idByPath.get(`snapshots/${s.id}`) ?? null;
      const q = id === null ? undefined : qBySubvol.get(id);
      if (!q) continue;
      // A snapshot inherits its volume's limit; on a read-only snapshot it only gets in the way
      // (and a clone made from it would inherit it again).
      if (q.maxReferenced !== null || q.maxExclusive !== null) {
        if (await this.sys.limitById(mount, q.qgroupId, null)) limitsCleared++;
      }
      if (q.referenced !== s.referenced || q.exclusive !== s.exclusive || id !== s.subvol_id) {
        await this.snapshots.setSizes(s.id, q.referenced, q.exclusive, id, at);
        refreshed++;
      }
    }
    let staleLeft = qgroups.filter((q) => q.stale).length;
    if (staleLeft > 0) {
      await this.sys.clearStale(mount);
      staleLeft = (await this.sys.qgroups(mount)).filter((q) => q.stale).length;
    }
    return { refreshed, limitsCleared, staleLeft };
  }

  async stop(): Promise<void> {
    this.stopped = true;
    for (const t of this.timers.values()) clearTimeout(t);
    this.timers.clear();
    await Promise.all([...this.running.values()].map((p) => p.catch(() => undefined)));
  }
}
