// Wiring of schedules and replication (issue 7): its services, job definitions, API plugins,
// reconciler (staging left by a crash, open sessions, the scheduler) and stop hook.
import type { AreaContext, AreaPart } from './types.js';
import type { Services } from '../services/index.js';
import { CairnError } from '../domain/errors.js';
import { ReplicationStore } from '../store/replication.js';
import { ScheduleStore } from '../store/schedules.js';
import { VolumeStore } from '../store/volumes.js';
import { SnapshotStore } from '../store/snapshots.js';
import { SendReceive, Subvolumes } from '../system/btrfs/index.js';
import { DEFAULT_STALL_MS, SYSTEM_PRINCIPAL, type ProtectionDeps } from '../services/replication/deps.js';
import { Sealer } from '../services/replication/secrets.js';
import { PartnerService } from '../services/replication/partners.js';
import { RelationshipService } from '../services/replication/relationships.js';
import { SessionService } from '../services/replication/sessions.js';
import { ReceiveService } from '../services/replication/receive.js';
import { replicationSync } from '../services/replication/sync-job.js';
import { replicationPromote } from '../services/replication/promote-job.js';
import { Scheduler, realClock, type Clock } from '../services/schedules/scheduler.js';
import { ScheduleService } from '../services/schedules/service.js';
import { makeRunners } from '../services/schedules/runners.js';
import { scheduleRoutes } from '../api/native/schedules/routes.js';
import { Schedule as ScheduleSchema } from '../api/native/schedules/schemas.js';
import { Partner as PartnerSchema, partnerRoutes } from '../api/native/partners/routes.js';
import {
  Relationship as RelationshipSchema,
  Session as SessionSchema,
  relationshipRoutes,
} from '../api/native/relationships/routes.js';
import { replicationRoutes, sessionRoutes } from '../api/native/sessions/routes.js';

/** The part of `Services` this area builds (declared once, in src/services/index.ts). */
export type ProtectionServices = Pick<
  Services,
  'schedules' | 'scheduler' | 'partners' | 'relationships' | 'sessions' | 'replicaReceiver'
>;

/** Tests replace the scheduler's clock (CAIRN_TEST_CLOCK is not read: they pass it in code). */
export const protectionTestHooks: { clock: Clock } = { clock: realClock };

export async function buildProtectionArea(
  ctx: AreaContext,
  sofar: Partial<Services>,
): Promise<AreaPart<ProtectionServices>> {
  const need = <K extends keyof Services>(k: K): NonNullable<Services[K]> => {
    const s = sofar[k];
    if (!s) throw new CairnError('SERVICE_UNAVAILABLE', { what: k, reason: 'its area is not installed' });
    return s as NonNullable<Services[K]>;
  };
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
    pools: () => need('pools'),
    snapshotService: need('snapshots'),
    volumeService: need('volumes'),
    events: ctx.events,
    logger: ctx.logger.child({ area: 'protection' }),
    stallMs: ctx.config.replicationStallMs ?? DEFAULT_STALL_MS,
    maintenance: sofar.maintenance,
    self: {
      fingerprint: () => need('system').certificate?.fingerprint_sha256 ?? null,
      createKey: async (p, name) => {
        const k = await need('auth').createKey(p, { name });
        return { id: k.id, key: k.key };
      },
      deleteKey: (id) => need('auth').deleteKey(SYSTEM_PRINCIPAL, id),
    },
  };
  const jobs = {
    sync: ctx.engine.register(replicationSync(d)),
    promote: ctx.engine.register(replicationPromote(d)),
  };
  const relationships = new RelationshipService(d, jobs);
  d.volumeService.registerDependents(relationships.dependents());
  // Snapshot schedules of a deleted volume go with it.
  d.volumeService.whenDeleted(async (volumeId) => {
    await d.schedules.deleteByTarget(volumeId);
    scheduler.poke();
  });
  const clock = protectionTestHooks.clock;
  const scheduler = new Scheduler(
    d.schedules,
    makeRunners(
      d,
      () => need('pools'),
      () => relationships,
      clock,
      d.logger,
    ),
    d.logger,
    clock,
  );
  // Maintenance mode holds due schedules back; they run (once) when it ends.
  scheduler.pauseWhile(() => sofar.maintenance?.enabled ?? false);
  sofar.maintenance?.onChange(() => scheduler.poke());
  // A pool delete takes the pool's schedules (scrub, dedup, and those of its volumes) with it.
  sofar.pools?.registerDependents({
    kind: 'schedule',
    removeAll: async (poolId) => {
      await d.schedules.deleteByPool(poolId);
      scheduler.poke();
    },
  });
  const receiver = new ReceiveService(d);
  const sessions = new SessionService(d);
  return {
    services: {
      schedules: new ScheduleService(d, scheduler),
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
