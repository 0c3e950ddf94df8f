// Row types of the tables of schedules and replication (issue 7). Merged into DB in schema.ts.
import type { Generated } from 'kysely';

export interface SchedulesTable {
  seq: Generated<number>;
  id: string;
  name: string;
  /** snapshot | scrub | dedup | replication */
  kind: string;
  /** The volume, pool or relationship it acts on. */
  target_id: string;
  /** The pool of the target, for key scopes (null for relationships of no local pool). */
  pool_id: string | null;
  cron: string;
  time_zone: string;
  /** Name prefix of the snapshots a snapshot schedule takes. */
  prefix: string;
  enabled: number;
  /** JSON RetentionPolicy (snapshot schedules). */
  retention: string;
  last_run_at: string | null;
  last_status: string | null;
  last_error: string | null;
  last_job_id: string | null;
  /** When it fires next; a past value at start-up means missed runs: one catch-up run. */
  next_run_at: string | null;
  created_at: string;
  updated_at: string;
}

export interface PartnersTable {
  seq: Generated<number>;
  id: string;
  name: string;
  url: string;
  /** Pinned SHA-256 certificate fingerprint (colon-separated upper-case hex). */
  fingerprint: string;
  /** The partner's API key, sealed with AES-256-GCM (secrets.ts); never returned. */
  api_key_sealed: string;
  remote_name: string | null;
  remote_version: string | null;
  verified_at: string | null;
  /** A partnership made both ways: the partner's entry for this system (its id there)… */
  peer_partner_id: string | null;
  /** …and the API key this system made for the partner to use. */
  local_key_id: string | null;
  created_at: string;
  updated_at: string;
}

export interface RelationshipsTable {
  seq: Generated<number>;
  /** The same id on both systems. */
  id: string;
  /** source (this system sends) or replica (this system receives). */
  role: string;
  /** active | promoted | reversed */
  state: string;
  /** The local volume: the source volume, or the replica volume (null until the first receive). */
  volume_id: string | null;
  /** The local pool: the source volume's, or the target pool. */
  pool_id: string;
  /** Source side: the partner it sends to. */
  partner_id: string | null;
  /** Replica side: who sent (the principal of the partner's key). */
  peer: string | null;
  remote_pool_id: string | null;
  remote_volume_id: string | null;
  remote_volume_name: string | null;
  /** JSON RetentionPolicy applied to the replica's snapshots. */
  replica_retention: string;
  last_sync_status: string | null;
  last_attempt_snapshot_id: string | null;
  /** The newest snapshot both sides have: the next incremental base (held on the source). */
  last_success_snapshot_id: string | null;
  last_success_at: string | null;
  created_at: string;
  updated_at: string;
}

export interface ReplicationSessionsTable {
  seq: Generated<number>;
  id: string;
  relationship_id: string;
  /** send (this system is the source) or receive. */
  direction: string;
  /** The local pool (receive: where the stream lands, to clean up after a crash). */
  pool_id: string | null;
  status: string;
  job_id: string | null;
  snapshot_id: string | null;
  snapshot_name: string | null;
  parent_snapshot_id: string | null;
  remote_snapshot_id: string | null;
  bytes_sent: number;
  /** Bytes per second over the transfer. */
  rate: number;
  progress: number;
  message: string | null;
  started_at: string | null;
  ended_at: string | null;
  created_at: string;
}

export interface ProtectionTables {
  schedules: SchedulesTable;
  partners: PartnersTable;
  relationships: RelationshipsTable;
  replication_sessions: ReplicationSessionsTable;
}
