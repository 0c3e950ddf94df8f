// Row types of the tables of volumes, snapshots and clones (issue 5). Merged into DB in schema.ts.
import type { Generated } from 'kysely';

export interface VolumesTable {
  seq: Generated<number>;
  id: string;
  pool_id: string;
  name: string;
  type: string;
  size: number;
  thin: number;
  block_size: number | null;
  nocow: number;
  compression: string;
  snapshot_limit: number;
  state: string;
  /** The btrfs subvolume id (its level-0 qgroup is 0/<id>); refreshed after rollback. */
  subvol_id: number | null;
  referenced: number;
  exclusive: number;
  sizes_at: string | null;
  /** The snapshot this volume was cloned from. */
  origin_snapshot_id: string | null;
  /** File-backed lun: the filesystem volume holding its file, and the file's path inside it. */
  parent_id: string | null;
  parent_path: string | null;
  /** Free text shown for the volume; the name unless set. */
  display_name: string;
  /** JSON object of strings a product keeps about the volume; Cairn does not act on it. */
  metadata: string;
  error: string | null;
  created_at: string;
  updated_at: string;
}

export interface SnapshotsTable {
  seq: Generated<number>;
  id: string;
  volume_id: string;
  pool_id: string;
  name: string;
  state: string;
  subvol_id: number | null;
  referenced: number;
  exclusive: number;
  sizes_at: string | null;
  /** JSON array of holders ("relationship:<id>") that keep the snapshot from being deleted. */
  holds: string;
  display_name: string;
  created_at: string;
  /** 1: taken without the read-only flag (a writable snapshot); 0 by default. */
  writable: Generated<number>;
}

/** One label of a volume or snapshot (`volume_labels`, `snapshot_labels`). */
export interface LabelsTable {
  object_id: string;
  key: string;
  value: string;
}

export interface VolumeTables {
  volumes: VolumesTable;
  snapshots: SnapshotsTable;
  volume_labels: LabelsTable;
  snapshot_labels: LabelsTable;
}
