// Wiring of volumes, snapshots and clones: their stores, services and job definitions, the API
// plugins, the per-pool upkeep (refreshed at start, stopped at stop) and the pools' dependents.
import type { AreaContext, AreaPart } from './types.js';
import type { Services } from '../services/index.js';
import { VolumeStore } from '../store/volumes.js';
import { SnapshotStore } from '../store/snapshots.js';
import { Subvolumes } from '../system/btrfs/index.js';
import { PoolMaintenance } from '../services/volumes/maintenance.js';
import type { VolumeDeps } from '../services/volumes/deps.js';
import { volumeCreate, volumeDelete, volumeRollback, volumeUpdate } from '../services/volumes/jobs.js';
import { VolumeService } from '../services/volumes/service.js';
import { volumeClone } from '../services/volumes/clone.js';
import {
  snapshotClone,
  snapshotCreate,
  snapshotDelete,
  snapshotDeleteAll,
} from '../services/snapshots/jobs.js';
import { SnapshotService } from '../services/snapshots/service.js';
import { volumeRoutes } from '../api/native/volumes/routes.js';
import { snapshotRoutes } from '../api/native/snapshots/routes.js';
import { Volume as VolumeSchema } from '../api/native/volumes/schemas.js';
import { Snapshot as SnapshotSchema } from '../api/native/snapshots/schemas.js';

/** The part of `Services` this area builds (declared once, in src/services/index.ts). */
export type VolumeServices = Pick<Services, 'volumes' | 'snapshots'>;

/** What it needs from the areas built before it. */
export type VolumeNeeds = Pick<Services, 'pools'>;

export async function buildVolumeArea(
  ctx: AreaContext,
  needs: VolumeNeeds,
): Promise<AreaPart<VolumeServices>> {
  const volumes = new VolumeStore(ctx.db, ctx.dialect);
  const snapshots = new SnapshotStore(ctx.db, ctx.dialect);
  const sys = new Subvolumes(ctx.exec);
  const maintenance = new PoolMaintenance(
    volumes,
    snapshots,
    sys,
    ctx.paths,
    ctx.logger.child({ component: 'volumes' }),
    ctx.engine,
  );
  const d: VolumeDeps = {
    volumes,
    snapshots,
    sys,
    paths: ctx.paths,
    engine: ctx.engine,
    maintenance,
    dependents: [],
    onDeleted: [],
    pools: { access: needs.pools },
  };
  const vjobs = {
    create: ctx.engine.register(volumeCreate(d)),
    update: ctx.engine.register(volumeUpdate(d)),
    delete: ctx.engine.register(volumeDelete(d)),
    rollback: ctx.engine.register(volumeRollback(d)),
    clone: ctx.engine.register(volumeClone(d)),
  };
  const sjobs = {
    create: ctx.engine.register(snapshotCreate(d)),
    delete: ctx.engine.register(snapshotDelete(d)),
    deleteAll: ctx.engine.register(snapshotDeleteAll(d)),
    clone: ctx.engine.register(snapshotClone(d)),
  };
  const volumeService = new VolumeService(d, vjobs);
  // A pool delete removes the pool's volume and snapshot rows (and their exports) first.
  needs.pools.registerDependents(volumeService.poolDependents());
  return {
    services: { volumes: volumeService, snapshots: new SnapshotService(d, sjobs) },
    plugins: [
      async (app, svc) => {
        app.addSchema(VolumeSchema);
        app.addSchema(SnapshotSchema);
        await app.register(volumeRoutes, { svc, prefix: '/api/v1/volumes' });
        await app.register(snapshotRoutes, { svc, prefix: '/api/v1' });
      },
    ],
    reconcile: () => maintenance.refreshAll(),
    stop: () => maintenance.stop(),
  };
}
