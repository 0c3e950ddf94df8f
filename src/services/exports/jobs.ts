// Export jobs, written once for every protocol against the ExportProtocol interface.
// Create: 1. publish (the protocol serves it; undo: remove) 2. record active.
// Update: the row already holds the new settings (written with the job); 1. apply them (undo: write
// the old settings back and serve those again, dropping what only the new ones needed) 2. settle
// (drop what only the old settings needed) 3. record active.
// Delete: 1. remove 2. forget.
// Locks: the volume shared (it must not go away meanwhile), the export and the daemon exclusive.
import { defineJob, step } from '../../jobs/define.js';
import { exclusive, shared } from '../../domain/job.js';
import type { ExportStore, ExportSettings } from '../../store/exports.js';
import type { ExportRecord, ExportState, Protocol } from '../../domain/exports.js';
import type { ExportProtocols } from './protocols/index.js';

export interface ExportJobArgs {
  exportId: string;
  volumeId: string;
  protocol: Protocol;
  /** Delete: the export's state before, restored if the job is cancelled before it starts. */
  stateBefore?: ExportState;
}

export interface ExportUpdateArgs extends ExportJobArgs {
  /** The settings that served before the update (restored if it fails); no secrets. */
  before: ExportSettings;
  /** The settings asked for (as in the row, without secrets). */
  after: ExportSettings;
}

interface Deps {
  store: ExportStore;
  protocols: ExportProtocols;
}

const locks = (a: ExportJobArgs) => [
  shared(`volume:${a.volumeId}`),
  exclusive(`export:${a.exportId}`),
  exclusive(`daemon:${a.protocol}`),
];

export const exportCreate = (d: Deps) =>
  defineJob<ExportJobArgs>({
    kind: 'export.create',
    title: (a) => `export volume ${a.volumeId} over ${a.protocol}`,
    locks,
    object: (a) => ({ type: 'export', id: a.exportId }),
    cancellable: false,
    onInterrupt: 'rollback',
    steps: [
      step(
        'publish',
        async (ctx) =>
          d.protocols.of(ctx.args.protocol).create(await d.store.get(ctx.args.exportId), ctx.log),
        async (ctx) => {
          const e = await d.store.find(ctx.args.exportId);
          if (e) await d.protocols.of(e.protocol).remove(e, ctx.log);
        },
      ),
      step('record', async (ctx) => d.store.setState(ctx.args.exportId, 'active')),
    ],
    result: (ctx) => ({ id: ctx.args.exportId }),
    onRolledBack: async (ctx) => d.store.delete(ctx.args.exportId),
  });

const withSettings = (e: ExportRecord, s: ExportSettings): ExportRecord => ({ ...e, ...s });

export const exportUpdate = (d: Deps) =>
  defineJob<ExportUpdateArgs>({
    kind: 'export.update',
    title: (a) => `change the ${a.protocol} export ${a.exportId}`,
    locks,
    object: (a) => ({ type: 'export', id: a.exportId }),
    cancellable: false,
    onInterrupt: 'rollback',
    steps: [
      step(
        'apply',
        async (ctx) => {
          const now = await d.store.get(ctx.args.exportId);
          await d.protocols.of(now.protocol).update(withSettings(now, ctx.args.before), now, ctx.log);
        },
        async (ctx) => {
          const proto = d.protocols.of(ctx.args.protocol);
          await d.store.setSettings(ctx.args.exportId, ctx.args.before);
          const old = await d.store.get(ctx.args.exportId);
          const asked = withSettings(old, ctx.args.after);
          await proto.update(asked, old, ctx.log);
          await proto.settleUpdate(asked, old, ctx.log);
        },
      ),
      step('settle', async (ctx) => {
        const now = await d.store.get(ctx.args.exportId);
        await d.protocols.of(now.protocol).settleUpdate(withSettings(now, ctx.args.before), now, ctx.log);
      }),
      step('record', async (ctx) => d.store.setState(ctx.args.exportId, 'active')),
    ],
    result: (ctx) => ({ id: ctx.args.exportId }),
    onRolledBack: async (ctx, reason) => {
      // The undo served the old settings again; the row says so, and why the change did not happen.
      await d.store.setSettings(ctx.args.exportId, ctx.args.before);
      await d.store.setState(ctx.args.exportId, 'active', `update ${reason}: the previous settings serve`);
    },
  });

export const exportDelete = (d: Deps) =>
  defineJob<ExportJobArgs>({
    kind: 'export.delete',
    title: (a) => `remove the ${a.protocol} export ${a.exportId}`,
    locks,
    object: (a) => ({ type: 'export', id: a.exportId }),
    cancellable: false,
    onInterrupt: 'resume',
    steps: [
      step('remove', async (ctx) => {
        const e = await d.store.find(ctx.args.exportId);
        if (e) await d.protocols.of(e.protocol).remove(e, ctx.log);
      }),
      step('forget', async (ctx) => d.store.delete(ctx.args.exportId)),
    ],
    onRolledBack: async (ctx, reason) => {
      const e = await d.store.find(ctx.args.exportId);
      if (!e) return;
      // Not cancellable once running: a cancel came before any step, so nothing was removed.
      if (reason === 'cancelled') await d.store.setState(e.id, ctx.args.stateBefore ?? 'active');
      else await d.store.setState(e.id, 'failed', `delete ${reason}`);
    },
  });
