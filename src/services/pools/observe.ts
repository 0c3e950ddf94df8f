// Live observation of a pool from btrfs: health (missing devices, error counters) and capacity
// (usage, df, compression measured with `filesystem du`). Reads only.
import type { StorageDeps } from './deps.js';
import type { PoolRecord } from '../../store/pools.js';
import type { DiskRecord } from '../../store/disks.js';
import { TOLERATES, type Health } from '../../domain/storage.js';
import { totalErrors, type ErrorCounters } from '../../system/btrfs/index.js';
import type { LoopInfo } from '../../system/loop/index.js';

export interface DeviceHealth {
  disk_id: string | null;
  devid: number;
  path: string | null;
  missing: boolean;
  /** Why it counts as missing (detached loop, deleted file, btrfs reports it missing). */
  missing_reason: string | null;
  errors: { write_io: number; read_io: number; flush_io: number; corruption: number; generation: number };
  error_total: number;
}

export interface PoolHealth {
  health: Health;
  reasons: string[];
  mounted: boolean;
  mount_options: string[];
  devices: DeviceHealth[];
}

/** Whether a disk's block device is really there: a virtual disk's loop attached, not pending detach. */
export async function diskPresence(
  d: StorageDeps,
  disk: DiskRecord,
  all?: LoopInfo[],
): Promise<string | null> {
  if (disk.kind !== 'virtual') return disk.path ? null : 'device not found';
  if (!disk.file) return 'no backing file';
  const loops = (all ?? (await d.loop.list())).filter((l) => l.backingFile === disk.file);
  const usable = loops.find((l) => l.device === disk.path && !l.autoclear && !l.deleted);
  if (usable) return null;
  const mine = loops.find((l) => l.device === disk.path);
  if (mine?.deleted) return 'backing file deleted';
  if (mine?.autoclear) return 'loop device detached';
  if ((await d.loop.fileSize(disk.file)) === null) return 'backing file gone';
  return 'loop device not attached';
}

/** A device of a mounted pool as btrfs sees it: whether it is missing and its error counters. */
interface SeenDevice {
  devid: number;
  path: string | null;
  missing: boolean;
  errors: ErrorCounters | null;
}

/**
 * The pool's devices from sysfs when the kernel shows them and every devid is a disk Cairn knows
 * (its path comes from the disk); otherwise (a replace target, a device added outside Cairn, no
 * uuid recorded) from `btrfs filesystem show` and `btrfs device stats`, which name the paths.
 */
async function observedDevices(d: StorageDeps, pool: PoolRecord, disks: DiskRecord[]): Promise<SeenDevice[]> {
  const sys = pool.uuid ? await d.btrfs.sysDevices(pool.uuid) : null;
  if (sys?.length && sys.every((s) => disks.some((x) => x.devid === s.devid)))
    return sys.map((s) => ({
      devid: s.devid,
      path: disks.find((x) => x.devid === s.devid)!.path,
      missing: s.missing,
      errors: s.errors,
    }));
  const mnt = d.paths.poolMount(pool.id);
  const [show, stats] = await Promise.all([d.btrfs.show(mnt), d.btrfs.deviceStats(mnt).catch(() => [])]);
  return (show?.devices ?? []).map((dev) => ({
    devid: dev.devid,
    path: dev.path,
    missing: dev.missing,
    errors: stats.find((s) => s.devid === dev.devid) ?? null,
  }));
}

export async function observeHealth(d: StorageDeps, pool: PoolRecord): Promise<PoolHealth> {
  const mnt = d.paths.poolMount(pool.id);
  const mount = await d.btrfs.mountedAt(mnt);
  const disks = (await d.disks.ofPool(pool.id)).filter((x) => x.state !== 'spare' && x.devid !== null);
  if (!mount)
    return {
      health: 'faulted',
      reasons: ['not mounted'],
      mounted: false,
      mount_options: [],
      devices: disks.map((x) => ({
        disk_id: x.id,
        devid: x.devid!,
        path: x.path,
        missing: x.state === 'missing',
        missing_reason: x.state === 'missing' ? 'missing' : null,
        errors: { write_io: 0, read_io: 0, flush_io: 0, corruption: 0, generation: 0 },
        error_total: 0,
      })),
    };
  const [seen, loops] = await Promise.all([observedDevices(d, pool, disks), d.loop.list()]);
  const devices: DeviceHealth[] = [];
  for (const dev of seen) {
    const disk = disks.find((x) => x.devid === dev.devid) ?? disks.find((x) => x.path && x.path === dev.path);
    const presence = disk ? await diskPresence(d, disk, loops) : null;
    const s = dev.errors;
    const missingReason = dev.missing ? 'btrfs reports the device missing' : presence;
    devices.push({
      disk_id: disk?.id ?? null,
      devid: dev.devid,
      path: dev.path,
      missing: missingReason !== null,
      missing_reason: missingReason,
      errors: {
        write_io: s?.writeIoErrs ?? 0,
        read_io: s?.readIoErrs ?? 0,
        flush_io: s?.flushIoErrs ?? 0,
        corruption: s?.corruptionErrs ?? 0,
        generation: s?.generationErrs ?? 0,
      },
      error_total: s ? totalErrors(s) : 0,
    });
  }
  const reasons: string[] = [];
  const missing = devices.filter((x) => x.missing);
  const tolerated = Math.min(TOLERATES[pool.dataProfile], TOLERATES[pool.metadataProfile]);
  if (missing.length)
    reasons.push(
      `missing device(s): ${missing.map((x) => `devid ${x.devid} (${x.missing_reason})`).join(', ')}`,
    );
  const erring = devices.filter((x) => x.error_total > 0);
  if (erring.length)
    reasons.push(`device errors: ${erring.map((x) => `devid ${x.devid}: ${x.error_total}`).join(', ')}`);
  if (mount.options.includes('ro')) reasons.push('mounted read-only (btrfs forced it after an error)');
  const health: Health =
    missing.length > tolerated || mount.options.includes('ro')
      ? 'faulted'
      : reasons.length
        ? 'degraded'
        : 'online';
  return { health, reasons, mounted: true, mount_options: mount.options, devices };
}

export interface PoolCapacity {
  raw_size: number;
  usable_size: number;
  used: number;
  free: number;
  free_min: number;
  allocated: number;
  unallocated: number;
  missing: number;
  data_ratio: number;
  metadata_ratio: number;
  data: { profile: string; allocated: number; used: number };
  metadata: { profile: string; allocated: number; used: number };
  system: { profile: string; allocated: number; used: number };
  global_reserve: number;
  multiple_profiles: boolean;
  compression: { logical_bytes: number; stored_bytes: number; ratio: number | null } | null;
  dedup_saved_bytes: number;
}

/** Capacity measured from btrfs; `withCompression` walks the tree with `filesystem du` (slower). */
export async function observeCapacity(
  d: StorageDeps,
  pool: PoolRecord,
  withCompression: boolean,
): Promise<PoolCapacity> {
  const mnt = d.paths.poolMount(pool.id);
  const [u, du] = await Promise.all([
    d.btrfs.usage(mnt),
    withCompression ? d.btrfs.du(mnt).catch(() => null) : Promise.resolve(null),
  ]);
  const group = (type: string) => {
    const gs = u.groups.filter((g) => g.type === type);
    return {
      profile: gs.map((g) => g.profile).join('+') || 'none',
      allocated: gs.reduce((a, g) => a + g.size, 0),
      used: gs.reduce((a, g) => a + g.used, 0),
    };
  };
  const data = group('Data');
  const metadata = group('Metadata');
  const system = group('System');
  const used = data.used + metadata.used + system.used;
  let compression: PoolCapacity['compression'] = null;
  if (du) {
    const logical = du.exclusive + du.shared;
    compression = {
      logical_bytes: logical,
      stored_bytes: data.used,
      ratio: data.used > 0 ? Math.round((logical / data.used) * 100) / 100 : null,
    };
  }
  return {
    raw_size: u.deviceSize,
    usable_size: used + u.freeEstimated,
    used,
    free: u.freeEstimated,
    free_min: u.freeMin,
    allocated: u.allocated,
    unallocated: u.unallocated,
    missing: u.missing,
    data_ratio: u.dataRatio,
    metadata_ratio: u.metadataRatio,
    data,
    metadata,
    system,
    global_reserve: u.globalReserve,
    multiple_profiles: u.multipleProfiles,
    compression,
    dedup_saved_bytes: pool.dedupSavedBytes,
  };
}
