// What a replication sync job is given (its own module: the job and its event recorder both need it).
export interface SyncArgs {
  sessionId: string;
  relationshipId: string;
  volumeId: string;
  poolId: string;
  partnerId: string;
  /** Send this existing snapshot (never deleted by the job's undo) instead of taking a new one. */
  snapshotId?: string;
  /** The name of the copy on the partner (default: the snapshot's name). */
  remoteSnapshotName?: string;
}
