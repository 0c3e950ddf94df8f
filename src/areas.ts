// Wires the areas into the composition root, in dependency order: storage → volumes → attachments
// → exports → protection → monitor → dialects. Each area is handed, typed, exactly the services it
// needs from those built before it; later areas reach earlier ones only through the contracts
// those offer (registerDependents, whenDeleted). No decision is taken here.
import type { FastifyInstance } from 'fastify';
import type { Services } from './services/index.js';
import type { AreaContext, AreaPart } from './areas/types.js';
import { buildStorageArea } from './areas/storage.js';
import { buildVolumeArea } from './areas/volumes.js';
import { buildAttachmentArea } from './areas/attachments.js';
import { buildExportArea } from './areas/exports.js';
import { buildProtectionArea } from './areas/protection.js';
import { buildMonitorArea } from './areas/monitor.js';
import { buildDialectArea } from './areas/dialects.js';
import { Provisioning } from './services/provisioning.js';

export type { AreaContext };

/** The services the composition root builds before the areas (system, auth, jobs, records…). */
export type BaseServices = Pick<
  Services,
  'system' | 'maintenance' | 'jobs' | 'auth' | 'audit' | 'ids' | 'network' | 'versions'
>;

export interface Areas {
  services: Services;
  plugins: ((app: FastifyInstance, svc: Services) => Promise<void>)[];
  reconcile(): Promise<void>;
  stop(): Promise<void>;
}

export async function buildAreas(ctx: AreaContext, base: BaseServices): Promise<Areas> {
  const storage = await buildStorageArea(ctx, base);
  const volumes = await buildVolumeArea(ctx, storage.services);
  const attachments = await buildAttachmentArea(ctx, { ...base, ...volumes.services });
  const exports = await buildExportArea(ctx, { ...base, ...volumes.services });
  const protection = await buildProtectionArea(ctx, { ...base, ...storage.services, ...volumes.services });
  const observed = {
    ...base,
    ...storage.services,
    ...volumes.services,
    ...attachments.services,
    ...exports.services,
    ...protection.services,
  };
  const monitor = await buildMonitorArea(ctx, observed);
  const dialects = await buildDialectArea(ctx);
  const parts: AreaPart<object>[] = [storage, volumes, attachments, exports, protection, monitor, dialects];
  return {
    services: {
      ...observed,
      ...monitor.services,
      provisioning: new Provisioning({ ...observed, engine: ctx.engine }),
    },
    plugins: parts.flatMap((p) => p.plugins ?? []),
    reconcile: async () => {
      for (const p of parts) await p.reconcile?.();
    },
    stop: async () => {
      for (const p of [...parts].reverse()) await p.stop?.();
    },
  };
}
