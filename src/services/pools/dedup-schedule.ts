// Runs each pool's dedup schedule: a pass every interval submits a pool.dedup job for every ready
// pool whose cron expression fired since its last run (one run however many were missed, as the
// snapshot scheduler does after downtime). The jobs take the engine's pool locks like any other.
import { nextRun } from '../../domain/protection.js';
import type { PoolRecord } from '../../store/pools.js';
import type { StorageDeps } from './deps.js';
import type { PoolService } from './service.js';

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
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private stopped = false;

  constructor(
    private readonly d: StorageDeps,
    private readonly pools: PoolService,
    private readonly o: { intervalMs: number; timeZone?: string; now?: () => Date },
  ) {}

  start(): void {
    if (this.o.intervalMs <= 0) return;
    this.timer = setInterval(() => {
      if (!this.running && !this.stopped)
        this.running = this.tick()
          .catch((e: unknown) => this.d.logger.error({ err: e }, 'dedup scheduler failed'))
          .finally(() => (this.running = null));
    }, this.o.intervalMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    await this.running;
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
