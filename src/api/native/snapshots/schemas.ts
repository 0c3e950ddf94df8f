// Wire schemas of snapshots and clones: the domain's (src/domain/volumes.ts), the types the service takes.
export { CloneCreate, Snapshot, SnapshotCreate, SnapshotUpdate } from '../../../domain/volumes.js';
