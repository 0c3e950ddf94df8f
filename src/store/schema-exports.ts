// Row types of the tables of exports, hosts and daemon supervision (issue 6). Merged into DB in schema.ts.
import type { Generated } from 'kysely';

export interface HostsTable {
  seq: Generated<number>;
  id: string;
  name: string;
  /** JSON array of IQNs. */
  iqns: string;
  /** JSON array of addresses or networks. */
  addresses: string;
  chap_user: string | null;
  /** AES-256-GCM sealed (src/services/hosts/secrets.ts): tgt keeps nothing, so it must be recoverable. */
  chap_secret: string | null;
  mutual_user: string | null;
  mutual_secret: string | null;
  created_at: string;
  updated_at: string;
}

/** One initiator of a host, with an id of its own; an IQN is unique within a host only. */
export interface HostInitiatorsTable {
  id: string;
  host_id: string;
  iqn: string;
  created_at: string;
}

export interface ExportsTable {
  seq: Generated<number>;
  id: string;
  volume_id: string;
  pool_id: string;
  protocol: string;
  state: string;
  read_only: number;
  /** JSON array of host ids. */
  hosts: string;
  /** JSON array of addresses or networks. */
  allowed: string;
  /** JSON protocol options (never secrets). */
  options: string;
  export_name: string;
  slot: number | null;
  uri: string;
  error: string | null;
  created_at: string;
  updated_at: string;
}

export interface ExportHostsTable {
  export_id: string;
  host_id: string;
}

/** A Cairn user's NT hash for Samba (sealed, src/services/hosts/secrets.ts), while SMB is enabled. */
export interface SmbUsersTable {
  user_id: string;
  nt_hash: string;
  updated_at: string;
}

/** An iSCSI target (native, or the view of an iSCSI export when export_id is set). */
export interface IscsiTargetsTable {
  seq: Generated<number>;
  id: string;
  iqn: string;
  alias: string | null;
  /** tgt's target id, unique over native targets and iSCSI exports (an export's tid is its slot). */
  tid: number;
  export_id: string | null;
  state: string;
  error: string | null;
  created_at: string;
  updated_at: string;
}

export interface IscsiTargetHostsTable {
  target_id: string;
  host_id: string;
}

/** A LUN of a target; volume_id is unique: a volume is in one iSCSI place at a time. */
export interface IscsiLunsTable {
  target_id: string;
  lun: number;
  volume_id: string;
  pool_id: string;
  created_at: string;
}

export interface ExportTables {
  iscsi_targets: IscsiTargetsTable;
  iscsi_target_hosts: IscsiTargetHostsTable;
  iscsi_luns: IscsiLunsTable;
  smb_users: SmbUsersTable;
  hosts: HostsTable;
  host_initiators: HostInitiatorsTable;
  exports: ExportsTable;
  export_hosts: ExportHostsTable;
}
