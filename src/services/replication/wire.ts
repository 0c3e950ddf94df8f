// Record → wire shapes for partners, relationships and sessions (snake_case, bytes, ISO times); the
// shapes are the domain's schemas (src/domain/replication.ts). The *Wire names are the dialects'.
import type { Partner, Relationship, Session } from '../../domain/replication.js';
import type { PartnerRecord, RelationshipRecord, SessionRecord } from '../../store/replication.js';

export const partnerWire = (p: PartnerRecord): Partner => ({
  id: p.id,
  name: p.name,
  url: p.url,
  fingerprint_sha256: p.fingerprint,
  remote_name: p.remote_name,
  remote_version: p.remote_version,
  verified_at: p.verified_at,
  peer_partner_id: p.peer_partner_id,
  created_at: p.created_at,
  updated_at: p.updated_at,
});
export type PartnerWire = Partner;

export const relationshipWire = (r: RelationshipRecord): Relationship => ({
  id: r.id,
  role: r.role,
  state: r.state,
  volume: r.volume_id,
  pool: r.pool_id,
  partner: r.partner_id,
  peer: r.peer,
  remote_pool: r.remote_pool_id,
  remote_volume: r.remote_volume_id,
  remote_volume_name: r.remote_volume_name,
  replica_retention: r.replica_retention,
  last_sync_status: r.last_sync_status,
  last_attempt_snapshot: r.last_attempt_snapshot_id,
  last_success_snapshot: r.last_success_snapshot_id,
  last_success_at: r.last_success_at,
  created_at: r.created_at,
  updated_at: r.updated_at,
});
export type RelationshipWire = Relationship;

export const sessionWire = (s: SessionRecord): Session => ({
  id: s.id,
  relationship: s.relationship_id,
  direction: s.direction,
  status: s.status,
  job: s.job_id,
  snapshot: s.snapshot_id,
  snapshot_name: s.snapshot_name,
  parent_snapshot: s.parent_snapshot_id,
  remote_snapshot: s.remote_snapshot_id,
  bytes_sent: s.bytes_sent,
  rate: s.rate,
  progress: s.progress,
  message: s.message,
  started_at: s.started_at,
  ended_at: s.ended_at,
  created_at: s.created_at,
});
export type SessionWire = Session;
