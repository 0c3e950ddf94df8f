// cairnd's configuration, read once from flags and environment (flags win) and passed down: the
// only server-side module that reads process.env and CAIRN_* variables (a unit test checks that
// nothing else in src/ reads the environment; src/cli/config.ts is the CLI's own). Plain HTTP only
// on loopback.
import { Command } from 'commander';
import { isAbsolute, join, normalize } from 'node:path';
import { networkInterfaces } from 'node:os';
import type { ExportNet } from '../services/exports/net.js';

/**
 * What the composition root hands down to the parts below it (tuning and test hooks). Tests that
 * run Cairn in process build it with `runtimeConfig(env)`.
 */
export interface RuntimeConfig {
  /**
   * CAIRN_DIALECTS: the API dialects to serve (comma-separated names); null when unset: then those
   * that open no port or socket of their own (the wiring knows which).
   */
  dialects: string[] | null;
  /** CAIRN_LAUNCHER (`off`: start programs with child_process instead of the launcher). */
  launcher: boolean;
  /** CAIRN_POOL_CHECK_MS: how often pools are checked for failed disks and spares. */
  poolCheckMs: number;
  /** CAIRN_DEDUP_CHECK_MS: how often pools' deduplication schedules are checked. */
  dedupCheckMs: number;
  /** CAIRN_SPARE_ERROR_THRESHOLD: device errors after which a spare takes a disk's place. */
  spareErrorThreshold: number;
  /** CAIRN_REPLICATION_STALL_MS: a replication stream without progress this long is cut (unset: the default). */
  replicationStallMs?: number;
  /** CAIRN_STATS_INTERVAL_MS: the sampler's interval (unset: setting monitor.interval_ms). */
  statsIntervalMs?: number;
  /** CAIRN_METRICS_PUBLIC=1: /metrics without credentials (or setting monitor.metrics_public). */
  metricsPublic: boolean;
  /** CAIRN_NOTIFY_BACKOFF_MS: the notifier's first retry delay (unset: setting monitor.notify_backoff_ms). */
  notifyBackoffMs?: number;
  /** CAIRN_ISCSI_PORTAL, CAIRN_NFS_*, CAIRN_SMB_*, CAIRN_NBD_*, CAIRN_EXPORT_ADDRESS. */
  exportNet: ExportNet;
  /** CAIRN_TEST_STEP_DELAY_MS: a pause before every job step (crash tests only). */
  testStepDelayMs: number;
  /** CAIRN_OSD_LISTEN: the OpenStorage REST API's TCP address (plain HTTP; loopback needs no key). */
  osdListen: { host: string; port: number };
  /** CAIRN_OSD_SOCKET: the OpenStorage REST API's unix socket. */
  osdSocket: string;
  /** CAIRN_DOCKER_PLUGIN_SOCKET: the Docker volume plugin's socket. */
  dockerPluginSocket: string;
  /** CAIRN_DOCKER_PLUGIN_ALIASES: more plugin names served beside it (sockets in the same folder), e.g. `pxd`. */
  dockerPluginAliases: string[];
  /** CAIRN_DOCKER_API_SOCKET: Docker's Engine volume API, served by Cairn. */
  dockerApiSocket: string;
  /** CAIRN_DOCKER_POOL: the pool Docker and OSD volumes go to when none is named (unset: the only pool). */
  dockerPool?: string;
  /** CAIRN_MOUNT_ROOTS: where attachments may mount volumes (absolute paths). */
  mountRoots: string[];
}

const int = (v: string | undefined, name: string): number | undefined => {
  if (v === undefined || v === '') return undefined;
  if (!/^\d+$/.test(v)) throw new Error(`${name} must be a whole number, got ${v}`);
  return Number(v);
};

export function parseDialects(v: string | undefined): string[] | null {
  if (v === undefined || v.trim() === '') return null;
  const names = v
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  const bad = names.find((n) => !/^[a-z][a-z0-9-]*$/.test(n));
  if (bad !== undefined) throw new Error(`CAIRN_DIALECTS must be comma-separated names, got ${bad}`);
  return [...new Set(names)];
}

/** The part of the configuration below the daemon's own (listen address, TLS, database). */
export function runtimeConfig(env: NodeJS.ProcessEnv): RuntimeConfig {
  return {
    dialects: parseDialects(env.CAIRN_DIALECTS),
    launcher: env.CAIRN_LAUNCHER !== 'off',
    poolCheckMs: int(env.CAIRN_POOL_CHECK_MS, 'CAIRN_POOL_CHECK_MS') ?? 5000,
    dedupCheckMs: int(env.CAIRN_DEDUP_CHECK_MS, 'CAIRN_DEDUP_CHECK_MS') ?? 60_000,
    spareErrorThreshold: int(env.CAIRN_SPARE_ERROR_THRESHOLD, 'CAIRN_SPARE_ERROR_THRESHOLD') ?? 50,
    replicationStallMs: int(env.CAIRN_REPLICATION_STALL_MS, 'CAIRN_REPLICATION_STALL_MS') || undefined,
    statsIntervalMs: int(env.CAIRN_STATS_INTERVAL_MS, 'CAIRN_STATS_INTERVAL_MS'),
    metricsPublic: env.CAIRN_METRICS_PUBLIC === '1',
    notifyBackoffMs: int(env.CAIRN_NOTIFY_BACKOFF_MS, 'CAIRN_NOTIFY_BACKOFF_MS'),
    exportNet: exportNet(env),
    testStepDelayMs: int(env.CAIRN_TEST_STEP_DELAY_MS, 'CAIRN_TEST_STEP_DELAY_MS') ?? 0,
    osdListen: parseAddress(env.CAIRN_OSD_LISTEN || '127.0.0.1:9001', 'CAIRN_OSD_LISTEN'),
    osdSocket: absolute(env.CAIRN_OSD_SOCKET || '/run/cairn/osd.sock', 'CAIRN_OSD_SOCKET'),
    dockerPluginSocket: absolute(
      env.CAIRN_DOCKER_PLUGIN_SOCKET || '/run/docker/plugins/cairn.sock',
      'CAIRN_DOCKER_PLUGIN_SOCKET',
    ),
    dockerPluginAliases: names(env.CAIRN_DOCKER_PLUGIN_ALIASES ?? 'pxd', 'CAIRN_DOCKER_PLUGIN_ALIASES'),
    dockerApiSocket: absolute(
      env.CAIRN_DOCKER_API_SOCKET || '/run/cairn/docker.sock',
      'CAIRN_DOCKER_API_SOCKET',
    ),
    dockerPool: env.CAIRN_DOCKER_POOL || undefined,
    mountRoots: (env.CAIRN_MOUNT_ROOTS || '/mnt,/var/lib/cairn/mounts')
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean)
      .map((s) => absolute(s, 'CAIRN_MOUNT_ROOTS')),
  };
}

const splitHostPort = (s: string, defPort: number) => {
  const m = /^\[?([^\]]*?)\]?(?::(\d{1,5}))?$/.exec(s.trim());
  return { address: m?.[1] || '0.0.0.0', port: m?.[2] ? Number(m[2]) : defPort };
};

function firstAddress(): string {
  for (const list of Object.values(networkInterfaces()))
    for (const a of list ?? []) if (a.family === 'IPv4' && !a.internal) return a.address;
  return '127.0.0.1';
}

/** CAIRN_ISCSI_PORTAL, CAIRN_NFS_*, CAIRN_SMB_*, CAIRN_NBD_*, CAIRN_EXPORT_ADDRESS. */
function exportNet(env: NodeJS.ProcessEnv): ExportNet {
  const iscsi = splitHostPort(env.CAIRN_ISCSI_PORTAL ?? '0.0.0.0:3260', 3260);
  const nfsPort = Number(env.CAIRN_NFS_PORT ?? 2049);
  const nbdBase = Number(env.CAIRN_NBD_PORT ?? 10809);
  const specific = [iscsi.address, env.CAIRN_NFS_ADDRESS, env.CAIRN_SMB_ADDRESS].find(
    (a) => a && a !== '0.0.0.0',
  );
  return {
    advertise: env.CAIRN_EXPORT_ADDRESS ?? specific ?? firstAddress(),
    iscsi,
    nfs: {
      address: env.CAIRN_NFS_ADDRESS ?? '0.0.0.0',
      port: nfsPort,
      mountPort: Number(env.CAIRN_NFS_MOUNT_PORT ?? (nfsPort === 2049 ? 20048 : nfsPort + 1)),
    },
    smb: { address: env.CAIRN_SMB_ADDRESS ?? '0.0.0.0', port: Number(env.CAIRN_SMB_PORT ?? 445) },
    nbd: {
      address: env.CAIRN_NBD_ADDRESS ?? '0.0.0.0',
      basePort: nbdBase,
      lastPort: Number(env.CAIRN_NBD_LAST_PORT ?? nbdBase + 999),
    },
    nbdTlsDir: env.CAIRN_NBD_TLS_DIR ?? null,
  };
}

function absolute(v: string, name: string): string {
  if (!isAbsolute(v) || v.includes('\0')) throw new Error(`${name} must be absolute paths, got ${v}`);
  const n = normalize(v);
  return n.length > 1 ? n.replace(/\/+$/, '') : n;
}

function names(v: string, name: string): string[] {
  const list = v
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  const bad = list.find((n) => !/^[a-z0-9][a-z0-9._-]*$/.test(n));
  if (bad !== undefined) throw new Error(`${name} must be comma-separated names, got ${bad}`);
  return [...new Set(list)];
}

/** `address:port` (IPv6 in brackets), as CAIRN_LISTEN and CAIRN_OSD_LISTEN are written. */
export function parseAddress(s: string, name: string): { host: string; port: number } {
  const m = /^\[?([^\]]*?)\]?:(\d{1,5})$/.exec(s.trim());
  if (!m || Number(m[2]) > 65535) throw new Error(`${name} must be address:port, got ${s}`);
  return { host: m[1] || '0.0.0.0', port: Number(m[2]) };
}

/** Everything cairnd is told at start. */
export type Config = DaemonConfig & { runtime: RuntimeConfig };

export interface DaemonConfig {
  dataDir: string;
  host: string;
  port: number;
  databaseUrl: string;
  tlsCert?: string;
  tlsKey?: string;
  insecureHttp: boolean;
  adminPassword?: string;
  logLevel: string;
}

export const parseListen = (s: string): { host: string; port: number } => parseAddress(s, 'CAIRN_LISTEN');

export const isLoopback = (host: string): boolean =>
  host === 'localhost' || host === '::1' || /^127\./.test(host);

/** Reads cairnd's flags and environment (the process's own unless given: tests pass theirs). */
export function readConfig(
  argv: string[] = process.argv.slice(2),
  env: NodeJS.ProcessEnv = process.env,
): Config {
  const cmd = new Command('cairnd')
    .description('the Cairn storage daemon')
    .option('--data-dir <dir>', 'state directory (CAIRN_DATA_DIR)', env.CAIRN_DATA_DIR ?? '/var/lib/cairn')
    .option(
      '--listen <address:port>',
      'where to serve HTTPS (CAIRN_LISTEN)',
      env.CAIRN_LISTEN ?? '0.0.0.0:8900',
    )
    .option(
      '--database-url <url>',
      'SQLite file or postgres:// URL (CAIRN_DATABASE_URL)',
      env.CAIRN_DATABASE_URL,
    )
    .option(
      '--tls-cert <file>',
      'certificate (PEM) instead of the self-signed one (CAIRN_TLS_CERT)',
      env.CAIRN_TLS_CERT,
    )
    .option('--tls-key <file>', 'its private key (CAIRN_TLS_KEY)', env.CAIRN_TLS_KEY)
    .option(
      '--insecure-http',
      'serve plain HTTP (loopback addresses only) (CAIRN_INSECURE_HTTP=1)',
      env.CAIRN_INSECURE_HTTP === '1',
    )
    .option(
      '--log-level <level>',
      'trace, debug, info, warn, error (CAIRN_LOG_LEVEL)',
      env.CAIRN_LOG_LEVEL ?? 'info',
    )
    .exitOverride()
    .parse(argv, { from: 'user' });
  const o = cmd.opts<{
    dataDir: string;
    listen: string;
    databaseUrl?: string;
    tlsCert?: string;
    tlsKey?: string;
    insecureHttp: boolean;
    logLevel: string;
  }>();
  const { host, port } = parseListen(o.listen);
  if (o.insecureHttp && !isLoopback(host))
    throw new Error(`plain HTTP is only allowed on loopback addresses, not ${host}`);
  if (Boolean(o.tlsCert) !== Boolean(o.tlsKey))
    throw new Error('give both --tls-cert and --tls-key, or neither');
  return {
    dataDir: o.dataDir,
    host,
    port,
    databaseUrl: o.databaseUrl ?? join(o.dataDir, 'cairn.db'),
    tlsCert: o.tlsCert,
    tlsKey: o.tlsKey,
    insecureHttp: o.insecureHttp,
    adminPassword: env.CAIRN_ADMIN_PASSWORD || undefined,
    logLevel: o.logLevel,
    runtime: runtimeConfig(env),
  };
}
