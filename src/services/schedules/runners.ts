// What each kind of schedule does when it fires: a snapshot (then retention on that schedule's
// snapshots), a pool scrub, a pool dedup, or a replication session.
import type { Logger } from 'pino';
import { applyRetention, madeByPrefix, scheduledSnapshotName } from '../../domain/protection.js';
import { CairnError } from '../../domain/errors.js';
import type { ScheduleRecord } from '../../store/schedules.js';
import type { PoolService } from '../pools/service.js';
import type { ProtectionDeps } from '../replication/deps.js';
import type { RelationshipService } from '../replication/relationships.js';
import { snapshotsOf } from '../replication/snapshots-of.js';
import type { Clock, Runners } from './scheduler.js';
import { systemPrincipal } from '../../domain/permissions.js';

/** Who this module's calls to other services act as (named in the job list and audit trail). */
const ACTING_AS = systemPrincipal('system:schedule');

/** Deletes the schedule's own snapshots that its retention no longer keeps; returns the ids deleted. */
export async function applyScheduleRetention(
  d: ProtectionDeps,
  s: ScheduleRecord,
  log: Logger,
): Promise<string[]> {
  if (!Object.values(s.retention).some((v) => (v ?? 0) > 0)) return [];
  const mine = (await snapshotsOf(d.snapshots, s.targetId, { nameContains: `${s.prefix}-` })).filter(
    (x) => madeByPrefix(s.prefix, x.name) && x.state === 'available',
  );
  const decision = applyRetention(
    mine.map((x) => ({
      id: x.id,
      createdAt: new Date(x.createdAt),
      protected: x.cloneCount > 0 || x.holds.length > 0,
    })),
    s.retention,
    s.timeZone,
  );
  const deleted: string[] = [];
  for (const id of decision.delete) {
    try {
      const job = await d.snapshotService.delete(ACTING_AS, id);
      await d.engine.wait(job.id, 600_000);
      deleted.push(id);
    } catch (e) {
      log.warn({ schedule: s.id, snapshot: id, err: e }, 'retention could not delete a snapshot');
    }
  }
  return deleted;
}

export function makeRunners(
  d: ProtectionDeps,
  pools: () => PoolService,
  relationships: () => RelationshipService,
  clock: Clock,
  log: Logger,
): Runners {
  return {
    snapshot: async (s) => {
      const r = await d.snapshotService.create(ACTING_AS, s.targetId, {
        name: scheduledSnapshotName(s.prefix, clock.now()),
      });
      const job = await d.engine.wait(r.job.id, 600_000);
      if (job.state !== 'succeeded')
        throw new CairnError('JOB_FAILED', { id: job.id, reason: job.error?.message ?? job.state });
      await applyScheduleRetention(d, s, log);
      return { jobId: job.id };
    },
    scrub: async (s) => ({ jobId: (await pools().scrub(ACTING_AS, s.targetId)).id }),
    dedup: async (s) => ({ jobId: (await pools().dedup(ACTING_AS, s.targetId)).id }),
    replication: async (s) => ({ jobId: (await relationships().sync(ACTING_AS, s.targetId)).job.id }),
  };
}
