// Wires the storage areas into the composition root, in dependency order (each sees the services
// built before it): storage → volumes → attachments → exports → protection → monitor → dialects.
import type { FastifyInstance } from 'fastify';
import type { Services } from './services/index.js';
import type { AreaContext, AreaPart } from './areas/types.js';
import { buildStorageArea, type StorageServices } from './areas/storage.js';
import { buildVolumeArea, type VolumeServices } from './areas/volumes.js';
import { buildAttachmentArea, type AttachmentServices } from './areas/attachments.js';
import { buildExportArea, type ExportServices } from './areas/exports.js';
import { buildProtectionArea, type ProtectionServices } from './areas/protection.js';
import { buildMonitorArea, type MonitorServices } from './areas/monitor.js';
import { buildDialectArea, type DialectServices } from './areas/dialects.js';

export type { AreaContext };

export type AreaServices = StorageServices &
  VolumeServices &
  AttachmentServices &
  ExportServices &
  ProtectionServices &
  MonitorServices &
  DialectServices;

export interface Areas {
  services: AreaServices;
  plugins: ((app: FastifyInstance, svc: Services) => Promise<void>)[];
  reconcile(): Promise<void>;
  stop(): Promise<void>;
}

export async function buildAreas(ctx: AreaContext, base: Partial<Services>): Promise<Areas> {
  const sofar: Partial<Services> = { ...base };
  const parts: AreaPart<object>[] = [];
  for (const build of [
    buildStorageArea,
    buildVolumeArea,
    buildAttachmentArea,
    buildExportArea,
    buildProtectionArea,
    buildMonitorArea,
    buildDialectArea,
  ]) {
    const part = await build(ctx, sofar);
    Object.assign(sofar, part.services);
    parts.push(part);
  }
  return {
    services: sofar as AreaServices,
    plugins: parts.flatMap((p) => p.plugins ?? []),
    reconcile: async () => {
      for (const p of parts) await p.reconcile?.();
    },
    stop: async () => {
      for (const p of [...parts].reverse()) await p.stop?.();
    },
  };
}
