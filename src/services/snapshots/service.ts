// Snapshots and clones: validates, records the desired snapshot (or clone volume) and submits its
// job. Protection (schedules, retention, replication) calls create/delete/hold/release here.
import { CairnError } from '../../domain/errors.js';
import { newId } from '../../domain/ids.js';
import type { Job } from '../../domain/job.js';
import { type ListParams, type Page, mapPage } from '../../domain/list.js';
import { principalName, type Principal } from '../../domain/permissions.js';
import {
  generatedSnapshotName,
  newObjectProblems,
  type CloneInput,
  type Snapshot,
  type SnapshotCreate,
} from '../../domain/volumes.js';
import {
  displayNameProblems,
  labelPatchProblems,
  type LabelFilter,
  type Labels,
  type MapPatch,
} from '../../domain/labels.js';
import type { JobDefinition } from '../../jobs/define.js';
import type { SnapshotRecord } from '../../store/snapshots.js';
import { cloneRow } from '../volumes/clone.js';
import type { VolumeDeps } from '../volumes/deps.js';
import { assertInScope } from '../volumes/service.js';
import type {
  SnapshotCloneArgs,
  SnapshotCreateArgs,
  SnapshotDeleteAllArgs,
  SnapshotDeleteArgs,
} from './jobs.js';

export interface SnapshotJobs {
  create: JobDefinition<SnapshotCreateArgs>;
  delete: JobDefinition<SnapshotDeleteArgs>;
  deleteAll: JobDefinition<SnapshotDeleteAllArgs>;
  clone: JobDefinition<SnapshotCloneArgs>;
}

/** A create: the wire body the route validates (src/domain/volumes.ts). */
export type SnapshotCreateInput = SnapshotCreate;

export class SnapshotService {
  constructor(
    private readonly d: VolumeDeps,
    private readonly jobs: SnapshotJobs,
  ) {}

  /** Takes a snapshot of a volume (read-only unless `writable`); the name is generated when not given. */
  async create(
    p: Principal,
    volumeId: string,
    input: SnapshotCreateInput = {},
  ): Promise<{ id: string; job: Job }> {
    const v = await this.d.volumes.get(volumeId);
    assertInScope(p, v.poolId);
    // Its data is a file in another volume's subvolume: snapshot that volume instead.
    if (v.parentId)
      throw new CairnError('VOLUME_FILE_BACKED', { id: v.id, parent: v.parentId, what: 'a snapshot' });
    CairnError.assertNoProblems(newObjectProblems(input));
    if (v.state !== 'online') throw new CairnError('VOLUME_NOT_READY', { id: v.id, state: v.state });
    if (v.snapshotCount >= v.snapshotLimit)
      throw new CairnError('SNAPSHOT_LIMIT_REACHED', {
        volumeId: v.id,
        count: v.snapshotCount,
        limit: v.snapshotLimit,
      });
    const id = newId();
    const name = input.name ?? generatedSnapshotName(new Date(), id.slice(0, 6));
    // The snapshot row (counted against the limit under the volume's lock) is recorded in the
    // transaction that records its job: both or neither, one commit.
    const job = await this.d.engine.submit(
      this.jobs.create,
      { snapshotId: id, volumeId: v.id, poolId: v.poolId, name, writable: input.writable === true },
      { name: principalName(p) },
      {
        within: async (tx) => {
          const placed = await this.d.snapshots.insertWithinLimit(
            tx,
            {
              id,
              volumeId: v.id,
              poolId: v.poolId,
              name,
              state: 'creating',
              displayName: input.display_name ?? name,
              labels: input.labels ?? {},
              writable: input.writable === true,
            },
            v.snapshotLimit,
          );
          if (!placed)
            throw new CairnError('SNAPSHOT_LIMIT_REACHED', {
              volumeId: v.id,
              count: v.snapshotLimit,
              limit: v.snapshotLimit,
            });
        },
      },
    );
    return { id, job };
  }

  async record(p: Principal | undefined, id: string): Promise<SnapshotRecord> {
    const s = await this.d.snapshots.get(id);
    assertInScope(p, s.poolId);
    return s;
  }

  async get(p: Principal | undefined, id: string): Promise<Snapshot & { clones: string[] }> {
    const s = await this.record(p, id);
    const clones = s.cloneCount ? (await this.d.volumes.clonesOf([s.id], 1000)).map((c) => c.id) : [];
    const labels = (await this.d.snapshots.labelsOf([s.id])).get(s.id)!;
    return { ...this.toWire(s, labels), clones };
  }

  /**
   * Across the system, or of one volume (`volumeId`, checked to exist and be in scope); each label
   * filter (`key`, or `key` with `value`) must match.
   */
  async list(
    p: Principal,
    params: ListParams,
    volumeId?: string,
    labels: readonly LabelFilter[] = [],
  ): Promise<Page<Snapshot>> {
    if (volumeId) assertInScope(p, (await this.d.volumes.get(volumeId)).poolId);
    const page = await this.d.snapshots.list(
      params,
      { pools: p.pools, labels, ...(volumeId ? { volumeId } : {}) },
      (s) => s,
    );
    const byId = await this.d.snapshots.labelsOf(page.items.map((s) => s.id));
    return mapPage(page, (s) => this.toWire(s, byId.get(s.id)!));
  }

  /** Changes the display name and labels (merge patch): the record only, at once. */
  async setAttributes(
    p: Principal,
    id: string,
    input: { display_name?: string; labels?: MapPatch },
  ): Promise<Snapshot & { clones: string[] }> {
    const s = await this.record(p, id);
    const current = input.labels ? (await this.d.snapshots.labelsOf([id])).get(id)! : {};
    CairnError.assertNoProblems([
      ...displayNameProblems(input.display_name),
      ...(input.labels ? labelPatchProblems(current, input.labels) : []),
    ]);
    if (s.state === 'deleting') throw new CairnError('SNAPSHOT_NOT_READY', { id, state: s.state });
    await this.d.snapshots.setAttributes(id, input);
    return this.get(p, id);
  }

  async delete(p: Principal, id: string): Promise<Job> {
    const s = await this.record(p, id);
    if (s.cloneCount > 0) {
      const clones = (await this.d.volumes.clonesOf([s.id])).map((c) => c.id);
      throw new CairnError('SNAPSHOT_HAS_CLONES', { id, count: s.cloneCount, clones: clones.join(', ') });
    }
    if (s.holds.length) throw new CairnError('SNAPSHOT_HELD', { id, holds: s.holds.join(', ') });
    // 'deleting' is recorded with the job that deletes it: both or neither.
    return this.d.engine.submit(
      this.jobs.delete,
      { snapshotId: id, volumeId: s.volumeId, poolId: s.poolId },
      { name: principalName(p) },
      {
        within: async (tx) => {
          if (!(await this.d.snapshots.transition(id, ['available'], 'deleting', tx)))
            throw new CairnError('SNAPSHOT_NOT_READY', {
              id,
              state: (await this.d.snapshots.get(id, tx)).state,
            });
        },
      },
    );
  }

  /** Deletes every snapshot of the volume that has no clones and no holds. */
  async deleteAll(p: Principal, volumeId: string): Promise<Job> {
    const v = await this.d.volumes.get(volumeId);
    assertInScope(p, v.poolId);
    return this.d.engine.submit(
      this.jobs.deleteAll,
      { volumeId, poolId: v.poolId },
      { name: principalName(p) },
    );
  }

  /** A new writable volume from the snapshot, in the same pool, with the source volume's options. */
  async clone(p: Principal, id: string, input: CloneInput): Promise<{ id: string; job: Job }> {
    const s = await this.record(p, id);
    CairnError.assertNoProblems(newObjectProblems(input));
    if (s.state !== 'available') throw new CairnError('SNAPSHOT_NOT_READY', { id, state: s.state });
    const src = await this.d.volumes.get(s.volumeId);
    const volumeId = newId();
    // The clone's row and its job are recorded in one transaction: both or neither.
    const job = await this.d.engine.submit(
      this.jobs.clone,
      {
        snapshotId: s.id,
        sourceVolumeId: src.id,
        poolId: s.poolId,
        volumeId,
        name: input.name,
        type: src.type,
        size: src.size,
      },
      { name: principalName(p) },
      {
        within: (tx) =>
          this.d.volumes.insertWith(
            tx,
            cloneRow(src, { id: volumeId, poolId: s.poolId, originSnapshotId: s.id }, input),
          ),
      },
    );
    return { id: volumeId, job };
  }

  /** Keeps a snapshot from deletion on behalf of `holder` (e.g. "relationship:<id>"); idempotent. */
  async hold(id: string, holder: string): Promise<void> {
    const s = await this.d.snapshots.get(id);
    if (!s.holds.includes(holder)) await this.d.snapshots.setHolds(id, [...s.holds, holder]);
  }

  async release(id: string, holder: string): Promise<void> {
    const s = await this.d.snapshots.find(id);
    if (s?.holds.includes(holder))
      await this.d.snapshots.setHolds(
        id,
        s.holds.filter((h) => h !== holder),
      );
  }

  toWire(s: SnapshotRecord, labels: Labels): Snapshot {
    return {
      id: s.id,
      name: s.name,
      display_name: s.displayName,
      labels,
      volume: s.volumeId,
      pool: s.poolId,
      state: s.state,
      path: this.d.paths.snapshot(s.poolId, s.id),
      referenced: s.referenced,
      exclusive: s.exclusive,
      sizes_at: s.sizesAt,
      clone_count: s.cloneCount,
      holds: s.holds,
      created_at: s.createdAt,
      writable: s.writable,
    };
  }
}
