// cairnd: reads its configuration, prepares TLS, starts the app, reconciles, serves, and stops
// gracefully on SIGTERM/SIGINT (running jobs get time to finish; the rest resume at next start).
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { hostname } from 'node:os';
import { pino } from 'pino';
import { readConfig, type Config } from './config.js';
import { logDestination } from './log-format.js';
import { createApp } from '../app.js';
import { ensureSelfSigned, readCertificate, type Certificate } from '../system/tls.js';
import { exec } from '../system/exec.js';
import { makeDirSync, writePrivateFile } from '../system/files.js';
import { redactUrl } from '../store/db.js';

async function main(): Promise<void> {
  let cfg: Config;
  try {
    cfg = readConfig();
  } catch (e) {
    const msg = e instanceof Error ? e.message : String(e);
    if (!/outputHelp|help|version/.test(msg)) process.stderr.write(`cairnd: ${msg}\n`);
    process.exit(/help/.test(msg) ? 0 : 2);
  }
  const options = {
    level: cfg.logLevel,
    base: { pid: process.pid, host: hostname() },
    redact: ['req.headers.authorization', 'req.headers.cookie', 'password', '*.password', '*.secret'],
  };
  const pretty = logDestination();
  const logger = pretty ? pino(options, pretty) : pino(options);
  makeDirSync(cfg.dataDir, 0o700);

  let certificate: Certificate | null = null;
  if (!cfg.insecureHttp) {
    certificate =
      cfg.tlsCert && cfg.tlsKey
        ? readCertificate(cfg.tlsCert, cfg.tlsKey, false)
        : await ensureSelfSigned(exec, join(cfg.dataDir, 'tls'), hostname());
  }

  const app = await createApp({
    dataDir: cfg.dataDir,
    databaseUrl: cfg.databaseUrl,
    adminPassword: cfg.adminPassword,
    certificate,
    logger,
    runtime: cfg.runtime,
  });
  const passwordFile = join(cfg.dataDir, 'admin-password');
  if (app.generatedAdminPassword) writePrivateFile(passwordFile, `${app.generatedAdminPassword}\n`);

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'stopping');
    const force = setTimeout(() => process.exit(1), 30_000);
    force.unref();
    await app.close().catch((e: unknown) => logger.error({ err: e }, 'error while stopping'));
    logger.info('stopped');
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('SIGINT', () => void stop('SIGINT'));

  await app.reconcile();
  await app.api.listen({ host: cfg.host, port: cfg.port });
  await app.listenDoors();
  const scheme = certificate ? 'https' : 'http';
  const shownHost = cfg.host === '0.0.0.0' || cfg.host === '::' ? hostname() : cfg.host;
  const lines = [
    `Cairn is up: ${scheme}://${shownHost}:${cfg.port}/  (API ${scheme}://${shownHost}:${cfg.port}/api/v1, reference /docs)`,
    `  database: ${redactUrl(cfg.databaseUrl)}   data: ${cfg.dataDir}`,
    certificate
      ? `  certificate SHA-256 fingerprint: ${certificate.fingerprint256}`
      : '  WARNING: plain HTTP on loopback, as asked',
    app.generatedAdminPassword
      ? `  first admin: user "admin", password written to ${passwordFile} (mode 0600): ${app.generatedAdminPassword}`
      : existsSync(passwordFile)
        ? `  admin password: see ${passwordFile}`
        : '  admin password: as set by CAIRN_ADMIN_PASSWORD at first start',
    ...app.doors().map((d) => `  dialect ${d.dialect}: ${d.address}`),
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
}

main().catch((e: unknown) => {
  process.stderr.write(`cairnd: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  process.exit(1);
});
