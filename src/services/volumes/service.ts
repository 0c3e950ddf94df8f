// Volumes: validates requests, records the desired volume and submits its job. Implements the
// VolumeAccess contract for exports and keeps the registry of dependents (exports, replication).
import { CairnError, type FieldProblem } from '../../domain/errors.js';
import { newId } from '../../domain/ids.js';
import type { Job } from '../../domain/job.js';
import type { ListParams, Page } from '../../domain/list.js';
import { principalName, type Principal } from '../../domain/permissions.js';
import {
  DEFAULT_SNAPSHOT_LIMIT,
  defaultVolumeSize,
  FILE_LUN_PATH_RE,
  generatedSnapshotName,
  newObjectProblems,
  volumeProblems,
  type CloneInput,
  type Volume,
  type VolumeCreate,
  type VolumeDependent,
  type VolumeUpdate,
} from '../../domain/volumes.js';
import {
  displayNameProblems,
  labelPatchProblems,
  labelProblems,
  metadataPatchProblems,
  metadataProblems,
  type LabelFilter,
  type Labels,
  type VolumeAttributes,
} from '../../domain/labels.js';
import type { JobDefinition } from '../../jobs/define.js';
import type { VolumeRecord } from '../../store/volumes.js';
import type {
  ExportableVolume,
  PoolAccess,
  PoolDependents,
  VolumeAccess,
  VolumeDependents,
} from '../contracts.js';
import type { VolumeDeps } from './deps.js';
import { cloneRow, type VolumeCloneArgs } from './clone.js';
import type { VolumeCreateArgs, VolumeDeleteArgs, VolumeRollbackArgs, VolumeUpdateArgs } from './jobs.js';
import { removeDependents } from './jobs.js';

/**
 * A create: the wire body the route validates (src/domain/volumes.ts), except that a dialect may
 * pass its product's block size as any number (volumeProblems refuses all but 512 and 4096), and
 * may leave out the size where Cairn has a default (`defaultVolumeSize`): a filesystem volume is
 * then as large as its pool, a file-backed lun 1 GiB. The native API keeps `size` required.
 */
export type VolumeCreateInput = Omit<VolumeCreate, 'block_size' | 'size'> & {
  block_size?: number;
  size?: number;
};
export type VolumeAttributesInput = VolumeAttributes;
/** An update: the wire body the route validates. */
export type VolumeUpdateInput = VolumeUpdate;

export interface VolumeJobs {
  create: JobDefinition<VolumeCreateArgs>;
  update: JobDefinition<VolumeUpdateArgs>;
  delete: JobDefinition<VolumeDeleteArgs>;
  rollback: JobDefinition<VolumeRollbackArgs>;
  clone: JobDefinition<VolumeCloneArgs>;
}

/** Throws OUT_OF_SCOPE when a key limited to some pools reaches for another pool's object. */
export function assertInScope(p: Principal | undefined, poolId: string): void {
  if (p?.pools && !p.pools.includes(poolId)) throw new CairnError('OUT_OF_SCOPE', { pool: poolId });
}

export class VolumeService implements VolumeAccess {
  constructor(
    private readonly d: VolumeDeps,
    private readonly jobs: VolumeJobs,
  ) {}

  /** Late binding of the pool service (tests until the storage area lands; or built after). */
  attachPools(p: PoolAccess): void {
    this.d.pools.access = p;
  }

  /** Later areas that keep something about a volume forget it here once the volume is deleted. */
  whenDeleted(f: (volumeId: string) => Promise<void>): void {
    this.d.onDeleted.push(f);
  }

  /** Exports and replication register here; delete and rollback consult them. */
  registerDependents(dep: VolumeDependents): void {
    this.d.dependents.push(dep);
  }

  /**
   * What a pool delete removes first: the pool's volumes (a forced delete only; an unforced one found
   * none on disk, so any rows left are stale) with their dependents (exports, relationships) torn
   * down, then every volume and snapshot row of the pool at once.
   */
  poolDependents(): PoolDependents {
    return {
      kind: 'volume',
      removeAll: async (poolId, actor) => {
        let after: string | null = null;
        for (;;) {
          const ids = await this.d.volumes.idsInPool(poolId, 500, after);
          if (!ids.length) break;
          for (const id of ids) await removeDependents(this.d, id, actor);
          after = ids[ids.length - 1]!;
        }
        await this.d.volumes.purgePool(poolId);
      },
    };
  }

  pools(): PoolAccess {
    const p = this.d.pools.access;
    if (!p)
      throw new CairnError('SERVICE_UNAVAILABLE', { what: 'pools', reason: 'no pool service is installed' });
    return p;
  }

  async create(p: Principal, input: VolumeCreateInput): Promise<{ id: string; job: Job }> {
    const size = await this.sizeOf(p, input);
    const problems: FieldProblem[] = volumeProblems({
      name: input.name,
      type: input.type,
      size,
      block_size: input.type === 'lun' ? (input.block_size ?? 512) : undefined,
      compression: input.compression,
      snapshot_limit: input.snapshot_limit,
    });
    problems.push(
      ...displayNameProblems(input.display_name),
      ...labelProblems(input.labels ?? {}),
      ...metadataProblems(input.metadata ?? {}),
    );
    if (input.type === 'filesystem' && input.block_size !== undefined)
      problems.push({
        field: 'block_size',
        code: 'NOT_APPLICABLE',
        message: 'block_size applies to luns only',
      });
    if (input.type === 'filesystem' && input.thin === false)
      problems.push({
        field: 'thin',
        code: 'NOT_APPLICABLE',
        message: 'a filesystem volume is always thin; its size is a quota',
      });
    if ((input.parent === undefined) !== (input.parent_path === undefined))
      problems.push({ field: 'parent_path', code: 'REQUIRED', message: 'give both parent and parent_path' });
    if (input.parent !== undefined && input.type !== 'lun')
      problems.push({
        field: 'parent',
        code: 'NOT_APPLICABLE',
        message: 'only a lun can be a file in a volume',
      });
    if (input.parent_path !== undefined && !FILE_LUN_PATH_RE.test(input.parent_path))
      problems.push({
        field: 'parent_path',
        code: 'PATTERN',
        message: 'a relative path of names (letters, digits, _ . -, not starting with a dot)',
      });
    if (size === undefined)
      problems.push({ field: 'size', code: 'REQUIRED', message: 'size is required for a lun' });
    CairnError.assertNoProblems(problems);
    const pool = await this.pools().mounted(input.pool, p);
    if (input.parent !== undefined) {
      const parent = await this.record(p, input.parent);
      if (parent.type !== 'filesystem' || parent.parentId !== null)
        throw new CairnError('VALIDATION_FAILED', { summary: 'parent: not a filesystem volume' });
      if (parent.poolId !== pool.id)
        throw new CairnError('VALIDATION_FAILED', { summary: 'parent: a volume of another pool' });
      if (parent.state !== 'online')
        throw new CairnError('VOLUME_NOT_READY', { id: parent.id, state: parent.state });
    }
    const id = newId();
    const args: VolumeCreateArgs = {
      volumeId: id,
      poolId: pool.id,
      name: input.name,
      type: input.type,
      size: size!,
      thin: input.type === 'lun' ? (input.thin ?? true) : true,
      nocow: input.nocow ?? false,
      compression: input.compression ?? 'inherit',
      ...(input.parent !== undefined ? { parentId: input.parent, parentPath: input.parent_path! } : {}),
    };
    // The volume's row and its job are recorded in one transaction: both or neither.
    const job = await this.d.engine.submit(
      this.jobs.create,
      args,
      { name: principalName(p) },
      {
        within: (tx) =>
          this.d.volumes.insertWith(tx, {
            id,
            poolId: pool.id,
            name: input.name,
            type: input.type,
            size: size!,
            thin: args.thin,
            blockSize: input.type === 'lun' ? (input.block_size ?? 512) : null,
            nocow: args.nocow,
            compression: args.compression,
            snapshotLimit: input.snapshot_limit ?? DEFAULT_SNAPSHOT_LIMIT,
            state: 'creating',
            originSnapshotId: null,
            parentId: input.parent ?? null,
            parentPath: input.parent_path ?? null,
            displayName: input.display_name ?? input.name,
            metadata: input.metadata ?? {},
            labels: input.labels ?? {},
          }),
      },
    );
    return { id, job };
  }

  /** The size asked for, else Cairn's default for such a volume (undefined: none, it is required). */
  private async sizeOf(p: Principal, input: VolumeCreateInput): Promise<number | undefined> {
    if (input.size !== undefined) return input.size;
    const d = defaultVolumeSize(input);
    if (d === 'pool') return this.pools().size(input.pool, p);
    return d ?? undefined;
  }

  /** The record, checked against the principal's pool scope. */
  async record(p: Principal | undefined, id: string): Promise<VolumeRecord> {
    const v = await this.d.volumes.get(id);
    assertInScope(p, v.poolId);
    return v;
  }

  async get(p: Principal | undefined, id: string): Promise<Volume> {
    return this.toWire(await this.record(p, id));
  }

  /** A page of volumes; each label filter (`key`, or `key` with `value`) must match. */
  async list(p: Principal, params: ListParams, labels: readonly LabelFilter[] = []): Promise<Page<Volume>> {
    const page = await this.d.volumes.list(params, p.pools, (v) => v, labels);
    const byId = await this.d.volumes.labelsOf(page.items.map((v) => v.id));
    return { ...page, items: await Promise.all(page.items.map((v) => this.toWire(v, byId.get(v.id)))) };
  }

  /**
   * Changes display name, labels and metadata: the record only, at once, no job (they mean nothing
   * to btrfs). Allowed in any state but deleting.
   */
  async setAttributes(p: Principal, id: string, input: VolumeAttributesInput): Promise<Volume> {
    const v = await this.record(p, id);
    await this.checkAttributes(v, input);
    if (v.state === 'deleting') throw new CairnError('VOLUME_NOT_READY', { id, state: v.state });
    await this.d.volumes.setAttributes(id, input);
    return this.get(p, id);
  }

  private async checkAttributes(v: VolumeRecord, input: VolumeAttributesInput): Promise<void> {
    const current = input.labels ? (await this.d.volumes.labelsOf([v.id])).get(v.id)! : {};
    CairnError.assertNoProblems([
      ...displayNameProblems(input.display_name),
      ...(input.labels ? labelPatchProblems(current, input.labels) : []),
      ...(input.metadata ? metadataPatchProblems(v.metadata, input.metadata) : []),
    ]);
  }

  /** A page of volumes with their sizes and snapshot counts, without dependents (monitor rounds). */
  usage(params: ListParams): Promise<Page<VolumeRecord>> {
    return this.d.volumes.list(params, null, (v) => v);
  }

  /**
   * Rename, resize, compression, snapshot limit, and display name, labels and metadata with them:
   * one job, which records the attributes with the rest (`setAttributes` records them alone at
   * once). A rename carries a display name that was the name along with it.
   */
  async update(p: Principal, id: string, input: VolumeUpdateInput): Promise<Job> {
    const { display_name, labels, metadata, ...rest } = input;
    const attrs: VolumeAttributesInput = {
      ...(display_name !== undefined ? { display_name } : {}),
      ...(labels !== undefined ? { labels } : {}),
      ...(metadata !== undefined ? { metadata } : {}),
    };
    const v = await this.record(p, id);
    await this.checkAttributes(v, attrs);
    if (rest.name !== undefined && attrs.display_name === undefined && v.displayName === v.name)
      attrs.display_name = rest.name;
    if (v.parentId && input.size !== undefined)
      throw new CairnError('VOLUME_FILE_BACKED', { id, parent: v.parentId, what: 'resizing' });
    CairnError.assertNoProblems(
      volumeProblems({
        name: input.name,
        type: v.type,
        size: input.size,
        block_size: v.blockSize ?? undefined,
        compression: input.compression,
        snapshot_limit: input.snapshot_limit,
      }),
    );
    if (v.type === 'lun' && input.size !== undefined && input.size < v.size && !input.allow_shrink)
      throw new CairnError('VOLUME_SHRINK_NEEDS_FLAG', { id, from: v.size, to: input.size });
    if (input.name !== undefined && input.name !== v.name) {
      const page = await this.d.volumes.list(
        {
          limit: 1,
          offset: 0,
          cursor: null,
          sort: [],
          filters: [
            { field: 'pool', column: 'pool_id', op: 'eq', value: v.poolId },
            { field: 'name', column: 'name', op: 'eq', value: input.name },
          ],
        },
        null,
        (x) => x.id,
      );
      if (page.total > 0) throw new CairnError('VOLUME_NAME_TAKEN', { poolId: v.poolId, name: input.name });
    }
    const args: VolumeUpdateArgs = {
      volumeId: id,
      poolId: v.poolId,
      type: v.type,
      thin: v.thin,
      ...(input.name !== undefined ? { name: input.name } : {}),
      ...(input.size !== undefined ? { size: input.size } : {}),
      ...(input.compression !== undefined ? { compression: input.compression } : {}),
      ...(input.snapshot_limit !== undefined ? { snapshotLimit: input.snapshot_limit } : {}),
      allowShrink: input.allow_shrink ?? false,
      before: { size: v.size, compression: v.compression },
      ...(Object.keys(attrs).length ? { attributes: attrs } : {}),
    };
    return this.submit(v, 'updating', this.jobs.update, args, p);
  }

  async delete(p: Principal, id: string, cascade: boolean): Promise<Job> {
    const v = await this.record(p, id);
    // The file-backed luns in a filesystem volume live in its subvolume: they go first.
    const children = await this.d.volumes.childrenOf(id);
    if (children.length)
      throw new CairnError('VOLUME_IN_USE', {
        id,
        summary: children.map((c) => `file-backed lun ${c}`).join(', '),
        dependents: children.map((c) => ({ kind: 'volume', id: c, read_write: true })),
      });
    if (!cascade) {
      const found: VolumeDependent[] = await this.dependentsOf(id);
      if (found.length)
        throw new CairnError('VOLUME_IN_USE', {
          id,
          summary: found.map((f) => `${f.kind} ${f.id}`).join(', '),
          dependents: found,
        });
      const clones = await this.d.volumes.clonesOfVolume(id);
      if (clones.length) throw new CairnError('VOLUME_HAS_CLONES', { id, clones: clones.join(', ') });
    } else {
      // Dependents (exports, relationships) are removed by their own jobs, which take the volume's
      // lock: do it before the delete job holds that lock exclusively, or they would wait on it.
      await removeDependents(this.d, id, { name: principalName(p) });
    }
    return this.submit(
      v,
      'deleting',
      this.jobs.delete,
      { volumeId: id, poolId: v.poolId, cascade, actor: principalName(p) },
      p,
      ['online', 'error'],
    );
  }

  /**
   * Deletes a volume with what depends on it (snapshots, exports, relationships), as a cascade
   * does, but never one whose snapshots have clones (VOLUME_HAS_CLONES), which a cascade would
   * leave without their origin: vSnap's volume delete.
   */
  async deleteUnlessCloned(p: Principal, id: string): Promise<Job> {
    await this.record(p, id);
    const clones = await this.d.volumes.clonesOfVolume(id);
    if (clones.length) throw new CairnError('VOLUME_HAS_CLONES', { id, clones: clones.join(', ') });
    return this.delete(p, id, true);
  }

  async rollback(
    p: Principal,
    id: string,
    input: { snapshot: string; keep_current?: boolean; force?: boolean },
  ): Promise<Job> {
    const v = await this.record(p, id);
    if (v.parentId) throw new CairnError('VOLUME_FILE_BACKED', { id, parent: v.parentId, what: 'rollback' });
    const s = await this.d.snapshots.get(input.snapshot);
    if (s.volumeId !== id) throw new CairnError('SNAPSHOT_OF_OTHER_VOLUME', { id, snapshotId: s.id });
    if (s.state !== 'available') throw new CairnError('SNAPSHOT_NOT_READY', { id: s.id, state: s.state });
    if (!input.force) {
      const rw = (await this.dependentsOf(id)).filter((x) => x.read_write);
      if (rw.length)
        throw new CairnError('VOLUME_EXPORTED_READ_WRITE', {
          id,
          summary: rw.map((f) => `${f.kind} ${f.id}`).join(', '),
          dependents: rw,
        });
    }
    const keep = input.keep_current
      ? {
          snapshotId: newId(),
          name: generatedSnapshotName(new Date(), newId().slice(0, 4)).replace(/^snap-/, 'pre-rollback-'),
        }
      : null;
    return this.submit(
      v,
      'rolling_back',
      this.jobs.rollback,
      {
        volumeId: id,
        poolId: v.poolId,
        snapshotId: s.id,
        type: v.type,
        size: v.size,
        force: input.force ?? false,
        keep,
      },
      p,
    );
  }

  /**
   * A new writable volume from the live volume as it is now: one btrfs snapshot of its subvolume
   * (filesystem or lun; a file-backed lun lives in another volume and is refused), in the same pool
   * with the same options and metadata, its own labels and display name. The new volume's row and
   * its job are recorded in one transaction.
   */
  async clone(p: Principal, id: string, input: CloneInput): Promise<{ id: string; job: Job }> {
    const src = await this.record(p, id);
    CairnError.assertNoProblems(newObjectProblems(input));
    if (src.parentId)
      throw new CairnError('VOLUME_FILE_BACKED', { id, parent: src.parentId, what: 'a clone' });
    if (src.state !== 'online') throw new CairnError('VOLUME_NOT_READY', { id, state: src.state });
    await this.pools().mounted(src.poolId, p);
    const volumeId = newId();
    const job = await this.d.engine.submit(
      this.jobs.clone,
      {
        sourceVolumeId: src.id,
        poolId: src.poolId,
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
            cloneRow(src, { id: volumeId, poolId: src.poolId, originSnapshotId: null }, input),
          ),
      },
    );
    return { id: volumeId, job };
  }

  async exportable(volumeId: string, principal?: Principal): Promise<ExportableVolume> {
    const v = await this.record(principal, volumeId);
    if (v.state !== 'online') throw new CairnError('VOLUME_NOT_READY', { id: v.id, state: v.state });
    const pool = await this.pools().mounted(v.poolId, principal);
    return {
      id: v.id,
      name: v.name,
      type: v.type,
      poolId: v.poolId,
      path: this.pathOf(v),
      lunFile: this.lunFileOf(v),
      size: v.size,
      blockSize: v.blockSize,
      devices: pool.devices,
    };
  }

  /** Refreshes sizes, clears inherited snapshot limits and stale qgroups of a pool now. */
  maintain(poolId: string, o: { sync?: boolean } = {}) {
    return this.d.maintenance.run(poolId, o);
  }

  private async dependentsOf(volumeId: string): Promise<VolumeDependent[]> {
    const out: VolumeDependent[] = [];
    for (const dep of this.d.dependents)
      for (const x of await dep.list(volumeId))
        out.push({ kind: dep.kind, id: x.id, read_write: x.readWrite });
    return out;
  }

  /**
   * Moves the volume to `to` (only from `from`, so two requests cannot both start a change) in the
   * transaction that records the job doing it: both or neither.
   */
  private submit<A extends object>(
    v: VolumeRecord,
    to: VolumeRecord['state'],
    def: JobDefinition<A>,
    args: A,
    p: Principal,
    from: VolumeRecord['state'][] = ['online'],
  ): Promise<Job> {
    return this.d.engine.submit(
      def,
      args,
      { name: principalName(p) },
      {
        within: async (tx) => {
          if (!(await this.d.volumes.transition(v.id, from, to, tx)))
            throw new CairnError('VOLUME_NOT_READY', {
              id: v.id,
              state: (await this.d.volumes.get(v.id, tx)).state,
            });
        },
      },
    );
  }

  /** A volume's subvolume; a file-backed lun's is its parent's. */
  private pathOf(v: VolumeRecord): string {
    return this.d.paths.volume(v.poolId, v.parentId ?? v.id);
  }
  /** A lun's data file: in its own subvolume, or at its path inside its parent volume. */
  private lunFileOf(v: VolumeRecord): string | null {
    if (v.type !== 'lun') return null;
    return v.parentId && v.parentPath
      ? `${this.d.paths.volume(v.poolId, v.parentId)}/${v.parentPath}`
      : this.d.paths.lunFile(v.poolId, v.id);
  }

  /** The wire shape; `labels` when the caller read them for a whole page already. */
  async toWire(v: VolumeRecord, labels?: Labels): Promise<Volume> {
    const dependents = await this.dependentsOf(v.id);
    return {
      id: v.id,
      name: v.name,
      display_name: v.displayName,
      labels: labels ?? (await this.d.volumes.labelsOf([v.id])).get(v.id)!,
      metadata: v.metadata,
      pool: v.poolId,
      type: v.type,
      size: v.size,
      thin: v.thin,
      block_size: v.blockSize,
      nocow: v.nocow,
      compression: v.compression,
      snapshot_limit: v.snapshotLimit,
      state: v.state,
      path: this.pathOf(v),
      lun_file: this.lunFileOf(v),
      parent: v.parentId,
      parent_path: v.parentPath,
      used: v.referenced,
      referenced: v.referenced,
      exclusive: v.exclusive,
      sizes_at: v.sizesAt,
      origin_snapshot: v.originSnapshotId,
      snapshot_count: v.snapshotCount,
      exports: dependents.filter((x) => x.kind === 'export'),
      dependents,
      attachments: dependents.filter((x) => x.kind === 'attachment').length,
      error: v.error,
      created_at: v.createdAt,
      updated_at: v.updatedAt,
    };
  }
}
