// Wiring of attachments (a volume used on this machine): services, jobs, routes, the volume
// dependents contract (refuse or cascade a volume delete) and the start-up reconcile of mounts.
import type { AreaContext, AreaPart } from './types.js';
import type { Services } from '../services/index.js';
import { AttachmentStore } from '../store/attachments.js';
import { Mounts } from '../system/mounts/index.js';
import { Loop } from '../system/loop/index.js';
import { AttachmentService } from '../services/attachments/service.js';
import { attachJob, detachJob, remountJob } from '../services/attachments/jobs.js';
import type { AttachmentDeps } from '../services/attachments/deps.js';
import { attachmentRoutes } from '../api/native/attachments/routes.js';

/** The part of `Services` this area builds (declared once, in src/services/index.ts). */
export type AttachmentServices = Pick<Services, 'attachments'>;

/** What it needs from the areas built before it. */
export type AttachmentNeeds = Pick<Services, 'volumes' | 'maintenance'>;

export async function buildAttachmentArea(
  ctx: AreaContext,
  { volumes, maintenance }: AttachmentNeeds,
): Promise<AreaPart<AttachmentServices>> {
  const d: AttachmentDeps = {
    store: new AttachmentStore(ctx.db, ctx.dialect),
    mounts: new Mounts(ctx.exec),
    loop: new Loop(ctx.exec),
    paths: ctx.paths,
    engine: ctx.engine,
    volumes,
    mountRoots: ctx.config.mountRoots,
    assertNotInMaintenance: async (what) => maintenance.assertOff(what),
    logger: ctx.logger.child({ component: 'attachments' }),
  };
  const attachments = new AttachmentService(d, {
    attach: ctx.engine.register(attachJob(d)),
    detach: ctx.engine.register(detachJob(d)),
    remount: ctx.engine.register(remountJob(d)),
  });
  volumes.registerDependents(attachments.dependents());
  volumes.whenDeleted((id) => attachments.forgetVolume(id));
  return {
    services: { attachments },
    plugins: [
      async (app, svc) => {
        await app.register(attachmentRoutes, { svc, prefix: '/api/v1' });
      },
    ],
    reconcile: () => attachments.reconcile(),
  };
}
