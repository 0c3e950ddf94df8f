// What the replication and schedule services share. Built once in src/areas/protection.ts.
import type { Logger } from 'pino';
import type { ReplicationStore } from '../../store/replication.js';
import type { ScheduleStore } from '../../store/schedules.js';
import type { VolumeStore } from '../../store/volumes.js';
import type { SnapshotStore } from '../../store/snapshots.js';
import type { SendReceive, Subvolumes } from '../../system/btrfs/index.js';
import type { Paths } from '../../system/paths.js';
import type { JobEngine } from '../../jobs/engine.js';
import type { PoolService } from '../pools/service.js';
import type { SnapshotService } from '../snapshots/service.js';
import type { VolumeService } from '../volumes/service.js';
import type { Principal } from '../../domain/permissions.js';
import type { MaintenanceService } from '../maintenance.js';
import type { EventSink } from '../../domain/events.js';
import type { Sealer } from './secrets.js';
import { PartnerClient } from '../../system/partner/index.js';

export interface ProtectionDeps {
  store: ReplicationStore;
  schedules: ScheduleStore;
  volumes: VolumeStore;
  snapshots: SnapshotStore;
  subvols: Subvolumes;
  sendrecv: SendReceive;
  paths: Paths;
  engine: JobEngine;
  sealer: Sealer;
  pools: () => PoolService;
  snapshotService: SnapshotService;
  volumeService: VolumeService;
  /** System events (a session's end: replication.succeeded / replication.failed). */
  events: EventSink;
  logger: Logger;
  /** A replication stream with no bytes moving for this long is cut, on either side. */
  stallMs: number;
  /** Maintenance mode refuses new sessions (MAINTENANCE_MODE); absent in tests without it. */
  maintenance?: Pick<MaintenanceService, 'assertOff'>;
  /** This system as a partner sees it, for partnerships made both ways. */
  self: SelfAccess;
}

export interface SelfAccess {
  /** The fingerprint of the certificate this system serves (null: it serves no HTTPS). */
  fingerprint(): string | null;
  /** This system's stable id (SystemService.systemId), to name the keys a partnership makes. */
  systemId(): Promise<string>;
  /** An API key for a partner, made as `p` (a user: keys cannot make keys). */
  createKey(p: Principal, name: string): Promise<{ id: string; key: string }>;
  deleteKey(id: string): Promise<void>;
}

/** The default of `stallMs` (CAIRN_REPLICATION_STALL_MS overrides it). */
export const DEFAULT_STALL_MS = 120_000;

/** A pinned HTTPS client for a stored partner (its API key unsealed for this call only). */
export async function clientFor(d: ProtectionDeps, partnerId: string, timeoutMs?: number) {
  const p = await d.store.getPartner(partnerId);
  const apiKey = await d.sealer.open(p.apiKeySealed);
  return new PartnerClient({ url: p.url, fingerprint: p.fingerprint, apiKey }, timeoutMs);
}
