// Pool create and delete jobs.
/**
 * pool.create: 1. mkfs.btrfs on the claimed disks (undo: wipefs)  2. mount under the data directory
 * by id (undo: unmount)  3. enable quotas, make volumes/ and snapshots/  4. record devids and mark
 * the pool ready. A crash or failure rolls back and frees the disks: nothing left half made.
 * pool.delete: 1. refuse if it holds volumes (unless forced)  2. unmount  3. wipe signatures
 * 4. free the disks and spares, forget the pool. A crash resumes.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { join } from 'node:path';
import { defineJob, step } from '../../jobs/define.js';
import { exclusive } from '../../domain/job.js';
import { CairnError } from '../../domain/errors.js';
import type { Compression, Profile, SyncPolicy } from '../../domain/storage.js';
import type { StorageDeps } from './deps.js';
import { ensureMounted, ensureUnmounted, memberDevices, preparePoolRoot } from './mounting.js';

/** How often, and how far apart, a new pool's refused mount is tried again (see the mount step). */
const MOUNT_ATTEMPTS = 8;
const MOUNT_RETRY_MS = 2000;

export interface PoolCreateArgs {
  poolId: string;
  diskIds: string[];
  data: Profile;
  metadata: Profile;
  compression: Compression;
  compressionLevel: number | null;
  sync: SyncPolicy;
}

export const poolLabel = (poolId: string) => `cairn-${poolId}`.slice(0, 255);

/** Frees a pool's disks (members and spares) and forgets device ids. */
export async function releaseDisks(d: StorageDeps, poolId: string): Promise<void> {
  for (const disk of await d.disks.ofPool(poolId))
    await d.disks.update(disk.id, {
      state: disk.state === 'missing' ? 'missing' : 'unused',
      poolId: null,
      devid: null,
    });
}

export const poolCreateJob = (d: StorageDeps) =>
  defineJob<PoolCreateArgs>({
    kind: 'pool.create',
    title: (a) => `create ${a.data} pool ${a.poolId} on ${a.diskIds.length} disk(s)`,
    locks: (a) => [exclusive(`pool:${a.poolId}`), ...a.diskIds.map((x) => exclusive(`disk:${x}`))],
    object: (a) => ({ type: 'pool', id: a.poolId }),
    cancellable: false,
    onInterrupt: 'rollback',
    steps: [
      step(
        'mkfs',
        async (c) => {
          const devs = await Promise.all(c.args.diskIds.map(async (id) => (await d.disks.get(id)).path!));
          c.data.devices = devs;
          await c.save();
          c.data.uuid = await d.btrfs.mkfs(poolLabel(c.args.poolId), c.args.data, c.args.metadata, devs, {
            log: c.log,
          });
          await c.save();
        },
        async (c) => {
          const devs = (c.data.devices as string[] | undefined) ?? [];
          if (!(await d.btrfs.mountedAt(d.paths.poolMount(c.args.poolId))))
            await d.btrfs.wipe(devs, { log: c.log });
        },
      ),
      step(
        'mount',
        async (c) => {
          const pool = await d.pools.get(c.args.poolId);
          // A device number just reused can still be claimed by a mounted pool whose member had that
          // number and went missing: the kernel refuses ("belongs to fsid …, already mounted") until
          // that pool's replace ends. Give it a little time before failing.
          for (let attempt = 1; ; attempt++) {
            try {
              await ensureMounted(d, pool, c.data.devices as string[], c.log);
              return;
            } catch (e) {
              const msg = e instanceof Error ? e.message : String(e);
              if (attempt >= MOUNT_ATTEMPTS || !/already mounted/i.test(msg)) throw e;
              c.log.write(
                'warn',
                `mount refused (a device is still claimed by a mounted filesystem); retrying`,
              );
              await sleep(MOUNT_RETRY_MS);
            }
          }
        },
        async (c) => ensureUnmounted(d, c.args.poolId, c.log),
      ),
      step('prepare', async (c) => preparePoolRoot(d, c.args.poolId, c.log)),
      step('record', async (c) => {
        const show = await d.btrfs.show(d.paths.poolMount(c.args.poolId));
        for (const id of c.args.diskIds) {
          const disk = await d.disks.get(id);
          const dev = show?.devices.find((x) => x.path === disk.path);
          await d.disks.update(id, { state: 'in_pool', poolId: c.args.poolId, devid: dev?.devid ?? null });
        }
        await d.pools.update(c.args.poolId, {
          state: 'ready',
          health: 'online',
          healthReason: null,
          uuid: show?.uuid ?? (c.data.uuid as string | null) ?? null,
        });
      }),
    ],
    result: (c) => ({ id: c.args.poolId }),
    onRolledBack: async (c) => {
      await releaseDisks(d, c.args.poolId);
      await d.pools.delete(c.args.poolId);
    },
  });

export interface PoolDeleteArgs {
  poolId: string;
  diskIds: string[];
  force: boolean;
}

export const poolDeleteJob = (d: StorageDeps) =>
  defineJob<PoolDeleteArgs>({
    kind: 'pool.delete',
    title: (a) => `delete pool ${a.poolId}${a.force ? ' (forced)' : ''}`,
    locks: (a) => [exclusive(`pool:${a.poolId}`), ...a.diskIds.map((x) => exclusive(`disk:${x}`))],
    object: (a) => ({ type: 'pool', id: a.poolId }),
    cancellable: false,
    onInterrupt: 'resume',
    steps: [
      step('check', async (c) => {
        const count = await d.btrfs.subvolumesIn(join(d.paths.poolMount(c.args.poolId), 'volumes'));
        if (count > 0 && !c.args.force)
          throw new CairnError('POOL_HAS_VOLUMES', { id: c.args.poolId, count });
      }),
      step('unmount', async (c) => {
        await d.pools.update(c.args.poolId, { state: 'deleting' });
        await ensureUnmounted(d, c.args.poolId, c.log);
      }),
      step('wipe', async (c) => {
        const { present } = await memberDevices(d, c.args.poolId);
        await d.btrfs.wipe(present, { log: c.log });
      }),
      step('release', async (c) => {
        await releaseDisks(d, c.args.poolId);
        await d.pools.delete(c.args.poolId);
      }),
    ],
    result: (c) => ({ id: c.args.poolId }),
    onRolledBack: async (c) => {
      if (await d.btrfs.mountedAt(d.paths.poolMount(c.args.poolId)))
        await d.pools.update(c.args.poolId, { state: 'ready' });
    },
  });
