// Wiring of disks and pools (issue 4): its services, job definitions, API plugins, reconciler and
// the spare watcher. stop() unmounts and detaches nothing: storage outlives cairnd.
import type { AreaContext, AreaPart } from './types.js';
import type { Services } from '../services/index.js';
import { DiskStore } from '../store/disks.js';
import { PoolStore } from '../store/pools.js';
import { Btrfs } from '../system/btrfs/index.js';
import { Loop } from '../system/loop/index.js';
import { Lsblk } from '../system/lsblk/index.js';
import { Wipefs } from '../system/wipefs/index.js';
import { Duperemove } from '../system/duperemove/index.js';
import { DiskService } from '../services/disks/service.js';
import { PoolService } from '../services/pools/service.js';
import { SystemInitialization } from '../services/pools/initialization.js';
import { SpareWatcher } from '../services/pools/watcher.js';
import { reconcileStorage } from '../services/pools/reconcile.js';
import { DedupScheduler } from '../services/pools/dedup-schedule.js';
import type { StorageDeps } from '../services/pools/deps.js';
import { diskRoutes } from '../api/native/disks/routes.js';
import { poolRoutes } from '../api/native/pools/routes.js';

/** The part of `Services` this area builds (declared once, in src/services/index.ts). */
export type StorageServices = Pick<Services, 'disks' | 'pools' | 'initialization'>;
/** What it needs from the services built before it. */
export type StorageNeeds = Pick<Services, 'system'>;

export async function buildStorageArea(
  ctx: AreaContext,
  needs: StorageNeeds,
): Promise<AreaPart<StorageServices>> {
  const deps: StorageDeps = {
    disks: new DiskStore(ctx.db, ctx.dialect),
    pools: new PoolStore(ctx.db, ctx.dialect),
    btrfs: new Btrfs(ctx.exec),
    loop: new Loop(ctx.exec),
    lsblk: new Lsblk(ctx.exec),
    wipefs: new Wipefs(ctx.exec),
    duperemove: new Duperemove(ctx.exec),
    paths: ctx.paths,
    events: ctx.events,
    engine: ctx.engine,
    logger: ctx.logger.child({ area: 'storage' }),
    ...(ctx.config.dockerPool ? { defaultPool: ctx.config.dockerPool } : {}),
  };
  const disks = new DiskService(deps, ctx.engine);
  const pools = new PoolService(deps, ctx.engine);
  const watcher = new SpareWatcher(deps, pools, {
    intervalMs: ctx.config.poolCheckMs,
    errorThreshold: ctx.config.spareErrorThreshold,
  });
  // Scheduled dedup runs (a pool's dedup_schedule); checked every minute by default.
  const dedupScheduler = new DedupScheduler(deps, pools, {
    intervalMs: ctx.config.dedupCheckMs,
  });
  return {
    services: {
      disks,
      pools,
      initialization: new SystemInitialization({ system: needs.system, pools, disks, engine: ctx.engine }),
    },
    plugins: [
      async (app, svc) => {
        await app.register(diskRoutes, { svc, prefix: '/api/v1/disks' });
        await app.register(poolRoutes, { svc, prefix: '/api/v1/pools' });
      },
    ],
    reconcile: async () => {
      await reconcileStorage(deps, pools);
      watcher.start();
      dedupScheduler.start();
    },
    stop: async () => {
      await dedupScheduler.stop();
      await watcher.stop();
    },
  };
}
