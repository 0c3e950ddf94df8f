// Starts programs through one long-lived helper, libexec/cairn-launcher.py, instead of Node's
// child_process. Node forks the whole daemon for every program, and the fork blocks the event loop
// while the kernel copies cairnd's page tables: about 10 ms a program on these VMs, growing with
// the heap, during which no request is served. The helper starts programs with vfork from a small
// process; cairnd only writes a line and reads one back.
//
// `Launcher` is the component: the composition root (src/app.ts) opens one, hands it to exec
// (`execWith` in exec.ts) and closes it last at stop. It notices a helper that died (a crash, a
// kill), says so, and starts another, up to a limit; past it, or when it cannot run (no python3,
// CAIRN_LAUNCHER=off, closed), exec uses child_process. `LauncherProcess` is one helper process.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

export interface LaunchRequest {
  argv: readonly string[];
  /** The program's whole environment. */
  env: Record<string, string>;
  stdin?: string | Uint8Array;
  /** stdout beyond this many bytes is cut and reported as `overflow`. */
  maxBuffer: number;
}

export type LaunchOutcome =
  | {
      kind: 'exited';
      code: number | null;
      signal: string | null;
      stdout: string;
      stderr: string;
      overflow: boolean;
    }
  | { kind: 'not-started'; code: string; message: string };

export interface Launched {
  outcome: Promise<LaunchOutcome>;
  /**
   * SIGKILL to the program if it still runs; its outcome follows as usual. A launcher that then does
   * not answer a ping within its grace time is taken for stuck: it is killed and its calls fail.
   */
  kill(): void;
}

type Reply =
  | { id: number; code: number; stdout: string; stderr: string; overflow: boolean }
  | { id: number; error: string; message: string }
  | { id: number; pong: true };

const SCRIPT = fileURLToPath(new URL('../../../libexec/cairn-launcher.py', import.meta.url));
const SIGNALS: Record<number, string> = {
  1: 'SIGHUP',
  2: 'SIGINT',
  9: 'SIGKILL',
  13: 'SIGPIPE',
  15: 'SIGTERM',
};

export class LauncherProcess {
  private nextId = 1;
  private readonly waiting = new Map<number, (r: Reply | null) => void>();
  private dead = false;
  private readonly pipes: { ref(): void; unref(): void }[];

  private constructor(
    private readonly child: ChildProcess,
    private readonly graceMs: number,
    private readonly onExit: () => void,
  ) {
    // An idle helper never keeps cairnd (or a test process) alive; one with calls in flight does.
    child.unref();
    this.pipes = [child.stdin, child.stdout] as unknown as { ref(): void; unref(): void }[];
    for (const p of this.pipes) p.unref();
    createInterface({ input: child.stdout! }).on('line', (line) => {
      let r: Reply;
      try {
        r = JSON.parse(line) as Reply;
      } catch {
        this.abandon(); // not the helper we know: never trust what follows
        return;
      }
      const w = this.waiting.get(r.id);
      this.forget(r.id);
      w?.(r);
    });
    child.stdin!.on('error', () => this.fail());
    // No reply can come once stdout has closed (after its last line was read). Not the child's
    // 'exit': its handle is unref'd, so a test process could end before that event arrives.
    child.stdout!.on('close', () => this.fail());
    child.on('error', () => this.fail());
  }

  /**
   * A running launcher, or null when python3 or the script is not there. `graceMs`: how long the
   * helper may take to answer the ping that follows a kill before it is taken for stuck.
   */
  static start(
    graceMs = 10_000,
    interpreter = 'python3',
    /** Told once when the helper is gone (exited, killed, or abandoned as stuck). */
    onExit: () => void = () => undefined,
  ): LauncherProcess | null {
    if (!existsSync(SCRIPT)) return null;
    let child: ChildProcess;
    try {
      child = spawn(interpreter, ['-I', '-S', '-u', SCRIPT], {
        stdio: ['pipe', 'pipe', 'inherit'],
        env: {
          PATH: '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin',
          LC_ALL: 'C',
          LANG: 'C',
        },
      });
    } catch {
      return null;
    }
    if (child.pid === undefined) {
      // Not started (no such interpreter): its 'error' event follows and must not go unheard.
      child.on('error', () => undefined);
      return null;
    }
    return new LauncherProcess(child, graceMs, onExit);
  }

  /** The helper's process id. */
  get pid(): number {
    return this.child.pid!;
  }

  /** False once the helper has exited: calls then fail and the caller starts another. */
  get alive(): boolean {
    return !this.dead;
  }

  run(r: LaunchRequest): Launched {
    const id = this.nextId++;
    const outcome = new Promise<LaunchOutcome>((resolve, reject) => {
      if (this.dead) {
        reject(new Error('the launcher has exited'));
        return;
      }
      this.track(id, (rep) => {
        if (!rep) reject(new Error('the launcher exited while the program ran'));
        else if ('pong' in rep) reject(new Error('the launcher answered a run with a pong'));
        else if ('error' in rep) resolve({ kind: 'not-started', code: rep.error, message: rep.message });
        else
          resolve({
            kind: 'exited',
            code: rep.code >= 0 ? rep.code : null,
            signal: rep.code < 0 ? (SIGNALS[-rep.code] ?? `SIG${-rep.code}`) : null,
            stdout: rep.stdout,
            stderr: rep.stderr,
            overflow: rep.overflow,
          });
      });
      const stdin =
        r.stdin === undefined
          ? null
          : (typeof r.stdin === 'string' ? Buffer.from(r.stdin) : Buffer.from(r.stdin)).toString('base64');
      this.send({ id, argv: r.argv, env: r.env, stdin, max: r.maxBuffer });
    });
    const kill = () => {
      if (!this.waiting.has(id)) return;
      this.send({ id, kill: true });
      this.checkAlive();
    };
    return { outcome, kill };
  }

  /**
   * Pings the helper; one that does not answer within the grace time is stuck and is abandoned.
   * (Not the killed program's own answer: a program in uninterruptible sleep dies only when the
   * kernel lets it, and its launcher is not stuck meanwhile.)
   */
  private checkAlive(): void {
    if (this.dead) return;
    const id = this.nextId++;
    const timer = setTimeout(() => {
      if (this.waiting.has(id)) this.abandon();
    }, this.graceMs);
    timer.unref();
    this.track(id, () => clearTimeout(timer));
    this.send({ id, ping: true });
  }

  /** Ends the helper (programs still running finish on their own). */
  close(): void {
    this.child.stdin?.end();
  }

  private send(msg: object): void {
    if (!this.dead) this.child.stdin!.write(`${JSON.stringify(msg)}\n`);
  }

  /** A stuck (or confused) helper: kill it; its calls fail, and exec() starts another. */
  private abandon(): void {
    this.child.kill('SIGKILL');
    this.fail();
  }

  /** Waits for the answer to `id`; the first call in flight keeps the process alive. */
  private track(id: number, onReply: (r: Reply | null) => void): void {
    if (this.waiting.size === 0) for (const p of this.pipes) p.ref();
    this.waiting.set(id, onReply);
  }

  /** The answer to `id` came; the last call in flight lets the process end again. */
  private forget(id: number): void {
    if (this.waiting.delete(id) && this.waiting.size === 0) for (const p of this.pipes) p.unref();
  }

  private fail(): void {
    if (this.dead) return;
    this.dead = true;
    const calls = [...this.waiting.values()];
    this.waiting.clear();
    for (const p of this.pipes) p.unref();
    for (const w of calls) w(null);
    this.onExit();
  }
}

export interface LauncherOptions {
  /** False (CAIRN_LAUNCHER=off): never start a helper; exec uses child_process. */
  enabled: boolean;
  /** How long a helper may take to answer the ping after a kill before it is taken for stuck. */
  graceMs?: number;
  interpreter?: string;
  /** How many helpers that died are replaced before exec gives up on the launcher (default 3). */
  maxRestarts?: number;
  /** Told when a helper died under cairnd (not at close): its pid and whether another is started. */
  onDeath?: (e: { pid: number; restarting: boolean }) => void;
}

/** The component: at most one live helper at a time, replaced when it dies, closed by the root. */
export class Launcher {
  private helper: LauncherProcess | null = null;
  /** True once exec uses child_process for good (no helper could start, or too many died). */
  private given = false;
  private deaths = 0;
  private closed = false;

  private constructor(private readonly o: LauncherOptions) {}

  /** A launcher; its helper starts on the first program (nothing runs for a cairnd that runs none). */
  static open(o: LauncherOptions): Launcher {
    return new Launcher(o);
  }

  /**
   * The helper that runs the next program, started (again) if needed; null: use child_process
   * (disabled, closed, python3 missing, or too many helpers died).
   */
  current(): LauncherProcess | null {
    if (!this.o.enabled || this.closed || this.given) return null;
    if (!this.helper) {
      const h = LauncherProcess.start(this.o.graceMs, this.o.interpreter, () => this.died(h));
      this.helper = h;
      if (!h) this.given = true; // no python3 (or no script): child_process from now on
    }
    return this.helper;
  }

  /** A helper died under cairnd (not at close): noticed at once, said, replaced on the next program. */
  private died(h: LauncherProcess | null): void {
    if (this.closed || !h || this.helper !== h) return;
    this.helper = null;
    const restarting = ++this.deaths <= (this.o.maxRestarts ?? 3);
    if (!restarting) this.given = true;
    this.o.onDeath?.({ pid: h.pid, restarting });
  }

  /** How exec() starts the next program. */
  get mode(): 'launcher' | 'child_process' {
    return this.current() ? 'launcher' : 'child_process';
  }

  /** The live helper's pid (null before the first program, or when there is none). */
  get pid(): number | null {
    return this.helper?.pid ?? null;
  }

  /** How many helpers died under this launcher. */
  get restarts(): number {
    return this.deaths;
  }

  /** Ends the helper (programs still running finish on their own); later programs use child_process. */
  close(): void {
    this.closed = true;
    this.helper?.close();
    this.helper = null;
  }
}
