// Relationships: a source volume replicating to a pool on a partner (role source here), or the
// replica of one (role replica here). Sync starts a session (a job); promote and reverse are failover.
import { CairnError, type FieldProblem } from '../../domain/errors.js';
import { newId } from '../../domain/ids.js';
import type { Job } from '../../domain/job.js';
import type { ListParams, Page } from '../../domain/list.js';
import { isValidName } from '../../domain/names.js';
import { principalName, type Principal } from '../../domain/permissions.js';
import { retentionProblems } from '../../domain/protection.js';
import type { JobDefinition } from '../../jobs/define.js';
import type { RelationshipRecord } from '../../store/replication.js';
import type { Actor } from '../../jobs/engine.js';
import { assertInScope } from '../volumes/service.js';
import { clientFor, type ProtectionDeps } from './deps.js';
import type { PromoteArgs } from './promote-job.js';
import { holder, type SyncArgs } from './sync-job.js';
import type { ReplicaAnswer, ReplicaInput } from './replica.js';
import { relationshipWire, sessionWire, type RelationshipWire, type SessionWire } from './wire.js';
import type {
  RelationshipCreate,
  RelationshipReverse,
  RelationshipUpdate,
} from '../../domain/replication.js';

/** The partner's refusal of the target pool, as a problem of this request's field. */
function partnerProblem(e: unknown, pool: string): unknown {
  const theirs = e instanceof CairnError && e.code === 'PARTNER_ERROR' ? e.details : null;
  if (theirs && (theirs.code === 'POOL_NOT_FOUND' || theirs.code === 'POOL_NOT_READY'))
    return new CairnError('VALIDATION_FAILED', {
      summary: `target_pool: partner has no ${theirs.code === 'POOL_NOT_FOUND' ? '' : 'ready '}pool ${pool}`,
      problems: [{ field: 'target_pool', code: 'NOT_FOUND', message: 'no such pool on the partner' }],
    });
  if (theirs?.code === 'VALIDATION_FAILED') {
    const remote = theirs.remote as { message?: string } | null;
    return new CairnError('VALIDATION_FAILED', {
      summary: `partner: ${remote?.message ?? String(theirs.reason)}`,
      problems: [{ field: 'reuse', code: 'NOT_REUSABLE', message: String(theirs.reason) }],
    });
  }
  return e;
}

export interface ReplicationJobs {
  sync: JobDefinition<SyncArgs>;
  promote: JobDefinition<PromoteArgs>;
}

export class RelationshipService {
  constructor(
    private readonly d: ProtectionDeps,
    private readonly jobs: ReplicationJobs,
  ) {}

  async create(p: Principal, input: RelationshipCreate): Promise<RelationshipWire> {
    const problems: FieldProblem[] = retentionProblems('replica_retention', input.replica_retention);
    if (input.target_volume_name !== undefined && !isValidName(input.target_volume_name))
      problems.push({
        field: 'target_volume_name',
        code: 'BAD_NAME',
        message: '1-64 letters, digits, . _ -',
      });
    CairnError.assertNoProblems(problems);
    const vol = await this.d.volumes.get(input.volume);
    assertInScope(p, vol.poolId);
    await this.d.store.getPartner(input.partner);
    if (await this.d.store.findSourceFor(vol.id, input.partner, input.target_pool))
      throw new CairnError('RELATIONSHIP_EXISTS', {
        volumeId: vol.id,
        pool: input.target_pool,
        partner: input.partner,
      });
    // The partner makes its side at once (as vSnap does): the replica relationship and volume, so
    // both systems list the relationship and the replica volume is known before any data moves.
    // The target pool must exist there, be reachable with the key, and be in the key's scope.
    const client = await clientFor(this.d, input.partner);
    const id = newId();
    const replica = await client
      .json<ReplicaAnswer>('POST', '/api/v1/replication/relationships', {
        relationship: id,
        pool: input.target_pool,
        source_volume: vol.id,
        volume_name: input.target_volume_name ?? vol.name,
        volume_type: vol.type,
        volume_size: vol.size,
        ...(vol.blockSize ? { block_size: vol.blockSize } : {}),
        retention: input.replica_retention ?? {},
        ...(input.reuse ? { reuse: true } : {}),
      } satisfies ReplicaInput)
      .catch((e: unknown) => {
        throw partnerProblem(e, input.target_pool);
      });
    try {
      await this.d.store.insertRelationship({
        id,
        role: 'source',
        state: 'active',
        volumeId: vol.id,
        poolId: vol.poolId,
        partnerId: input.partner,
        peer: null,
        remotePoolId: input.target_pool,
        remoteVolumeId: replica.volume,
        remoteVolumeName: replica.volume_name,
        replicaRetention: input.replica_retention ?? {},
        lastSyncStatus: null,
        lastAttemptSnapshotId: null,
        lastSuccessSnapshotId: null,
        lastSuccessAt: null,
      });
    } catch (e) {
      // Nothing half-made: the partner's side goes again (a reused volume stays).
      await client
        .json('DELETE', `/api/v1/replication/relationships/${id}?preserve_replica=${replica.reused}`)
        .catch((err: unknown) =>
          this.d.logger.warn({ err, relationship: id }, 'could not undo the replica side on the partner'),
        );
      throw e;
    }
    return this.get(p, id);
  }

  async record(p: Principal | undefined, id: string): Promise<RelationshipRecord> {
    const r = await this.d.store.getRelationship(id);
    assertInScope(p, r.poolId);
    return r;
  }

  async get(p: Principal | undefined, id: string): Promise<RelationshipWire> {
    return relationshipWire(await this.record(p, id));
  }

  list(p: Principal, params: ListParams): Promise<Page<RelationshipWire>> {
    return this.d.store.listRelationships(params, p.pools, relationshipWire);
  }

  async update(p: Principal, id: string, input: RelationshipUpdate): Promise<RelationshipWire> {
    CairnError.assertNoProblems(retentionProblems('replica_retention', input.replica_retention));
    const r = await this.record(p, id);
    // The replica volume exists on the partner from the start: a new name is its new name there.
    if (input.target_volume_name && r.role === 'source' && r.partnerId && r.remoteVolumeId)
      await (
        await clientFor(this.d, r.partnerId)
      ).json('PATCH', `/api/v1/volumes/${encodeURIComponent(r.remoteVolumeId)}?wait=60`, {
        name: input.target_volume_name,
      });
    await this.d.store.updateRelationship(id, {
      ...(input.replica_retention ? { replicaRetention: input.replica_retention } : {}),
      ...(input.target_volume_name ? { remoteVolumeName: input.target_volume_name } : {}),
    });
    return this.get(p, id);
  }

  /**
   * Starts a session now (a replication.sync job); SESSION_RUNNING while one is open. By default it
   * sends a new snapshot; `snapshot` sends an existing one of the volume instead, and
   * `remote_snapshot_name` names the copy on the partner (default: the same name).
   */
  async sync(
    p: Principal,
    id: string,
    opts: { snapshot?: string; remote_snapshot_name?: string } = {},
  ): Promise<{ session: SessionWire; job: Job }> {
    if (opts.remote_snapshot_name !== undefined && !isValidName(opts.remote_snapshot_name))
      CairnError.assertNoProblems([
        { field: 'remote_snapshot_name', code: 'BAD_NAME', message: '1-64 letters, digits, . _ -' },
      ]);
    this.d.maintenance?.assertOff('a replication session');
    const r = await this.record(p, id);
    if (r.role !== 'source')
      throw new CairnError('RELATIONSHIP_WRONG_ROLE', { id, role: r.role, action: 'sync', needed: 'source' });
    if (r.state !== 'active') throw new CairnError('RELATIONSHIP_PROMOTED', { id });
    const open = await this.d.store.openSession(id);
    if (open) throw new CairnError('SESSION_RUNNING', { id, sessionId: open.id, status: open.status });
    const vol = await this.d.volumes.get(r.volumeId!);
    if (vol.state !== 'online') throw new CairnError('VOLUME_NOT_READY', { id: vol.id, state: vol.state });
    let chosen: { id: string; name: string } | null = null;
    if (opts.snapshot !== undefined) {
      const snap = await this.d.snapshots.get(opts.snapshot);
      chosen = snap;
      if (snap.volumeId !== vol.id || snap.state !== 'available')
        throw new CairnError('VALIDATION_FAILED', {
          summary: `snapshot: ${opts.snapshot} is not an available snapshot of volume ${vol.id}`,
          problems: [
            {
              field: 'snapshot',
              code: 'NOT_OF_VOLUME',
              message: 'an available snapshot of the source volume',
            },
          ],
        });
    }
    const sessionId = newId();
    // The session and its job are recorded in one transaction, the session naming its job; the
    // open-session check runs again in it, so two requests cannot both open one.
    const job = await this.d.engine.submit(
      this.jobs.sync,
      {
        sessionId,
        relationshipId: id,
        volumeId: vol.id,
        poolId: vol.poolId,
        partnerId: r.partnerId!,
        ...(opts.snapshot !== undefined ? { snapshotId: opts.snapshot } : {}),
        ...(opts.remote_snapshot_name !== undefined ? { remoteSnapshotName: opts.remote_snapshot_name } : {}),
      },
      { name: principalName(p) },
      {
        within: async (tx, { id: jobId }) => {
          const other = await this.d.store.openSession(id, tx);
          if (other)
            throw new CairnError('SESSION_RUNNING', { id, sessionId: other.id, status: other.status });
          await this.d.store.insertSession(
            {
              id: sessionId,
              relationshipId: id,
              direction: 'send',
              status: 'PENDING',
              jobId: jobId,
              // A chosen snapshot is known at once (a new one only once the job has taken it).
              ...(chosen ? { snapshotId: chosen.id, snapshotName: chosen.name } : {}),
            },
            tx,
          );
        },
      },
    );
    return { session: sessionWire(await this.d.store.getSession(sessionId)), job };
  }

  /** Failover: the replica becomes a writable volume (replica side only). */
  async promote(p: Principal, id: string): Promise<Job> {
    const r = await this.record(p, id);
    if (r.role !== 'replica')
      throw new CairnError('RELATIONSHIP_WRONG_ROLE', {
        id,
        role: r.role,
        action: 'promote',
        needed: 'replica',
      });
    if (r.state !== 'active') throw new CairnError('RELATIONSHIP_PROMOTED', { id });
    if (!r.volumeId || !r.lastSuccessSnapshotId)
      throw new CairnError('RELATIONSHIP_NOTHING_RECEIVED', { id });
    const vol = await this.d.volumes.get(r.volumeId);
    return this.d.engine.submit(
      this.jobs.promote,
      {
        relationshipId: id,
        volumeId: vol.id,
        poolId: r.poolId,
        snapshotId: r.lastSuccessSnapshotId,
        type: vol.type,
        size: vol.size,
      },
      { name: principalName(p) },
    );
  }

  /**
   * After failover: the promoted volume replicates back to the original system (a new source
   * relationship here), incrementally from the newest snapshot both sides still have.
   */
  async reverse(
    p: Principal,
    id: string,
    input: RelationshipReverse,
  ): Promise<{ relationship: RelationshipWire; session: SessionWire; job: Job }> {
    const r = await this.record(p, id);
    if (r.role !== 'replica')
      throw new CairnError('RELATIONSHIP_WRONG_ROLE', {
        id,
        role: r.role,
        action: 'reverse',
        needed: 'replica',
      });
    if (r.state !== 'promoted') throw new CairnError('RELATIONSHIP_NOT_PROMOTED', { id, state: r.state });
    const created = await this.create(p, {
      volume: r.volumeId!,
      partner: input.partner,
      target_pool: input.target_pool,
      ...(input.target_volume_name ? { target_volume_name: input.target_volume_name } : {}),
      replica_retention: r.replicaRetention,
    });
    await this.d.store.updateRelationship(id, { state: 'reversed' });
    const s = await this.sync(p, created.id);
    return { relationship: await this.get(p, created.id), ...s };
  }

  /** Deletes the relationship here and (source side) asks the partner to drop its replica too. */
  async delete(p: Principal, id: string, preserveReplica: boolean): Promise<void> {
    const r = await this.record(p, id);
    const open = await this.d.store.openSession(id);
    if (open) throw new CairnError('SESSION_RUNNING', { id, sessionId: open.id, status: open.status });
    if (r.role === 'source' && r.partnerId) {
      const client = await clientFor(this.d, r.partnerId);
      await client
        .json('DELETE', `/api/v1/replication/relationships/${id}?preserve_replica=${preserveReplica}`)
        .catch((e: unknown) => {
          // A partner that is gone (or never received anything) must not pin the relationship here.
          if (e instanceof CairnError && (e.code === 'PARTNER_UNREACHABLE' || e.details.status === 404))
            return;
          throw e;
        });
    }
    await this.forget(r);
    if (r.role === 'replica' && !preserveReplica && r.volumeId && r.state === 'active')
      await this.d.volumeService.delete(p, r.volumeId, true).catch((e: unknown) => {
        this.d.logger.warn({ err: e, volume: r.volumeId }, 'could not delete the replica volume');
      });
  }

  /** The partner-facing delete (replica side). */
  async deleteReplica(p: Principal, id: string, preserveReplica: boolean): Promise<void> {
    const r = await this.record(p, id);
    if (r.role !== 'replica')
      throw new CairnError('RELATIONSHIP_WRONG_ROLE', {
        id,
        role: r.role,
        action: 'delete',
        needed: 'replica',
      });
    await this.delete(p, id, preserveReplica);
  }

  /** Drops the row, its holds and schedules (sessions stay as history). */
  private async forget(r: RelationshipRecord): Promise<void> {
    if (r.lastSuccessSnapshotId) await this.d.snapshotService.release(r.lastSuccessSnapshotId, holder(r.id));
    await this.d.schedules.deleteByTarget(r.id);
    await this.d.store.deleteRelationship(r.id);
  }

  /** VolumeDependents: relationships hang off their local volume. */
  dependents() {
    return {
      kind: 'relationship',
      list: async (volumeId: string) =>
        (await this.d.store.ofVolume(volumeId, 100)).map((r) => ({ id: r.id, readWrite: false })),
      removeAll: async (volumeId: string, _actor: Actor) => {
        for (const r of await this.d.store.ofVolume(volumeId)) await this.forget(r);
      },
    };
  }
}
