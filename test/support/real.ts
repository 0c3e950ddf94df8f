// Test helpers for real parts: temporary directories, sparse files, loop devices, mounts and
// processes. Each helper registers its own cleanup at once (t.after), by device, mount point or PID,
// so a failing test still removes exactly what it made and nothing else.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, existsSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestContext } from 'node:test';

export type T = Pick<TestContext, 'after'>;

export const isRoot = (): boolean => process.getuid?.() === 0;
export const has = (program: string): boolean => {
  try {
    execFileSync('sh', ['-c', 'command -v "$1"', 'sh', program], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
};
/** Integration tests run as root with btrfs-progs; elsewhere they are skipped, with the reason. */
export const realPartsSkip = (): string | false =>
  !isRoot() ? 'needs root' : !has('mkfs.btrfs') ? 'needs btrfs-progs' : false;

export function sh(argv: string[], opts: { input?: string | Buffer; allowFail?: boolean } = {}): string {
  try {
    return execFileSync(argv[0]!, argv.slice(1), {
      encoding: 'utf8',
      input: opts.input,
      stdio: ['pipe', 'pipe', 'pipe'],
      timeout: 120_000,
    });
  } catch (e) {
    if (opts.allowFail) return '';
    const err = e as { stderr?: string; message: string };
    throw new Error(`${argv.join(' ')} failed: ${err.stderr ?? err.message}`);
  }
}

export function tempDir(t: T, prefix = 'cairn-t-'): string {
  const root = process.env.CAIRN_TEST_ROOT ?? tmpdir();
  const dir = mkdtempSync(join(root, prefix));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

export async function sparseFile(path: string, bytes: number): Promise<string> {
  const f = await open(path, 'w');
  await f.truncate(bytes);
  await f.close();
  return path;
}

/** Attaches a loop device to `file`; detached (by that device) after the test. */
export function loopDevice(t: T, file: string): string {
  const dev = sh(['losetup', '--show', '-f', file]).trim();
  t.after(() => {
    sh(['losetup', '-d', dev], { allowFail: true });
  });
  return dev;
}

export function mountsUnder(dir: string): string[] {
  return sh(['findmnt', '-rn', '-o', 'TARGET'], { allowFail: true })
    .split('\n')
    .map((l) => l.replace(/\\x20/g, ' '))
    .filter((m) => m === dir || m.startsWith(`${dir}/`));
}

export function loopsBackedUnder(dir: string): string[] {
  return sh(['losetup', '-l', '-n', '--raw', '-O', 'NAME,BACK-FILE'], { allowFail: true })
    .split('\n')
    .map((l) => l.trim().split(/\s+/))
    .filter(([, back]) => back !== undefined && back.startsWith(`${dir}/`))
    .map(([name]) => name!);
}

/**
 * Removes what a cairnd left under its data directory: mounts below it (deepest first), then loop
 * devices whose backing file lives below it. Only things inside this test's own directory.
 */
export function releaseDataDir(dir: string): void {
  // Listed before the unmounts: once a pool is lazily unmounted, a loop device over a file inside
  // it (an attached lun) shows that file's path relative to the pool and would be missed, keeping
  // the pool's filesystem and its own loop device alive.
  const loops = loopsBackedUnder(dir);
  for (const m of mountsUnder(dir).sort((a, b) => b.length - a.length))
    sh(['umount', '-l', m], { allowFail: true });
  for (const dev of loops) sh(['losetup', '-d', dev], { allowFail: true });
}

/** Spawns a child with its output collected; the caller stops it (by this PID). */
export function spawnChild(
  argv: string[],
  env: Record<string, string> = {},
): ChildProcess & { output: () => string } {
  const child = spawn(argv[0]!, argv.slice(1), {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout?.on('data', (c: Buffer) => (out += c.toString()));
  child.stderr?.on('data', (c: Buffer) => (out += c.toString()));
  return Object.assign(child, { output: () => out });
}

/** Runs a daemon as a child; killed by PID after the test (SIGTERM, then SIGKILL). */
export function daemon(
  t: T,
  argv: string[],
  env: Record<string, string> = {},
): ChildProcess & { output: () => string } {
  const child = spawnChild(argv, env);
  t.after(() => stopProcess(child));
  return child;
}

export async function stopProcess(child: ChildProcess, graceMs = 10_000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
  await exited;
  clearTimeout(timer);
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function waitFor<V>(
  what: string,
  fn: () => Promise<V | undefined | false> | V | undefined | false,
  timeoutMs = 30_000,
  everyMs = 100,
): Promise<V> {
  const until = Date.now() + timeoutMs;
  let lastErr: unknown;
  for (;;) {
    try {
      const v = await fn();
      if (v !== undefined && v !== false) return v;
    } catch (e) {
      lastErr = e;
    }
    if (Date.now() > until)
      throw new Error(`timed out waiting for ${what}${lastErr ? `: ${String(lastErr)}` : ''}`);
    await sleep(everyMs);
  }
}

export const fileExists = existsSync;
