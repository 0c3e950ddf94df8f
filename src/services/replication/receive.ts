// The receiving side of replication (the partner-facing API): which snapshots it already has, and
// one btrfs receive per session. btrfs receive names the subvolume after the sent snapshot, whose
// id both systems share, so it lands at its final path (a read-only received subvolume cannot be
// moved). Only a whole stream is recorded; anything else is deleted at once (or, after a crash, at
// start-up from the open session row), so no partial subvolume remains.
import { dirname } from 'node:path';
import { CairnError } from '../../domain/errors.js';
import { newId, nowIso } from '../../domain/ids.js';
import { principalName, systemPrincipal, type Principal } from '../../domain/permissions.js';
import { applyRetention, type RetentionPolicy } from '../../domain/protection.js';
import type { VolumeType } from '../../domain/volumes.js';
import { nullLog } from '../../domain/job-log.js';
import type { RelationshipRecord } from '../../store/replication.js';
import { assertInScope } from '../volumes/service.js';
import type { ProtectionDeps } from './deps.js';
import { BYTES_TRAILER } from '../../system/partner/index.js';
import { snapshotsOf } from './snapshots-of.js';
import { watchStall } from './stall-watch.js';
import { insertReplicaVolume, prepareReplica, type ReplicaAnswer, type ReplicaInput } from './replica.js';

/** Who this module's calls to other services act as (named in the job list and audit trail). */
const ACTING_AS = systemPrincipal('system:replication');

export interface ReceiveParams {
  relationship: string;
  pool: string;
  snapshot: string;
  snapshot_name: string;
  parent?: string;
  source_volume: string;
  volume_name: string;
  volume_type: VolumeType;
  volume_size: number;
  block_size?: number;
  retention?: string;
}

/** The request body as the receive endpoint sees it: a byte stream that knows whether it ended whole. */
export interface IncomingStream extends NodeJS.ReadableStream {
  complete?: boolean;
  trailers?: Record<string, string | undefined>;
  /** The connection (an HTTP request body has one): cut when the sender stalls. */
  socket?: { destroy(): void } | null;
}

/** How long a receive waits for the previous one of its relationship to finish cleaning up. */
const PREVIOUS_RECEIVE_WAIT_MS = 60_000;

export class ReceiveService {
  /** Relationship id → the receive running for it, settled when that receive has cleaned up. */
  private readonly busy = new Map<string, Promise<void>>();

  constructor(private readonly d: ProtectionDeps) {}

  /**
   * The sender runs one session of a relationship at a time, so a receive still running here when
   * the next arrives is the previous one winding down (its stream was cut or cancelled, it is deleting
   * what it had, possibly before it even saw the cut). The next waits for it rather than fail.
   */
  private async previousSettled(relationship: string): Promise<void> {
    const previous = this.busy.get(relationship);
    if (previous) {
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([
        previous,
        new Promise<void>((r) => (timer = setTimeout(r, PREVIOUS_RECEIVE_WAIT_MS))),
      ]).finally(() => clearTimeout(timer));
    }
    this.assertIdle(relationship);
  }

  private assertIdle(relationship: string): void {
    if (this.busy.has(relationship))
      throw new CairnError('SESSION_RUNNING', { id: relationship, sessionId: '(receive)', status: 'ACTIVE' });
  }

  /** The replica side of a relationship the source is making (see replica.ts). */
  prepare(p: Principal, input: ReplicaInput): Promise<ReplicaAnswer> {
    return prepareReplica(this.d, p, input);
  }

  /** Which of `candidates` (snapshot ids) this system has, available, in `pool`. */
  async probe(
    p: Principal,
    input: { relationship: string; pool: string; candidates: string[] },
  ): Promise<{ have: string[]; state: string | null; volume: string | null }> {
    assertInScope(p, input.pool);
    const rel = await this.d.store.findRelationship(input.relationship);
    if (rel && rel.role !== 'replica')
      throw new CairnError('RELATIONSHIP_WRONG_ROLE', {
        id: rel.id,
        role: rel.role,
        action: 'receiving',
        needed: 'replica',
      });
    const have: string[] = [];
    for (const id of input.candidates.slice(0, 1000)) {
      const s = await this.d.snapshots.find(id);
      if (s && s.poolId === input.pool && s.state === 'available') have.push(id);
    }
    return { have, state: rel?.state ?? null, volume: rel?.volumeId ?? null };
  }

  async receive(p: Principal, q: ReceiveParams, body: IncomingStream) {
    assertInScope(p, q.pool);
    await this.previousSettled(q.relationship);
    const retention = q.retention ? (JSON.parse(q.retention) as RetentionPolicy) : {};
    const pool = await this.d.pools().mounted(q.pool, p);
    const rel = await this.d.store.findRelationship(q.relationship);
    if (rel && rel.role !== 'replica')
      throw new CairnError('RELATIONSHIP_WRONG_ROLE', {
        id: rel.id,
        role: rel.role,
        action: 'receiving',
        needed: 'replica',
      });
    if (rel && rel.state !== 'active') throw new CairnError('RELATIONSHIP_PROMOTED', { id: rel.id });
    if (rel && rel.poolId !== q.pool)
      throw new CairnError('VALIDATION_FAILED', {
        summary: `pool: relationship ${rel.id} receives into pool ${rel.poolId}`,
        problems: [{ field: 'pool', code: 'MISMATCH', message: `relationship receives into ${rel.poolId}` }],
      });
    if (await this.d.snapshots.find(q.snapshot))
      throw new CairnError('REPLICA_SNAPSHOT_EXISTS', { id: q.snapshot });
    if (q.parent) {
      const parent = await this.d.snapshots.find(q.parent);
      if (!parent || parent.poolId !== q.pool || parent.state !== 'available')
        throw new CairnError('REPLICATION_PARENT_MISSING', {
          reason: `no snapshot ${q.parent} in pool ${q.pool}`,
        });
    }
    // Checked again with no await before the mark: another receive may have started meanwhile.
    this.assertIdle(q.relationship);
    let release!: () => void;
    this.busy.set(q.relationship, new Promise<void>((r) => (release = r)));
    const sessionId = newId();
    const started = Date.now();
    const target = this.d.paths.snapshot(q.pool, q.snapshot);
    let bytes = 0;
    let stalled = false;
    const abort = new AbortController();
    let stopWatch = () => {};
    try {
      await this.d.store.insertSession({
        id: sessionId,
        relationshipId: q.relationship,
        poolId: q.pool,
        direction: 'receive',
        status: 'ACTIVE',
        snapshotId: q.snapshot,
        snapshotName: q.snapshot_name,
        parentSnapshotId: q.parent ?? null,
        startedAt: nowIso(),
      });
      await this.d.subvols.ensureDir(dirname(target));
      // Left by an earlier receive that died with cairnd before start-up could clean it.
      await this.d.subvols.deleteIfExists([target]);
      // Counted as it passes and piped straight into btrfs receive (no extra stream hop): the 'data'
      // listener starts the flow on the next tick, and receive() pipes the body in this one.
      body.on('data', (c: Buffer) => (bytes += c.length));
      const cut = () => abort.abort();
      // A sender that stops sending without closing (a dead link) must not hold the receive forever.
      stopWatch = watchStall(body, this.d.stallMs, () => {
        stalled = true;
        abort.abort();
        body.socket?.destroy();
      });
      body.on('aborted', cut);
      body.on('error', cut);
      body.on('close', () => {
        if (!body.complete) cut();
      });
      // The connection may have died while this request was still being checked, before any listener.
      const raw = body as IncomingStream & { destroyed?: boolean; aborted?: boolean };
      if ((raw.destroyed || raw.aborted) && !body.complete) cut();
      // btrfs receive -e may exit at the stream's end marker before the body (and its trailer) ends.
      const ended = new Promise<void>((resolve) => {
        body.on('end', () => {
          // The whole body is here: what follows (recording) is not a stall.
          stopWatch();
          resolve();
        });
        body.on('close', () => resolve());
      });
      await this.d.sendrecv.receive(dirname(target), body, { signal: abort.signal, log: nullLog });
      // receive exited at the stream's end marker; the rest of the body (the trailer, maybe padding)
      // is drained through the counting listener. Unpiped here first: the pipe into its stdin is
      // otherwise removed when that stdin's 'close' arrives, which can be after receive() resolved,
      // and removing a readable's last pipe pauses it: a body resumed before that was paused again
      // and never ended, and both sides waited for each other (the sender for the answer).
      body.unpipe();
      body.resume();
      await ended;
      const declared = Number(body.trailers?.[BYTES_TRAILER] ?? NaN);
      if (abort.signal.aborted || body.complete === false || declared !== bytes)
        throw new CairnError('REPLICATION_STREAM_BROKEN', {
          reason: `received ${bytes} bytes, sender declared ${Number.isNaN(declared) ? 'none' : declared}`,
        });
      if (!(await this.d.subvols.isSubvolume(target)))
        throw new CairnError('REPLICATION_STREAM_BROKEN', {
          reason: `the stream did not hold snapshot ${q.snapshot}`,
        });
      const r = await this.record(p, q, rel, retention, pool.id);
      const seconds = Math.max(0.001, (Date.now() - started) / 1000);
      await this.d.store.updateSession(sessionId, {
        status: 'COMPLETED',
        bytesSent: bytes,
        rate: Math.round(bytes / seconds),
        progress: 1,
        remoteSnapshotId: q.snapshot,
        endedAt: nowIso(),
      });
      return {
        session: sessionId,
        snapshot: q.snapshot,
        volume: r.volumeId,
        relationship: q.relationship,
        bytes,
      };
    } catch (e) {
      abort.abort();
      await this.discard(target);
      const msg = stalled
        ? `the stream stalled: no data for ${this.d.stallMs} ms`
        : e instanceof Error
          ? e.message
          : String(e);
      await this.d.store
        .updateSession(sessionId, { status: 'FAILED', bytesSent: bytes, message: msg, endedAt: nowIso() })
        .catch(() => undefined);
      if (e instanceof CairnError && !stalled) throw e;
      throw new CairnError('REPLICATION_STREAM_BROKEN', { reason: msg });
    } finally {
      stopWatch();
      this.busy.delete(q.relationship);
      release();
    }
  }

  /** Records the received snapshot (and, the first time, the replica volume and relationship). */
  private async record(
    p: Principal,
    q: ReceiveParams,
    existing: RelationshipRecord | undefined,
    retention: RetentionPolicy,
    poolId: string,
  ): Promise<{ volumeId: string }> {
    let rel = existing;
    if (!rel) {
      await this.d.store.insertRelationship({
        id: q.relationship,
        role: 'replica',
        state: 'active',
        volumeId: null,
        poolId: poolId,
        partnerId: null,
        peer: principalName(p),
        remotePoolId: null,
        remoteVolumeId: q.source_volume,
        remoteVolumeName: null,
        replicaRetention: retention,
        lastSyncStatus: null,
        lastAttemptSnapshotId: null,
        lastSuccessSnapshotId: null,
        lastSuccessAt: null,
      });
      rel = await this.d.store.getRelationship(q.relationship);
    }
    let volumeId = rel.volumeId;
    if (!volumeId) {
      volumeId = newId();
      await insertReplicaVolume(this.d, volumeId, q, poolId);
      await this.d.store.updateRelationship(rel.id, { volumeId: volumeId });
    }
    await this.d.snapshots.insert({
      id: q.snapshot,
      volumeId: volumeId,
      poolId: poolId,
      name: q.snapshot_name,
      state: 'available',
    });
    // The replica volume shows the newest received data, read-only until it is promoted.
    const volPath = this.d.paths.volume(poolId, volumeId);
    await this.d.subvols.deleteIfExists([volPath]);
    await this.d.subvols.snapshot(this.d.paths.snapshot(poolId, q.snapshot), volPath, { readOnly: true });
    await this.d.store.updateRelationship(rel.id, {
      lastSyncStatus: 'COMPLETED',
      lastAttemptSnapshotId: q.snapshot,
      lastSuccessSnapshotId: q.snapshot,
      lastSuccessAt: nowIso(),
      replicaRetention: retention,
    });
    await this.retain(volumeId, q.snapshot, retention);
    return { volumeId };
  }

  /** The replica's retention: never the newest (the next incremental base), cloned or held ones. */
  private async retain(volumeId: string, newest: string, policy: RetentionPolicy): Promise<void> {
    if (!Object.values(policy).some((v) => (v ?? 0) > 0)) return;
    const snaps = await snapshotsOf(this.d.snapshots, volumeId);
    const decision = applyRetention(
      snaps.map((s) => ({
        id: s.id,
        createdAt: new Date(s.createdAt),
        protected: s.id === newest || s.cloneCount > 0 || s.holds.length > 0,
      })),
      policy,
    );
    for (const id of decision.delete)
      await this.d.snapshotService.delete(ACTING_AS, id).catch((e: unknown) => {
        this.d.logger.warn({ err: e, snapshot: id }, 'replica retention could not delete a snapshot');
      });
  }

  /** Deletes what a failed receive left (the half-received subvolume). */
  private async discard(target: string): Promise<void> {
    try {
      await this.d.subvols.deleteIfExists([target]);
    } catch (e) {
      this.d.logger.error({ err: e, target }, 'could not clean up a failed receive');
    }
  }

  /** At start-up: receives a crash interrupted; their half-received subvolumes are deleted. */
  async cleanInterrupted(): Promise<number> {
    let n = 0;
    for (const s of await this.d.store.unfinishedSessions()) {
      if (s.direction !== 'receive' || !s.poolId || !s.snapshotId) continue;
      if (await this.d.snapshots.find(s.snapshotId)) continue;
      const mounted = await this.d
        .pools()
        .mounted(s.poolId)
        .catch(() => null);
      if (!mounted) continue;
      await this.discard(this.d.paths.snapshot(s.poolId, s.snapshotId));
      n++;
    }
    return n;
  }
}
