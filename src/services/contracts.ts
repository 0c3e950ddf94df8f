// Contracts between areas, so that an area can use another that is built before it (pools for
// volumes, volumes for exports) or be told about one built after it (exports and replication
// depend on volumes) without importing its internals.
import type { Principal } from '../domain/permissions.js';
import type { Actor } from '../jobs/engine.js';

/** A pool that is mounted and usable for new data (online, or degraded but writable). */
export interface MountedPool {
  id: string;
  name: string;
  /** The pool's top-level mount (src/system/paths.ts poolMount). */
  mountPath: string;
  /** The pool's compression as a btrfs property value: '' (none), 'zstd', 'zstd:3', 'lzo', 'zlib'. */
  compression: string;
  /** Loop/block devices of the pool, for `mount -o device=` and stats. */
  devices: string[];
}

/** Implemented by the pool service (storage area). */
export interface PoolAccess {
  /** Throws POOL_NOT_FOUND, POOL_NOT_READY (not mounted/online) or OUT_OF_SCOPE (key limited to other pools). */
  mounted(poolId: string, principal?: Principal): Promise<MountedPool>;
  /**
   * The pool's usable size in bytes, as the pool shows it (`size`; 0 while it is not mounted).
   * Throws POOL_NOT_FOUND or OUT_OF_SCOPE.
   */
  size(poolId: string, principal?: Principal): Promise<number>;
}

/** What an exporting area needs to know about a volume. Implemented by the volume service. */
export interface ExportableVolume {
  id: string;
  name: string;
  type: 'filesystem' | 'lun';
  poolId: string;
  /** The volume's subvolume path (a filesystem volume's data root). */
  path: string;
  /** For luns: the data file inside the subvolume. */
  lunFile: string | null;
  size: number;
  blockSize: number | null;
  /** The pool's block devices, for mounting the subvolume on its own (ganesha needs that). */
  devices: string[];
}

export interface VolumeAccess {
  /** Throws VOLUME_NOT_FOUND, VOLUME_NOT_READY or OUT_OF_SCOPE. */
  exportable(volumeId: string, principal?: Principal): Promise<ExportableVolume>;
}

/**
 * What lives in a pool and is owned by a later area (volumes with their snapshots and exports,
 * schedules). A forced pool delete removes them first, so no row outlives the pool it was in.
 */
export interface PoolDependents {
  /** e.g. 'volume', 'schedule' — used in logs and error messages. */
  kind: string;
  /** Removes every dependent in the pool; idempotent; throws when something could not be removed. */
  removeAll(poolId: string, actor: Actor): Promise<void>;
}

/**
 * Objects that hang off a volume and are owned by a later area (exports, replication
 * relationships). The volume service asks them before delete and rollback, and removes them on a
 * cascading delete.
 */
export interface VolumeDependents {
  /** e.g. 'export', 'relationship' — used in error messages. */
  kind: string;
  list(volumeId: string): Promise<{ id: string; readWrite: boolean }[]>;
  /** Removes every dependent of the volume (cascade delete); idempotent. */
  removeAll(volumeId: string, actor: Actor): Promise<void>;
}
