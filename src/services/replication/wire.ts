// Record → wire shapes for partners, relationships and sessions (snake_case, bytes, ISO times); the
// shapes are the domain's schemas (src/domain/replication.ts). The *Wire names are the dialects'.
import type { Partner, Relationship, Session } from '../../domain/replication.js';
import type { PartnerRecord, RelationshipRecord, SessionRecord } from '../../store/replication.js';

export const partnerWire = (p: PartnerRecord): Partner => ({
  id: p.id,
  name: p.name,
  url: p.url,
  fingerprint_sha256: p.fingerprint,
  remote_name: p.remoteName,
  remote_version: p.remoteVersion,
  verified_at: p.verifiedAt,
  peer_partner_id: p.peerPartnerId,
  created_at: p.createdAt,
  updated_at: p.updatedAt,
});
export type PartnerWire = Partner;

export const relationshipWire = (r: RelationshipRecord): Relationship => ({
  id: r.id,
  role: r.role,
  state: r.state,
  volume: r.volumeId,
  pool: r.poolId,
  partner: r.partnerId,
  peer: r.peer,
  remote_pool: r.remotePoolId,
  remote_volume: r.remoteVolumeId,
  remote_volume_name: r.remoteVolumeName,
  replica_retention: r.replicaRetention,
  last_sync_status: r.lastSyncStatus,
  last_attempt_snapshot: r.lastAttemptSnapshotId,
  last_success_snapshot: r.lastSuccessSnapshotId,
  last_success_at: r.lastSuccessAt,
  created_at: r.createdAt,
  updated_at: r.updatedAt,
});
export type RelationshipWire = Relationship;

export const sessionWire = (s: SessionRecord): Session => ({
  id: s.id,
  relationship: s.relationshipId,
  direction: s.direction,
  status: s.status,
  job: s.jobId,
  snapshot: s.snapshotId,
  snapshot_name: s.snapshotName,
  parent_snapshot: s.parentSnapshotId,
  remote_snapshot: s.remoteSnapshotId,
  bytes_sent: s.bytesSent,
  rate: s.rate,
  progress: s.progress,
  message: s.message,
  started_at: s.startedAt,
  ended_at: s.endedAt,
  created_at: s.createdAt,
});
export type SessionWire = Session;
