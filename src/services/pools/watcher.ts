// The spare watcher: every few seconds it observes each ready pool's health (recording transitions
// as events) and, when a member disk is missing or its error counters cross the threshold and the
// pool has a spare, starts a replace job by itself (recorded as spare.replaced when it finishes).
import type { StorageDeps } from './deps.js';
import type { PoolService } from './service.js';
import { Every } from './every.js';

export interface WatcherOptions {
  /** How often to look, in ms (CAIRN_POOL_CHECK_MS, default 5000). */
  intervalMs: number;
  /** Error counters (sum over kinds) at or above which a disk is replaced (CAIRN_SPARE_ERROR_THRESHOLD, default 50). */
  errorThreshold: number;
}

export class SpareWatcher {
  private readonly every: Every;

  constructor(
    private readonly d: StorageDeps,
    private readonly pools: PoolService,
    private readonly o: WatcherOptions,
  ) {
    this.every = new Every(o.intervalMs, () => this.checkAll(), d.logger, 'pool watcher');
  }

  start(): void {
    this.every.start();
  }

  stop(): Promise<void> {
    return this.every.stop();
  }

  private get stopped(): boolean {
    return this.every.isStopped;
  }

  /** One pass over every pool, a page at a time. */
  async checkAll(): Promise<void> {
    for (let after = 0; ;) {
      const batch = await this.d.pools.batch(after, 100);
      if (!batch.length) return;
      for (const pool of batch) {
        after = pool.seq;
        if (this.stopped) return;
        if (pool.state !== 'ready') continue;
        // A job changing the pool holds it; look again next time.
        if (this.d.engine.locks.holderOf(`pool:${pool.id}`)) continue;
        await this.check(pool.id).catch((e: unknown) =>
          this.d.logger.warn({ err: e, poolId: pool.id }, 'pool check failed'),
        );
      }
    }
  }

  private async check(poolId: string): Promise<void> {
    const h = await this.pools.health(poolId);
    if (!h.mounted) return;
    const bad =
      h.devices.find((x) => x.missing && x.disk_id) ??
      h.devices.find((x) => x.error_total >= this.o.errorThreshold && x.disk_id);
    if (!bad) return;
    const spare = (await this.d.disks.ofPool(poolId)).find((x) => x.state === 'spare' && x.path !== null);
    if (!spare) return;
    const reason = bad.missing
      ? `missing: ${bad.missing_reason}`
      : `${bad.error_total} device errors (threshold ${this.o.errorThreshold})`;
    this.d.logger.warn(
      { poolId, disk: bad.disk_id, spare: spare.id, reason },
      'replacing a disk with a spare',
    );
    await this.pools.replace(null, poolId, { disk: bad.disk_id!, with: spare.id }, { reason });
  }
}
