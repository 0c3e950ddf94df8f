// The services the API layers call. Built in the composition root (src/app.ts); each area adds
// its service here as it lands.
import type { AuthService } from '../auth/service.js';
import type { AuditStore } from '../store/audit.js';
import type { JobsService } from './jobs.js';
import type { SystemService } from './system.js';
import type { AreaServices } from '../areas.js';

export interface Services extends AreaServices {
  system: SystemService;
  jobs: JobsService;
  auth: AuthService;
  audit: Pick<AuditStore, 'record' | 'list'>;
}
