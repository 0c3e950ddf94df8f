// Pure translation between Cairn's wire objects and vSnap's: ids (vSnap numeric strings = the
// row's seq), numbers as strings, times as epoch seconds, statuses in capitals.
import type { PoolItem } from '../../../services/pools/wire.js';
import type { DiskItem } from '../../../services/disks/service.js';
import type { DiskState, Health, PoolState, Profile } from '../../../domain/storage.js';
import type { ExportRecord } from '../../../domain/exports.js';
import { CairnError } from '../../../domain/errors.js';
import type { ShareSettings } from '../../../services/exports/shares.js';
import type { InitStatus } from '../../../services/pools/initialization.js';

export const str = (n: number | null | undefined): string | null =>
  n === null || n === undefined ? null : String(Math.round(n));
export const epoch = (iso: string | null | undefined): string | null =>
  iso ? String(Math.floor(Date.parse(iso) / 1000)) : null;
export const ratio = (r: number | null | undefined): string => `${(r && r > 0 ? r : 1).toFixed(2)}x`;

/** vSnap pool types are raid0/raid5/raid6 (ZFS); Cairn's btrfs profiles map onto them. */
export const POOL_TYPE_TO_PROFILE = { raid0: 'raid0', raid5: 'raid5', raid6: 'raid6' } as const;
export type VsnapPoolType = keyof typeof POOL_TYPE_TO_PROFILE;

/** Cairn's profiles in vSnap's words (a stripe of one disk is still a raid0 there). */
const PROFILE_POOL_TYPE: Record<Profile, string> = {
  single: 'raid0',
  raid0: 'raid0',
  raid1: 'raid1',
  raid1c3: 'raid1c3',
  raid1c4: 'raid1c4',
  raid10: 'raid10',
  raid5: 'raid5',
  raid6: 'raid6',
  dup: 'dup',
};

/** A vSnap raid0 of one disk is a stripe of one: btrfs's `single`. */
export const poolProfile = (type: VsnapPoolType, disks: number) =>
  type === 'raid0' && disks === 1 ? 'single' : POOL_TYPE_TO_PROFILE[type];

/** The system's initialization status in vSnap's words. */
export const INIT_STATUS: Record<InitStatus, string> = {
  not_initialized: 'Not Initialized',
  initializing: 'Initializing',
  ready: 'Ready',
};

/** vSnap's network services (the native `nbd` has no vSnap word and is not shown). */
export const VSNAP_NET_SERVICES = ['mgmt', 'nfs', 'smb', 'iscsi'] as const;
export function networkInterface<N extends { services: readonly string[] }>(n: N) {
  return {
    ...n,
    services: n.services.filter((s) => (VSNAP_NET_SERVICES as readonly string[]).includes(s)),
  };
}

// Every mapping below is a Record over Cairn's own union: a state Cairn adds later fails to
// compile here until it is given its vSnap word, instead of leaking through upper-cased.

/** vSnap (ZFS) pool status words; `null` means "say the health instead". */
const POOL_STATE_STATUS: Record<PoolState, 'CREATING' | 'DESTROYING' | null> = {
  creating: 'CREATING',
  ready: null,
  deleting: 'DESTROYING',
};
const POOL_HEALTH_STATUS: Record<Health, 'ONLINE' | 'DEGRADED' | 'FAULTED'> = {
  online: 'ONLINE',
  degraded: 'DEGRADED',
  faulted: 'FAULTED',
};
const POOL_HEALTH_PERCENT: Record<Health, string> = { online: '100', degraded: '50', faulted: '0' };

export function poolStatus(p: Pick<PoolItem, 'state' | 'health'>): string {
  return POOL_STATE_STATUS[p.state] ?? POOL_HEALTH_STATUS[p.health];
}

/** vSnap's `used_as` for a disk. */
const DISK_USED_AS: Record<DiskState, string> = {
  creating: 'creating',
  unused: 'unused',
  // In no pool but holding something (mounted, partitioned, a signature): never offered as unused.
  in_use: 'in_use',
  in_pool: 'pool',
  spare: 'spare',
  failed: 'failed',
  missing: 'missing',
  deleting: 'deleting',
};

export function poolSummary(p: PoolItem, seq: number | string) {
  return {
    id: String(seq),
    name: p.name,
    pool_type: PROFILE_POOL_TYPE[p.profile],
    size_total: str(p.size),
    size_free: str(p.free),
    size_used: str(p.used),
    status: poolStatus(p),
    health: POOL_HEALTH_PERCENT[p.health],
    time_created: epoch(p.created_at),
    time_updated: epoch(p.updated_at),
  };
}

export function poolDetail(p: PoolItem, seq: number | string) {
  const comp = p.capacity?.compression ?? null;
  const logical = comp?.logical_bytes ?? p.used;
  const dedupSaved = p.capacity?.dedup_saved_bytes ?? p.dedup_saved_bytes;
  return {
    ...poolSummary(p, seq),
    compression: p.compression !== 'none',
    compression_ratio: ratio(comp?.ratio),
    deduplication: p.dedup.schedule !== null,
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
    model: d.model,
    name: d.path ?? d.name,
    size: str(d.size),
    type: d.kind === 'virtual' ? 'LOOP' : 'BLOCK',
    uuid: d.id,
    vendor: d.vendor,
    used_as: DISK_USED_AS[d.state],
  };
}

/** vSnap's "all" hosts: every IPv4 and IPv6 address. */
export const ALL_HOSTS = ['0.0.0.0/0', '::/0'];

/** A vSnap share body (create and update). */
export interface VsnapShareInput {
  share_type: 'nfs' | 'smb';
  share_options?: { read_only?: boolean; allowed_hosts?: string[] };
}

/**
 * A vSnap share body in Cairn's words. `all` is every address; host names are refused (Cairn
 * does not resolve them). vSnap's NFS shares serve backup proxies that write as root and the
 * seed has no squash option: they are not squashed (root could not write into the volume).
 */
export function shareSettings(b: VsnapShareInput): ShareSettings {
  const hosts = b.share_options?.allowed_hosts ?? [];
  const named = hosts.filter((x) => x !== 'all' && !/^[0-9a-fA-F.:/]+$/.test(x));
  if (named.length)
    throw new CairnError('VALIDATION_FAILED', {
      summary: `share_options.allowed_hosts: host names (${named.join(', ')}) are not resolved; give addresses or networks`,
    });
  return {
    protocol: b.share_type,
    allowed: hosts.includes('all') ? ALL_HOSTS : hosts,
    readOnly: b.share_options?.read_only ?? false,
    ...(b.share_type === 'nfs' ? { rootSquash: false } : {}),
  };
}

/** A vSnap share (list form) of an export, given its and its volume's vSnap ids. */
export const share = (id: string, volId: string, e: ExportRecord) => ({
  id,
  name: e.exportName,
  vol_id: volId,
  share_type: e.protocol,
  time_created: epoch(e.createdAt),
  time_updated: epoch(e.updatedAt),
});

/** What a share's detail adds: its options (every address reads `all`) and URI. */
export const shareDetails = (e: ExportRecord) => ({
  share_options: {
    read_only: e.readOnly,
    allowed_hosts: e.allowed.join(',') === ALL_HOSTS.join(',') ? ['all'] : e.allowed,
  },
  uri: e.uri,
});

/** The LUN number of an iSCSI export (1 when the export has no number of its own). */
export const lunOf = (e: Pick<ExportRecord, 'options'>): string => String(e.options.lun ?? 1);
