// Maintenance jobs on a pool: scrub, dedup, and changing mount-level settings.
/**
 * pool.scrub: 1. btrfs scrub -B -d -R with progress from scrub status; the exit code says nothing
 * about errors, so the raw counters are parsed, stored as the pool's last scrub, and errors are
 * recorded as a scrub.errors event. Cancel runs `btrfs scrub cancel`.
 * pool.dedup: 1. duperemove over the pool, measuring btrfs Data used before and after.
 * pool.update: 1. remount with the new compression / sync options (undo: the old ones)  2. record.
 */
import { join } from 'node:path';
import { defineJob, step } from '../../jobs/define.js';
import { makeDir, removeTree } from '../../system/files.js';
import { exclusive, shared } from '../../domain/job.js';
import { nowIso } from '../../domain/ids.js';
import type { Compression, SyncPolicy } from '../../domain/storage.js';
import type { ScrubResult } from '../../store/pools.js';
import type { StorageDeps } from './deps.js';
import { withProgress } from './jobs-devices.js';
import { remountOptions } from '../../domain/storage.js';

export const poolScrubJob = (d: StorageDeps) =>
  defineJob<{ poolId: string }>({
    kind: 'pool.scrub',
    title: (a) => `scrub pool ${a.poolId}`,
    // Volumes may keep working (shared); one maintenance run per pool at a time.
    locks: (a) => [shared(`pool:${a.poolId}`), exclusive(`pool-maint:${a.poolId}`)],
    object: (a) => ({ type: 'pool', id: a.poolId }),
    queueLimit: 100,
    cancellable: true,
    onInterrupt: 'rollback',
    steps: [
      step(
        'scrub',
        async (c) => {
          const mnt = d.paths.poolMount(c.args.poolId);
          const startedAt = nowIso();
          const t0 = Date.now();
          const u = await d.btrfs.usage(mnt);
          const total = Math.max(1, u.used);
          const onAbort = () => void d.btrfs.scrubCancel(mnt, { log: c.log });
          c.signal.addEventListener('abort', onAbort);
          let report;
          try {
            let out: Awaited<ReturnType<typeof d.btrfs.scrub>> | undefined;
            await withProgress(
              c,
              d.btrfs.scrub(mnt, { log: c.log }).then((r) => void (out = r)),
              async () => {
                const s = await d.btrfs.scrubStatus(mnt);
                return Math.min(0.99, (s.dataBytesScrubbed + s.treeBytesScrubbed) / total);
              },
            );
            report = out!;
          } finally {
            c.signal.removeEventListener('abort', onAbort);
          }
          if (c.signal.aborted) return;
          const result: ScrubResult = {
            state: report.status === 'aborted' ? 'cancelled' : 'finished',
            started_at: startedAt,
            finished_at: nowIso(),
            bytes_scrubbed: report.dataBytesScrubbed + report.treeBytesScrubbed,
            csum_errors: report.csumErrors,
            read_errors: report.readErrors,
            corrected_errors: report.correctedErrors,
            uncorrectable_errors: report.uncorrectableErrors,
            duration_seconds: Math.round((Date.now() - t0) / 100) / 10,
            job_id: c.jobId,
          };
          c.data.result = result;
          await d.pools.update(c.args.poolId, { lastScrub: result });
          const errors = report.csumErrors + report.readErrors + report.verifyErrors + report.superErrors;
          if (errors > 0 || report.uncorrectableErrors > 0)
            await d.events.record({
              type: 'scrub.errors',
              severity: report.uncorrectableErrors > 0 ? 'critical' : 'warning',
              objectType: 'pool',
              objectId: c.args.poolId,
              message: `scrub found ${errors} error(s): ${report.correctedErrors} corrected, ${report.uncorrectableErrors} uncorrectable`,
              details: { ...result, devices: report.devices },
            });
        },
        async (c) => {
          await d.btrfs.scrubCancel(d.paths.poolMount(c.args.poolId), { log: c.log });
          const prev = await d.pools.find(c.args.poolId);
          if (prev)
            await d.pools.update(c.args.poolId, {
              lastScrub: {
                state: 'cancelled',
                started_at: prev.lastScrub?.started_at ?? nowIso(),
                finished_at: nowIso(),
                bytes_scrubbed: 0,
                csum_errors: 0,
                read_errors: 0,
                corrected_errors: 0,
                uncorrectable_errors: 0,
                duration_seconds: 0,
                job_id: c.jobId,
              },
            });
        },
      ),
    ],
    result: (c) => c.data.result ?? null,
  });

export const poolDedupJob = (d: StorageDeps) =>
  defineJob<{ poolId: string }>({
    kind: 'pool.dedup',
    title: (a) => `deduplicate pool ${a.poolId}`,
    locks: (a) => [shared(`pool:${a.poolId}`), exclusive(`pool-maint:${a.poolId}`)],
    object: (a) => ({ type: 'pool', id: a.poolId }),
    cancellable: true,
    onInterrupt: 'rollback',
    steps: [
      step('dedup', async (c) => {
        const mnt = d.paths.poolMount(c.args.poolId);
        const tmp = d.paths.jobTmp(c.jobId);
        await makeDir(tmp, 0o700);
        try {
          const dataUsed = async () => {
            await d.btrfs.sync(mnt, { log: c.log });
            return (await d.btrfs.df(mnt)).filter((e) => e.type === 'Data').reduce((a, e) => a + e.used, 0);
          };
          const before = await dataUsed();
          c.progress(0.05);
          const sharedChange = await d.duperemove.run(mnt, join(tmp, 'dedup.hash'), {
            log: c.log,
            signal: c.signal,
          });
          c.progress(0.95);
          const after = await dataUsed();
          const saved = Math.max(0, before - after);
          c.log.write(
            'info',
            `Data used ${before} → ${after}: ${saved} bytes freed (duperemove's shared-extent change: ${sharedChange})`,
          );
          const pool = await d.pools.get(c.args.poolId);
          await d.pools.update(c.args.poolId, { dedupSavedBytes: pool.dedupSavedBytes + saved });
          c.data.result = { bytes_saved: saved, data_used_before: before, data_used_after: after };
        } finally {
          await removeTree(tmp);
        }
      }),
    ],
    result: (c) => c.data.result ?? null,
  });

export interface PoolUpdateArgs {
  poolId: string;
  name?: string;
  compression?: Compression;
  compressionLevel?: number | null;
  sync?: SyncPolicy;
  /** The dedup schedule (a setting only: nothing to remount). */
  dedupSchedule?: string | null;
  /** Previous settings, to undo a remount. */
  before: { compression: Compression; compressionLevel: number | null; sync: SyncPolicy };
}

export const poolUpdateJob = (d: StorageDeps) =>
  defineJob<PoolUpdateArgs>({
    kind: 'pool.update',
    title: (a) => `change settings of pool ${a.poolId}`,
    locks: (a) => [exclusive(`pool:${a.poolId}`)],
    object: (a) => ({ type: 'pool', id: a.poolId }),
    cancellable: false,
    onInterrupt: 'rollback',
    steps: [
      step(
        'remount',
        async (c) => {
          if (
            c.args.compression === undefined &&
            c.args.sync === undefined &&
            c.args.compressionLevel === undefined
          )
            return;
          const pool = await d.pools.get(c.args.poolId);
          const next = {
            ...pool,
            compression: c.args.compression ?? pool.compression,
            compressionLevel:
              c.args.compressionLevel !== undefined ? c.args.compressionLevel : pool.compressionLevel,
            sync: c.args.sync ?? pool.sync,
          };
          await d.btrfs.remount(d.paths.poolMount(c.args.poolId), remountOptions(next), { log: c.log });
        },
        async (c) => {
          const pool = await d.pools.get(c.args.poolId);
          await d.btrfs
            .remount(d.paths.poolMount(c.args.poolId), remountOptions({ ...pool, ...c.args.before }), {
              log: c.log,
            })
            .catch(() => undefined);
        },
      ),
      step('record', async (c) =>
        d.pools.update(c.args.poolId, {
          ...(c.args.name !== undefined ? { name: c.args.name } : {}),
          ...(c.args.compression !== undefined ? { compression: c.args.compression } : {}),
          ...(c.args.compressionLevel !== undefined ? { compressionLevel: c.args.compressionLevel } : {}),
          ...(c.args.sync !== undefined ? { sync: c.args.sync } : {}),
          ...(c.args.dedupSchedule !== undefined
            ? { dedupSchedule: c.args.dedupSchedule, dedupLastRunAt: null }
            : {}),
        }),
      ),
    ],
    result: (c) => ({ id: c.args.poolId }),
  });
