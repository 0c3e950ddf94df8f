// The events a replication session records when it ends: `replication.succeeded` and
// `replication.failed` on the relationship. The monitor turns them into the replication alert at
// once (raise on failure, clear on the next success) instead of waiting for its next round.
import type { Logger } from 'pino';
import type { EventSink } from '../../domain/events.js';
import type { SyncArgs } from './sync-args.js';

/** Never throws: an event log that fails must not fail (or undo) the session it reports. */
export async function recordSyncEnd(
  d: { events: EventSink; logger: Logger },
  a: SyncArgs,
  outcome: { ok: true; bytes: number; snapshotId: string } | { ok: false; error: string },
): Promise<void> {
  const details = {
    pool_id: a.poolId,
    volume_id: a.volumeId,
    partner_id: a.partnerId,
    session_id: a.sessionId,
  };
  await d.events
    .record(
      outcome.ok
        ? {
            type: 'replication.succeeded',
            severity: 'info',
            objectType: 'relationship',
            objectId: a.relationshipId,
            message: `replication of volume ${a.volumeId} completed (${outcome.bytes} bytes)`,
            details: { ...details, bytes: outcome.bytes, snapshot_id: outcome.snapshotId },
          }
        : {
            type: 'replication.failed',
            severity: 'error',
            objectType: 'relationship',
            objectId: a.relationshipId,
            message: `replication of volume ${a.volumeId} failed: ${outcome.error}`,
            details: { ...details, error: outcome.error },
          },
    )
    .catch((e: unknown) =>
      d.logger.warn({ err: e, relationship: a.relationshipId }, 'could not record the sync event'),
    );
}
