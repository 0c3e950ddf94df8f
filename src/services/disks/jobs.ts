// Disk jobs: make a virtual disk (sparse file + loop device), delete one, rescan block devices.
/**
 * disk.create: 1. create the sparse file (undo: remove it)  2. attach a loop device (undo: detach
 * every loop on that file)  3. mark the disk unused and record disk.added. A crash rolls back.
 * disk.delete: 1. detach its loop devices  2. remove the file  3. forget the row. A crash resumes.
 * disk.rescan: read lsblk and each disk's signatures (wipefs --no-act), upsert whole physical disks,
 * mark vanished ones missing, and set every disk in no pool (virtual ones too) `unused` or `in_use`
 * by what is on it (src/domain/disks.ts).
 */
import { defineJob, step } from '../../jobs/define.js';
import { exclusive } from '../../domain/job.js';
import { newId } from '../../domain/ids.js';
import type { StorageDeps } from '../pools/deps.js';
import {
  diskInUseReason,
  isCandidateDisk,
  unassignedDiskState,
  UNASSIGNED_DISK_STATES,
} from '../../domain/disks.js';
import type { BlockDevice } from '../../system/lsblk/index.js';

export interface DiskCreateArgs {
  diskId: string;
  sizeBytes: number;
}

export const diskCreateJob = (d: StorageDeps) =>
  defineJob<DiskCreateArgs>({
    kind: 'disk.create',
    title: (a) => `create virtual disk ${a.diskId} (${a.sizeBytes} bytes)`,
    locks: (a) => [exclusive(`disk:${a.diskId}`)],
    object: (a) => ({ type: 'disk', id: a.diskId }),
    cancellable: false,
    onInterrupt: 'rollback',
    steps: [
      step(
        'file',
        async (c) => {
          await d.loop.createSparse(d.paths.diskFile(c.args.diskId), c.args.sizeBytes);
          c.log.write('info', `sparse file ${d.paths.diskFile(c.args.diskId)}`);
        },
        async (c) => d.loop.removeFile(d.paths.diskFile(c.args.diskId)),
      ),
      step(
        'attach',
        async (c) => {
          const dev = await d.loop.attach(d.paths.diskFile(c.args.diskId), c.log);
          await d.disks.update(c.args.diskId, { path: dev });
        },
        async (c) => d.loop.detachFile(d.paths.diskFile(c.args.diskId), c.log),
      ),
      step('record', async (c) => {
        const disk = await d.disks.get(c.args.diskId);
        await d.disks.update(c.args.diskId, { state: 'unused' });
        await d.events.record({
          type: 'disk.added',
          severity: 'info',
          objectType: 'disk',
          objectId: disk.id,
          message: `virtual disk ${disk.name} (${disk.sizeBytes} bytes) attached at ${disk.path}`,
          details: { path: disk.path, size: disk.sizeBytes, kind: 'virtual' },
        });
      }),
    ],
    result: (c) => ({ id: c.args.diskId }),
    onRolledBack: async (c) => d.disks.delete(c.args.diskId),
  });

export const diskDeleteJob = (d: StorageDeps) =>
  defineJob<{ diskId: string }>({
    kind: 'disk.delete',
    title: (a) => `delete virtual disk ${a.diskId}`,
    locks: (a) => [exclusive(`disk:${a.diskId}`)],
    object: (a) => ({ type: 'disk', id: a.diskId }),
    cancellable: false,
    onInterrupt: 'resume',
    steps: [
      step('detach', async (c) => d.loop.detachFile(d.paths.diskFile(c.args.diskId), c.log)),
      step('remove', async (c) => d.loop.removeFile(d.paths.diskFile(c.args.diskId))),
      step('forget', async (c) => d.disks.delete(c.args.diskId)),
    ],
    result: (c) => ({ id: c.args.diskId }),
    onRolledBack: async (c) => {
      if (await d.disks.find(c.args.diskId)) await d.disks.update(c.args.diskId, { state: 'unused' });
    },
  });

export const diskRescanJob = (d: StorageDeps) =>
  defineJob<Record<string, never>>({
    kind: 'disk.rescan',
    title: () => 'rescan block devices',
    locks: () => [exclusive('disks:rescan')],
    cancellable: false,
    onInterrupt: 'resume',
    steps: [
      step('scan', async (c) => {
        const devices = await d.lsblk.list();
        const found = devices.filter(isCandidateDisk);
        const known = await d.disks.physical();
        const seen = new Set<string>();
        const inUseOf = async (b: BlockDevice) => diskInUseReason(b, await d.wipefs.probe(b.path, c.log));
        for (const b of found) {
          const match = known.find(
            (k) => (b.wwn && k.wwn === b.wwn) || (b.serial && k.serial === b.serial) || k.path === b.path,
          );
          // A pool's disk is in use by the pool (its btrfs signature and mount are Cairn's own).
          const inUse = match?.poolId ? null : await inUseOf(b);
          const patch = {
            path: b.path,
            sizeBytes: b.sizeBytes,
            model: b.model,
            vendor: b.vendor,
            serial: b.serial,
            wwn: b.wwn,
            rotational: b.rotational,
            inUse,
          };
          if (match) {
            seen.add(match.id);
            await d.disks.update(match.id, {
              ...patch,
              ...(match.state === 'missing' && match.poolId ? { state: 'in_pool' } : {}),
            });
            // A disk in no pool is unused or in use by what is on it now. Guarded by its state, so
            // a pool that claimed it meanwhile keeps it.
            if (!match.poolId)
              await d.disks.transition(match.id, [...UNASSIGNED_DISK_STATES, 'missing'], {
                state: unassignedDiskState(inUse),
              });
          } else {
            const id = newId();
            await d.disks.insert({
              id,
              name: b.name,
              kind: 'physical',
              file: null,
              state: unassignedDiskState(inUse),
              poolId: null,
              devid: null,
              ...patch,
            });
            c.log.write('info', `found ${b.path} (${b.sizeBytes} bytes${inUse ? `, ${inUse}` : ''})`);
          }
        }
        // Cairn's own loop devices in no pool: someone may have put a filesystem on one since.
        for (const v of await d.disks.virtual()) {
          if (!v.path || v.poolId || !UNASSIGNED_DISK_STATES.includes(v.state)) continue;
          const b = devices.find((x) => x.path === v.path);
          if (!b) continue;
          const inUse = await inUseOf(b);
          await d.disks.transition(v.id, [...UNASSIGNED_DISK_STATES], {
            state: unassignedDiskState(inUse),
            inUse,
          });
        }
        for (const k of known)
          if (!seen.has(k.id) && k.state !== 'missing') {
            await d.disks.update(k.id, { state: 'missing' });
            await d.events.record({
              type: 'disk.missing',
              severity: k.poolId ? 'error' : 'warning',
              objectType: 'disk',
              objectId: k.id,
              message: `disk ${k.name} (${k.path}) is gone`,
              details: { path: k.path, pool_id: k.poolId },
            });
          }
      }),
    ],
  });
