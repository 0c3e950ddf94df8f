// A pass that runs every interval, never twice at once, and that stop() waits for: what the spare
// watcher and the dedup scheduler share. No I/O of its own; errors go to the caller's logger.
import type { Logger } from 'pino';

export class Every {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private stopped = false;

  constructor(
    private readonly intervalMs: number,
    private readonly pass: () => Promise<void>,
    private readonly logger: Pick<Logger, 'error'>,
    private readonly what: string,
  ) {}

  /** Starts the timer (not when intervalMs <= 0); the timer does not keep the process alive. */
  start(): void {
    if (this.intervalMs <= 0) return;
    this.timer = setInterval(() => {
      if (!this.running && !this.stopped)
        this.running = this.pass()
          .catch((e: unknown) => this.logger.error({ err: e }, `${this.what} failed`))
          .finally(() => (this.running = null));
    }, this.intervalMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    await this.running;
  }

  get isStopped(): boolean {
    return this.stopped;
  }
}
