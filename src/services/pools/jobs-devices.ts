// Jobs that change a pool's devices or layout: expand, remove a disk, replace a disk, convert.
/**
 * pool.expand: 1. btrfs device add (undo: device remove)  2. optional full balance, with progress
 * 3. record devids. pool.remove-disk: 1. btrfs device remove by devid  2. free and wipe the disk.
 * pool.replace: 1. btrfs replace -B by devid, with progress (undo: replace cancel)  2. grow to the new
 * device's size  3. re-balance chunks written degraded back to the pool's profiles  4. record.
 * pool.convert: 1. balance with convert filters, with progress  2. record the profiles.
 */
import { defineJob, step, type StepContext } from '../../jobs/define.js';
import { exclusive } from '../../domain/job.js';
import { isCairnError } from '../../domain/errors.js';
import type { Profile } from '../../domain/storage.js';
import type { StorageDeps } from './deps.js';

/** Runs `work` while polling `poll` every second for a 0..1 fraction to report as progress. */
export async function withProgress<A>(
  c: StepContext<A>,
  work: Promise<void>,
  poll: () => Promise<number | null>,
): Promise<void> {
  let done = false;
  const ticker = (async () => {
    while (!done) {
      await new Promise((r) => setTimeout(r, 1000));
      if (done) break;
      const f = await poll().catch(() => null);
      if (f !== null) c.progress(f);
    }
  })();
  try {
    await work;
  } finally {
    done = true;
    await ticker;
  }
}

async function recordDevids(d: StorageDeps, poolId: string, diskIds: string[]): Promise<void> {
  const show = await d.btrfs.show(d.paths.poolMount(poolId));
  for (const id of diskIds) {
    const disk = await d.disks.get(id);
    const dev = show?.devices.find((x) => x.path === disk.path);
    await d.disks.update(id, { state: 'in_pool', poolId, devid: dev?.devid ?? null });
  }
}

export const poolExpandJob = (d: StorageDeps) =>
  defineJob<{ poolId: string; diskIds: string[]; balance: boolean }>({
    kind: 'pool.expand',
    title: (a) => `add ${a.diskIds.length} disk(s) to pool ${a.poolId}${a.balance ? ' and balance' : ''}`,
    locks: (a) => [exclusive(`pool:${a.poolId}`), ...a.diskIds.map((x) => exclusive(`disk:${x}`))],
    object: (a) => ({ type: 'pool', id: a.poolId }),
    cancellable: true,
    onInterrupt: 'resume',
    steps: [
      step(
        'add',
        async (c) => {
          const mnt = d.paths.poolMount(c.args.poolId);
          const show = await d.btrfs.show(mnt);
          const devs: string[] = [];
          for (const id of c.args.diskIds) devs.push((await d.disks.get(id)).path!);
          const toAdd = devs.filter((p) => !show?.devices.some((x) => x.path === p));
          if (toAdd.length) await d.btrfs.deviceAdd(toAdd, mnt, { log: c.log });
        },
        async (c) => {
          const mnt = d.paths.poolMount(c.args.poolId);
          const show = await d.btrfs.show(mnt);
          const devs: string[] = [];
          for (const id of c.args.diskIds) {
            const p = (await d.disks.find(id))?.path;
            if (p && show?.devices.some((x) => x.path === p)) devs.push(p);
          }
          if (devs.length) await d.btrfs.deviceRemove(devs, mnt, { log: c.log });
        },
      ),
      step('balance', async (c) => {
        if (!c.args.balance) return;
        const mnt = d.paths.poolMount(c.args.poolId);
        const onAbort = () => void d.btrfs.balanceCancel(mnt, { log: c.log });
        c.signal.addEventListener('abort', onAbort);
        try {
          await withProgress(
            c,
            d.btrfs.balance(mnt, {}, { log: c.log }),
            async () => (await d.btrfs.balanceStatus(mnt)).fractionDone,
          );
        } finally {
          c.signal.removeEventListener('abort', onAbort);
        }
      }),
      step('record', async (c) => recordDevids(d, c.args.poolId, c.args.diskIds)),
    ],
    result: (c) => ({ id: c.args.poolId }),
    onRolledBack: async (c) => {
      for (const id of c.args.diskIds)
        if (await d.disks.find(id)) await d.disks.update(id, { state: 'unused', poolId: null, devid: null });
    },
  });

export const poolRemoveDiskJob = (d: StorageDeps) =>
  defineJob<{ poolId: string; diskId: string; devid: number }>({
    kind: 'pool.remove-disk',
    title: (a) => `remove disk ${a.diskId} from pool ${a.poolId}`,
    locks: (a) => [exclusive(`pool:${a.poolId}`), exclusive(`disk:${a.diskId}`)],
    object: (a) => ({ type: 'pool', id: a.poolId }),
    cancellable: false,
    onInterrupt: 'resume',
    steps: [
      step('remove', async (c) => {
        const mnt = d.paths.poolMount(c.args.poolId);
        const show = await d.btrfs.show(mnt);
        if (show?.devices.some((x) => x.devid === c.args.devid))
          await d.btrfs.deviceRemove([c.args.devid], mnt, { log: c.log });
      }),
      step('release', async (c) => {
        const disk = await d.disks.get(c.args.diskId);
        await d.disks.update(disk.id, { state: 'unused', poolId: null, devid: null });
        if (disk.path) await d.btrfs.wipe([disk.path], { log: c.log }).catch(() => undefined);
      }),
    ],
    result: (c) => ({ id: c.args.poolId }),
  });

export interface PoolReplaceArgs {
  poolId: string;
  /** The disk leaving the pool, and its btrfs devid. */
  diskId: string;
  devid: number;
  withId: string;
  /** What the new disk was before (spare or unused), restored on rollback. */
  withWas: 'spare' | 'unused';
  /** Started by the spare watcher rather than a person. */
  auto: boolean;
  reason: string | null;
}

export const poolReplaceJob = (d: StorageDeps) =>
  defineJob<PoolReplaceArgs>({
    kind: 'pool.replace',
    title: (a) =>
      `replace disk ${a.diskId} of pool ${a.poolId} with ${a.withId}${a.auto ? ' (spare takeover)' : ''}`,
    locks: (a) => [
      exclusive(`pool:${a.poolId}`),
      exclusive(`disk:${a.diskId}`),
      exclusive(`disk:${a.withId}`),
    ],
    object: (a) => ({ type: 'pool', id: a.poolId }),
    cancellable: true,
    onInterrupt: 'resume',
    steps: [
      step(
        'replace',
        async (c) => {
          const mnt = d.paths.poolMount(c.args.poolId);
          const target = (await d.disks.get(c.args.withId)).path!;
          const show = await d.btrfs.show(mnt);
          if (show?.devices.some((x) => x.path === target && x.devid === c.args.devid)) return;
          const status = await d.btrfs.replaceStatus(mnt);
          if (status.state === 'running') {
            await withProgress(
              c,
              (async () => {
                while ((await d.btrfs.replaceStatus(mnt)).state === 'running')
                  await new Promise((r) => setTimeout(r, 1000));
              })(),
              async () => (await d.btrfs.replaceStatus(mnt)).fractionDone,
            );
            return;
          }
          const onAbort = () => void d.btrfs.replaceCancel(mnt, { log: c.log });
          c.signal.addEventListener('abort', onAbort);
          try {
            await withProgress(
              c,
              d.btrfs.replace(c.args.devid, target, mnt, true, { log: c.log }),
              async () => (await d.btrfs.replaceStatus(mnt)).fractionDone,
            );
          } finally {
            c.signal.removeEventListener('abort', onAbort);
          }
        },
        async (c) => d.btrfs.replaceCancel(d.paths.poolMount(c.args.poolId), { log: c.log }),
      ),
      step('resize', async (c) =>
        d.btrfs.resizeMax(c.args.devid, d.paths.poolMount(c.args.poolId), { log: c.log }),
      ),
      step('restore', async (c) => {
        // Chunks written while degraded may be "single"; bring them back to the pool's profiles.
        const mnt = d.paths.poolMount(c.args.poolId);
        const pool = await d.pools.get(c.args.poolId);
        const u = await d.btrfs.usage(mnt);
        if (
          u.multipleProfiles ||
          u.groups.some((g) => g.type !== 'System' && g.profile === 'single' && pool.dataProfile !== 'single')
        )
          await d.btrfs.balance(
            mnt,
            { dataConvert: pool.dataProfile, metadataConvert: pool.metadataProfile, soft: true },
            { log: c.log },
          );
      }),
      step('record', async (c) => {
        const old = await d.disks.get(c.args.diskId);
        await d.disks.update(c.args.withId, { state: 'in_pool', poolId: c.args.poolId, devid: c.args.devid });
        await d.disks.update(old.id, {
          state:
            c.args.auto || old.state === 'missing'
              ? old.state === 'missing'
                ? 'missing'
                : 'failed'
              : 'unused',
          poolId: null,
          devid: null,
        });
        if (c.args.auto) {
          const neu = await d.disks.get(c.args.withId);
          await d.events.record({
            type: 'spare.replaced',
            severity: 'warning',
            objectType: 'pool',
            objectId: c.args.poolId,
            message: `spare ${neu.name} replaced disk ${old.name} (${c.args.reason ?? 'failed'})`,
            details: { old_disk: old.id, new_disk: neu.id, devid: c.args.devid, reason: c.args.reason },
          });
        }
      }),
    ],
    result: (c) => ({ id: c.args.poolId }),
    onRolledBack: async (c) => {
      const neu = await d.disks.find(c.args.withId);
      if (neu)
        await d.disks.update(neu.id, {
          state: c.args.withWas,
          poolId: c.args.withWas === 'spare' ? c.args.poolId : null,
          devid: null,
        });
    },
  });

export const poolConvertJob = (d: StorageDeps) =>
  defineJob<{ poolId: string; data: Profile; metadata: Profile }>({
    kind: 'pool.convert',
    title: (a) => `convert pool ${a.poolId} to ${a.data}/${a.metadata}`,
    locks: (a) => [exclusive(`pool:${a.poolId}`)],
    object: (a) => ({ type: 'pool', id: a.poolId }),
    cancellable: true,
    onInterrupt: 'resume',
    steps: [
      step('balance', async (c) => {
        const mnt = d.paths.poolMount(c.args.poolId);
        const onAbort = () => void d.btrfs.balanceCancel(mnt, { log: c.log });
        c.signal.addEventListener('abort', onAbort);
        try {
          // A convert relocates chunk by chunk; on small pools one pass can hit ENOSPC while old
          // chunks still hold space, and a further pass (soft: only chunks not converted) completes.
          for (let attempt = 1; ; attempt++) {
            try {
              await withProgress(
                c,
                d.btrfs.balance(
                  mnt,
                  { dataConvert: c.args.data, metadataConvert: c.args.metadata, soft: true },
                  { log: c.log },
                ),
                async () => (await d.btrfs.balanceStatus(mnt)).fractionDone,
              );
              break;
            } catch (e) {
              if (attempt >= 3 || !isCairnError(e) || e.code !== 'POOL_NO_SPACE' || c.signal.aborted) throw e;
              c.log.write('warn', `balance pass ${attempt} ran out of space; trying again`);
            }
          }
        } finally {
          c.signal.removeEventListener('abort', onAbort);
        }
      }),
      step('record', async (c) =>
        d.pools.update(c.args.poolId, { dataProfile: c.args.data, metadataProfile: c.args.metadata }),
      ),
    ],
    result: (c) => ({ id: c.args.poolId }),
  });
