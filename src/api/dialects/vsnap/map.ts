// Pure translation between Cairn's wire objects and vSnap's: ids (vSnap numeric strings = the
// row's seq), numbers as strings, times as epoch seconds, statuses in capitals.
import type { PoolItem } from '../../../services/pools/wire.js';
import type { DiskItem } from '../../../services/disks/service.js';

export const str = (n: number | null | undefined): string | null =>
  n === null || n === undefined ? null : String(Math.round(n));
export const epoch = (iso: string | null | undefined): string | null =>
  iso ? String(Math.floor(Date.parse(iso) / 1000)) : null;
export const ratio = (r: number | null | undefined): string => `${(r && r > 0 ? r : 1).toFixed(2)}x`;

/** vSnap pool types are raid0/raid5/raid6 (ZFS); Cairn's btrfs profiles map onto them. */
export const POOL_TYPE_TO_PROFILE = { raid0: 'raid0', raid5: 'raid5', raid6: 'raid6' } as const;
export type VsnapPoolType = keyof typeof POOL_TYPE_TO_PROFILE;

export function poolStatus(p: PoolItem): string {
  if (p.state !== 'online' && p.state !== 'degraded') return p.state.toUpperCase();
  return p.health === 'online' ? 'ONLINE' : p.health.toUpperCase();
}

export function poolSummary(p: PoolItem, seq: number) {
  return {
    id: String(seq),
    name: p.name,
    pool_type: p.profile,
    size_total: str(p.size),
    size_free: str(p.free),
    size_used: str(p.used),
    status: poolStatus(p),
    health: p.health === 'online' ? '100' : p.health === 'degraded' ? '50' : '0',
    time_created: epoch(p.created_at),
    time_updated: epoch(p.updated_at),
  };
}

export function poolDetail(p: PoolItem, seq: number) {
  const comp = p.capacity?.compression ?? null;
  const logical = comp?.logical_bytes ?? p.used;
  const dedupSaved = p.capacity?.dedup_saved_bytes ?? p.dedup_saved_bytes;
  return {
    ...poolSummary(p, seq),
    compression: p.compression !== 'none',
    compression_ratio: ratio(comp?.ratio),
    deduplication: p.dedup_saved_bytes > 0,
    deduplication_ratio: ratio(logical > 0 ? (logical + dedupSaved) / logical : 1),
    diskgroup_size: String(p.disks.length),
    disks: { [`${p.profile}_group1`]: p.disks.map((d) => d.path ?? d.id) },
    size_before_compression: str(logical),
    size_before_deduplication: str(logical + dedupSaved),
    syncwrite: p.sync === 'always',
  };
}

export function disk(d: DiskItem) {
  return {
    model: d.model ?? (d.kind === 'virtual' ? 'Cairn virtual disk' : null),
    name: d.path ?? d.name,
    size: str(d.size),
    type: d.kind === 'virtual' ? 'LOOP' : 'BLOCK',
    uuid: d.id,
    vendor: d.kind === 'virtual' ? 'Cairn' : null,
    used_as: d.state === 'unused' ? 'unused' : d.state === 'in_pool' ? 'pool' : d.state,
  };
}
