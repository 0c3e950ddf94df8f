// Job definitions of snapshots: create (read-only btrfs snapshot), delete, delete all of a volume's,
// and clone (a writable snapshot that becomes a new, independent volume with its own limit).
import { defineJob, step } from '../../jobs/define.js';
import { exclusive, shared } from '../../domain/job.js';
import { CairnError } from '../../domain/errors.js';
import type { VolumeDeps } from '../volumes/deps.js';
import { cloneJob, type CloneTarget } from '../volumes/clone.js';

export interface SnapshotCreateArgs {
  snapshotId: string;
  volumeId: string;
  poolId: string;
  name: string;
  /** Taken without the read-only flag (absent in jobs recorded before writable snapshots). */
  writable?: boolean;
}

/** 1. take the snapshot (read-only unless writable) and mark it available (undo: delete it). Sizes follow in maintenance. */
export const snapshotCreate = (d: VolumeDeps) =>
  defineJob<SnapshotCreateArgs>({
    kind: 'snapshot.create',
    title: (a) => `snapshot volume ${a.volumeId} as ${a.name}`,
    locks: (a) => [
      shared(`pool:${a.poolId}`),
      shared(`volume:${a.volumeId}`),
      exclusive(`snapshot:${a.snapshotId}`),
    ],
    object: (a) => ({ type: 'snapshot', id: a.snapshotId }),
    queueLimit: 1000,
    cancellable: false,
    onInterrupt: 'rollback',
    steps: [
      step(
        'take',
        async ({ args: a, log, commitWithStep, resumed }) => {
          // The target is named by the snapshot's new id: on the step's first run nothing is there.
          await d.sys.snapshot(
            d.paths.volume(a.poolId, a.volumeId),
            d.paths.snapshot(a.poolId, a.snapshotId),
            { readOnly: a.writable !== true, log, fresh: !resumed },
          );
          // Available exactly when the step is recorded done (a crash before that rolls back).
          commitWithStep((tx) => d.snapshots.setState(a.snapshotId, 'available', tx));
          d.maintenance.schedule(a.poolId);
        },
        async (ctx) => {
          await d.sys.deleteIfExists([d.paths.snapshot(ctx.args.poolId, ctx.args.snapshotId)], {
            log: ctx.log,
          });
          d.maintenance.schedule(ctx.args.poolId);
        },
      ),
    ],
    result: ({ args }) => ({ id: args.snapshotId }),
    onRolledBack: async ({ args }) => {
      await d.snapshots.delete([args.snapshotId]);
    },
  });

export interface SnapshotDeleteArgs {
  snapshotId: string;
  volumeId: string;
  poolId: string;
}

/** Refuses a snapshot with clones or holds (checked again under the lock), then deletes it. */
async function assertDeletable(d: VolumeDeps, snapshotId: string): Promise<void> {
  const s = await d.snapshots.find(snapshotId);
  if (!s) return;
  if (s.cloneCount > 0) {
    const clones = (await d.volumes.clonesOf([snapshotId])).map((c) => c.id);
    throw new CairnError('SNAPSHOT_HAS_CLONES', {
      id: snapshotId,
      count: s.cloneCount,
      clones: clones.join(', '),
    });
  }
  if (s.holds.length) throw new CairnError('SNAPSHOT_HELD', { id: snapshotId, holds: s.holds.join(', ') });
}

/** 1. check clones and holds  2. delete the subvolume and the row (its qgroup goes in maintenance) */
export const snapshotDelete = (d: VolumeDeps) =>
  defineJob<SnapshotDeleteArgs>({
    kind: 'snapshot.delete',
    title: (a) => `delete snapshot ${a.snapshotId}`,
    locks: (a) => [
      shared(`pool:${a.poolId}`),
      shared(`volume:${a.volumeId}`),
      exclusive(`snapshot:${a.snapshotId}`),
    ],
    object: (a) => ({ type: 'snapshot', id: a.snapshotId }),
    queueLimit: 1000,
    cancellable: false,
    onInterrupt: 'resume',
    steps: [
      step('check', async ({ args: a }) => assertDeletable(d, a.snapshotId)),
      step('delete', async ({ args: a, log }) => {
        await d.sys.deleteIfExists([d.paths.snapshot(a.poolId, a.snapshotId)], { log });
        await d.snapshots.delete([a.snapshotId]);
        d.maintenance.schedule(a.poolId);
      }),
    ],
    onRolledBack: async ({ args }) => {
      await d.snapshots.transition(args.snapshotId, ['deleting'], 'available');
    },
  });

export interface SnapshotDeleteAllArgs {
  volumeId: string;
  poolId: string;
}

/** Deletes every snapshot of a volume that has no clones and no holds, in batches. */
export const snapshotDeleteAll = (d: VolumeDeps) =>
  defineJob<SnapshotDeleteAllArgs>({
    kind: 'snapshot.delete_all',
    title: (a) => `delete the snapshots of volume ${a.volumeId}`,
    // Exclusive on the volume: no snapshot of it can be created or cloned meanwhile.
    locks: (a) => [shared(`pool:${a.poolId}`), exclusive(`volume:${a.volumeId}`)],
    object: (a) => ({ type: 'volume', id: a.volumeId }),
    cancellable: true,
    onInterrupt: 'resume',
    steps: [
      step('delete', async ({ args: a, log, data, save, progress, signal }) => {
        let deleted = Number(data.deleted ?? 0);
        for (;;) {
          if (signal.aborted) throw new CairnError('JOB_CANCELLED', { id: a.volumeId });
          const ids = await d.snapshots.idsOfVolume(a.volumeId, true, 100);
          if (!ids.length) break;
          await d.sys.deleteIfExists(
            ids.map((s) => d.paths.snapshot(a.poolId, s)),
            { log },
          );
          await d.snapshots.delete(ids);
          deleted += ids.length;
          data.deleted = deleted;
          await save();
          progress(Math.min(0.99, deleted / (deleted + 100)));
        }
        d.maintenance.schedule(a.poolId);
      }),
    ],
    result: ({ data }) => ({ deleted: Number(data.deleted ?? 0) }),
  });

export interface SnapshotCloneArgs extends CloneTarget {
  snapshotId: string;
  sourceVolumeId: string;
}

/** A snapshot cloned into a new volume (see cloneSteps). */
export const snapshotClone = (d: VolumeDeps) =>
  cloneJob<SnapshotCloneArgs>(d, {
    kind: 'snapshot.clone',
    title: (a) => `clone snapshot ${a.snapshotId} as volume ${a.name}`,
    source: (a) => d.paths.snapshot(a.poolId, a.snapshotId),
    sourceLock: (a) => shared(`snapshot:${a.snapshotId}`),
  });
