// What the attachment service and its jobs share. Built once in src/areas/attachments.ts.
import type { AttachmentStore } from '../../store/attachments.js';
import type { Mounts } from '../../system/mounts/index.js';
import type { Loop } from '../../system/loop/index.js';
import type { Paths } from '../../system/paths.js';
import type { JobEngine } from '../../jobs/engine.js';
import type { VolumeAccess } from '../contracts.js';
import type { Logger } from 'pino';

export interface AttachmentDeps {
  store: AttachmentStore;
  mounts: Mounts;
  loop: Loop;
  paths: Paths;
  engine: JobEngine;
  volumes: VolumeAccess;
  /** CAIRN_MOUNT_ROOTS: requested mount paths must lie inside one of these. */
  mountRoots: readonly string[];
  /** Throws MAINTENANCE_MODE while the system is in maintenance (new attachments are refused). */
  assertNotInMaintenance(what: string): Promise<void>;
  logger: Logger;
}
