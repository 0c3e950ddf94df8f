// The services the API layers call. Built in the composition root (src/app.ts); each area adds
// its service here as it lands.
import type { AuthService } from '../auth/service.js';
import type { AuditStore } from '../store/audit.js';
import type { JobsService } from './jobs.js';
import type { SystemService } from './system.js';
import type { AreaServices } from '../areas.js';
import type { ObjectIds } from '../store/object-ids.js';
import type { NetworkService } from './network.js';
import type { Versions } from '../system/versions/index.js';

export interface Services extends AreaServices {
  system: SystemService;
  jobs: JobsService;
  auth: AuthService;
  audit: Pick<AuditStore, 'record' | 'list'>;
  /** Object id ↔ sequence number, for dialect ids. */
  ids: ObjectIds;
  network: NetworkService;
  /** Versions of btrfs, Samba, ganesha, tgt, nbdkit, the kernel. */
  versions: Versions;
}
