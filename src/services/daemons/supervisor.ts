// The daemon supervisor (tgtd, ganesha, rpcbind, smbd, nbdkit): starts a daemon as a child it
// tracks by PID, waits until it answers, re-applies its whole configuration from the database,
// health-checks it, restarts it after a crash with back-off, and stops it cleanly. It never
// touches a process it did not start.
//
// After a crash of cairnd its daemons outlive it (the data path keeps serving). The next cairnd on
// the same data directory finds their PID records (PID + kernel start time + program, so a recycled
// PID is never taken for one) as soon as each daemon is defined and stops exactly those PIDs before
// anything else about that daemon happens, then starts its own under supervision. It does not adopt
// them: their output pipes led to the dead cairnd (a write would fail or kill them) and their exit
// could not be observed, so a fresh start is the one state the supervisor can vouch for. Without
// this, rpcbind answered on its port and was taken for someone else's (`external`) forever.
import type { Logger } from 'pino';
import { spawnDaemon, type Spawned } from '../../system/exec.js';
import { makeDir } from '../../system/files.js';
import { Processes } from '../../system/process/index.js';
import { CairnError } from '../../domain/errors.js';

export type DaemonState = 'stopped' | 'starting' | 'running' | 'backoff' | 'stopping' | 'failed' | 'external';

/** How to run and check one daemon; the supervisor owns the process life cycle. */
export interface DaemonSpec {
  name: string;
  /** Writes config and directories; returns the argv (and env) to start with. */
  prepare(): Promise<{ argv: [string, ...string[]]; env?: Record<string, string> }>;
  /** Whether the daemon answers (port open, control socket works). */
  ready(): Promise<boolean>;
  /** Re-applies the whole configuration after every (re)start (tgt keeps nothing). */
  configure?(): Promise<void>;
  /** A graceful stop before SIGTERM (e.g. tgtadm delete system). */
  shutdown?(): Promise<void>;
  /** If this answers true before starting, someone else runs it: use theirs, never stop it. */
  external?(): Promise<boolean>;
  /** Where the supervisor keeps its PID file and output tail. */
  dir: string;
  /** Seconds to wait for ready() after start (default 30). */
  readyTimeoutS?: number;
}

export interface DaemonStatus {
  name: string;
  state: DaemonState;
  pid: number | null;
  restarts: number;
  last_error: string | null;
  started_at: string | null;
  /** Whether it should run (started and not stopped by an admin): down while wanted is an outage. */
  wanted: boolean;
}

interface Entry {
  spec: DaemonSpec;
  state: DaemonState;
  child: Spawned | null;
  restarts: number;
  failuresInRow: number;
  lastError: string | null;
  startedAt: string | null;
  wanted: boolean;
  output: string[];
  timer: NodeJS.Timeout | null;
  unhealthy: number;
  queue: Promise<unknown>;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const MAX_BACKOFF_MS = 30_000;
const HEALTH_EVERY_MS = 3_000;

export class Supervisor {
  private readonly daemons = new Map<string, Entry>();
  private readonly health: NodeJS.Timeout;
  private closed = false;

  constructor(
    private readonly logger: Logger,
    private readonly procs = new Processes(),
  ) {
    this.health = setInterval(() => void this.checkHealth(), HEALTH_EVERY_MS);
    this.health.unref();
  }

  /** Registers (or replaces the spec of) a daemon without starting it. */
  define(spec: DaemonSpec): void {
    const known = this.daemons.get(spec.name);
    if (known) {
      known.spec = spec;
      return;
    }
    const e: Entry = {
      spec,
      state: 'stopped',
      child: null,
      restarts: 0,
      failuresInRow: 0,
      lastError: null,
      startedAt: null,
      wanted: false,
      output: [],
      timer: null,
      unhealthy: 0,
      queue: Promise.resolve(),
    };
    this.daemons.set(spec.name, e);
    // First thing queued for this daemon: whatever a crashed predecessor left of it is stopped
    // before a start could mistake it for an external daemon, and before a stop would miss it.
    void this.serial(spec.name, () => this.reapStale(e)).catch((err: unknown) =>
      this.logger.warn({ daemon: spec.name, err }, 'could not check for a daemon left by a previous cairnd'),
    );
  }

  has(name: string): boolean {
    return this.daemons.has(name);
  }

  status(name: string): DaemonStatus {
    const e = this.entry(name);
    return {
      name,
      state: e.state,
      pid: e.child?.pid ?? null,
      restarts: e.restarts,
      last_error: e.lastError,
      started_at: e.startedAt,
      wanted: e.wanted,
    };
  }

  list(): DaemonStatus[] {
    return [...this.daemons.keys()].sort().map((n) => this.status(n));
  }

  isRunning(name: string): boolean {
    const e = this.daemons.get(name);
    return !!e && (e.state === 'running' || e.state === 'external');
  }

  /** Starts the daemon unless it runs, waits until it answers and configures it. */
  ensure(name: string): Promise<void> {
    return this.serial(name, async (e) => {
      e.wanted = true;
      if (e.state === 'running' || e.state === 'external') return;
      if (e.timer) clearTimeout(e.timer);
      e.timer = null;
      await this.startNow(e);
    });
  }

  /** Stops the daemon (gracefully, then by PID) and keeps it stopped. */
  stop(name: string): Promise<void> {
    return this.serial(name, async (e) => {
      e.wanted = false;
      await this.stopNow(e);
    });
  }

  async restart(name: string): Promise<void> {
    await this.stop(name);
    await this.ensure(name);
  }

  /** Sends a signal to a running daemon (SIGHUP to reload ganesha). */
  signal(name: string, sig: NodeJS.Signals): void {
    const e = this.entry(name);
    if (!e.child) throw new CairnError('DAEMON_FAILED', { name, reason: 'not running' });
    e.child.kill(sig);
  }

  /** Forgets a stopped daemon (e.g. the nbdkit of a deleted export). */
  async remove(name: string): Promise<void> {
    if (!this.daemons.has(name)) return;
    await this.stop(name);
    this.daemons.delete(name);
  }

  async close(): Promise<void> {
    this.closed = true;
    clearInterval(this.health);
    await Promise.all([...this.daemons.keys()].map((n) => this.stop(n).catch(() => undefined)));
  }

  private entry(name: string): Entry {
    const e = this.daemons.get(name);
    if (!e) throw new CairnError('SERVICE_NOT_FOUND', { name });
    return e;
  }

  private serial<T>(name: string, fn: (e: Entry) => Promise<T>): Promise<T> {
    const e = this.entry(name);
    const p = e.queue.then(() => fn(e));
    e.queue = p.catch(() => undefined);
    return p;
  }

  private pidFile(e: Entry) {
    return `${e.spec.dir}/supervised.pid`;
  }

  /**
   * Stops the daemon a previous cairnd of this data directory started, by its recorded PID, if that
   * PID is still the same process. `program` serves old records that hold the PID alone.
   */
  private async reapStale(e: Entry, program?: string): Promise<void> {
    if (e.child) return;
    const rec = await this.procs.read(this.pidFile(e));
    if (!rec) return;
    const alive = await this.procs.alive(rec, program ?? rec.program);
    if (alive) {
      this.logger.warn({ daemon: e.spec.name, pid: rec.pid }, 'stopping a daemon left by a previous cairnd');
      await this.procs.stop(rec, { program: program ?? rec.program, graceMs: 5_000 });
    }
    if (alive || rec.program) await this.procs.forget(this.pidFile(e));
  }

  private async startNow(e: Entry): Promise<void> {
    const { spec } = e;
    if (spec.external && (await spec.external())) {
      e.state = 'external';
      e.lastError = null;
      return;
    }
    e.state = 'starting';
    await makeDir(spec.dir, 0o700);
    const { argv, env } = await spec.prepare();
    await this.reapStale(e, argv[0]);
    e.output = [];
    const child = spawnDaemon({
      argv,
      ownProcessGroup: true,
      ...(env ? { env } : {}),
      onOutput: (chunk) => {
        for (const line of chunk.split('\n').filter(Boolean)) {
          e.output.push(line);
          if (e.output.length > 40) e.output.shift();
        }
      },
    });
    e.child = child;
    e.startedAt = new Date().toISOString();
    await this.procs.record(this.pidFile(e), child.pid, argv[0]);
    void child.exited.then((x) => this.onExit(e, child, x));
    const until = Date.now() + (spec.readyTimeoutS ?? 30) * 1000;
    for (;;) {
      if (e.child !== child) throw this.failure(e, 'exited while starting');
      if (await spec.ready().catch(() => false)) break;
      if (Date.now() > until) {
        child.kill('SIGKILL');
        throw this.failure(e, 'did not answer in time');
      }
      await sleep(100);
    }
    e.unhealthy = 0;
    try {
      await spec.configure?.();
      e.lastError = null;
    } catch (err) {
      e.lastError = `configuration failed: ${err instanceof Error ? err.message : String(err)}`;
      this.logger.error({ daemon: spec.name, err }, 'could not configure daemon');
      throw err;
    } finally {
      // Running only once configured: clients and callers see the daemon with its whole configuration.
      if (e.child === child) e.state = 'running';
    }
    setTimeout(() => {
      if (e.child === child) e.failuresInRow = 0;
    }, 60_000).unref();
  }

  private failure(e: Entry, reason: string): CairnError {
    const tail = e.output.slice(-5).join(' | ');
    e.lastError = `${reason}${tail ? `: ${tail}` : ''}`;
    return new CairnError('DAEMON_FAILED', { name: e.spec.name, reason: e.lastError });
  }

  private onExit(e: Entry, child: Spawned, x: { code: number | null; signal: NodeJS.Signals | null }): void {
    if (e.child !== child) return;
    e.child = null;
    void this.procs.forget(this.pidFile(e));
    if (e.state === 'stopping' || !e.wanted || this.closed) {
      e.state = 'stopped';
      return;
    }
    const how = x.signal ? `killed by ${x.signal}` : `exited with status ${x.code}`;
    const tail = e.output.slice(-3).join(' | ');
    e.lastError = `${how}${tail ? `: ${tail}` : ''}`;
    e.restarts++;
    e.failuresInRow++;
    const delay = Math.min(MAX_BACKOFF_MS, 250 * 2 ** Math.min(e.failuresInRow - 1, 8));
    e.state = 'backoff';
    this.logger.warn({ daemon: e.spec.name, how, delayMs: delay }, 'daemon ended; restarting');
    e.timer = setTimeout(() => {
      e.timer = null;
      void this.serial(e.spec.name, async () => {
        if (!e.wanted || this.closed || e.state !== 'backoff') return;
        await this.startNow(e);
      }).catch((err: unknown) => {
        this.logger.error({ daemon: e.spec.name, err }, 'restart failed');
        if (e.state !== 'running' && e.wanted && !this.closed && !e.child) {
          e.state = 'backoff';
          e.failuresInRow++;
          e.restarts++;
          const d = Math.min(MAX_BACKOFF_MS, 250 * 2 ** Math.min(e.failuresInRow - 1, 8));
          e.timer = setTimeout(() => {
            e.timer = null;
            void this.serial(e.spec.name, async () => {
              if (e.wanted && !this.closed && e.state === 'backoff') await this.startNow(e);
            }).catch(() => undefined);
          }, d);
        }
      });
    }, delay);
  }

  private async stopNow(e: Entry): Promise<void> {
    if (e.timer) clearTimeout(e.timer);
    e.timer = null;
    if (e.state === 'external') {
      e.state = 'stopped';
      return;
    }
    const child = e.child;
    if (!child) {
      e.state = 'stopped';
      return;
    }
    e.state = 'stopping';
    const exited = child.exited.then(() => true);
    try {
      await e.spec.shutdown?.();
    } catch (err) {
      this.logger.debug({ daemon: e.spec.name, err }, 'graceful shutdown failed; signalling');
    }
    const quick = await Promise.race([exited, sleep(2000).then(() => false)]);
    if (!quick) {
      child.kill('SIGTERM');
      const termed = await Promise.race([exited, sleep(10_000).then(() => false)]);
      if (!termed) {
        child.kill('SIGKILL');
        await exited;
      }
    }
    e.child = null;
    e.state = 'stopped';
    await this.procs.forget(this.pidFile(e));
  }

  private async checkHealth(): Promise<void> {
    for (const e of this.daemons.values()) {
      if (e.state !== 'running' || !e.child) continue;
      const ok = await e.spec.ready().catch(() => false);
      e.unhealthy = ok ? 0 : e.unhealthy + 1;
      if (e.unhealthy >= 3) {
        e.lastError = 'stopped answering health checks';
        this.logger.warn({ daemon: e.spec.name }, 'daemon unhealthy; killing it to restart');
        e.unhealthy = 0;
        e.child.kill('SIGKILL');
      }
    }
  }
}
