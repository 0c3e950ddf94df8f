// Row types of the tables of disks and pools (issue 4). Merged into DB in schema.ts.
import type { Generated } from 'kysely';

export interface DisksTable {
  seq: Generated<number>;
  id: string;
  name: string;
  /** virtual (sparse file on a loop device) or physical (a whole block device found by lsblk). */
  kind: string;
  /** The block device now (/dev/loopN changes across restarts; physical disks by their path). */
  path: string | null;
  /** Virtual disks: the sparse file behind the loop device. */
  file: string | null;
  size_bytes: number;
  model: string | null;
  vendor: string | null;
  serial: string | null;
  wwn: string | null;
  rotational: number;
  /** Why a physical disk cannot be used (mounted, partitioned, has a filesystem), or null. */
  in_use: string | null;
  state: string;
  pool_id: string | null;
  /** The btrfs device id inside its pool. */
  devid: number | null;
  created_at: string;
  updated_at: string;
}

export interface PoolsTable {
  seq: Generated<number>;
  id: string;
  name: string;
  state: string;
  /** Last observed health (the live value comes from btrfs on every read). */
  health: string;
  health_reason: string | null;
  data_profile: string;
  metadata_profile: string;
  compression: string;
  compression_level: number | null;
  sync: string;
  /** The btrfs filesystem UUID, once made. */
  uuid: string | null;
  /** JSON of the last scrub result. */
  last_scrub: string | null;
  /** Bytes dedup runs freed, measured from btrfs (sum over runs). */
  dedup_saved_bytes: number;
  /** Cron expression for scheduled dedup runs; NULL: off. */
  dedup_schedule: string | null;
  dedup_last_run_at: string | null;
  created_at: string;
  updated_at: string;
}

export interface StorageTables {
  disks: DisksTable;
  pools: PoolsTable;
}
