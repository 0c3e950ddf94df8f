// The composition root: opens the store, runs migrations, builds services and job definitions,
// recovers interrupted jobs, reconciles the machine to the database, and builds the API.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import { openStore, type OpenedStore } from './store/db.js';
import { migrate } from './store/migrations/index.js';
import { JobStore } from './store/jobs.js';
import { AuthStore } from './store/auth.js';
import { AuditStore } from './store/audit.js';
import { readOsRelease } from './system/osrelease/index.js';
import { SettingsStore } from './store/settings.js';
import { EventStore } from './store/events.js';
import { JobEngine } from './jobs/engine.js';
import { JobsService } from './services/jobs.js';
import { SystemService, certificateInfo } from './services/system.js';
import { MaintenanceService } from './services/maintenance.js';
import { AuthService } from './auth/service.js';
import { recordLoginBursts } from './auth/login-bursts.js';
import { buildApi } from './api/server.js';
import { buildDoorServers, doorDocument, type DoorServer } from './api/doors.js';
import { enabledDialects } from './api/dialects/index.js';
import { prepareSocketPath, removeSocket, setSocketMode } from './system/sockets.js';
import type { Services } from './services/index.js';
import { execWith, type Exec } from './system/exec.js';
import { Launcher } from './system/launcher.js';
import type { Certificate } from './system/tls.js';
import { makePaths } from './system/paths.js';
import { makeDirSync } from './system/files.js';
import { ObjectIds } from './store/object-ids.js';
import { NetworkService } from './services/network.js';
import { AuditService, ObjectIdService, VersionService } from './services/records.js';
import { Versions } from './system/versions/index.js';
import { buildAreas, type AreaContext, type BaseServices } from './areas.js';
import { runtimeConfig, type RuntimeConfig } from './daemon/config.js';

/** The web console as scripts/setup.sh builds it (console/dist beside build/). */
const CONSOLE_DIR = join(import.meta.dirname, '..', '..', 'console', 'dist');

export interface AppConfig {
  dataDir: string;
  databaseUrl: string;
  adminPassword?: string;
  certificate: Certificate | null;
  logger: Logger;
  exec?: Exec;
  /** Tuning and test hooks from the environment (defaults when absent). */
  runtime?: RuntimeConfig;
}

export interface App {
  api: FastifyInstance;
  services: Services;
  engine: JobEngine;
  store: OpenedStore;
  /** The admin password when it was generated at this start (first start only). */
  generatedAdminPassword?: string;
  reconcile(): Promise<void>;
  /** Opens the doors of the dialects that have their own (TCP ports, unix sockets); after reconcile. */
  listenDoors(): Promise<void>;
  /** Where each open door listens (`unix:/path`, `tcp:host:port`), by dialect. */
  doors(): { dialect: string; address: string }[];
  close(): Promise<void>;
}

export async function createApp(cfg: AppConfig): Promise<App> {
  makeDirSync(cfg.dataDir, 0o700);
  const store = await openStore(cfg.databaseUrl, { logger: cfg.logger.child({ component: 'store' }) });
  await migrate(store.db, store.dialect);
  const runtime = cfg.runtime ?? runtimeConfig({});
  // Programs start through the launcher (closed last at stop); a test's own exec replaces both.
  const launcher = cfg.exec
    ? null
    : Launcher.open({
        enabled: runtime.launcher,
        onDeath: ({ pid, restarting }) =>
          cfg.logger.warn(
            { pid, restarting },
            restarting
              ? 'the program launcher died; starting another'
              : 'the program launcher died; using child_process',
          ),
      });
  const exec = cfg.exec ?? execWith(launcher);

  const jobStore = new JobStore(store.db, store.dialect);
  const events = new EventStore(store.db, store.dialect);
  const engine = new JobEngine(
    jobStore,
    cfg.logger.child({ component: 'jobs' }),
    events,
    runtime.testStepDelayMs,
  );
  const auth = new AuthService(new AuthStore(store.db, store.dialect));
  await auth.ensureBuiltinRoles();
  const admin = await auth.ensureAdmin(cfg.adminPassword);

  const settings = new SettingsStore(store.db);
  const system = new SystemService(
    settings,
    store.db,
    store.dialect.name,
    cfg.certificate ? certificateInfo(cfg.certificate) : null,
    await readOsRelease(),
  );

  const ctx: AreaContext = {
    db: store.db,
    dialect: store.dialect,
    exec,
    engine,
    dataDir: cfg.dataDir,
    paths: makePaths(cfg.dataDir),
    events,
    logger: cfg.logger,
    config: runtime,
  };
  const audit = new AuditStore(store.db, store.dialect);
  recordLoginBursts(auth, { audit, events, logger: cfg.logger });
  const maintenance = new MaintenanceService(settings, events);
  await maintenance.load();
  const base: BaseServices = {
    system,
    maintenance,
    jobs: new JobsService(engine, jobStore),
    auth,
    audit: new AuditService(audit),
    ids: new ObjectIdService(new ObjectIds(store.db)),
    network: new NetworkService(settings),
    versions: new VersionService(new Versions(exec)),
  };
  const areas = await buildAreas(ctx, base);
  const services = areas.services;

  const api = await buildApi(services, {
    logger: cfg.logger,
    https: cfg.certificate ? { key: cfg.certificate.key, cert: cfg.certificate.cert } : null,
    extraPlugins: areas.plugins,
    consoleDir: existsSync(join(CONSOLE_DIR, 'index.html')) ? CONSOLE_DIR : null,
  });

  const https = cfg.certificate ? { key: cfg.certificate.key, cert: cfg.certificate.cert } : null;
  const doorServers = await buildDoorServers(services, enabledDialects(runtime), runtime, {
    logger: cfg.logger,
    https,
  });
  for (const d of doorServers) api.dialectDocs.set(d.dialect, doorDocument(d));
  const opened: DoorServer[] = [];

  const reconcile = async () => {
    try {
      // Machine state first (disks, mounts, daemons), then unfinished jobs, which may need them.
      await areas.reconcile();
      await engine.recover();
      system.reconciled = true;
      system.reconcileError = null;
    } catch (e) {
      system.reconcileError = e instanceof Error ? e.message : String(e);
      cfg.logger.error({ err: e }, 'start-up reconciliation failed');
      throw e;
    }
  };

  return {
    api,
    services,
    engine,
    store,
    ...(admin.generated ? { generatedAdminPassword: admin.generated } : {}),
    reconcile,
    async listenDoors() {
      for (const d of doorServers) {
        if (opened.includes(d)) continue;
        if (d.door.kind === 'unix') {
          await prepareSocketPath(d.door.path);
          await d.app.listen({ path: d.door.path });
          setSocketMode(d.door.path, d.door.mode);
        } else await d.app.listen({ host: d.door.host, port: d.door.port });
        opened.push(d);
      }
    },
    doors: () =>
      opened.map((d) => ({
        dialect: d.dialect,
        address: d.door.kind === 'unix' ? `unix:${d.door.path}` : `tcp:${d.door.host}:${doorPort(d)}`,
      })),
    async close() {
      for (const d of doorServers) await d.app.close();
      for (const d of opened) if (d.door.kind === 'unix') removeSocket(d.door.path);
      await api.close();
      await engine.stop();
      await areas.stop();
      await store.close();
      launcher?.close();
    },
  };
}

/** The port a TCP door listens on (the configured one, or the one the system chose for port 0). */
function doorPort(d: DoorServer): number {
  const a = d.app.server.address();
  return a && typeof a === 'object' ? a.port : d.door.kind === 'tcp' ? d.door.port : 0;
}
