// Starts a real Cairn for a test: in process (fast, plain HTTP on loopback) or as a cairnd child
// process (for restarts and kill -9). Each registers its own cleanup: stop, then release what the
// instance left under its own data directory, then remove that directory.
import { createServer } from 'node:net';
import { mkdtempSync, rmSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { tmpdir } from 'node:os';
import { pino } from 'pino';
import { createApp, type App } from '../../src/app.js';
import { runtimeConfig } from '../../src/daemon/config.js';
import { exec } from '../../src/system/exec.js';
import { ensureSelfSigned } from '../../src/system/tls.js';
import { Client } from '../../src/cli/client.js';
import { createDatabase, type StoreKind } from './stores.js';
import { releaseDataDir, spawnChild, stopProcess, waitFor, type T } from './real.js';
import type { ChildProcess } from 'node:child_process';

export const ADMIN_PASSWORD = 'Admin-Passw0rd-for-tests';
export const REPO = resolve(import.meta.dirname, '../../..');

export async function freePort(): Promise<number> {
  return new Promise((res, rej) => {
    const s = createServer();
    s.once('error', rej);
    s.listen(0, '127.0.0.1', () => {
      const a = s.address();
      const port = typeof a === 'object' && a ? a.port : 0;
      s.close(() => res(port));
    });
  });
}

const makeDataDir = () => mkdtempSync(join(process.env.CAIRN_TEST_ROOT ?? tmpdir(), 'cairn-d-'));
const removeDataDir = (dir: string) => {
  releaseDataDir(dir);
  rmSync(dir, { recursive: true, force: true });
};

/** A data directory removed after the test, with every mount and loop device left under it. */
export function newDataDir(t: T): string {
  const dir = makeDataDir();
  t.after(() => removeDataDir(dir));
  return dir;
}

/**
 * One after-hook per instance that undoes everything in the right order: stop cairnd, release
 * what it left under its data directory, remove the directory, drop the database.
 */
interface Resources {
  dataDir: string;
  dbUrl: string;
  onStop: (f: () => Promise<void>) => void;
}

async function instanceResources(
  t: T,
  opts: { store?: StoreKind; dataDir?: string; databaseUrl?: string },
): Promise<Resources> {
  const stops: (() => Promise<void>)[] = [];
  const ownDir = !opts.dataDir;
  const dataDir = opts.dataDir ?? makeDataDir();
  const db = opts.databaseUrl
    ? { url: opts.databaseUrl, drop: async () => undefined }
    : await createDatabase(opts.store ?? 'sqlite', dataDir);
  t.after(async () => {
    for (const stop of stops.reverse()) await stop().catch(() => undefined);
    if (ownDir) removeDataDir(dataDir);
    await db.drop();
  });
  return { dataDir, dbUrl: db.url, onStop: (f: () => Promise<void>) => stops.push(f) };
}

export interface TestCairn {
  url: string;
  dataDir: string;
  databaseUrl: string;
  admin: Client;
  as(user: string, password: string): Client;
  withKey(key: string): Client;
  anonymous: Client;
}

export interface InProcessCairn extends TestCairn {
  app: App;
  /** The pinned-able certificate fingerprint when started with { tls: true }. */
  fingerprint: string | null;
  stop(): Promise<void>;
  /** Stops this instance and starts a new one on the same data directory and database. */
  restart(): Promise<InProcessCairn>;
}

const clients = (url: string) => ({
  admin: new Client({ url, user: 'admin', password: ADMIN_PASSWORD, insecure: true }),
  as: (user: string, password: string) => new Client({ url, user, password, insecure: true }),
  withKey: (key: string) => new Client({ url, apiKey: key, insecure: true }),
  anonymous: new Client({ url, insecure: true }),
});

/** Starts cairn in this process on 127.0.0.1 with plain HTTP, on a fresh data directory and store. */
export async function startCairn(
  t: T,
  opts: {
    store?: StoreKind;
    dataDir?: string;
    databaseUrl?: string;
    tls?: boolean;
    /** CAIRN_* settings for this instance on top of the test's environment (e.g. CAIRN_DIALECTS). */
    env?: Record<string, string>;
  } = {},
): Promise<InProcessCairn> {
  return launchInProcess(await instanceResources(t, opts), opts.tls ?? false, opts.env ?? {});
}

async function launchInProcess(
  res: Resources,
  tls = false,
  env: Record<string, string> = {},
): Promise<InProcessCairn> {
  const { dataDir, dbUrl, onStop } = res;
  const logger = pino({ level: process.env.CAIRN_TEST_LOG ?? 'silent' });
  // With tls: the self-signed certificate cairnd would make, so partners can pin it.
  const certificate = tls ? await ensureSelfSigned(exec, join(dataDir, 'tls'), 'localhost') : null;
  const app = await createApp({
    dataDir,
    databaseUrl: dbUrl,
    adminPassword: ADMIN_PASSWORD,
    certificate,
    logger,
    // Tests tune an in-process instance through the environment, as they would cairnd.
    runtime: runtimeConfig({ ...process.env, ...env }),
  });
  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    await app.close();
  };
  onStop(stop);
  await app.reconcile();
  await app.api.listen({ host: '127.0.0.1', port: 0 });
  // The doors of dialects with listeners of their own (CAIRN_DIALECTS=osd,docker in `env`).
  await app.listenDoors();
  const addr = app.api.server.address();
  const url = `${tls ? 'https' : 'http'}://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}`;
  const self: InProcessCairn = {
    url,
    fingerprint: certificate?.fingerprint256 ?? null,
    dataDir,
    databaseUrl: dbUrl,
    app,
    stop,
    restart: async () => {
      await stop();
      return launchInProcess(res, tls, env);
    },
    ...clients(url),
  };
  return self;
}

export interface ProcessCairn extends TestCairn {
  child: ChildProcess & { output: () => string };
  port: number;
  fingerprint: string;
  /** SIGKILL, no chance to clean up: what a crash looks like. */
  kill9(): Promise<void>;
  stop(): Promise<void>;
  start(): Promise<ProcessCairn>;
}

/** Starts ./bin/cairnd as a child with HTTPS (self-signed) on a free loopback port. */
export async function startCairnProcess(
  t: T,
  opts: { store?: StoreKind; dataDir?: string; databaseUrl?: string; env?: Record<string, string> } = {},
): Promise<ProcessCairn> {
  return launchProcess(await instanceResources(t, opts), opts.env);
}

async function launchProcess(res: Resources, env: Record<string, string> | undefined): Promise<ProcessCairn> {
  const { dataDir, dbUrl, onStop } = res;
  const port = await freePort();
  const child = spawnChild(['node', join(REPO, 'build/src/daemon/main.js')], {
    CAIRN_DATA_DIR: dataDir,
    CAIRN_LISTEN: `127.0.0.1:${port}`,
    CAIRN_DATABASE_URL: dbUrl,
    CAIRN_ADMIN_PASSWORD: ADMIN_PASSWORD,
    CAIRN_LOG_LEVEL: process.env.CAIRN_TEST_LOG ?? 'warn',
    ...env,
  });
  onStop(() => stopProcess(child));
  const url = `https://127.0.0.1:${port}`;
  const c = clients(url);
  await waitFor(
    `cairnd on ${url}`,
    async () => {
      if (child.exitCode !== null) throw new Error(`cairnd exited ${child.exitCode}: ${child.output()}`);
      const h = await c.anonymous.get<{ ready: boolean }>('health').catch(() => undefined);
      return h?.ready;
    },
    60_000,
  );
  const cert = await c.anonymous.get<{ fingerprint_sha256: string }>('system/certificate');
  const self: ProcessCairn = {
    url,
    port,
    dataDir,
    databaseUrl: dbUrl,
    child,
    fingerprint: cert.fingerprint_sha256,
    ...c,
    kill9: async () => {
      const exited = new Promise<void>((r) =>
        child.exitCode !== null || child.signalCode !== null ? r() : child.once('exit', () => r()),
      );
      child.kill('SIGKILL');
      await exited;
    },
    stop: () => stopProcess(child),
    start: () => launchProcess(res, env),
  };
  return self;
}

export const readAdminPasswordFile = (dataDir: string) =>
  readFileSync(join(dataDir, 'admin-password'), 'utf8').trim();
