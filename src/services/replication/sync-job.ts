// The sending side of a replication session, as a cancellable job:
// 1. take a read-only snapshot of the source volume (through the snapshot service; undo: delete it)
// 2. ask the partner which snapshots it has, pick the newest common one as the incremental base,
//    stream `btrfs send [-p base]` over HTTPS into the partner's receive endpoint
// 3. hold the new snapshot as the next base, release (and drop) the previous one, close the session
import { defineJob, step, type StepContext } from '../../jobs/define.js';
import { exclusive, shared } from '../../domain/job.js';
import { CairnError } from '../../domain/errors.js';
import { nowIso } from '../../domain/ids.js';
import { clientFor, type ProtectionDeps } from './deps.js';
import { snapshotsOf } from './snapshots-of.js';
import { recordSyncEnd } from './sync-events.js';
import type { SyncArgs } from './sync-args.js';
import { systemPrincipal } from '../../domain/permissions.js';

/** Who this module's calls to other services act as (named in the job list and audit trail). */
const ACTING_AS = systemPrincipal('system:replication');

export type { SyncArgs } from './sync-args.js';

export const holder = (relationshipId: string) => `relationship:${relationshipId}`;
export const REPL_PREFIX = 'repl';

const replName = (at: Date) =>
  `${REPL_PREFIX}-${at
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.(\d+)Z$/, '$1Z')}`;

async function remember<T>(ctx: StepContext<SyncArgs>, f: () => Promise<T>): Promise<T> {
  try {
    return await f();
  } catch (e) {
    ctx.data.error = e instanceof Error ? e.message : String(e);
    await ctx.save();
    throw e;
  }
}

export const replicationSync = (d: ProtectionDeps) =>
  defineJob<SyncArgs>({
    kind: 'replication.sync',
    title: (a) => `replicate volume ${a.volumeId} (relationship ${a.relationshipId})`,
    locks: (a) => [exclusive(`relationship:${a.relationshipId}`), shared(`volume:${a.volumeId}`)],
    object: (a) => ({ type: 'relationship', id: a.relationshipId }),
    queueLimit: 100,
    cancellable: true,
    onInterrupt: 'rollback',
    steps: [
      step(
        'snapshot',
        async (ctx) =>
          remember(ctx, async () => {
            const a = ctx.args;
            if (a.snapshotId) ctx.data.snapshotId = a.snapshotId;
            if (!ctx.data.snapshotId) {
              const r = await d.snapshotService.create(ACTING_AS, a.volumeId, {
                name: replName(new Date()),
              });
              ctx.data.snapshotId = r.id;
              await ctx.save();
              const job = await d.engine.wait(r.job.id, 600_000);
              if (job.state !== 'succeeded')
                throw new CairnError('JOB_FAILED', { id: job.id, reason: job.error?.message ?? job.state });
            }
            const s = await d.snapshots.get(String(ctx.data.snapshotId));
            await d.store.updateSession(a.sessionId, { snapshotId: s.id, snapshotName: s.name });
            await d.store.updateRelationship(a.relationshipId, { lastAttemptSnapshotId: s.id });
          }),
        async (ctx) => {
          const id = ctx.data.snapshotId as string | undefined;
          // A snapshot chosen by the caller was not made by this job: it stays.
          if (!id || id === ctx.args.snapshotId) return;
          const s = await d.snapshots.find(id);
          if (!s || s.holds.length) return;
          const job = await d.snapshotService.delete(ACTING_AS, id);
          await d.engine.wait(job.id, 600_000);
        },
      ),
      step('send', async (ctx) =>
        remember(ctx, async () => {
          const a = ctx.args;
          const rel = await d.store.getRelationship(a.relationshipId);
          const vol = await d.volumes.get(a.volumeId);
          const snap = await d.snapshots.get(String(ctx.data.snapshotId));
          const client = await clientFor(d, a.partnerId);
          // Candidates for the base: this volume's snapshots, newest first (the last sent one first).
          const mine = (await snapshotsOf(d.snapshots, a.volumeId, { limit: 200 })).filter(
            // btrfs sends only from a read-only parent: a writable snapshot is never a base.
            (s) => s.id !== snap.id && s.state === 'available' && !s.writable,
          );
          const order = [
            ...(rel.lastSuccessSnapshotId ? [rel.lastSuccessSnapshotId] : []),
            ...mine.map((s) => s.id),
          ].filter((id, i, all) => all.indexOf(id) === i && mine.some((s) => s.id === id));
          const probe = await client.json<{ have: string[]; state: string | null }>(
            'POST',
            '/api/v1/replication/probe',
            { relationship: rel.id, pool: rel.remotePoolId, candidates: order },
            ctx.signal,
          );
          if (probe.state && probe.state !== 'active')
            throw new CairnError('RELATIONSHIP_PROMOTED', { id: rel.id });
          const base = mine.find((s) => probe.have.includes(s.id)) ?? null;
          ctx.log.write(
            'info',
            base ? `incremental from snapshot ${base.id}` : 'full stream (no common snapshot)',
          );
          const started = Date.now();
          await d.store.updateSession(a.sessionId, {
            status: 'ACTIVE',
            startedAt: nowIso(),
            parentSnapshotId: base?.id ?? null,
          });
          // An upper bound (sizes are refreshed in the background): progress never overshoots.
          const estimate = Math.max(1, vol.referenced, snap.referenced);
          const send = d.sendrecv.send(
            d.paths.snapshot(a.poolId, snap.id),
            base ? d.paths.snapshot(a.poolId, base.id) : null,
            { log: ctx.log, signal: ctx.signal },
          );
          send.done.catch(() => undefined);
          let lastWrite = 0;
          const q = new URLSearchParams({
            relationship: rel.id,
            pool: String(rel.remotePoolId),
            snapshot: snap.id,
            snapshot_name: a.remoteSnapshotName ?? snap.name,
            ...(base ? { parent: base.id } : {}),
            source_volume: vol.id,
            volume_name: rel.remoteVolumeName ?? vol.name,
            volume_type: vol.type,
            volume_size: String(vol.size),
            ...(vol.blockSize ? { block_size: String(vol.blockSize) } : {}),
            retention: JSON.stringify(rel.replicaRetention),
          });
          try {
            const answer = await client.upload<{ volume: string; snapshot: string }>(
              `/api/v1/replication/receive?${q.toString()}`,
              send.stdout,
              {
                signal: ctx.signal,
                stallMs: d.stallMs,
                beforeEnd: () => send.done,
                onBytes: (n) => {
                  const now = Date.now();
                  if (now - lastWrite < 500) return;
                  lastWrite = now;
                  const progress = Math.min(0.99, n / estimate);
                  ctx.progress(progress);
                  void d.store
                    .updateSession(a.sessionId, {
                      bytesSent: n,
                      progress,
                      rate: Math.round(n / Math.max(0.001, (now - started) / 1000)),
                    })
                    .catch(() => undefined);
                },
              },
            );
            const seconds = Math.max(0.001, (Date.now() - started) / 1000);
            ctx.data.bytes = answer.bytes;
            ctx.data.rate = Math.round(answer.bytes / seconds);
            ctx.data.remoteVolume = answer.volume;
            ctx.data.base = base?.id ?? null;
            await ctx.save();
          } catch (e) {
            send.kill();
            await send.done.catch(() => undefined);
            if (ctx.signal.aborted) throw new CairnError('JOB_CANCELLED', { id: ctx.jobId });
            throw e;
          }
        }),
      ),
      step('record', async (ctx) => {
        const a = ctx.args;
        const rel = await d.store.getRelationship(a.relationshipId);
        const snapId = String(ctx.data.snapshotId);
        await d.snapshotService.hold(snapId, holder(rel.id));
        await d.store.updateRelationship(rel.id, {
          lastSyncStatus: 'COMPLETED',
          lastSuccessSnapshotId: snapId,
          lastSuccessAt: nowIso(),
          remoteVolumeId: (ctx.data.remoteVolume as string | undefined) ?? rel.remoteVolumeId,
        });
        await d.store.updateSession(a.sessionId, {
          status: 'COMPLETED',
          bytesSent: Number(ctx.data.bytes ?? 0),
          rate: Number(ctx.data.rate ?? 0),
          progress: 1,
          remoteSnapshotId: snapId,
          endedAt: nowIso(),
        });
        // The relationship holds exactly its current base. Releasing every other hold of it (not
        // only the previous base's) also heals one left by a crash after the relationship moved on.
        const stale = (await snapshotsOf(d.snapshots, a.volumeId, { limit: 200 })).filter(
          (s) => s.id !== snapId && s.holds.includes(holder(rel.id)),
        );
        for (const o of stale) {
          await d.snapshotService.release(o.id, holder(rel.id));
          // A snapshot replication took only for itself is dropped once a newer base exists.
          if (o.name.startsWith(`${REPL_PREFIX}-`) && !o.holds.some((h) => h !== holder(rel.id)))
            await d.snapshotService.delete(ACTING_AS, o.id).catch((e: unknown) => {
              ctx.log.write(
                'warn',
                `previous base ${o.id} kept: ${e instanceof Error ? e.message : String(e)}`,
              );
            });
        }
        // The session's end, for the event log and the replication alert (issue 8).
        await recordSyncEnd(d, a, {
          ok: true,
          bytes: Number(ctx.data.bytes ?? 0),
          snapshotId: snapId,
        });
      }),
    ],
    result: (ctx) => ({
      session: ctx.args.sessionId,
      snapshot: ctx.data.snapshotId,
      bytes: ctx.data.bytes ?? 0,
    }),
    onRolledBack: async (ctx, reason) => {
      // Interrupted after the record step had written the session's success (a crash before the
      // job's own end): the transfer is whole and recorded, so it stays a success.
      if ((await d.store.findSession(ctx.args.sessionId))?.status === 'COMPLETED') return;
      const cancelled = reason === 'cancelled';
      await d.store.updateSession(ctx.args.sessionId, {
        status: cancelled ? 'CANCELLED' : 'FAILED',
        message: cancelled ? 'cancelled on request' : String(ctx.data.error ?? 'interrupted'),
        endedAt: nowIso(),
      });
      await d.store
        .updateRelationship(ctx.args.relationshipId, { lastSyncStatus: cancelled ? 'CANCELLED' : 'FAILED' })
        .catch(() => undefined);
      // A failed session's end, for the event log and the replication alert (issue 8); a cancel is not.
      if (!cancelled)
        await recordSyncEnd(d, ctx.args, {
          ok: false,
          error: String(ctx.data.error ?? 'interrupted'),
        });
    },
  });
