// cairnd configuration from flags and environment (flags win). Plain HTTP only on loopback.
import { Command } from 'commander';
import { join } from 'node:path';

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

export function parseListen(s: string): { host: string; port: number } {
  const m = /^\[?([^\]]*?)\]?:(\d{1,5})$/.exec(s.trim());
  if (!m || Number(m[2]) > 65535) throw new Error(`CAIRN_LISTEN must be address:port, got ${s}`);
  return { host: m[1] || '0.0.0.0', port: Number(m[2]) };
}

export const isLoopback = (host: string): boolean =>
  host === 'localhost' || host === '::1' || /^127\./.test(host);

export function readConfig(argv: string[], env: NodeJS.ProcessEnv): DaemonConfig {
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
  };
}
