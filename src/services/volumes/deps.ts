// What the volume and snapshot services and their jobs share. Built once in src/areas/volumes.ts.
import type { VolumeStore } from '../../store/volumes.js';
import type { SnapshotStore } from '../../store/snapshots.js';
import type { Subvolumes } from '../../system/btrfs/index.js';
import type { Paths } from '../../system/paths.js';
import type { JobEngine } from '../../jobs/engine.js';
import type { PoolAccess, VolumeDependents } from '../contracts.js';
import type { PoolMaintenance } from './maintenance.js';

export interface VolumeDeps {
  volumes: VolumeStore;
  snapshots: SnapshotStore;
  sys: Subvolumes;
  paths: Paths;
  engine: JobEngine;
  maintenance: PoolMaintenance;
  /** Exports, replication relationships…: registered by later areas. */
  dependents: VolumeDependents[];
  /** Told once a volume is gone (schedules on it go too); never a reason to refuse a delete. */
  onDeleted: ((volumeId: string) => Promise<void>)[];
  /** The pool service; absent until the storage area provides one (or a test attaches one). */
  pools: { access?: PoolAccess };
}

/** A subvolume next to the volume's, for the rollback swap: <pool>/volumes/<id>-rb-new|old. */
export const stagingPath = (d: VolumeDeps, poolId: string, volumeId: string, which: 'new' | 'old') =>
  d.paths.volume(poolId, `${volumeId}-rb-${which}`);
