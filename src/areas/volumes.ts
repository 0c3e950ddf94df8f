// Wiring of volumes, snapshots and clones (issue 5): its services, job definitions, API plugins, reconciler and stop hook.
import type { AreaContext, AreaPart } from './types.js';
import type { Services } from '../services/index.js';
import type { PoolAccess } from '../services/contracts.js';
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

export async function buildVolumeArea(
  ctx: AreaContext,
  sofar: Partial<Services>,
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
  // Pools come from the storage area; until it is installed, volume operations fail with
  // SERVICE_UNAVAILABLE (tests may attach a PoolAccess of their own with attachPools()).
  const access = (sofar as { pools?: PoolAccess }).pools;
  const d: VolumeDeps = {
    volumes,
    snapshots,
    sys,
    paths: ctx.paths,
    engine: ctx.engine,
    maintenance,
    dependents: [],
    onDeleted: [],
    pools: access ? { access } : {},
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
  sofar.pools?.registerDependents(volumeService.poolDependents());
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
    // Sizes may have drifted while cairnd was down: refresh every pool that has volumes (those not
    // mounted yet are skipped by the pass itself).
    reconcile: async () => {
      for (const poolId of await volumes.poolIds()) maintenance.schedule(poolId);
    },
    stop: () => maintenance.stop(),
  };
}
