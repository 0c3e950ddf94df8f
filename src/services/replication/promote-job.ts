// Failover on the replica side: the replica volume becomes a writable, normal volume made from the
// last received snapshot, and the relationship stops receiving.
// 1. swap: replace the read-only view with a writable snapshot of the last received snapshot
// 2. limit: the volume's own qgroup limit  3. record: relationship promoted
import { defineJob, step } from '../../jobs/define.js';
import { exclusive, shared } from '../../domain/job.js';
import { nowIso } from '../../domain/ids.js';
import type { ProtectionDeps } from './deps.js';

export interface PromoteArgs {
  relationshipId: string;
  volumeId: string;
  poolId: string;
  snapshotId: string;
  type: 'filesystem' | 'lun';
  size: number;
}

export const replicationPromote = (d: ProtectionDeps) =>
  defineJob<PromoteArgs>({
    kind: 'replication.promote',
    title: (a) => `promote the replica volume ${a.volumeId} of relationship ${a.relationshipId}`,
    locks: (a) => [
      exclusive(`relationship:${a.relationshipId}`),
      exclusive(`volume:${a.volumeId}`),
      shared(`pool:${a.poolId}`),
    ],
    object: (a) => ({ type: 'relationship', id: a.relationshipId }),
    cancellable: false,
    onInterrupt: 'resume',
    steps: [
      step('swap', async ({ args: a, log }) => {
        const vol = d.paths.volume(a.poolId, a.volumeId);
        if (!isPromoted(await d.store.getRelationship(a.relationshipId)))
          await d.subvols.deleteIfExists([vol], { log });
        await d.subvols.snapshot(d.paths.snapshot(a.poolId, a.snapshotId), vol, { readOnly: false, log });
      }),
      step('limit', async ({ args: a, log }) => {
        await d.subvols.limit(d.paths.volume(a.poolId, a.volumeId), a.type === 'filesystem' ? a.size : null, {
          log,
        });
      }),
      step('record', async ({ args: a }) => {
        await d.store.updateRelationship(a.relationshipId, { state: 'promoted' });
        await d.volumes.update(a.volumeId, { state: 'online', sizesAt: nowIso() });
      }),
    ],
    result: ({ args }) => ({ id: args.volumeId }),
  });

const isPromoted = (r: { state: string }) => r.state === 'promoted';
