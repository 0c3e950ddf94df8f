// Jobs that make and remove a volume's one shared mount. Only the first requester's attach and the
// last requester's detach run a job; the others only add or drop their row.
//
// attachment.attach (rolled back when interrupted):
//   1. loop    a lun's file on a loop device (undo: detach it)
//   2. format  a lun to be mounted and holding no filesystem yet: mkfs, recorded durably (never undone)
//   3. mount   bind the subvolume, or mount the lun's device, at the mount path (undo: unmount)
//   4. record  the mount and its attachments are attached
// attachment.detach (resumed when interrupted):
//   1. unmount every mount Cairn stacked at the path (undo: mount again)
//   2. loop    detach the lun's loop device (undo: attach it again)
//   3. forget  drop the mount row and the detached attachments
// attachment.remount (the volume's one mount moves in place, its loop device stays; rolled back
// when interrupted):
//   1. format  a lun gaining a mount and holding no filesystem yet: mkfs, recorded (never undone)
//   2. mount   at the new path, if any (undo: unmount it)
//   3. release unmount the old path, if any (undo: mount it again)
//   4. record  the mount's new path
import { CairnError } from '../../domain/errors.js';
import { exclusive, shared } from '../../domain/job.js';
import type { LunFilesystem } from '../../domain/attachments.js';
import { defineJob, step, type StepContext } from '../../jobs/define.js';
import type { AttachmentDeps } from './deps.js';

export interface MountPlan {
  volumeId: string;
  type: 'filesystem' | 'lun';
  /** The subvolume (filesystem volume) or the lun's data file. */
  source: string;
  /** Null: a lun attached as a block device only. */
  mountPath: string | null;
  /** Where the mount path lies: a requested path is made only inside its mount root. */
  mountDir: { root: string; segments: string[] } | null;
  /** Cairn chose the path (<data>/mounts/<volume>): its directory is removed after the detach. */
  chosenPath: boolean;
  readOnly: boolean;
  /** The filesystem a lun is mounted with (formatted with it when it holds none). */
  fs: LunFilesystem | null;
}

export type AttachArgs = MountPlan;
export type DetachArgs = MountPlan & { attachmentIds: string[] };
/** The volume's mount as it is (`from`) and as it is to be (`to`): same volume, device and mode. */
export interface RemountArgs {
  volumeId: string;
  from: MountPlan;
  to: MountPlan;
}

const locks = (a: MountPlan) => [shared(`volume:${a.volumeId}`), exclusive(`attach:${a.volumeId}`)];

/** The lun's loop device (attaching it when it has none): idempotent. */
async function device(d: AttachmentDeps, a: MountPlan, log: Ctx['log']): Promise<string> {
  return d.loop.attach(a.source, log, { readOnly: a.readOnly });
}

type Ctx = StepContext<unknown>;

/**
 * Mounts `a` at its path unless a mount is there. A mount found there is ours when this step
 * already got that far (a restart during it, or an undo putting it back: `ours`), else the path is
 * busy. `flag` is recorded in the job's data before mounting (what its undo looks at).
 */
async function mountOnce(
  d: AttachmentDeps,
  a: MountPlan,
  ctx: Ctx,
  ours: boolean,
  flag = 'mounting',
): Promise<void> {
  if (!a.mountPath || !a.mountDir) return;
  const dir = await d.mounts.ensureDirUnder(a.mountDir.root, a.mountDir.segments, a.mountPath);
  if ((await d.mounts.countAt(dir)) > 0) {
    if (ours) return;
    throw new CairnError('MOUNT_PATH_BUSY', { path: a.mountPath });
  }
  ctx.data[flag] = true;
  await ctx.save();
  if (a.type === 'filesystem') await d.mounts.bind(a.source, dir, a.readOnly, ctx.log);
  else await d.mounts.mountDevice(await device(d, a, ctx.log), dir, a.fs!, a.readOnly, ctx.log);
}

async function unmountAll(d: AttachmentDeps, a: MountPlan, ctx: Ctx): Promise<void> {
  if (!a.mountPath) return;
  // Each umount takes the top one; a crash between mount and record may have stacked two.
  for (let n = await d.mounts.countAt(a.mountPath); n > 0; n--) await d.mounts.umount(a.mountPath, ctx.log);
  if (a.chosenPath) await d.mounts.removeDir(a.mountPath);
}

/** A lun to be mounted that holds no filesystem yet is formatted, once (recorded durably). */
async function formatOnce(d: AttachmentDeps, a: MountPlan, ctx: Ctx): Promise<void> {
  if (a.type !== 'lun' || !a.mountPath) return;
  const dev = await device(d, a, ctx.log);
  const found = await d.mounts.filesystemOn(dev, ctx.log);
  const recorded = await d.store.filesystem(a.volumeId);
  if (found === '') {
    // Formatted once: a lun recorded as formatted that shows no filesystem is not formatted again.
    if (recorded)
      throw new CairnError('LUN_FILESYSTEM_MISMATCH', {
        id: a.volumeId,
        found: 'no filesystem',
        asked: recorded,
      });
    if (a.readOnly)
      throw new CairnError('LUN_FILESYSTEM_MISMATCH', {
        id: a.volumeId,
        found: 'no filesystem',
        asked: `${a.fs} (read-only)`,
      });
    ctx.log.write('info', `formatting ${dev} with ${a.fs}`);
    await d.mounts.mkfs(dev, a.fs!, ctx.log);
  } else if (found !== a.fs) {
    throw new CairnError('LUN_FILESYSTEM_MISMATCH', { id: a.volumeId, found, asked: a.fs });
  }
  if (!recorded) ctx.commitWithStep((tx) => d.store.recordFilesystem(a.volumeId, a.fs!, tx));
}

export const attachJob = (d: AttachmentDeps) =>
  defineJob<AttachArgs>({
    kind: 'attachment.attach',
    title: (a) => `attach volume ${a.volumeId}${a.mountPath ? ` at ${a.mountPath}` : ''}`,
    locks,
    object: (a) => ({ type: 'volume', id: a.volumeId }),
    cancellable: false,
    onInterrupt: 'rollback',
    steps: [
      step(
        'loop',
        async (ctx) => {
          if (ctx.args.type !== 'lun') return;
          const dev = await device(d, ctx.args, ctx.log);
          ctx.commitWithStep((tx) => d.store.updateMount(ctx.args.volumeId, { devicePath: dev }, tx));
        },
        async (ctx) => {
          if (ctx.args.type === 'lun') await d.loop.detachFile(ctx.args.source, ctx.log);
        },
      ),
      step('format', (ctx) => formatOnce(d, ctx.args, ctx)),
      step(
        'mount',
        (ctx) => mountOnce(d, ctx.args, ctx, ctx.resumed || ctx.data.mounting === true),
        (ctx) =>
          ctx.data.mounting === true || ctx.resumed ? unmountAll(d, ctx.args, ctx) : Promise.resolve(),
      ),
      step('record', async (ctx) => {
        ctx.commitWithStep(async (tx) => {
          await d.store.updateMount(ctx.args.volumeId, { state: 'mounted', jobId: null }, tx);
          await d.store.setVolumeState(ctx.args.volumeId, 'attached', tx);
        });
      }),
    ],
    result: (ctx) => ({ volume_id: ctx.args.volumeId }),
    onRolledBack: async (ctx) => {
      await d.store.transaction(async (tx) => {
        await d.store.deleteOfVolume(ctx.args.volumeId, tx);
        await d.store.deleteMount(ctx.args.volumeId, tx);
      });
    },
  });

export const detachJob = (d: AttachmentDeps) =>
  defineJob<DetachArgs>({
    kind: 'attachment.detach',
    title: (a) => `detach volume ${a.volumeId}${a.mountPath ? ` from ${a.mountPath}` : ''}`,
    locks,
    object: (a) => ({ type: 'volume', id: a.volumeId }),
    cancellable: false,
    onInterrupt: 'resume',
    steps: [
      step(
        'unmount',
        async (ctx) => {
          ctx.data.unmounted = true;
          await ctx.save();
          await unmountAll(d, ctx.args, ctx);
        },
        (ctx) => mountOnce(d, ctx.args, ctx, true),
      ),
      step(
        'loop',
        async (ctx) => {
          if (ctx.args.type === 'lun') await d.loop.detachFile(ctx.args.source, ctx.log);
        },
        async (ctx) => {
          if (ctx.args.type !== 'lun') return;
          const dev = await device(d, ctx.args, ctx.log);
          await d.store.updateMount(ctx.args.volumeId, { devicePath: dev });
        },
      ),
      step('forget', async (ctx) => {
        ctx.commitWithStep(async (tx) => {
          for (const id of ctx.args.attachmentIds) await d.store.delete(id, tx);
          await d.store.deleteMount(ctx.args.volumeId, tx);
        });
      }),
    ],
    onRolledBack: async (ctx) => {
      await d.store.transaction(async (tx) => {
        await d.store.updateMount(ctx.args.volumeId, { state: 'mounted', jobId: null }, tx);
        for (const id of ctx.args.attachmentIds) await d.store.setState(id, 'attached', tx);
      });
    },
  });

export const remountJob = (d: AttachmentDeps) =>
  defineJob<RemountArgs>({
    kind: 'attachment.remount',
    title: (a) =>
      a.to.mountPath ? `mount volume ${a.volumeId} at ${a.to.mountPath}` : `unmount volume ${a.volumeId}`,
    locks: (a) => locks(a.to),
    object: (a) => ({ type: 'volume', id: a.volumeId }),
    cancellable: false,
    onInterrupt: 'rollback',
    steps: [
      step('format', (ctx) => formatOnce(d, ctx.args.to, ctx)),
      step(
        'mount',
        (ctx) => mountOnce(d, ctx.args.to, ctx, ctx.resumed || ctx.data.mounting === true),
        (ctx) =>
          ctx.data.mounting === true || ctx.resumed ? unmountAll(d, ctx.args.to, ctx) : Promise.resolve(),
      ),
      step(
        'release',
        async (ctx) => {
          ctx.data.released = true;
          await ctx.save();
          await unmountAll(d, ctx.args.from, ctx);
        },
        // Whatever is mounted at the old path is the volume's own mount (the job holds its lock).
        (ctx) => mountOnce(d, ctx.args.from, ctx, true),
      ),
      step('record', async (ctx) => {
        ctx.commitWithStep((tx) =>
          d.store.updateMount(
            ctx.args.volumeId,
            { mountPath: ctx.args.to.mountPath, state: 'mounted', jobId: null },
            tx,
          ),
        );
      }),
    ],
    result: (ctx) => ({ volume_id: ctx.args.volumeId, mount_path: ctx.args.to.mountPath }),
    onRolledBack: async (ctx) => {
      await d.store.updateMount(ctx.args.volumeId, { state: 'mounted', jobId: null });
    },
  });
