// Runs each pool's dedup schedule: a pass every interval submits a pool.dedup job for every ready
// pool whose cron expression fired since its last run (one run however many were missed, as the
// snapshot scheduler does after downtime). The jobs take the engine's pool locks like any other.
import { nextRun } from '../../domain/protection.js';
import type { PoolRecord } from '../../store/pools.js';
import type { StorageDeps } from './deps.js';
import type { PoolService } from './service.js';
import { Every } from './every.js';

/**
 * Is a run due at `now`? The schedule counts from the last run, or from when the setting was last
 * changed (`since`) when it never ran. Pure.
 */
export function dedupDue(
  schedule: string,
  timeZone: string,
  lastRunAt: string | null,
  since: string,
  now: Date,
) {
  const next = nextRun(schedule, timeZone, new Date(lastRunAt ?? since));
  return next !== null && next.getTime() <= now.getTime();
}

export class DedupScheduler {
  private readonly every: Every;

  constructor(
    private readonly d: StorageDeps,
    private readonly pools: PoolService,
    private readonly o: { intervalMs: number; timeZone?: string; now?: () => Date },
  ) {
    this.every = new Every(o.intervalMs, () => this.tick(), d.logger, 'dedup scheduler');
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
  async tick(): Promise<void> {
    const now = this.o.now?.() ?? new Date();
    const tz = this.o.timeZone ?? Intl.DateTimeFormat().resolvedOptions().timeZone;
    for (let after = 0; ;) {
      const batch: PoolRecord[] = await this.d.pools.batch(after, 100);
      if (!batch.length) return;
      for (const pool of batch) {
        after = pool.seq;
        if (this.stopped) return;
        if (pool.state !== 'ready' || !pool.dedupSchedule) continue;
        if (!dedupDue(pool.dedupSchedule, tz, pool.dedupLastRunAt, pool.updatedAt, now)) continue;
        const job = await this.pools.dedupScheduled(pool, now);
        this.d.logger.info({ pool: pool.id, job: job.id }, 'scheduled dedup submitted');
      }
    }
  }
}
