// Rules of disks and pools on btrfs: profiles and their device minimums, default metadata
// profiles, compression and sync-write options, usable space per profile and the checks a pool
// create, convert or disk removal must pass. Pure: no I/O.
import type { FieldProblem } from './errors.js';
import { listSpec } from './list.js';

export const DATA_PROFILES = [
  'single',
  'dup',
  'raid0',
  'raid1',
  'raid1c3',
  'raid1c4',
  'raid10',
  'raid5',
  'raid6',
] as const;
export type Profile = (typeof DATA_PROFILES)[number];

/** The fewest devices btrfs-progs 6.2 accepts for each profile (mkfs refuses fewer, rc=1). */
export const MIN_DEVICES: Record<Profile, number> = {
  single: 1,
  dup: 1,
  raid0: 2,
  raid1: 2,
  raid1c3: 3,
  raid1c4: 4,
  raid10: 2,
  raid5: 2,
  raid6: 3,
};

/** How many devices may be lost without losing data. */
export const TOLERATES: Record<Profile, number> = {
  single: 0,
  dup: 0,
  raid0: 0,
  raid1: 1,
  raid1c3: 2,
  raid1c4: 3,
  raid10: 1,
  raid5: 1,
  raid6: 2,
};

export const isParity = (p: Profile): boolean => p === 'raid5' || p === 'raid6';

/** Metadata at least as redundant as the data, never raid5/6 (the write hole hits metadata hardest). */
export function defaultMetadataProfile(data: Profile, disks: number): Profile {
  if (disks <= 1) return 'dup';
  switch (data) {
    case 'raid1c3':
      return 'raid1c3';
    case 'raid1c4':
      return 'raid1c4';
    case 'raid6':
      return disks >= 3 ? 'raid1c3' : 'raid1';
    default:
      return 'raid1';
  }
}

export const COMPRESSIONS = ['none', 'zstd', 'lzo', 'zlib'] as const;
export type Compression = (typeof COMPRESSIONS)[number];
export const COMPRESSION_LEVELS: Partial<Record<Compression, [number, number]>> = {
  zstd: [1, 15],
  zlib: [1, 9],
};

/** The btrfs `compress=` value ('' for none): zstd:3, zlib:9, lzo. */
export function compressionValue(c: Compression, level: number | null): string {
  if (c === 'none') return '';
  return level !== null && COMPRESSION_LEVELS[c] ? `${c}:${level}` : c;
}

/**
 * Sync-write policy and exactly what it maps to on btrfs (there is no ZFS-like sync=disabled;
 * btrfs always honours fsync/O_SYNC/O_DSYNC, which is what iSCSI FUA, NFS COMMIT and SMB flush use):
 * - standard: fsync and O_SYNC are honoured; other writes reach disk at the transaction commit
 *   (btrfs default `commit=30`).
 * - always: the pool is mounted `sync` (MS_SYNCHRONOUS, every write is synchronous) and
 *   `flushoncommit`; safest, slowest.
 * - relaxed: fsync is still honoured; the periodic commit is stretched to `commit=120`, so
 *   un-synced writes may be lost for up to 2 minutes after a crash (never corrupted: CoW).
 */
export const SYNC_POLICIES = ['standard', 'always', 'relaxed'] as const;
export type SyncPolicy = (typeof SYNC_POLICIES)[number];

export function mountOptions(o: {
  compression: Compression;
  compressionLevel: number | null;
  sync: SyncPolicy;
  degraded?: boolean;
  devices?: string[];
}): string {
  const opts: string[] = [];
  const c = compressionValue(o.compression, o.compressionLevel);
  if (c) opts.push(`compress=${c}`);
  if (o.sync === 'always') opts.push('sync', 'flushoncommit');
  if (o.sync === 'relaxed') opts.push('commit=120');
  if (o.degraded) opts.push('degraded');
  for (const d of o.devices ?? []) opts.push(`device=${d}`);
  return opts.join(',') || 'defaults';
}

/** Options for `mount -o remount,…`: every setting named, since a remount keeps what it is not told. */
export function remountOptions(o: {
  compression: Compression;
  compressionLevel: number | null;
  sync: SyncPolicy;
}): string {
  const c = compressionValue(o.compression, o.compressionLevel);
  return [
    c ? `compress=${c}` : 'compress=no',
    ...(o.sync === 'always' ? ['sync', 'flushoncommit'] : ['async', 'noflushoncommit']),
    o.sync === 'relaxed' ? 'commit=120' : 'commit=30',
  ].join(',');
}

export const DISK_STATES = [
  'creating',
  'unused',
  /** In no pool, but something is on it (mounted, partitioned, a filesystem): not offered. */
  'in_use',
  'in_pool',
  'spare',
  'failed',
  'missing',
  'deleting',
] as const;
export type DiskState = (typeof DISK_STATES)[number];
export const POOL_STATES = ['creating', 'ready', 'deleting'] as const;
export type PoolState = (typeof POOL_STATES)[number];
export const HEALTHS = ['online', 'degraded', 'faulted'] as const;
export type Health = (typeof HEALTHS)[number];

/**
 * Usable bytes of `profile` over devices of `sizes` bytes, by simulating btrfs's chunk allocator
 * (each chunk goes to the devices with the most unallocated space). Works for mixed sizes.
 */
export function usableBytes(profile: Profile, sizes: number[]): number {
  return allocate(profile, sizes).usable;
}

function allocate(profile: Profile, sizes: number[]): { usable: number; leftover: number } {
  const free = sizes.filter((s) => s > 0);
  const total = free.reduce((a, b) => a + b, 0);
  if (total === 0) return { usable: 0, leftover: 0 };
  const unit = Math.max(1024 * 1024, Math.floor(total / 8192));
  let usable = 0;
  for (;;) {
    free.sort((a, b) => b - a);
    const avail = free.filter((f) => f >= unit).length;
    let take: number;
    let gain: number;
    let perDevice = unit;
    switch (profile) {
      case 'single':
        take = 1;
        gain = unit;
        break;
      case 'dup':
        take = free[0]! >= 2 * unit ? 1 : 0;
        perDevice = 2 * unit;
        gain = unit;
        break;
      case 'raid1':
      case 'raid1c3':
      case 'raid1c4':
        take = { raid1: 2, raid1c3: 3, raid1c4: 4 }[profile];
        gain = unit;
        break;
      case 'raid0':
        take = avail;
        gain = avail * unit;
        break;
      case 'raid10':
        take = avail - (avail % 2);
        gain = (take / 2) * unit;
        break;
      case 'raid5':
        take = avail;
        gain = (avail - 1) * unit;
        break;
      case 'raid6':
        take = avail;
        gain = (avail - 2) * unit;
        break;
    }
    if (profile === 'dup' ? take < 1 : take < MIN_DEVICES[profile] || take > avail) break;
    for (let i = 0; i < take; i++) free[i]! -= perDevice;
    usable += gain;
  }
  return { usable, leftover: free.reduce((a, b) => a + b, 0) };
}

/** Raw bytes of these devices the profile can never use (mixed sizes), beyond rounding. */
export function wastedBytes(profile: Profile, sizes: number[]): number {
  const raw = sizes.reduce((a, b) => a + b, 0);
  const ideal = allocate(profile, Array(sizes.length).fill(raw / sizes.length) as number[]).leftover;
  return Math.max(0, Math.round(allocate(profile, sizes).leftover - ideal));
}

export interface ProfileChoice {
  data: Profile;
  metadata: Profile;
  disks: number;
  acknowledgeRaid56: boolean;
}

/** Problems with a data/metadata profile pair on `disks` devices (create and convert). */
export function profileProblems(c: ProfileChoice, field = 'profile'): FieldProblem[] {
  const out: FieldProblem[] = [];
  for (const [f, p] of [
    [field, c.data],
    ['metadata_profile', c.metadata],
  ] as const) {
    if (c.disks < MIN_DEVICES[p])
      out.push({
        field: f,
        code: 'TOO_FEW_DISKS',
        message: `${p} needs at least ${MIN_DEVICES[p]} disks, got ${c.disks}`,
      });
    if (p === 'dup' && c.disks > 1 && f === field)
      out.push({
        field: f,
        code: 'DUP_ONE_DISK',
        message: 'dup keeps two copies on one disk; use raid1 with more disks',
      });
  }
  if (isParity(c.data) && !c.acknowledgeRaid56)
    out.push({
      field: 'acknowledge_raid56_write_hole',
      code: 'RAID56_NOT_ACKNOWLEDGED',
      message: `${c.data} on btrfs has a write hole (a crash during a partial stripe write can lose data); set acknowledge_raid56_write_hole=true to use it anyway`,
    });
  if (isParity(c.metadata) && !c.acknowledgeRaid56)
    out.push({
      field: 'metadata_profile',
      code: 'RAID56_METADATA',
      message: 'metadata on raid5/6 risks the whole pool through the write hole; use raid1 or raid1c3',
    });
  return out;
}

/**
 * Whether the disks left after removing some can hold what the pool stores: the bytes in use
 * (data, metadata, system) plus a reserve for metadata relocation (btrfs forces a pool read-only
 * when metadata cannot be relocated during a device removal). Returns the shortfall in bytes (0: fits).
 */
export function removalShortfall(o: {
  profile: Profile;
  remainingSizes: number[];
  usedBytes: number;
  metadataTotalBytes: number;
}): { needed: number; available: number; missing: number } {
  const available = usableBytes(o.profile, o.remainingSizes);
  const reserve = Math.max(256 * 1024 * 1024, o.metadataTotalBytes) + Math.ceil(o.usedBytes * 0.1);
  const needed = o.usedBytes + reserve;
  return { needed, available, missing: Math.max(0, needed - available) };
}

export const DISK_LIST = listSpec({
  fields: {
    name: { column: 'name', type: 'string', filterable: true, sortable: true },
    kind: { column: 'kind', type: 'string', filterable: true, sortable: true },
    state: { column: 'state', type: 'string', filterable: true, sortable: true },
    pool_id: { column: 'pool_id', type: 'string', filterable: true },
    size: { column: 'size_bytes', type: 'integer', filterable: true, sortable: true },
    path: { column: 'path', type: 'string', filterable: true },
    created_at: { column: 'created_at', type: 'time', filterable: true, sortable: true },
  },
  defaultSort: 'created_at',
  tieBreaker: 'id',
});

export const POOL_LIST = listSpec({
  fields: {
    name: { column: 'name', type: 'string', filterable: true, sortable: true },
    state: { column: 'state', type: 'string', filterable: true, sortable: true },
    health: { column: 'health', type: 'string', filterable: true, sortable: true },
    profile: { column: 'data_profile', type: 'string', filterable: true, sortable: true },
    metadata_profile: { column: 'metadata_profile', type: 'string', filterable: true },
    compression: { column: 'compression', type: 'string', filterable: true },
    created_at: { column: 'created_at', type: 'time', filterable: true, sortable: true },
  },
  defaultSort: 'created_at',
  tieBreaker: 'id',
});
