// Wiring of exports, hosts and daemon supervision (issue 6): its services, job definitions, API plugins, reconciler and stop hook.
import type { AreaContext, AreaPart } from './types.js';
import type { Services } from '../services/index.js';
import type { VolumeAccess, VolumeDependents } from '../services/contracts.js';
import { ExportStore } from '../store/exports.js';
import { HostStore } from '../store/hosts.js';
import { TargetStore } from '../store/targets.js';
import { TargetService } from '../services/targets/service.js';
import { targetRoutes } from '../api/native/targets/routes.js';
import { SettingsStore } from '../store/settings.js';
import { Supervisor } from '../services/daemons/supervisor.js';
import { DaemonControl } from '../services/daemons/control.js';
import { SecretBox } from '../services/hosts/secrets.js';
import { HostService } from '../services/hosts/service.js';
import { ExportProtocols } from '../services/exports/protocols/index.js';
import { ProcFs } from '../system/procfs/index.js';
import { SmbUserStore } from '../store/smb-users.js';
import { ExportService } from '../services/exports/service.js';
import type { ExportNet } from '../services/exports/net.js';
import { hostRoutes } from '../api/native/hosts/routes.js';
import { exportRoutes } from '../api/native/exports/routes.js';
import { serviceRoutes } from '../api/native/services/routes.js';
import { hostname } from 'node:os';

/** The part of `Services` this area builds (declared once, in src/services/index.ts). */
export type ExportServices = Pick<Services, 'exports' | 'hosts' | 'targets' | 'daemons'>;

type VolumesWithDependents = VolumeAccess & { registerDependents(d: VolumeDependents): void };

/** Test hook: an area built with a VolumeAccess of its own (before the volume area exists). */
export interface ExportAreaOptions {
  volumes?: VolumeAccess;
  net?: ExportNet;
}

export async function buildExportArea(
  ctx: AreaContext,
  sofar: Partial<Services>,
  opts: ExportAreaOptions = {},
): Promise<AreaPart<ExportServices>> {
  const fromArea = (sofar as { volumes?: VolumesWithDependents }).volumes;
  let injected: VolumeAccess | undefined = opts.volumes;
  const volumes = () => injected ?? (fromArea?.exportable ? fromArea : undefined);
  const net = opts.net ?? ctx.config.exportNet;
  const supervisor = new Supervisor(ctx.logger.child({ component: 'supervisor' }));
  const store = new ExportStore(ctx.db, ctx.dialect);
  const hostStore = new HostStore(ctx.db, ctx.dialect);
  const box = new SecretBox(ctx.dataDir);
  const settings = new SettingsStore(ctx.db);
  const targetStore = new TargetStore(ctx.db, ctx.dialect);
  const systemName = () => settings.get('system.name', hostname());
  const protocols = new ExportProtocols({
    exec: ctx.exec,
    paths: ctx.paths,
    supervisor,
    exports: store,
    hosts: hostStore,
    targets: targetStore,
    smbUsers: new SmbUserStore(ctx.db),
    box,
    volumes,
    net,
    logger: ctx.logger.child({ component: 'exports' }),
    procfs: new ProcFs(),
    systemName,
  });
  const exports = new ExportService({
    engine: ctx.engine,
    store,
    hosts: hostStore,
    protocols,
    net,
    volumes,
    setVolumes: (v) => (injected = v),
    maintenance: sofar.maintenance,
  });
  const targets = new TargetService({
    engine: ctx.engine,
    store: targetStore,
    hosts: hostStore,
    exports: store,
    iscsi: protocols.iscsi,
    net,
    volumes,
    systemName,
    logger: ctx.logger.child({ component: 'targets' }),
  });
  const hosts = new HostService(hostStore, box, {
    mappedBy: async (id) => [...(await exports.mappedBy(id)), ...(await targets.mappedBy(id))],
    changed: async (id) => {
      // A new CHAP secret re-creates the host's tgt accounts once, then every target binds them again.
      await protocols.iscsi.refreshHost(id);
      await exports.hostChanged(id);
      await targets.hostChanged(id);
    },
    removeExports: async (ids, hostId) => {
      const actor = { name: 'system:host-delete' };
      const natives = new Set(await targets.mappedBy(hostId));
      for (const id of ids.filter((x) => !natives.has(x))) {
        const job = await exports.delete(SYSTEM, id, true, actor);
        await ctx.engine.wait(job.id, 120_000);
      }
      await targets.dropHost(hostId, actor);
    },
  });
  // Cairn users reach SMB shares with their own passwords: the users service hands Samba the hash.
  // A Samba failure does not undo the user change: the hash is kept, and smbd's next start imports it.
  sofar.auth?.onSmbUser((userId, ntHash) =>
    protocols.smb
      .cairnUserChanged(userId, ntHash)
      .catch((err: unknown) => ctx.logger.error({ err, userId }, 'could not update Samba for a user')),
  );
  ctx.engine.register(exports.createJob);
  ctx.engine.register(exports.updateJob);
  ctx.engine.register(exports.deleteJob);
  ctx.engine.register(targets.createJob);
  ctx.engine.register(targets.updateJob);
  ctx.engine.register(targets.deleteJob);
  ctx.engine.register(targets.lunAddJob);
  ctx.engine.register(targets.lunRemoveJob);
  if (fromArea?.registerDependents) {
    fromArea.registerDependents(exports.dependents());
    fromArea.registerDependents(targets.dependents());
  }

  return {
    services: { exports, hosts, targets, daemons: new DaemonControl(supervisor) },
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

const SYSTEM = {
  kind: 'system' as const,
  userId: 'system',
  userName: 'system',
  role: 'admin',
  permissions: ['*'],
  pools: null,
};
