// The one scheduler for snapshot, scrub, dedup and replication schedules. Next runs are stored, so
// schedules survive restarts; a next run already past at start-up (missed while down) gives exactly
// one catch-up run, after which the next run is computed from now. The clock is injectable for tests.
import type { Logger } from 'pino';
import { nextRun, type ScheduleKind } from '../../domain/protection.js';
import type { ScheduleRecord, ScheduleStore } from '../../store/schedules.js';

export interface Clock {
  now(): Date;
}
export const realClock: Clock = { now: () => new Date() };

/** What a run does for each kind; resolves with the job it started, if any. */
export type Runners = Record<ScheduleKind, (s: ScheduleRecord) => Promise<{ jobId?: string } | void>>;

/** The longest the timer sleeps before looking again (schedules may change meanwhile). */
const MAX_SLEEP_MS = 60_000;

export class Scheduler {
  private timer: NodeJS.Timeout | null = null;
  private stopped = true;
  private readonly running = new Map<string, Promise<void>>();
  /** While true (maintenance mode) due schedules wait; they run once when it ends. */
  private paused: () => boolean = () => false;

  constructor(
    private readonly store: ScheduleStore,
    private readonly runners: Runners,
    private readonly logger: Logger,
    readonly clock: Clock = realClock,
  ) {}

  /** Holds due schedules back while `f` says so; poke() once it stops saying so. */
  pauseWhile(f: () => boolean): void {
    this.paused = f;
  }

  /** Maintenance mode holds due schedules back; they run (once) when it ends. */
  followMaintenance(m: { readonly enabled: boolean; onChange(f: () => void): void }): void {
    this.pauseWhile(() => m.enabled);
    m.onChange(() => this.poke());
  }

  /** The next run after `after` (now by default), as stored. */
  nextAfter(s: Pick<ScheduleRecord, 'cron' | 'timeZone'>, after = this.clock.now()): string | null {
    return nextRun(s.cron, s.timeZone, after)?.toISOString() ?? null;
  }

  async start(): Promise<void> {
    this.stopped = false;
    await this.tick();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.settled();
  }

  /** Plans schedules without a next run, starts every due one once, then sleeps until the next. */
  async tick(): Promise<void> {
    const now = this.clock.now();
    for (const s of await this.store.unplanned())
      await this.store.update(s.id, { nextRunAt: this.nextAfter(s, now) });
    // Paused: due schedules stay due (a missed run makes one run), and the timer only looks again later.
    for (; !this.paused();) {
      const due = (await this.store.due(now.toISOString())).filter((s) => !this.running.has(s.id));
      if (!due.length) break;
      for (const s of due) {
        // Computed from now, not from the missed time: many missed runs make one run.
        await this.store.update(s.id, { nextRunAt: this.nextAfter(s, now) });
        void this.fire(s);
      }
    }
    // Runs go on in the background: a long one (a replication session, a scrub) must not hold back
    // the other schedules, nor cairnd's start-up.
    this.arm();
  }

  /** Resolves when every run started so far has ended (for tests and shutdown). */
  async settled(): Promise<void> {
    await Promise.allSettled([...this.running.values()]);
  }

  /** Runs one schedule now (also the "run now" action), recording the outcome. */
  fire(s: ScheduleRecord): Promise<void> {
    const at = this.clock.now().toISOString();
    const p = (async () => {
      try {
        const r = await this.runners[s.kind](s);
        await this.store.update(s.id, {
          lastRunAt: at,
          lastStatus: 'ok',
          lastError: null,
          lastJobId: (r && r.jobId) ?? null,
        });
      } catch (e) {
        const msg = e instanceof Error ? e.message : String(e);
        this.logger.warn({ schedule: s.id, kind: s.kind, err: msg }, 'scheduled run failed');
        await this.store
          .update(s.id, { lastRunAt: at, lastStatus: 'failed', lastError: msg.slice(0, 1000) })
          .catch(() => undefined);
      }
    })().finally(() => this.running.delete(s.id));
    this.running.set(s.id, p);
    return p;
  }

  private arm(): void {
    if (this.stopped) return;
    if (this.timer) clearTimeout(this.timer);
    void this.store
      .earliest()
      .then((t) => {
        if (this.stopped) return;
        const wait = this.paused()
          ? MAX_SLEEP_MS
          : t
            ? Math.max(0, Math.min(MAX_SLEEP_MS, Date.parse(t) - this.clock.now().getTime()))
            : MAX_SLEEP_MS;
        this.timer = setTimeout(() => {
          this.timer = null;
          this.tick().catch((e: unknown) => this.logger.error({ err: e }, 'scheduler tick failed'));
        }, wait + 5);
        this.timer.unref();
      })
      .catch((e: unknown) => this.logger.error({ err: e }, 'scheduler could not plan'));
  }

  /** Wakes the scheduler after a schedule changed. */
  poke(): void {
    if (!this.stopped) this.arm();
  }
}
