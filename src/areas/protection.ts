// Wiring of schedules and replication: builds their stores, services and job definitions, the
// scheduler, the API plugins, and connects them to pools, volumes and maintenance mode. Its
// reconcile cleans what a crash left (half-received subvolumes, open sessions), then starts the
// scheduler.
import type { AreaContext, AreaPart } from './types.js';
import type { Services } from '../services/index.js';
import { ReplicationStore } from '../store/replication.js';
import { ScheduleStore } from '../store/schedules.js';
import { VolumeStore } from '../store/volumes.js';
import { SnapshotStore } from '../store/snapshots.js';
import { SendReceive, Subvolumes } from '../system/btrfs/index.js';
import { DEFAULT_STALL_MS, type ProtectionDeps } from '../services/replication/deps.js';
import { Sealer } from '../services/replication/secrets.js';
import { selfAccess } from '../services/replication/self.js';
import { PartnerService } from '../services/replication/partners.js';
import { RelationshipService } from '../services/replication/relationships.js';
import { SessionService } from '../services/replication/sessions.js';
import { ReceiveService } from '../services/replication/receive.js';
import { replicationSync } from '../services/replication/sync-job.js';
import { replicationPromote } from '../services/replication/promote-job.js';
import { Scheduler, realClock } from '../services/schedules/scheduler.js';
import { ScheduleService } from '../services/schedules/service.js';
import { makeRunners } from '../services/schedules/runners.js';
import { scheduleRoutes } from '../api/native/schedules/routes.js';
import { Schedule as ScheduleSchema } from '../domain/schedules.js';
import { partnerRoutes } from '../api/native/partners/routes.js';
import { relationshipRoutes } from '../api/native/relationships/routes.js';
import {
  Partner as PartnerSchema,
  Relationship as RelationshipSchema,
  Session as SessionSchema,
} from '../domain/replication.js';
import { replicationRoutes, sessionRoutes } from '../api/native/sessions/routes.js';

/** The part of `Services` this area builds (declared once, in src/services/index.ts). */
export type ProtectionServices = Pick<
  Services,
  'schedules' | 'scheduler' | 'partners' | 'relationships' | 'sessions' | 'replicaReceiver'
>;

/** What it needs from the areas built before it. */
export type ProtectionNeeds = Pick<
  Services,
  'pools' | 'volumes' | 'snapshots' | 'system' | 'auth' | 'maintenance'
>;

export async function buildProtectionArea(
  ctx: AreaContext,
  needs: ProtectionNeeds,
): Promise<AreaPart<ProtectionServices>> {
  const d: ProtectionDeps = {
    store: new ReplicationStore(ctx.db, ctx.dialect),
    schedules: new ScheduleStore(ctx.db, ctx.dialect),
    volumes: new VolumeStore(ctx.db, ctx.dialect),
    snapshots: new SnapshotStore(ctx.db, ctx.dialect),
    subvols: new Subvolumes(ctx.exec),
    sendrecv: new SendReceive(),
    paths: ctx.paths,
    engine: ctx.engine,
    sealer: new Sealer(ctx.dataDir),
    pools: () => needs.pools,
    snapshotService: needs.snapshots,
    volumeService: needs.volumes,
    events: ctx.events,
    logger: ctx.logger.child({ area: 'protection' }),
    stallMs: ctx.config.replicationStallMs ?? DEFAULT_STALL_MS,
    maintenance: needs.maintenance,
    self: selfAccess(needs.auth, needs.system),
  };
  const jobs = {
    sync: ctx.engine.register(replicationSync(d)),
    promote: ctx.engine.register(replicationPromote(d)),
  };
  const relationships = new RelationshipService(d, jobs);
  const scheduler = new Scheduler(
    d.schedules,
    makeRunners(d, d.pools, () => relationships, realClock, d.logger),
    d.logger,
    realClock,
  );
  const schedules = new ScheduleService(d, scheduler);
  scheduler.followMaintenance(needs.maintenance);
  needs.volumes.registerDependents(relationships.dependents());
  needs.volumes.whenDeleted((volumeId) => schedules.forgetVolume(volumeId));
  needs.pools.registerDependents(schedules.poolDependents());
  const receiver = new ReceiveService(d);
  const sessions = new SessionService(d);
  return {
    services: {
      schedules,
      scheduler,
      partners: new PartnerService(d),
      relationships,
      sessions,
      replicaReceiver: receiver,
    },
    plugins: [
      async (app, svc) => {
        app.addSchema(ScheduleSchema);
        app.addSchema(PartnerSchema);
        app.addSchema(RelationshipSchema);
        app.addSchema(SessionSchema);
        await app.register(scheduleRoutes, { svc, prefix: '/api/v1/schedules' });
        await app.register(partnerRoutes, { svc, prefix: '/api/v1/partners' });
        await app.register(relationshipRoutes, { svc, prefix: '/api/v1/relationships' });
        await app.register(sessionRoutes, { svc, prefix: '/api/v1/sessions' });
        await app.register(replicationRoutes, { svc, prefix: '/api/v1/replication' });
      },
    ],
    reconcile: async () => {
      // Receives a crash interrupted: their half-received subvolumes never become snapshots of record.
      await receiver.cleanInterrupted();
      await sessions.reconcile();
      await scheduler.start();
    },
    stop: () => scheduler.stop(),
  };
}
