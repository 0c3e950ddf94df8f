// Export jobs. Create: 1. prepare (NFS: mount the subvolume on its own; SMB: share accounts),
// 2. publish (configure the daemon, starting it if it is the first export), 3. record active.
// Delete: 1. unpublish, 2. release (unmount, remove accounts), 3. forget.
// Locks: the volume shared (it must not go away meanwhile), the export and the daemon exclusive.
import { defineJob, step } from '../../jobs/define.js';
import { exclusive, shared } from '../../domain/job.js';
import type { ExportStore } from '../../store/exports.js';
import type { ExportDrivers } from './drivers.js';
import type { ExportRecord, ExportState, Protocol } from '../../domain/exports.js';

export interface ExportJobArgs {
  exportId: string;
  volumeId: string;
  protocol: Protocol;
  /** Delete: the export's state before, restored if the job is cancelled before it starts. */
  stateBefore?: ExportState;
}

interface Deps {
  store: ExportStore;
  drivers: ExportDrivers;
}

const locks = (a: ExportJobArgs) => [
  shared(`volume:${a.volumeId}`),
  exclusive(`export:${a.exportId}`),
  exclusive(`daemon:${a.protocol}`),
];

async function publish(d: Deps, e: ExportRecord, log: Parameters<ExportDrivers['syncNfs']>[0]) {
  switch (e.protocol) {
    case 'iscsi':
      return d.drivers.applyIscsi(e, log);
    case 'nfs':
      return d.drivers.syncNfs(log);
    case 'smb':
      return d.drivers.syncSmb(log);
    case 'nbd':
      return d.drivers.applyNbd(e);
  }
}

async function unpublish(d: Deps, e: ExportRecord, log: Parameters<ExportDrivers['syncNfs']>[0]) {
  switch (e.protocol) {
    case 'iscsi':
      return d.drivers.removeIscsi(e, log);
    case 'nfs':
      return d.drivers.syncNfs(log, e.id);
    case 'smb':
      return d.drivers.syncSmb(log, e.id);
    case 'nbd':
      return d.drivers.removeNbd(e);
  }
}

async function release(d: Deps, e: ExportRecord, log: Parameters<ExportDrivers['syncNfs']>[0]) {
  if (e.protocol === 'nfs') await d.drivers.unmountNfs(e, log);
  if (e.protocol === 'smb') await d.drivers.removeSmbAccounts(e, log);
}

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
        'prepare',
        async (ctx) => {
          const e = await d.store.get(ctx.args.exportId);
          if (e.protocol === 'nfs') await d.drivers.mountNfs(e, ctx.log);
          if (e.protocol === 'smb') {
            await d.drivers.smbAccounts(e, ctx.log);
            await d.store.clearSecrets(e.id);
          }
        },
        async (ctx) => {
          const e = await d.store.find(ctx.args.exportId);
          if (e) await release(d, e, ctx.log);
        },
      ),
      step(
        'publish',
        async (ctx) => publish(d, await d.store.get(ctx.args.exportId), ctx.log),
        async (ctx) => {
          const e = await d.store.find(ctx.args.exportId);
          if (e) await unpublish(d, e, ctx.log);
        },
      ),
      step('record', async (ctx) => d.store.setState(ctx.args.exportId, 'active')),
    ],
    result: (ctx) => ({ id: ctx.args.exportId }),
    onRolledBack: async (ctx) => d.store.delete(ctx.args.exportId),
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
      step('unpublish', async (ctx) => {
        const e = await d.store.find(ctx.args.exportId);
        if (e) await unpublish(d, e, ctx.log);
      }),
      step('release', async (ctx) => {
        const e = await d.store.find(ctx.args.exportId);
        if (e) await release(d, e, ctx.log);
      }),
      step('forget', async (ctx) => d.store.delete(ctx.args.exportId)),
    ],
    onRolledBack: async (ctx, reason) => {
      const e = await d.store.find(ctx.args.exportId);
      if (!e) return;
      // Not cancellable once running: a cancel came before any step, so nothing was unpublished.
      if (reason === 'cancelled') await d.store.setState(e.id, ctx.args.stateBefore ?? 'active');
      else await d.store.setState(e.id, 'failed', `delete ${reason}`);
    },
  });
