// The one door to programs: with launcher.ts, through which exec() starts short programs, the
// only module that imports child_process (streams and daemons are forked here). Argument arrays
// only (never a shell), a timeout on every call, LC_ALL=C, output captured into the job log with
// secret arguments masked, failures turned into CairnError carrying stderr.
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { CairnError } from '../domain/errors.js';
import type { JobLog } from '../domain/job-log.js';
import type { Launcher, LauncherProcess } from './launcher.js';

export interface ExecRequest {
  argv: readonly [program: string, ...args: string[]];
  /** Required: nothing may hang a job. */
  timeoutMs: number;
  log?: JobLog;
  /** argv positions (0 = program) that are secrets and print as ***. */
  secretArgs?: readonly number[];
  stdin?: string | Uint8Array;
  env?: Record<string, string>;
  /** Aborting kills the program (SIGTERM) and the call rejects. */
  signal?: AbortSignal;
  /** Keep at most this many bytes of stdout (default 64 MiB). */
  maxBuffer?: number;
}

export interface ExecResult {
  exitCode: number;
  stdout: string;
  stderr: string;
}

export type Exec = (r: ExecRequest) => Promise<ExecResult>;

const BASE_ENV = {
  LC_ALL: 'C',
  LANG: 'C',
  PATH: '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin',
};

export const maskArgv = (argv: readonly string[], secret: readonly number[] = []): string =>
  argv.map((a, i) => (secret.includes(i) ? '***' : /[\s'"\\]/.test(a) ? JSON.stringify(a) : a)).join(' ');

const clip = (s: string, n = 4000) => (s.length > n ? `${s.slice(0, n)}… (${s.length - n} more bytes)` : s);

/** How a program run ended, before it is turned into a result or an error. */
type Ending =
  | { kind: 'exited'; code: number; stdout: string; stderr: string }
  | { kind: 'timeout'; stdout: string; stderr: string }
  | { kind: 'cancelled'; stdout: string; stderr: string }
  | { kind: 'failed'; reason: string; stdout: string; stderr: string };

function settle(r: ExecRequest, shown: string, e: Ending): ExecResult {
  const program = r.argv[0];
  if (e.stdout.trim()) r.log?.write('debug', clip(e.stdout.trim()));
  if (e.stderr.trim()) r.log?.write('debug', clip(e.stderr.trim()));
  if (e.kind === 'cancelled')
    throw new CairnError('COMMAND_FAILED', { program, reason: 'cancelled', command: shown });
  if (e.kind === 'timeout') {
    r.log?.write('error', `timed out after ${r.timeoutMs} ms: ${shown}`);
    throw new CairnError('COMMAND_TIMEOUT', { program, timeoutMs: r.timeoutMs, command: shown });
  }
  if (e.kind === 'failed')
    throw new CairnError('COMMAND_FAILED', { program, reason: e.reason, command: shown });
  if (e.code !== 0) r.log?.write('warn', `exit ${e.code}: ${program}`);
  return { exitCode: e.code, stdout: e.stdout, stderr: e.stderr };
}

const MAX_BUFFER = 64 * 1024 * 1024;

/** exec() through Node's child_process, which forks cairnd for every program (see launcher.ts). */
export const execDirect: Exec = (r) => {
  const shown = logStart(r);
  return new Promise<Ending>((resolve) => {
    const [program, ...args] = r.argv;
    const child = execFile(
      program,
      args,
      {
        timeout: r.timeoutMs,
        killSignal: 'SIGKILL',
        maxBuffer: r.maxBuffer ?? MAX_BUFFER,
        env: { ...BASE_ENV, ...r.env },
        signal: r.signal,
        encoding: 'utf8',
      },
      (err, stdout, stderr) => {
        const out = { stdout: String(stdout ?? ''), stderr: String(stderr ?? '') };
        const code = (err as { code?: unknown } | null)?.code;
        if (code === 'ABORT_ERR') resolve({ kind: 'cancelled', ...out });
        else if (err && (err as { killed?: boolean }).killed) resolve({ kind: 'timeout', ...out });
        else if (typeof code === 'string') resolve({ kind: 'failed', reason: err!.message, ...out });
        else resolve({ kind: 'exited', code: err ? Number(code ?? 1) : 0, ...out });
      },
    );
    if (r.stdin !== undefined) child.stdin?.end(r.stdin);
    else child.stdin?.end();
  }).then((e) => settle(r, shown, e));
};

const logStart = (r: ExecRequest): string => {
  const shown = maskArgv(r.argv, r.secretArgs);
  r.log?.write('info', `$ ${shown}`);
  return shown;
};

/** exec() through the launcher: the same results and errors as execDirect, without the fork. */
function execLaunched(l: LauncherProcess, r: ExecRequest): Promise<ExecResult> {
  const shown = logStart(r);
  const none = { stdout: '', stderr: '' };
  if (r.signal?.aborted)
    return Promise.resolve().then(() => settle(r, shown, { kind: 'cancelled', ...none }));
  const call = l.run({
    argv: r.argv,
    env: { ...BASE_ENV, ...r.env },
    stdin: r.stdin,
    maxBuffer: r.maxBuffer ?? MAX_BUFFER,
  });
  let stopped: 'timeout' | 'cancelled' | null = null;
  const stop = (why: 'timeout' | 'cancelled') => {
    stopped ??= why;
    call.kill();
  };
  const timer = setTimeout(() => stop('timeout'), r.timeoutMs);
  const onAbort = () => stop('cancelled');
  r.signal?.addEventListener('abort', onAbort, { once: true });
  return call.outcome
    .then(
      (o): Ending => {
        if (o.kind === 'not-started') return { kind: 'failed', reason: o.message, ...none };
        const out = { stdout: o.stdout, stderr: o.stderr };
        // Killed by us; one that ended on its own just before the kill keeps its result.
        if (stopped && o.code === null) return { kind: stopped, ...out };
        if (o.overflow) return { kind: 'failed', reason: 'stdout maxBuffer length exceeded', ...out };
        return { kind: 'exited', code: o.code ?? 1, ...out };
      },
      (e: unknown): Ending => ({ kind: 'failed', reason: (e as Error).message, ...none }),
    )
    .then((e) => settle(r, shown, e))
    .finally(() => {
      clearTimeout(timer);
      r.signal?.removeEventListener('abort', onAbort);
    });
}

/**
 * The exec of a process that has a launcher (the composition root makes it): each program goes to
 * the launcher's live helper, or to child_process when there is none. The Exec runs a program and
 * resolves with its exit code and output, whatever the exit code; it rejects only when the program
 * cannot start, times out or is aborted. Use run() to treat a non-zero exit as an error.
 */
export const execWith =
  (launcher: Launcher | null): Exec =>
  (r) => {
    const l = launcher?.current() ?? null;
    return l ? execLaunched(l, r) : execDirect(r);
  };

/**
 * exec() without a launcher (child_process), for code that runs before or outside the
 * composition root: cairnd's TLS certificate at start, tests and benchmarks.
 */
export const exec: Exec = execWith(null);

/** Runs a program and rejects with COMMAND_FAILED (carrying stderr) unless it exits with one of `ok`. */
export async function run(e: Exec, r: ExecRequest, ok: readonly number[] = [0]): Promise<ExecResult> {
  const res = await e(r);
  if (!ok.includes(res.exitCode)) {
    const reason = (res.stderr.trim() || res.stdout.trim() || `exit status ${res.exitCode}`)
      .split('\n')
      .slice(-3)
      .join(' ');
    throw new CairnError('COMMAND_FAILED', {
      program: r.argv[0],
      reason,
      exitCode: res.exitCode,
      stderr: clip(res.stderr, 2000),
      command: maskArgv(r.argv, r.secretArgs),
    });
  }
  return res;
}

export interface SpawnRequest {
  argv: readonly [program: string, ...args: string[]];
  env?: Record<string, string>;
  /** Called with each chunk the daemon writes (stdout and stderr). */
  onOutput?: (chunk: string) => void;
  cwd?: string;
  /**
   * Run in a process group of its own, so a daemon that signals its group (smbd does on exit)
   * never reaches cairnd. The child is still cairnd's and is tracked by PID.
   */
  ownProcessGroup?: boolean;
}

export interface Spawned {
  pid: number;
  /** Resolves with the exit code (or the signal name) when the process ends. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  kill(signal?: NodeJS.Signals): void;
}

/**
 * Starts a long-running daemon as cairnd's own child (for the supervisor), never through a shell.
 * Daemons and streams are forked here, not through the launcher (docs/architecture.md: the rule
 * for streams and daemons): their PID, signals and pipes belong to cairnd.
 */
export function spawnDaemon(r: SpawnRequest): Spawned {
  const [program, ...args] = r.argv;
  const child: ChildProcess = spawn(program, args, {
    env: { ...BASE_ENV, ...r.env },
    stdio: ['ignore', 'pipe', 'pipe'],
    cwd: r.cwd,
    detached: r.ownProcessGroup ?? false,
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.on('exit', (code, signal) => resolve({ code, signal }));
    child.on('error', () => resolve({ code: -1, signal: null }));
  });
  child.stdout?.setEncoding('utf8').on('data', (c: string) => r.onOutput?.(c));
  child.stderr?.setEncoding('utf8').on('data', (c: string) => r.onOutput?.(c));
  if (child.pid === undefined) throw new CairnError('COMMAND_FAILED', { program, reason: 'could not start' });
  return { pid: child.pid, exited, kill: (s = 'SIGTERM') => void child.kill(s) };
}

export interface StreamRequest {
  argv: readonly [program: string, ...args: string[]];
  /** Required: a stream that stalls must not hang a job. The program is killed (SIGKILL) after it. */
  timeoutMs: number;
  log?: JobLog;
  secretArgs?: readonly number[];
  /** Bytes for the program's stdin; its stdin is closed at once when absent. */
  stdin?: NodeJS.ReadableStream;
  /** Aborting kills the program (SIGKILL) and `done` rejects. */
  signal?: AbortSignal;
}

export interface Streaming {
  pid: number;
  /** The program's stdout as a byte stream (consume it, or the program blocks). */
  stdout: NodeJS.ReadableStream;
  /** Resolves with the exit code and (clipped) stderr when the program ends; rejects on timeout or abort. */
  done: Promise<ExecResult>;
  kill(): void;
}

/**
 * Runs a program whose input or output is a byte stream (btrfs send/receive): stdout is handed
 * back as a Readable, stdin is fed from a Readable, stderr is captured for the error message.
 * A child of cairnd, not of the launcher, whose protocol carries whole outputs, not pipes.
 */
export function spawnStream(r: StreamRequest): Streaming {
  const [program, ...args] = r.argv;
  const shown = maskArgv(r.argv, r.secretArgs);
  r.log?.write('info', `$ ${shown}`);
  const child = spawn(program, args, {
    env: BASE_ENV,
    stdio: [r.stdin ? 'pipe' : 'ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr?.setEncoding('utf8').on('data', (c: string) => {
    if (stderr.length < 64 * 1024) stderr += c;
  });
  let why: 'timeout' | 'cancelled' | null = null;
  const kill = (reason: 'timeout' | 'cancelled') => {
    why ??= reason;
    child.kill('SIGKILL');
  };
  const timer = setTimeout(() => kill('timeout'), r.timeoutMs);
  const onAbort = () => kill('cancelled');
  r.signal?.addEventListener('abort', onAbort, { once: true });
  if (r.signal?.aborted) onAbort();
  if (r.stdin && child.stdin) {
    // A program that exits early (or is killed) closes its stdin: that is not our error to throw.
    child.stdin.on('error', () => undefined);
    r.stdin.pipe(child.stdin);
  }
  // 'close' waits for every stdio stream; a feeder that never ends must not keep a dead program open.
  child.on('exit', () => child.stdin?.destroy());
  const done = new Promise<ExecResult>((resolve, reject) => {
    child.on('error', (e) => {
      clearTimeout(timer);
      reject(new CairnError('COMMAND_FAILED', { program, reason: e.message, command: shown }));
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      r.signal?.removeEventListener('abort', onAbort);
      if (stderr.trim()) r.log?.write('debug', clip(stderr.trim()));
      if (why === 'timeout') {
        r.log?.write('error', `timed out after ${r.timeoutMs} ms: ${shown}`);
        reject(new CairnError('COMMAND_TIMEOUT', { program, timeoutMs: r.timeoutMs, command: shown }));
        return;
      }
      if (why === 'cancelled') {
        reject(new CairnError('COMMAND_FAILED', { program, reason: 'cancelled', command: shown }));
        return;
      }
      const exitCode = code ?? (signal ? 128 : 1);
      if (exitCode !== 0) r.log?.write('warn', `exit ${exitCode}${signal ? ` (${signal})` : ''}: ${program}`);
      resolve({ exitCode, stdout: '', stderr });
    });
  });
  if (child.pid === undefined) {
    clearTimeout(timer);
    throw new CairnError('COMMAND_FAILED', { program, reason: 'could not start', command: shown });
  }
  return { pid: child.pid, stdout: child.stdout!, done, kill: () => kill('cancelled') };
}
