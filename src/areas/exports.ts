// Wiring of exports, hosts and daemon supervision: builds their stores, protocols and services,
// registers the job definitions and API plugins, and connects them to volumes (dependents), hosts
// and users (src/services/exports/links.ts). Decisions live in the services.
import type { AreaContext, AreaPart } from './types.js';
import type { Services } from '../services/index.js';
import type { VolumeAccess } from '../services/contracts.js';
import { Replaceable } from '../services/replaceable.js';
import { ExportStore } from '../store/exports.js';
import { HostStore } from '../store/hosts.js';
import { TargetStore } from '../store/targets.js';
import { TargetService } from '../services/targets/service.js';
import { targetRoutes } from '../api/native/targets/routes.js';
import { Supervisor } from '../services/daemons/supervisor.js';
import { DaemonControl } from '../services/daemons/control.js';
import { SecretBox } from '../services/hosts/secrets.js';
import { HostService } from '../services/hosts/service.js';
import { ExportProtocols } from '../services/exports/protocols/index.js';
import { ProcFs } from '../system/procfs/index.js';
import { SmbUserStore } from '../store/smb-users.js';
import { ExportService } from '../services/exports/service.js';
import { VolumeShares } from '../services/exports/shares.js';
import { hostHooks, smbUserListener } from '../services/exports/links.js';
import { hostRoutes } from '../api/native/hosts/routes.js';
import { exportRoutes } from '../api/native/exports/routes.js';
import { serviceRoutes } from '../api/native/services/routes.js';

/** The part of `Services` this area builds (declared once, in src/services/index.ts). */
export type ExportServices = Pick<Services, 'exports' | 'shares' | 'hosts' | 'targets' | 'daemons'>;

/** What it needs from the areas built before it. */
export type ExportNeeds = Pick<Services, 'volumes' | 'maintenance' | 'auth' | 'system'>;

export async function buildExportArea(
  ctx: AreaContext,
  needs: ExportNeeds,
): Promise<AreaPart<ExportServices>> {
  // The volume service, or the stand-in a test puts there (ExportService.useVolumeAccess).
  const volumes = new Replaceable<VolumeAccess>(needs.volumes);
  const net = ctx.config.exportNet;
  const supervisor = new Supervisor(ctx.logger.child({ component: 'supervisor' }));
  const store = new ExportStore(ctx.db, ctx.dialect);
  const hostStore = new HostStore(ctx.db, ctx.dialect);
  const box = new SecretBox(ctx.dataDir);
  const targetStore = new TargetStore(ctx.db, ctx.dialect);
  const systemName = () => needs.system.name();
  const logger = ctx.logger.child({ component: 'exports' });
  const protocols = new ExportProtocols({
    exec: ctx.exec,
    paths: ctx.paths,
    supervisor,
    exports: store,
    hosts: hostStore,
    targets: targetStore,
    smbUsers: new SmbUserStore(ctx.db),
    box,
    volumes: volumes.get,
    net,
    logger,
    procfs: new ProcFs(),
    systemName,
  });
  const exports = new ExportService({
    engine: ctx.engine,
    store,
    hosts: hostStore,
    protocols,
    net,
    volumes: volumes.get,
    setVolumes: volumes.set,
    maintenance: needs.maintenance,
  });
  const targets = new TargetService({
    engine: ctx.engine,
    store: targetStore,
    hosts: hostStore,
    exports: store,
    iscsi: protocols.iscsi,
    net,
    volumes: volumes.get,
    systemName,
    logger: ctx.logger.child({ component: 'targets' }),
  });
  const hosts = new HostService(
    hostStore,
    box,
    hostHooks({ exports, targets, protocols, engine: ctx.engine }),
  );
  needs.auth.onSmbUser(smbUserListener(protocols, logger));
  ctx.engine.register(exports.createJob);
  ctx.engine.register(exports.updateJob);
  ctx.engine.register(exports.deleteJob);
  ctx.engine.register(targets.createJob);
  ctx.engine.register(targets.updateJob);
  ctx.engine.register(targets.deleteJob);
  ctx.engine.register(targets.lunAddJob);
  ctx.engine.register(targets.lunRemoveJob);
  needs.volumes.registerDependents(exports.dependents());
  needs.volumes.registerDependents(targets.dependents());

  return {
    services: {
      exports,
      shares: new VolumeShares({ exports, engine: ctx.engine }),
      hosts,
      targets,
      daemons: new DaemonControl(supervisor),
    },
    plugins: [
      async (app, svc) => {
        await app.register(hostRoutes, { svc, prefix: '/api/v1/hosts' });
        await app.register(serviceRoutes, { svc, prefix: '/api/v1/services' });
        await app.register(exportRoutes, { svc });
        await app.register(targetRoutes, { svc, prefix: '/api/v1/targets' });
      },
    ],
    reconcile: () => protocols.reconcile(),
    stop: () => protocols.stopAll(),
  };
}
