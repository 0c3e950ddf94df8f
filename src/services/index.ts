// The services the API layers (native routes, dialects) call: services only, never a store or an
// adapter. Declared here from the services themselves (not from the area wiring, which builds
// them in src/app.ts), so that api → services never leads back to the wiring.
import type { AuthService } from '../auth/service.js';
import type { JobsService } from './jobs.js';
import type { SystemService } from './system.js';
import type { MaintenanceService } from './maintenance.js';
import type { NetworkService } from './network.js';
import type { AuditService, ObjectIdService, VersionService } from './records.js';
import type { DiskService } from './disks/service.js';
import type { PoolService } from './pools/service.js';
import type { SystemInitialization } from './pools/initialization.js';
import type { VolumeService } from './volumes/service.js';
import type { SnapshotService } from './snapshots/service.js';
import type { ExportService } from './exports/service.js';
import type { VolumeShares } from './exports/shares.js';
import type { HostService } from './hosts/service.js';
import type { TargetService } from './targets/service.js';
import type { DaemonControl } from './daemons/control.js';
import type { ScheduleService } from './schedules/service.js';
import type { Scheduler } from './schedules/scheduler.js';
import type { PartnerService } from './replication/partners.js';
import type { RelationshipService } from './replication/relationships.js';
import type { SessionService } from './replication/sessions.js';
import type { ReceiveService } from './replication/receive.js';
import type { MonitorService } from './monitor/service.js';
import type { AttachmentService } from './attachments/service.js';
import type { Provisioning } from './provisioning.js';

export interface Services {
  system: SystemService;
  /** Maintenance mode: schedules and replication paused, new attachments and exports refused. */
  maintenance: MaintenanceService;
  jobs: JobsService;
  auth: AuthService;
  audit: AuditService;
  /** Object id ↔ sequence number, for dialect ids. */
  ids: ObjectIdService;
  network: NetworkService;
  /** Versions of btrfs, Samba, ganesha, tgt, nbdkit, the kernel. */
  versions: VersionService;
  // storage
  disks: DiskService;
  pools: PoolService;
  /** The first pool and whether the system is ready for volumes. */
  initialization: SystemInitialization;
  // volumes
  volumes: VolumeService;
  snapshots: SnapshotService;
  /** Volumes used on this machine (mounts, loop devices), reference-counted per requester. */
  attachments: AttachmentService;
  // exports
  exports: ExportService;
  /** A volume's one file share and its lun mappings to hosts, by the rules products see them. */
  shares: VolumeShares;
  hosts: HostService;
  targets: TargetService;
  daemons: DaemonControl;
  // protection
  schedules: ScheduleService;
  scheduler: Scheduler;
  partners: PartnerService;
  relationships: RelationshipService;
  sessions: SessionService;
  replicaReceiver: ReceiveService;
  // monitor
  monitor: MonitorService;
  /** Volumes with their schedules and exports, a target with its LUNs: all or none. */
  provisioning: Provisioning;
}
