// A real Docker daemon for the Docker dialect's tests and benchmark, started by hand (no systemd
// here) and stopped by PID. What it needs on this machine (Debian 12, cgroup v1, no systemd):
// the packages docker.io (dockerd 20.10, containerd, runc) and busybox-static; dockerd with
// --iptables=false --ip6tables=false --bridge=none --storage-driver=vfs and its data root, exec
// root, socket and pid file in a temporary directory; containers with --network none; an image
// imported locally from a busybox root (`docker import` of a tar of bin/busybox and its links).
// dockerd finds volume plugins only in /run/docker/plugins, so it runs in a mount namespace of its
// own (`unshare --mount --propagation slave`) with a tmpfs on /run and the test's plugin folder
// bound at /run/docker/plugins: the machine's real plugin folder is never touched. Mounts Cairn
// makes later must reach that namespace: the Cairn data directory is made a shared mount (a bind
// of itself) before dockerd starts, so its mounts propagate into dockerd's namespace (one way).
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, copyFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execFile, execFileSync } from 'node:child_process';
import { promisify } from 'node:util';
import { request as httpRequest } from 'node:http';
import { daemon, has, releaseDataDir, sh, tempDir, waitFor, type T } from '../support/real.js';
import { startCairn, type InProcessCairn } from '../support/cairn.js';
import { makePool, MiB } from './storage-support.js';

export const DOCKER_IMAGE = 'cairn-test-busybox:1';

/** Why the real-dockerd tests cannot run here, or false. */
export const dockerSkip = (): string | false =>
  process.getuid?.() !== 0
    ? 'needs root'
    : !has('dockerd') || !has('docker')
      ? 'needs docker.io (dockerd)'
      : !existsSync('/bin/busybox')
        ? 'needs busybox-static'
        : !has('unshare')
          ? 'needs unshare (util-linux)'
          : false;

/**
 * A `t` whose hooks run last-registered first (in one hook of the real `t`), so a daemon started
 * after Cairn is stopped before it, and a directory made first is removed last.
 */
export function lifo(t: T): T & { run: () => Promise<void> } {
  const hooks: (() => unknown)[] = [];
  const run = async () => {
    while (hooks.length) await Promise.resolve(hooks.pop()!()).catch((e: unknown) => console.error(e));
  };
  t.after(run);
  return { after: (f: () => unknown) => void hooks.push(f), run } as T & { run: () => Promise<void> };
}

/** A Cairn data directory that is a shared mount (its later mounts reach dockerd's namespace). */
export function sharedDataDir(t: T): string {
  const dir = mkdtempSync(join(process.env.CAIRN_TEST_ROOT ?? tmpdir(), 'cairn-d-'));
  t.after(() => {
    releaseDataDir(dir);
    rmSync(dir, { recursive: true, force: true });
  });
  sh(['mount', '--bind', dir, dir]);
  sh(['mount', '--make-shared', dir]);
  return dir;
}

export interface Dockerd {
  host: string;
  pid: number;
  /** Runs the docker CLI against this daemon (asynchronously: an in-process Cairn must answer dockerd). */
  docker(args: string[]): Promise<string>;
  /** The docker CLI's exit status and output (for expected failures). */
  dockerStatus(args: string[]): Promise<{ status: number; out: string }>;
}

const run = promisify(execFile);

/** Starts dockerd in its own mount namespace seeing `pluginDir` as /run/docker/plugins. */
export async function startDockerd(t: T, pluginDir: string): Promise<Dockerd> {
  const d = tempDir(t, 'cairn-dockerd-');
  const sock = join(d, 'docker.sock');
  const host = `unix://${sock}`;
  const child = daemon(t, [
    'unshare',
    '--mount',
    '--propagation',
    'slave',
    'sh',
    '-c',
    'mount -t tmpfs tmpfs /run && mkdir -p /run/docker/plugins && mount --bind "$1" /run/docker/plugins && shift && exec "$@"',
    'sh',
    pluginDir,
    'dockerd',
    '--iptables=false',
    '--ip6tables=false',
    '--bridge=none',
    '--storage-driver=vfs',
    `--data-root=${join(d, 'root')}`,
    `--exec-root=${join(d, 'exec')}`,
    `--pidfile=${join(d, 'dockerd.pid')}`,
    '-H',
    host,
  ]);
  const docker = async (args: string[]) =>
    (await run('docker', ['-H', host, ...args], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 })).stdout;
  await waitFor(
    'dockerd',
    async () => {
      if (child.exitCode !== null) throw new Error(`dockerd exited ${child.exitCode}: ${child.output()}`);
      return (await docker(['version', '--format', '{{.Server.Version}}']).catch(() => '')).trim() || false;
    },
    60_000,
    250,
  );
  return {
    host,
    pid: child.pid!,
    docker,
    dockerStatus: async (args) => {
      try {
        return { status: 0, out: await docker(args) };
      } catch (e) {
        const x = e as { code?: number; stdout?: string; stderr?: string };
        return { status: x.code ?? 1, out: `${x.stdout ?? ''}${x.stderr ?? ''}` };
      }
    },
  };
}

/** Imports a busybox root as a local image (no registry, no network). */
export function importBusybox(t: T, d: Dockerd): string {
  const root = join(tempDir(t, 'cairn-bb-'), 'root');
  mkdirSync(join(root, 'bin'), { recursive: true });
  copyFileSync('/bin/busybox', join(root, 'bin/busybox'));
  for (const a of ['sh', 'cat', 'echo', 'ls', 'dd', 'sha256sum', 'sync', 'mkdir', 'stat', 'sleep'])
    symlinkSync('busybox', join(root, 'bin', a));
  const tar = execFileSync('tar', ['-C', root, '-c', '.'], { maxBuffer: 64 * 1024 * 1024 });
  sh(['docker', '-H', d.host, 'import', '-', DOCKER_IMAGE], { input: tar });
  return DOCKER_IMAGE;
}

export interface UnixAnswer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  body: any;
}

/** One HTTP request over a unix socket (what dockerd and the docker CLI do). */
export function unixRequest(
  socketPath: string,
  method: string,
  path: string,
  body?: unknown,
): Promise<UnixAnswer> {
  return new Promise((resolve, reject) => {
    const data = body === undefined ? undefined : Buffer.from(JSON.stringify(body));
    const req = httpRequest(
      {
        socketPath,
        method,
        path,
        headers: data ? { 'content-type': 'application/json', 'content-length': data.length } : {},
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => (text += c));
        res.on('end', () => {
          let parsed: unknown = undefined;
          try {
            parsed = text ? JSON.parse(text) : undefined;
          } catch {
            parsed = undefined;
          }
          resolve({ status: res.statusCode ?? 0, headers: res.headers, text, body: parsed });
        });
      },
    );
    req.on('error', reject);
    if (data) req.write(data);
    req.end();
  });
}

/** A plugin call as dockerd makes it: POST, JSON body, the plugin protocol's Accept header. */
export const pluginCall = (socketPath: string, call: string, body: unknown = {}) =>
  unixRequest(socketPath, 'POST', `/${call}`, body);

export interface DockerdRig {
  c: InProcessCairn;
  d: Dockerd;
  /** The local busybox image. */
  image: string;
  /** The folder dockerd sees as /run/docker/plugins (cairn.sock and pxd.sock). */
  plugins: string;
  /** Cairn's data directory (a shared mount). */
  dataDir: string;
}

/**
 * Cairn in process serving the docker dialect with one 1 GiB pool, and a real dockerd using its
 * plugin, with the busybox image. `t` must run its hooks last-registered first (`lifo`).
 */
export async function dockerdRig(t: T): Promise<DockerdRig> {
  const dataDir = sharedDataDir(t);
  const plugins = join(tempDir(t, 'cairn-docker-plugins-'), 'plugins');
  const saved = { ...process.env };
  t.after(() => {
    process.env = saved;
  });
  Object.assign(process.env, {
    CAIRN_DIALECTS: 'docker',
    CAIRN_DOCKER_PLUGIN_SOCKET: join(plugins, 'cairn.sock'),
    CAIRN_DOCKER_PLUGIN_ALIASES: 'pxd',
    CAIRN_DOCKER_API_SOCKET: join(plugins, '..', 'engine.sock'),
  });
  delete process.env.CAIRN_DOCKER_POOL;
  // Registered before Cairn starts, so it runs after Cairn and dockerd have stopped (lifo).
  let leftover: { loop: string; disk: string } | null = null;
  t.after(() => leftover && detachIfStill(leftover.loop, leftover.disk));
  const c = await startCairn(t, { dataDir });
  const disk = (
    await c.admin.request<{ id: string; path: string | null }>('POST', 'disks?wait=60', {
      size: 1024 * MiB,
    })
  ).body;
  // The pool's loop device can still be held by dockerd's namespace when Cairn lets it go; once
  // everything has stopped, detach that one device (by number, if it still backs this disk's file).
  const loop = (await c.admin.get<{ path: string | null }>(`disks/${disk.id}`)).path;
  if (loop) leftover = { loop, disk: disk.id };
  await makePool(c.admin, { name: 'dpool', disks: [disk.id], profile: 'single' });
  // Started after Cairn, so stopped before it (and before the data directory goes).
  const d = await startDockerd(t, plugins);
  return { c, d, image: importBusybox(t, d), plugins, dataDir };
}

/** Detaches `device` if it is still a loop device over this disk's image file (made by this test). */
function detachIfStill(device: string, diskId: string): void {
  const name = device.replace(/^\/dev\//, '');
  let backing = '';
  try {
    backing = readFileSync(`/sys/block/${name}/loop/backing_file`, 'utf8');
  } catch {
    return;
  }
  if (backing.includes(diskId)) execFileSync('losetup', ['-d', device]);
}
