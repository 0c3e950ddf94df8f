// Start-up reconciliation of disks and pools: re-attach virtual disks (reusing a loop device that
// is still attached to the file), scan devices, mount every ready pool (degraded when a disk is
// missing, with an event), enable quotas, and mark what is missing. Idempotent; unmounts nothing.
import type { StorageDeps } from './deps.js';
import type { PoolService } from './service.js';
import { ensureMounted, memberDevices, preparePoolRoot } from './mounting.js';

export async function reconcileStorage(d: StorageDeps, pools: PoolService): Promise<void> {
  for (const disk of await d.disks.virtual()) {
    if (disk.state === 'creating' || disk.state === 'deleting' || !disk.file) continue; // their jobs recover them
    const size = await d.loop.fileSize(disk.file);
    if (size === null) {
      if (disk.state !== 'missing') {
        await d.disks.update(disk.id, { state: 'missing', path: null });
        await d.events.record({
          type: 'disk.missing',
          severity: disk.poolId ? 'error' : 'warning',
          objectType: 'disk',
          objectId: disk.id,
          message: `virtual disk ${disk.name}: its file ${disk.file} is gone`,
          details: { pool_id: disk.poolId },
        });
      }
      continue;
    }
    const dev = await d.loop.attach(disk.file);
    // A disk that left its pool while missing (a spare took its place) may still carry the pool's
    // superblock; wipe it so a device scan never mistakes it for a member.
    if (disk.state === 'missing' && !disk.poolId) await d.btrfs.wipe([dev]).catch(() => undefined);
    const back =
      disk.state === 'missing'
        ? disk.poolId
          ? disk.devid !== null
            ? 'in_pool'
            : 'spare'
          : 'unused'
        : disk.state;
    if (dev !== disk.path || back !== disk.state) await d.disks.update(disk.id, { path: dev, state: back });
  }

  for (let after = 0; ;) {
    const batch = await d.pools.batch(after, 100);
    if (!batch.length) break;
    for (const pool of batch) {
      after = pool.seq;
      if (pool.state !== 'ready') continue; // creating / deleting: their jobs finish or roll back
      try {
        const { present, missing } = await memberDevices(d, pool.id);
        const r = await ensureMounted(d, pool, present);
        if (!r.already) await preparePoolRoot(d, pool.id);
        if (r.degraded || missing > 0) d.logger.warn({ poolId: pool.id, missing }, 'pool mounted degraded');
      } catch (e) {
        d.logger.error({ err: e, poolId: pool.id }, 'could not mount pool');
      }
      await pools.refreshHealth(await d.pools.get(pool.id)).catch(() => undefined);
    }
  }
}
