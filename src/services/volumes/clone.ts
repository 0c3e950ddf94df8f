// Clones: a new, independent volume made of one writable btrfs snapshot, either of a snapshot
// (`snapshot.clone`) or of a live volume (`volume.clone`). Both share the steps below; only the
// source subvolume and the source's lock differ.
import { defineJob, step, type JobDefinition, type StepDefinition } from '../../jobs/define.js';
import { exclusive, shared, type LockRequest } from '../../domain/job.js';
import type { CloneInput, VolumeType } from '../../domain/volumes.js';
import type { NewVolume, VolumeRecord } from '../../store/volumes.js';
import type { VolumeDeps } from './deps.js';
import { recordOnline, removeSubvolume } from './jobs.js';

/** What every clone job knows of the new volume. */
export interface CloneTarget {
  poolId: string;
  volumeId: string;
  name: string;
  type: VolumeType;
  size: number;
}

/**
 * The clone's row, recorded with its job: the source's type, size, options and metadata, the
 * clone's own name, display name (its name unless given) and labels, `creating` until the job ends.
 */
export function cloneRow(
  src: VolumeRecord,
  clone: { id: string; poolId: string; originSnapshotId: string | null },
  input: CloneInput,
): NewVolume {
  return {
    id: clone.id,
    poolId: clone.poolId,
    name: input.name,
    type: src.type,
    size: src.size,
    thin: src.thin,
    blockSize: src.blockSize,
    nocow: src.nocow,
    compression: src.compression,
    snapshotLimit: src.snapshotLimit,
    state: 'creating',
    originSnapshotId: clone.originSnapshotId,
    displayName: input.display_name ?? input.name,
    metadata: src.metadata,
    labels: input.labels ?? {},
  };
}

/**
 * 1. a writable snapshot of the source, as the new volume's subvolume (undo: delete it)
 * 2. the clone's own qgroup limit = its size (never the one the source had)
 * 3. record the new volume online with its subvolume id and sizes
 */
export function cloneSteps<A extends CloneTarget>(
  d: VolumeDeps,
  source: (a: A) => string,
): StepDefinition<A>[] {
  return [
    step<A>(
      'snapshot',
      async ({ args: a, log }) =>
        d.sys.snapshot(source(a), d.paths.volume(a.poolId, a.volumeId), { readOnly: false, log }),
      async (ctx) =>
        removeSubvolume(d, ctx.args.poolId, d.paths.volume(ctx.args.poolId, ctx.args.volumeId), ctx),
    ),
    step<A>('limit', async ({ args: a, log }) => {
      await d.sys.limit(d.paths.volume(a.poolId, a.volumeId), a.type === 'filesystem' ? a.size : null, {
        log,
      });
    }),
    step<A>('record', async ({ args: a, log }) => {
      await recordOnline(d, a, log);
      d.maintenance.schedule(a.poolId);
    }),
  ];
}

/** A clone job: the shared steps from `source`, the new volume's lock, its row dropped on rollback. */
export function cloneJob<A extends CloneTarget>(
  d: VolumeDeps,
  o: { kind: string; title: (a: A) => string; source: (a: A) => string; sourceLock: (a: A) => LockRequest },
): JobDefinition<A> {
  return defineJob<A>({
    kind: o.kind,
    title: o.title,
    locks: (a) => [shared(`pool:${a.poolId}`), o.sourceLock(a), exclusive(`volume:${a.volumeId}`)],
    object: (a) => ({ type: 'volume', id: a.volumeId }),
    cancellable: false,
    onInterrupt: 'rollback',
    steps: cloneSteps(d, o.source),
    result: ({ args }) => ({ id: args.volumeId }),
    onRolledBack: async ({ args }) => {
      await d.volumes.delete(args.volumeId);
    },
  });
}

export interface VolumeCloneArgs extends CloneTarget {
  sourceVolumeId: string;
}

/**
 * A live volume cloned: its subvolume snapshotted as it is now (btrfs takes it atomically; writes
 * go on, as for a snapshot, under the source's shared lock: no resize or rollback meanwhile).
 */
export const volumeClone = (d: VolumeDeps) =>
  cloneJob<VolumeCloneArgs>(d, {
    kind: 'volume.clone',
    title: (a) => `clone volume ${a.sourceVolumeId} as volume ${a.name}`,
    source: (a) => d.paths.volume(a.poolId, a.sourceVolumeId),
    sourceLock: (a) => shared(`volume:${a.sourceVolumeId}`),
  });
