// Per-pool upkeep after changes, batched: one `subvolume list` + one `qgroup show` per pool refresh
// the size columns of every volume and snapshot (never one command per row), clear the qgroup limit
// that read-only snapshots inherit from their volume, and remove stale qgroups of deleted subvolumes.
// A pass runs under the engine's locks (the pool shared, its qgroups exclusive), so no pool job that
// holds the pool exclusively (delete, expand, replace, convert…) changes it meanwhile.
import type { Logger } from 'pino';
import type { VolumeStore } from '../../store/volumes.js';
import type { SnapshotStore } from '../../store/snapshots.js';
import type { Subvolumes } from '../../system/btrfs/index.js';
import type { Paths } from '../../system/paths.js';
import { nowIso } from '../../domain/ids.js';
import type { SizeRow, SizeUpdate } from '../../store/sizes.js';
import type { JobEngine } from '../../jobs/engine.js';
import { exclusive, shared } from '../../domain/job.js';

export interface MaintenanceResult {
  refreshed: number;
  limitsCleared: number;
  staleLeft: number;
}

export class PoolMaintenance {
  private readonly timers = new Map<string, { timer: NodeJS.Timeout; first: number }>();
  private readonly state = new Map<string, { tail: Promise<unknown>; queued?: Promise<MaintenanceResult> }>();
  private stopped = false;

  constructor(
    private readonly volumes: VolumeStore,
    private readonly snapshots: SnapshotStore,
    private readonly sys: Subvolumes,
    private readonly paths: Paths,
    private readonly logger: Logger,
    private readonly locks: Pick<JobEngine, 'underLocks'>,
    /** Quiet time after the last change before a pass runs, in ms. */
    private readonly delayMs = 1500,
    /** How long to wait before retrying stale qgroups that were still busy, in ms. */
    private readonly retryMs = 15_000,
    /** The longest a pass waits behind a steady stream of changes, in ms. */
    private readonly maxWaitMs = 30_000,
  ) {}

  /**
   * At start: sizes may have drifted while cairnd was down, so every pool that has volumes gets a
   * pass (pools not mounted yet are skipped by the pass itself).
   */
  async refreshAll(): Promise<void> {
    for (const poolId of await this.volumes.poolIds()) this.schedule(poolId);
  }

  /**
   * Runs a pass for the pool once changes have been quiet for `delayMs` (each new change pushes it
   * back, so a burst of snapshots is not slowed by passes), but no later than `maxWaitMs` after the
   * first change.
   */
  schedule(poolId: string, delayMs = this.delayMs): void {
    if (this.stopped) return;
    const now = Date.now();
    const prev = this.timers.get(poolId);
    if (prev) clearTimeout(prev.timer);
    const first = prev?.first ?? now;
    const wait = Math.max(0, Math.min(delayMs, first + this.maxWaitMs - now));
    const timer = setTimeout(() => {
      this.timers.delete(poolId);
      void this.run(poolId)
        // Qgroups of deleted subvolumes stay busy until the cleaner drops them: try again later.
        .then((r) => r.staleLeft > 0 && this.schedule(poolId, this.retryMs))
        .catch((e: unknown) => this.logger.warn({ err: e, poolId }, 'volume maintenance pass failed'));
    }, wait);
    timer.unref();
    this.timers.set(poolId, { timer, first });
  }

  /**
   * One pass now, or right after the running one. Passes of a pool never overlap, and every caller
   * that arrives while one runs shares the single pass queued behind it (which sees their changes).
   * With `sync`, first waits until deleted subvolumes are dropped so their qgroups can be removed.
   */
  run(poolId: string, o: { sync?: boolean } = {}): Promise<MaintenanceResult> {
    const st = this.state.get(poolId) ?? { tail: Promise.resolve() as Promise<unknown> };
    if (!o.sync && st.queued) return st.queued;
    const p: Promise<MaintenanceResult> = st.tail
      .catch(() => undefined)
      .then(() => {
        if (st.queued === p) delete st.queued;
        return this.locks.underLocks(
          'volume-maintenance',
          [shared(`pool:${poolId}`), exclusive(`qgroups:${poolId}`)],
          () => this.pass(poolId, o.sync ?? false),
        );
      });
    st.queued = p;
    st.tail = p;
    this.state.set(poolId, st);
    return p;
  }

  private async pass(poolId: string, sync: boolean): Promise<MaintenanceResult> {
    const mount = this.paths.poolMount(poolId);
    if (!(await this.sys.isSubvolume(mount))) return { refreshed: 0, limitsCleared: 0, staleLeft: 0 };
    if (sync) await this.sys.sync(mount);
    const [subvols, qgroups] = [await this.sys.list(mount), await this.sys.qgroups(mount)];
    const idByPath = new Map(subvols.map((s) => [s.path, s.id]));
    const qBySubvol = new Map(qgroups.filter((q) => q.subvolumeId !== null).map((q) => [q.subvolumeId!, q]));
    const at = nowIso();
    let limitsCleared = 0;

    // A row's qgroup (found by its subvolume's path), and the size update the row needs, if any.
    const matched = (dir: 'volumes' | 'snapshots', r: SizeRow) => {
      const id = idByPath.get(`${dir}/${r.id}`) ?? null;
      const q = id === null ? undefined : qBySubvol.get(id);
      if (!q) return null;
      const changed = q.referenced !== r.referenced || q.exclusive !== r.exclusive || id !== r.subvol_id;
      const update: SizeUpdate | null = changed
        ? { id: r.id, referenced: q.referenced, exclusive: q.exclusive, subvolId: id }
        : null;
      return { q, update };
    };

    // Changed sizes are written in batches, a transaction each (not a commit per row).
    const volumeSizes = new SizeBatch((rows) => this.volumes.setSizes(rows, at));
    for await (const page of this.volumes.sizePages(poolId))
      for (const v of page) {
        const m = matched('volumes', v);
        if (m?.update) await volumeSizes.add(m.update);
      }
    await volumeSizes.flush();
    const snapshotSizes = new SizeBatch((rows) => this.snapshots.setSizes(rows, at));
    for await (const page of this.snapshots.sizePages(poolId))
      for (const s of page) {
        const m = matched('snapshots', s);
        if (!m) continue;
        // A snapshot inherits its volume's limit; on a read-only snapshot it only gets in the way
        // (and a clone made from it would inherit it again).
        if (m.q.maxReferenced !== null || m.q.maxExclusive !== null) {
          if (await this.sys.limitById(mount, m.q.qgroupId, null)) limitsCleared++;
        }
        if (m.update) await snapshotSizes.add(m.update);
      }
    await snapshotSizes.flush();
    const refreshed = volumeSizes.written + snapshotSizes.written;
    let staleLeft = qgroups.filter((q) => q.stale).length;
    if (staleLeft > 0) {
      await this.sys.clearStale(mount);
      staleLeft = (await this.sys.qgroups(mount)).filter((q) => q.stale).length;
    }
    return { refreshed, limitsCleared, staleLeft };
  }

  async stop(): Promise<void> {
    this.stopped = true;
    for (const t of this.timers.values()) clearTimeout(t.timer);
    this.timers.clear();
    await Promise.all([...this.state.values()].map((x) => x.tail.catch(() => undefined)));
  }
}

/** Collects size updates and writes them `size` at a time. */
class SizeBatch {
  private rows: SizeUpdate[] = [];
  written = 0;

  constructor(
    private readonly write: (rows: SizeUpdate[]) => Promise<void>,
    private readonly size = 250,
  ) {}

  async add(row: SizeUpdate): Promise<void> {
    this.rows.push(row);
    if (this.rows.length >= this.size) await this.flush();
  }

  async flush(): Promise<void> {
    const rows = this.rows;
    this.rows = [];
    await this.write(rows);
    this.written += rows.length;
  }
}
