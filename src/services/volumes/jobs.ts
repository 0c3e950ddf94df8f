// Job definitions of volumes: create, update (rename, resize, compression, limits), delete (with
// cascade) and rollback to a snapshot (an atomic swap of subvolumes by rename(2)).
import { defineJob, step, type StepContext } from '../../jobs/define.js';
import { exclusive, shared } from '../../domain/job.js';
import { CairnError } from '../../domain/errors.js';
import { compressionProperty, type VolumeType } from '../../domain/volumes.js';
import { stagingPath, type VolumeDeps } from './deps.js';
import type { Actor } from '../../jobs/engine.js';
import type { JobLog } from '../../domain/job-log.js';
import type { VolumeAttributes } from '../../domain/labels.js';

export interface VolumeCreateArgs {
  volumeId: string;
  poolId: string;
  name: string;
  type: VolumeType;
  size: number;
  thin: boolean;
  nocow: boolean;
  compression: string;
  /** A file-backed lun: its parent filesystem volume and the data file's path inside it. */
  parentId?: string;
  parentPath?: string;
}

const volumeLocks = (a: { poolId: string; volumeId: string }) => [
  shared(`pool:${a.poolId}`),
  exclusive(`volume:${a.volumeId}`),
];

/**
 * 1. prepare the pool (volumes/ and snapshots/ folders, quotas on)
 * 2. create the subvolume (undo: delete it)
 * 3. configure: compression, nocow, qgroup limit (filesystem) or the data file (lun)
 * 4. record it online with its subvolume id
 */
export const volumeCreate = (d: VolumeDeps) =>
  defineJob<VolumeCreateArgs>({
    kind: 'volume.create',
    title: (a) => `create ${a.type} volume ${a.name}`,
    locks: volumeLocks,
    object: (a) => ({ type: 'volume', id: a.volumeId }),
    cancellable: false,
    onInterrupt: 'rollback',
    steps: [
      step('prepare', async ({ args: a, log }) => {
        const mount = d.paths.poolMount(a.poolId);
        await d.sys.ensureDir(`${mount}/volumes`);
        await d.sys.ensureDir(`${mount}/snapshots`);
        await d.sys.quotaEnable(mount, { log });
      }),
      step(
        'subvolume',
        async ({ args: a, log }) => {
          if (!a.parentId) await d.sys.create(d.paths.volume(a.poolId, a.volumeId), { log });
        },
        async (ctx) =>
          removeSubvolume(d, ctx.args.poolId, d.paths.volume(ctx.args.poolId, ctx.args.volumeId), ctx),
      ),
      step('configure', async (ctx) => {
        const { args: a, log } = ctx;
        if (a.parentId && a.parentPath) {
          // The file lives in the parent's subvolume: made sparse if missing, kept (with its size) if there.
          const f = await d.sys.fileInside(d.paths.volume(a.poolId, a.parentId), a.parentPath);
          if (!f.existed) await d.sys.sizeFile(f.path, a.size, { thin: a.thin, log });
          ctx.data.file = f.path;
          await ctx.save();
          return;
        }
        const path = d.paths.volume(a.poolId, a.volumeId);
        if (a.compression !== 'inherit')
          await d.sys.setCompression(path, compressionProperty(a.compression), { log });
        if (a.type === 'filesystem') {
          if (a.nocow) await d.sys.noCow(path, { log });
          await d.sys.limit(path, a.size, { log });
        } else {
          const file = d.paths.lunFile(a.poolId, a.volumeId);
          // +C only takes on an empty file: create it empty, set the flag, then size it.
          if (!(await d.sys.exists(file))) await d.sys.sizeFile(file, 0, { thin: true, log });
          if (a.nocow) await d.sys.noCow(file, { log });
          await d.sys.sizeFile(file, a.size, { thin: a.thin, log });
        }
      }),
      step('record', async ({ args: a, log, data }) => {
        if (a.parentId) {
          await d.volumes.update(a.volumeId, {
            state: 'online',
            size: await d.sys.fileSize(String(data.file)),
            sizesAt: new Date().toISOString(),
          });
          return;
        }
        await recordOnline(d, a, log);
      }),
    ],
    result: ({ args }) => ({ id: args.volumeId }),
    onRolledBack: async ({ args }) => {
      await d.volumes.delete(args.volumeId);
    },
  });

/** Records a new volume online with its subvolume id and its qgroup's sizes as they are now. */
export async function recordOnline(
  d: VolumeDeps,
  a: { poolId: string; volumeId: string },
  log: JobLog,
): Promise<void> {
  const path = d.paths.volume(a.poolId, a.volumeId);
  const id = await d.sys.rootId(path, { log });
  const q = await d.sys.qgroupOf(path, { log });
  await d.volumes.update(a.volumeId, {
    state: 'online',
    subvolId: id,
    referenced: q?.referenced ?? 0,
    exclusive: q?.exclusive ?? 0,
    sizesAt: new Date().toISOString(),
  });
}

/**
 * Deletes a subvolume if present and removes its qgroup. The qgroup stays busy until the cleaner
 * has dropped the subvolume, so a busy one is left to the pool maintenance (retried until gone).
 */
export async function removeSubvolume(
  d: VolumeDeps,
  poolId: string,
  path: string,
  ctx: Pick<StepContext<unknown>, 'log'>,
): Promise<void> {
  if (!(await d.sys.isSubvolume(path))) return;
  const id = await d.sys.rootId(path, { log: ctx.log });
  await d.sys.deleteIfExists([path], { log: ctx.log });
  const r = await d.sys.destroyQgroup(d.paths.poolMount(poolId), `0/${id}`, { log: ctx.log });
  if (r === 'busy') d.maintenance.schedule(poolId);
}

export interface VolumeUpdateArgs {
  volumeId: string;
  poolId: string;
  type: VolumeType;
  thin: boolean;
  name?: string;
  size?: number;
  compression?: string;
  snapshotLimit?: number;
  allowShrink?: boolean;
  /** The values before the change, to undo it. */
  before: { size: number; compression: string };
  /** Display name, labels, metadata changed with the rest (recorded with the new values). */
  attributes?: VolumeAttributes;
}

/**
 * 1. apply: qgroup limit or lun file size (shrink checked against fresh usage), compression
 * 2. record the new desired values and put the volume back online
 */
export const volumeUpdate = (d: VolumeDeps) =>
  defineJob<VolumeUpdateArgs>({
    kind: 'volume.update',
    title: (a) => `update volume ${a.volumeId}`,
    locks: volumeLocks,
    object: (a) => ({ type: 'volume', id: a.volumeId }),
    cancellable: false,
    onInterrupt: 'rollback',
    steps: [
      step(
        'apply',
        async ({ args: a, log }) => {
          const path = d.paths.volume(a.poolId, a.volumeId);
          if (a.size !== undefined && a.size !== a.before.size) {
            if (a.type === 'filesystem') {
              if (a.size < a.before.size) {
                const used = (await d.sys.qgroupOf(path, { log }))?.referenced ?? 0;
                if (used >= a.size)
                  throw new CairnError('VOLUME_SHRINK_BELOW_USED', { id: a.volumeId, used, size: a.size });
              }
              await d.sys.limit(path, a.size, { log });
            } else {
              if (a.size < a.before.size && !a.allowShrink)
                throw new CairnError('VOLUME_SHRINK_NEEDS_FLAG', {
                  id: a.volumeId,
                  from: a.before.size,
                  to: a.size,
                });
              await d.sys.sizeFile(d.paths.lunFile(a.poolId, a.volumeId), a.size, { thin: a.thin, log });
            }
          }
          if (a.compression !== undefined)
            await d.sys.setCompression(path, compressionProperty(a.compression), { log });
        },
        async ({ args: a, log }) => {
          const path = d.paths.volume(a.poolId, a.volumeId);
          if (a.size !== undefined && a.type === 'filesystem')
            await d.sys.limit(path, a.before.size, { log });
          if (a.size !== undefined && a.type === 'lun' && a.size > a.before.size)
            await d.sys.sizeFile(d.paths.lunFile(a.poolId, a.volumeId), a.before.size, { thin: true, log });
          if (a.compression !== undefined)
            await d.sys.setCompression(path, compressionProperty(a.before.compression), { log });
        },
      ),
      step('record', async ({ args: a }) => {
        if (a.attributes) await d.volumes.setAttributes(a.volumeId, a.attributes);
        await d.volumes.update(a.volumeId, {
          ...(a.name !== undefined ? { name: a.name } : {}),
          ...(a.size !== undefined ? { size: a.size } : {}),
          ...(a.compression !== undefined ? { compression: a.compression } : {}),
          ...(a.snapshotLimit !== undefined ? { snapshotLimit: a.snapshotLimit } : {}),
          state: 'online',
        });
        d.maintenance.schedule(a.poolId);
      }),
    ],
    result: ({ args }) => ({ id: args.volumeId }),
    onRolledBack: async ({ args }) => {
      await d.volumes.update(args.volumeId, { state: 'online' });
    },
  });

export interface VolumeDeleteArgs {
  volumeId: string;
  poolId: string;
  cascade: boolean;
  actor: string;
}

/**
 * 1. check: dependents and clones (unless cascade; then remove the dependents)
 * 2. snapshots: delete every snapshot subvolume and row (clones become independent)
 * 3. subvolume: delete it and its qgroup
 * 4. forget the volume
 */
export const volumeDelete = (d: VolumeDeps) =>
  defineJob<VolumeDeleteArgs>({
    kind: 'volume.delete',
    title: (a) => `delete volume ${a.volumeId}${a.cascade ? ' (cascade)' : ''}`,
    locks: volumeLocks,
    object: (a) => ({ type: 'volume', id: a.volumeId }),
    cancellable: false,
    onInterrupt: 'resume',
    steps: [
      step('check', async ({ args: a, log }) => {
        if (!a.cascade) {
          await assertNoDependents(d, a.volumeId);
          const clones = await d.volumes.clonesOfVolume(a.volumeId);
          if (clones.length)
            throw new CairnError('VOLUME_HAS_CLONES', { id: a.volumeId, clones: clones.join(', ') });
          return;
        }
        await removeDependents(d, a.volumeId, { name: a.actor }, log);
      }),
      step('snapshots', async ({ args: a, log, progress }) => {
        await d.volumes.detachClonesOfVolume(a.volumeId);
        const total = await d.snapshots.countForVolume(a.volumeId);
        let done = 0;
        for (;;) {
          const ids = await d.snapshots.idsOfVolume(a.volumeId, false, 100);
          if (!ids.length) break;
          await d.sys.deleteIfExists(
            ids.map((s) => d.paths.snapshot(a.poolId, s)),
            { log },
          );
          await d.snapshots.delete(ids);
          done += ids.length;
          progress(total ? done / total : 1);
        }
      }),
      step('subvolume', async (ctx) => {
        const a = ctx.args;
        await removeSubvolume(d, a.poolId, d.paths.volume(a.poolId, a.volumeId), ctx);
        for (const w of ['new', 'old'] as const)
          await removeSubvolume(d, a.poolId, stagingPath(d, a.poolId, a.volumeId, w), ctx);
      }),
      step('forget', async ({ args: a }) => {
        await d.volumes.delete(a.volumeId);
        for (const f of d.onDeleted) await f(a.volumeId);
        d.maintenance.schedule(a.poolId);
      }),
    ],
    onRolledBack: async ({ args }) => {
      await d.volumes.update(args.volumeId, { state: 'online' });
    },
  });

/** Removes every registered dependent (export, relationship…) of a volume, kind by kind. */
export async function removeDependents(
  d: VolumeDeps,
  volumeId: string,
  actor: Actor,
  log?: JobLog,
): Promise<void> {
  for (const dep of d.dependents) {
    if ((await dep.list(volumeId)).length === 0) continue;
    log?.write('info', `removing ${dep.kind}s of volume ${volumeId}`);
    await dep.removeAll(volumeId, actor);
  }
}

/** Throws VOLUME_IN_USE when any registered dependent (export, relationship…) uses the volume. */
export async function assertNoDependents(
  d: VolumeDeps,
  volumeId: string,
  readWriteOnly = false,
): Promise<void> {
  const found: { kind: string; id: string }[] = [];
  for (const dep of d.dependents)
    for (const x of await dep.list(volumeId))
      if (!readWriteOnly || x.readWrite) found.push({ kind: dep.kind, id: x.id });
  if (!found.length) return;
  const summary = found.map((f) => `${f.kind} ${f.id}`).join(', ');
  throw new CairnError(readWriteOnly ? 'VOLUME_EXPORTED_READ_WRITE' : 'VOLUME_IN_USE', {
    id: volumeId,
    summary,
    dependents: found,
  });
}

export interface VolumeRollbackArgs {
  volumeId: string;
  poolId: string;
  snapshotId: string;
  type: VolumeType;
  size: number;
  force: boolean;
  /** Set when the pre-rollback state is kept as a snapshot with this id and name. */
  keep: { snapshotId: string; name: string } | null;
}

/**
 * 1. check: not exported read-write (unless forced)
 * 2. stage: writable snapshot of the chosen snapshot next to the volume (undo: delete it)
 * 3. limit: the volume's own qgroup limit on the staged subvolume (not the snapshot's inherited one)
 * 4. swap: rename the live subvolume aside, rename the staged one into place (undo: swap back)
 * 5. retire: keep the old one as a read-only snapshot, or delete it
 * 6. record the new subvolume id
 */
export const volumeRollback = (d: VolumeDeps) =>
  defineJob<VolumeRollbackArgs>({
    kind: 'volume.rollback',
    title: (a) => `roll volume ${a.volumeId} back to snapshot ${a.snapshotId}`,
    locks: (a) => [...volumeLocks(a), shared(`snapshot:${a.snapshotId}`)],
    object: (a) => ({ type: 'volume', id: a.volumeId }),
    cancellable: false,
    onInterrupt: 'rollback',
    steps: [
      step('check', async ({ args: a }) => {
        if (!a.force) await assertNoDependents(d, a.volumeId, true);
      }),
      step(
        'stage',
        async ({ args: a, log }) =>
          d.sys.snapshot(
            d.paths.snapshot(a.poolId, a.snapshotId),
            stagingPath(d, a.poolId, a.volumeId, 'new'),
            {
              readOnly: false,
              log,
            },
          ),
        async (ctx) =>
          removeSubvolume(d, ctx.args.poolId, stagingPath(d, ctx.args.poolId, ctx.args.volumeId, 'new'), ctx),
      ),
      step('limit', async ({ args: a, log }) => {
        const staged = stagingPath(d, a.poolId, a.volumeId, 'new');
        if (!(await d.sys.isSubvolume(staged))) return; // already swapped on a resumed run
        await d.sys.limit(staged, a.type === 'filesystem' ? a.size : null, { log });
      }),
      step(
        'swap',
        async ({ args: a, log }) => {
          const live = d.paths.volume(a.poolId, a.volumeId);
          const old = stagingPath(d, a.poolId, a.volumeId, 'old');
          const staged = stagingPath(d, a.poolId, a.volumeId, 'new');
          if (!(await d.sys.exists(old))) await d.sys.rename(live, old, { log });
          if (await d.sys.exists(staged)) await d.sys.rename(staged, live, { log });
        },
        async ({ args: a, log }) => {
          const live = d.paths.volume(a.poolId, a.volumeId);
          const old = stagingPath(d, a.poolId, a.volumeId, 'old');
          const staged = stagingPath(d, a.poolId, a.volumeId, 'new');
          if (!(await d.sys.exists(old))) return;
          if ((await d.sys.exists(live)) && !(await d.sys.exists(staged)))
            await d.sys.rename(live, staged, { log });
          await d.sys.rename(old, live, { log });
        },
      ),
      step('retire', async (ctx) => {
        const a = ctx.args;
        const old = stagingPath(d, a.poolId, a.volumeId, 'old');
        if (a.keep) {
          const dst = d.paths.snapshot(a.poolId, a.keep.snapshotId);
          // Rename first: a read-only subvolume cannot be moved to another folder (EROFS).
          if (await d.sys.exists(old)) await d.sys.rename(old, dst, { log: ctx.log });
          await d.sys.setReadOnly(dst, true, { log: ctx.log });
          await d.sys.limit(dst, null, { log: ctx.log });
          if (!(await d.snapshots.find(a.keep.snapshotId)))
            await d.snapshots.insert({
              id: a.keep.snapshotId,
              volumeId: a.volumeId,
              poolId: a.poolId,
              name: a.keep.name,
              state: 'available',
            });
        } else await removeSubvolume(d, a.poolId, old, ctx);
      }),
      step('record', async ({ args: a, log }) => {
        const id = await d.sys.rootId(d.paths.volume(a.poolId, a.volumeId), { log });
        await d.volumes.update(a.volumeId, { state: 'online', subvolId: id });
        d.maintenance.schedule(a.poolId);
      }),
    ],
    result: ({ args }) => ({ id: args.volumeId, kept_snapshot: args.keep?.snapshotId ?? null }),
    onRolledBack: async ({ args }) => {
      await d.volumes.update(args.volumeId, { state: 'online' });
    },
  });
