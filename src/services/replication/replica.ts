// The replica side of a relationship, made when the source makes the relationship (as vSnap does):
// the replica relationship row and the replica volume exist at once, so both systems list the
// relationship and the source knows its replica volume before a byte is sent. The replica volume is
// an empty read-only subvolume until the first session replaces it with the received data.
// `reuse` takes an existing volume of that name in the pool instead (a replica kept by an earlier
// delete with preserve_replica): a later session then sends incrementally from the newest snapshot
// both sides still have.
import { dirname } from 'node:path';
import { CairnError } from '../../domain/errors.js';
import { newId } from '../../domain/ids.js';
import { principalName, type Principal } from '../../domain/permissions.js';
import type { RetentionPolicy } from '../../domain/protection.js';
import { DEFAULT_SNAPSHOT_LIMIT, type VolumeType } from '../../domain/volumes.js';
import type { VolumeRecord } from '../../store/volumes.js';
import { assertInScope } from '../volumes/service.js';
import type { ProtectionDeps } from './deps.js';

/** What the replica volume is made like (the source volume's name, type and size). */
export interface ReplicaVolumeSpec {
  volume_name: string;
  volume_type: VolumeType;
  volume_size: number;
  block_size?: number;
}

export interface ReplicaInput extends ReplicaVolumeSpec {
  relationship: string;
  pool: string;
  source_volume: string;
  retention?: RetentionPolicy;
  reuse?: boolean;
}

export interface ReplicaAnswer {
  relationship: string;
  volume: string;
  volume_name: string;
  reused: boolean;
}

/** Inserts the replica volume's row under `volume_name` (or `name-1`, `name-2` … when taken); its name. */
export async function insertReplicaVolume(
  d: ProtectionDeps,
  volumeId: string,
  q: ReplicaVolumeSpec,
  poolId: string,
): Promise<string> {
  const base = q.volume_name;
  for (let i = 0; ; i++) {
    const name = i === 0 ? base : `${base.slice(0, 58)}-${i}`;
    try {
      await d.volumes.insert({
        id: volumeId,
        poolId: poolId,
        name,
        type: q.volume_type,
        size: q.volume_size,
        thin: true,
        blockSize: q.volume_type === 'lun' ? (q.block_size ?? 512) : null,
        nocow: false,
        compression: 'inherit',
        snapshotLimit: DEFAULT_SNAPSHOT_LIMIT,
        state: 'online',
        originSnapshotId: null,
      });
      return name;
    } catch (e) {
      if (!(e instanceof CairnError && e.code === 'VOLUME_NAME_TAKEN') || i > 20) throw e;
    }
  }
}

async function volumeNamed(d: ProtectionDeps, pool: string, name: string): Promise<VolumeRecord | undefined> {
  const page = await d.volumes.list(
    {
      limit: 1,
      offset: 0,
      cursor: null,
      sort: [],
      filters: [
        { field: 'pool', column: 'pool_id', op: 'eq', value: pool },
        { field: 'name', column: 'name', op: 'eq', value: name },
      ],
    },
    null,
    (v) => v,
  );
  return page.items[0];
}

/** A volume may become a replica again if nothing else replicates into or out of it, and of the same type. */
async function assertReusable(d: ProtectionDeps, v: VolumeRecord, q: ReplicaInput): Promise<void> {
  const rels = await d.store.ofVolume(v.id, 1);
  const why =
    rels.length > 0
      ? `it is in relationship ${rels[0]!.id}`
      : v.type !== q.volume_type
        ? `it is a ${v.type} volume, the source a ${q.volume_type}`
        : v.state !== 'online'
          ? `it is ${v.state}`
          : null;
  if (why)
    throw new CairnError('VALIDATION_FAILED', {
      summary: `reuse: volume ${v.name} cannot be a replica: ${why}`,
      problems: [{ field: 'reuse', code: 'NOT_REUSABLE', message: why }],
    });
}

/**
 * Makes the replica side of relationship `q.relationship` in `q.pool`. Idempotent: a relationship
 * already made (a retry after a lost answer) answers what it has.
 */
export async function prepareReplica(
  d: ProtectionDeps,
  p: Principal,
  q: ReplicaInput,
): Promise<ReplicaAnswer> {
  assertInScope(p, q.pool);
  const pool = await d.pools().mounted(q.pool, p);
  const existing = await d.store.findRelationship(q.relationship);
  if (existing) {
    if (existing.role !== 'replica' || existing.poolId !== pool.id || !existing.volumeId)
      throw new CairnError('RELATIONSHIP_EXISTS', {
        volumeId: existing.volumeId ?? '',
        pool: existing.poolId,
        partner: existing.peer ?? '',
      });
    const v = await d.volumes.get(existing.volumeId);
    return { relationship: existing.id, volume: v.id, volume_name: v.name, reused: false };
  }
  const found = q.reuse ? await volumeNamed(d, pool.id, q.volume_name) : undefined;
  if (found) await assertReusable(d, found, q);
  const volumeId = found?.id ?? newId();
  let name = found?.name ?? null;
  const volPath = d.paths.volume(pool.id, volumeId);
  try {
    if (!found) {
      name = await insertReplicaVolume(d, volumeId, q, pool.id);
      await d.subvols.ensureDir(dirname(volPath));
      await d.subvols.create(volPath);
      await d.subvols.setReadOnly(volPath, true);
    }
    await d.store.insertRelationship({
      id: q.relationship,
      role: 'replica',
      state: 'active',
      volumeId: volumeId,
      poolId: pool.id,
      partnerId: null,
      peer: principalName(p),
      remotePoolId: null,
      remoteVolumeId: q.source_volume,
      remoteVolumeName: null,
      replicaRetention: q.retention ?? {},
      lastSyncStatus: null,
      lastAttemptSnapshotId: null,
      lastSuccessSnapshotId: null,
      lastSuccessAt: null,
    });
  } catch (e) {
    if (!found) {
      await d.subvols.deleteIfExists([volPath]).catch(() => undefined);
      await d.volumes.delete(volumeId).catch(() => undefined);
    }
    throw e;
  }
  return { relationship: q.relationship, volume: volumeId, volume_name: name!, reused: !!found };
}
