// The wire shape of a pool (snake_case, sizes in integer bytes).
import type { PoolRecord } from '../../store/pools.js';
import type { DiskRecord } from '../../store/disks.js';
import { compressionValue, type SyncPolicy } from '../../domain/storage.js';
import type { PoolCapacity, PoolHealth } from './observe.js';
import type { Pool } from '../../domain/pools.js';
import { describeCron } from '../../domain/protection.js';

export const SYNC_MEANS: Record<SyncPolicy, string> = {
  standard: 'fsync/O_SYNC honoured; other writes committed every 30 s (btrfs commit=30)',
  always: 'mounted sync,flushoncommit: every write is synchronous',
  relaxed: 'fsync/O_SYNC honoured; other writes committed every 120 s (commit=120)',
};

/** The wire shape is the domain's Pool (the dialects name it PoolItem). */
export type PoolItem = Pool;

const ref = (d: DiskRecord): PoolItem['disks'][number] => ({
  id: d.id,
  name: d.name,
  path: d.path,
  devid: d.devid,
  state: d.state,
  size: d.sizeBytes,
});

export function toPoolItem(
  p: PoolRecord,
  o: {
    mountPath: string;
    disks: DiskRecord[];
    size: number;
    used: number;
    free: number;
    capacity?: PoolCapacity | null;
    health?: PoolHealth | null;
  },
): PoolItem {
  return {
    id: p.id,
    name: p.name,
    state: p.state,
    health: o.health?.health ?? p.health,
    health_reason: o.health ? o.health.reasons.join('; ') || null : p.healthReason,
    profile: p.dataProfile,
    metadata_profile: p.metadataProfile,
    compression: p.compression,
    compression_level: p.compressionLevel,
    compression_option: compressionValue(p.compression, p.compressionLevel) || 'no',
    sync: p.sync,
    sync_means: SYNC_MEANS[p.sync],
    mount_path: o.mountPath,
    uuid: p.uuid,
    disks: o.disks.filter((d) => d.state !== 'spare').map(ref),
    spares: o.disks.filter((d) => d.state === 'spare').map(ref),
    size: o.size,
    used: o.used,
    free: o.free,
    capacity: o.capacity ?? null,
    health_detail: o.health ?? null,
    last_scrub: p.lastScrub,
    dedup_saved_bytes: p.dedupSavedBytes,
    dedup: {
      schedule: p.dedupSchedule,
      schedule_description: p.dedupSchedule ? describeCron(p.dedupSchedule) : null,
      last_run_at: p.dedupLastRunAt,
      saved_bytes: p.dedupSavedBytes,
      ratio: o.used > 0 ? Math.round(((o.used + p.dedupSavedBytes) / o.used) * 100) / 100 : 1,
    },
    created_at: p.createdAt,
    updated_at: p.updatedAt,
  };
}
