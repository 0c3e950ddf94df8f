// Mounting a pool the same way everywhere (create, reconcile, option changes): scan its devices,
// mount by id under the data directory with the options its intent asks for, enable quotas and
// make the volumes/ and snapshots/ folders.
import { join } from 'node:path';
import type { JobLog } from '../../domain/job-log.js';
import { makeDir, removeEmptyDir } from '../../system/files.js';
import { mountOptions } from '../../domain/storage.js';
import type { PoolRecord } from '../../store/pools.js';
import type { StorageDeps } from './deps.js';
import { diskPresence } from './observe.js';

/** Device paths of the pool's member disks that are present now, and how many are missing. */
export async function memberDevices(
  d: StorageDeps,
  poolId: string,
): Promise<{ present: string[]; missing: number }> {
  const disks = (await d.disks.ofPool(poolId)).filter((x) => x.state !== 'spare' && x.devid !== null);
  const present: string[] = [];
  let missing = 0;
  const loops = await d.loop.list();
  for (const x of disks) {
    if (x.path && (await diskPresence(d, x, loops)) === null) present.push(x.path);
    else missing++;
  }
  return { present, missing };
}

export const optionsFor = (p: PoolRecord, degraded = false) =>
  mountOptions({ compression: p.compression, compressionLevel: p.compressionLevel, sync: p.sync, degraded });

/**
 * Mounts the pool if it is not mounted; tries a normal mount, then `degraded` when devices are
 * missing. Returns whether it had to mount degraded.
 */
export async function ensureMounted(
  d: StorageDeps,
  pool: PoolRecord,
  devices: string[],
  log?: JobLog,
): Promise<{ degraded: boolean; already: boolean }> {
  const mnt = d.paths.poolMount(pool.id);
  if (await d.btrfs.mountedAt(mnt)) return { degraded: false, already: true };
  if (!devices.length) throw new Error(`pool ${pool.id} has no device present`);
  await makeDir(mnt);
  // device= names every member, so the kernel's device registry need not be current (loop numbers
  // change across restarts); no separate `btrfs device scan` process.
  const withDevices = (degraded: boolean) =>
    [optionsFor(pool, degraded).replace(/^defaults$/, ''), ...devices.map((x) => `device=${x}`)]
      .filter(Boolean)
      .join(',');
  try {
    await d.btrfs.mount(devices[0]!, mnt, withDevices(false), { log });
    return { degraded: false, already: false };
  } catch (e) {
    log?.write('warn', `normal mount failed, trying degraded: ${e instanceof Error ? e.message : String(e)}`);
    await d.btrfs.scan(devices, { log });
    await d.btrfs.mount(devices[0]!, mnt, withDevices(true), { log });
    return { degraded: true, already: false };
  }
}

/** Quotas on (volumes use qgroup limits) and the top-level folders volumes/ and snapshots/. */
export async function preparePoolRoot(d: StorageDeps, poolId: string, log?: JobLog): Promise<void> {
  const mnt = d.paths.poolMount(poolId);
  await d.btrfs.quotaEnable(mnt, { log });
  await makeDir(join(mnt, 'volumes'));
  await makeDir(join(mnt, 'snapshots'));
}

export async function ensureUnmounted(d: StorageDeps, poolId: string, log?: JobLog): Promise<void> {
  const mnt = d.paths.poolMount(poolId);
  if (await d.btrfs.mountedAt(mnt)) await d.btrfs.umount(mnt, { log });
  await removeEmptyDir(mnt);
}
