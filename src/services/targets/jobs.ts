// Jobs of native iSCSI targets. The desired rows are written with the job (one transaction); every
// job then brings tgtd to what the rows say with in-place tgtadm changes (`sync`), so initiators
// already logged in keep their sessions. Undo writes the previous rows back and syncs again.
// Locks: the target exclusive, the tgtd configuration exclusive (shared with iSCSI export jobs),
// and the volume of a LUN shared (it must not go away meanwhile).
import { defineJob, step } from '../../jobs/define.js';
import { exclusive, shared } from '../../domain/job.js';
import type { TargetLun } from '../../domain/targets.js';
import type { JobLog } from '../../domain/job-log.js';
import type { TargetStore } from '../../store/targets.js';

export interface TargetJobArgs {
  targetId: string;
  iqn: string;
}
export interface TargetUpdateArgs extends TargetJobArgs {
  before: { alias: string | null; hostIds: string[] };
}
export interface TargetLunArgs extends TargetJobArgs {
  lun: Omit<TargetLun, 'createdAt'>;
}

export interface TargetJobDeps {
  store: TargetStore;
  /** Brings tgtd to the target's rows (creating it if tgtd lacks it); a gone target is removed. */
  sync(targetId: string, log?: JobLog): Promise<void>;
  /** Removes the target from tgtd (dropping sessions) and its accounts no target binds any more. */
  unpublish(tid: number, log?: JobLog): Promise<void>;
  /** Stops tgtd when no target (native or export) is left. */
  stopIfIdle(): Promise<void>;
}

const locks = (a: TargetJobArgs, volumeId?: string) => [
  exclusive(`target:${a.targetId}`),
  exclusive('daemon:iscsi'),
  ...(volumeId ? [shared(`volume:${volumeId}`)] : []),
];
const object = (a: TargetJobArgs) => ({ type: 'target', id: a.targetId });

export const targetCreate = (d: TargetJobDeps) =>
  defineJob<TargetJobArgs & { tid: number }>({
    kind: 'target.create',
    title: (a) => `create iSCSI target ${a.iqn}`,
    locks: (a) => locks(a),
    object,
    cancellable: false,
    onInterrupt: 'rollback',
    steps: [
      step(
        'publish',
        async (ctx) => d.sync(ctx.args.targetId, ctx.log),
        async (ctx) => d.unpublish(ctx.args.tid, ctx.log),
      ),
    ],
    result: (ctx) => ({ id: ctx.args.targetId }),
    onRolledBack: async (ctx) => d.store.delete(ctx.args.targetId),
  });

export const targetUpdate = (d: TargetJobDeps) =>
  defineJob<TargetUpdateArgs>({
    kind: 'target.update',
    title: (a) => `change iSCSI target ${a.iqn}`,
    locks: (a) => locks(a),
    object,
    cancellable: false,
    onInterrupt: 'rollback',
    steps: [
      step(
        'apply',
        async (ctx) => d.sync(ctx.args.targetId, ctx.log),
        async (ctx) => {
          await d.store.setAttrs(ctx.args.targetId, ctx.args.before);
          await d.sync(ctx.args.targetId, ctx.log);
        },
      ),
    ],
    result: (ctx) => ({ id: ctx.args.targetId }),
    onRolledBack: async (ctx, reason) => {
      await d.store.setAttrs(ctx.args.targetId, ctx.args.before);
      await d.store.setState(ctx.args.targetId, 'active', `update ${reason}: the previous settings serve`);
    },
  });

export const targetLunAdd = (d: TargetJobDeps) =>
  defineJob<TargetLunArgs>({
    kind: 'target.lun-add',
    title: (a) => `map volume ${a.lun.volumeId} as LUN ${a.lun.lun} of ${a.iqn}`,
    locks: (a) => locks(a, a.lun.volumeId),
    object,
    cancellable: false,
    onInterrupt: 'rollback',
    steps: [
      step(
        'publish',
        async (ctx) => d.sync(ctx.args.targetId, ctx.log),
        async (ctx) => {
          await d.store.deleteLun(ctx.args.targetId, ctx.args.lun.lun);
          await d.sync(ctx.args.targetId, ctx.log);
        },
      ),
    ],
    result: (ctx) => ({ id: ctx.args.targetId, lun: ctx.args.lun.lun }),
    onRolledBack: async (ctx) => d.store.deleteLun(ctx.args.targetId, ctx.args.lun.lun),
  });

export const targetLunRemove = (d: TargetJobDeps) =>
  defineJob<TargetLunArgs>({
    kind: 'target.lun-remove',
    title: (a) => `unmap LUN ${a.lun.lun} of ${a.iqn}`,
    locks: (a) => locks(a, a.lun.volumeId),
    object,
    cancellable: false,
    onInterrupt: 'resume',
    steps: [
      step('unmap', async (ctx) => {
        await d.store.deleteLun(ctx.args.targetId, ctx.args.lun.lun);
        try {
          await d.sync(ctx.args.targetId, ctx.log);
        } catch (err) {
          // tgtd still serves the LUN: the row says so again.
          await d.store.putLun(ctx.args.targetId, ctx.args.lun);
          throw err;
        }
      }),
    ],
    result: (ctx) => ({ id: ctx.args.targetId, lun: ctx.args.lun.lun }),
  });

export const targetDelete = (d: TargetJobDeps) =>
  defineJob<TargetJobArgs & { tid: number }>({
    kind: 'target.delete',
    title: (a) => `delete iSCSI target ${a.iqn}`,
    locks: (a) => locks(a),
    object,
    cancellable: false,
    onInterrupt: 'resume',
    steps: [
      step('remove', async (ctx) => d.unpublish(ctx.args.tid, ctx.log)),
      step('forget', async (ctx) => {
        await d.store.delete(ctx.args.targetId);
        await d.stopIfIdle();
      }),
    ],
  });
