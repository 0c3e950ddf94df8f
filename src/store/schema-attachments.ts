// Row types of the attachment tables (volume mounts, attachments, lun filesystems). Merged into DB in schema.ts.
import type { Generated } from 'kysely';

export interface VolumeMountsTable {
  volume_id: string;
  state: string;
  /** filesystem or lun; with `source` (the subvolume or the lun's file) so a detach needs no pool lookup. */
  volume_type: string;
  source: string;
  mount_path: string | null;
  device_path: string | null;
  read_only: number;
  job_id: string | null;
  created_at: string;
}

export interface AttachmentsTable {
  seq: Generated<number>;
  id: string;
  volume_id: string;
  requester: string;
  read_only: number;
  state: string;
  created_at: string;
}

export interface LunFilesystemsTable {
  volume_id: string;
  filesystem: string;
  formatted_at: string;
}

export interface AttachmentTables {
  volume_mounts: VolumeMountsTable;
  attachments: AttachmentsTable;
  lun_filesystems: LunFilesystemsTable;
}
