// Volumes: desired state (name, size, options) and observed sizes. Lists page in SQL (listPage).
import { sql, type Kysely, type Selectable } from 'kysely';
import type { DB } from './schema.js';
import { sizePages, writeSizes, type SizeRow, type SizeUpdate } from './sizes.js';
import type { StoreDialect } from './dialect.js';
import { listPage } from './list.js';
import type { ListParams, Page } from '../domain/list.js';
import { VOLUME_LIST, type VolumeState, type VolumeType } from '../domain/volumes.js';
import { CairnError } from '../domain/errors.js';
import { nowIso } from '../domain/ids.js';
import { applyPatch, type LabelFilter, type Labels, type MapPatch } from '../domain/labels.js';
import { labelConditions, labelsOf, patchLabels } from './labels.js';
import { camelKeys, snakeKeys } from './casing.js';

export interface VolumeRecord {
  id: string;
  seq: number;
  poolId: string;
  name: string;
  type: VolumeType;
  size: number;
  thin: boolean;
  blockSize: number | null;
  nocow: boolean;
  compression: string;
  snapshotLimit: number;
  state: VolumeState;
  subvolId: number | null;
  referenced: number;
  exclusive: number;
  sizesAt: string | null;
  originSnapshotId: string | null;
  /** File-backed lun: the filesystem volume holding its data file, and the file's relative path. */
  parentId: string | null;
  parentPath: string | null;
  /** Free text shown for the volume; the name unless set. */
  displayName: string;
  /** Settings a product keeps about the volume; Cairn does not act on them. */
  metadata: Labels;
  error: string | null;
  createdAt: string;
  updatedAt: string;
  /** Counted in SQL when listing and reading. */
  snapshotCount: number;
}

type Row = Selectable<DB['volumes']> & { snapshot_count: number | string };
const toRecord = (r: Row): VolumeRecord => ({
  ...camelKeys(r),
  type: r.type as VolumeType,
  state: r.state as VolumeState,
  thin: r.thin === 1,
  nocow: r.nocow === 1,
  size: Number(r.size),
  referenced: Number(r.referenced),
  exclusive: Number(r.exclusive),
  subvolId: r.subvol_id === null ? null : Number(r.subvol_id),
  snapshotCount: Number(r.snapshot_count),
  metadata: JSON.parse(r.metadata) as Labels,
});

export type NewVolume = Omit<
  VolumeRecord,
  | 'seq'
  | 'referenced'
  | 'exclusive'
  | 'sizesAt'
  | 'subvolId'
  | 'error'
  | 'createdAt'
  | 'updatedAt'
  | 'snapshotCount'
  | 'parentId'
  | 'parentPath'
  | 'displayName'
  | 'metadata'
> &
  Partial<Pick<VolumeRecord, 'parentId' | 'parentPath' | 'displayName' | 'metadata'>> & {
    /** Recorded with the volume, in one transaction. */
    labels?: Labels;
  };

/** What a volume update may change in its row. */
export type VolumePatch = Partial<{
  name: string;
  displayName: string;
  metadata: Labels;
  size: number;
  compression: string;
  snapshotLimit: number;
  state: VolumeState;
  subvolId: number | null;
  referenced: number;
  exclusive: number;
  sizesAt: string;
  originSnapshotId: string | null;
  error: string | null;
}>;

export const isUniqueViolation = (e: unknown): boolean =>
  /UNIQUE constraint|duplicate key value/i.test(e instanceof Error ? e.message : String(e));

export class VolumeStore {
  constructor(
    readonly db: Kysely<DB>,
    private readonly dialect: StoreDialect,
  ) {}

  private base(db: Kysely<DB> = this.db) {
    return db
      .selectFrom('volumes')
      .selectAll('volumes')
      .select(
        sql<number>`(select count(*) from snapshots s where s.volume_id = volumes.id)`.as('snapshot_count'),
      );
  }

  async find(id: string, db: Kysely<DB> = this.db): Promise<VolumeRecord | undefined> {
    const r = await this.base(db).where('volumes.id', '=', id).executeTakeFirst();
    return r ? toRecord(r as Row) : undefined;
  }

  async get(id: string, db: Kysely<DB> = this.db): Promise<VolumeRecord> {
    const v = await this.find(id, db);
    if (!v) throw new CairnError('VOLUME_NOT_FOUND', { id });
    return v;
  }

  /**
   * One page; `pools` (a key's scope) limits the rows when not null; every label filter must match
   * (in SQL, on the labels' index).
   */
  async list<T>(
    params: ListParams,
    pools: string[] | null,
    toItem: (v: VolumeRecord) => T,
    labels: readonly LabelFilter[] = [],
  ): Promise<Page<T>> {
    let q = this.base();
    if (pools) q = pools.length ? q.where('volumes.pool_id', 'in', pools) : q.where(sql<boolean>`1 = 0`);
    for (const c of await labelConditions(this.db, 'volume_labels', 'volumes.id', labels)) q = q.where(c);
    return listPage(q, VOLUME_LIST, params, this.dialect, (r: Row) => toItem(toRecord(r)));
  }

  /** The labels of each volume (`{}` for those without). */
  labelsOf(ids: string[]): Promise<Map<string, Labels>> {
    return labelsOf(this.db, 'volume_labels', ids);
  }

  /** Changes display name, metadata (merge patch) and labels (merge patch) in one transaction. */
  async setAttributes(
    id: string,
    a: { display_name?: string; metadata?: MapPatch; labels?: MapPatch },
  ): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      let metadata: string | undefined;
      if (a.metadata) {
        const row = await trx
          .selectFrom('volumes')
          .select('metadata')
          .where('id', '=', id)
          .executeTakeFirst();
        if (!row) throw new CairnError('VOLUME_NOT_FOUND', { id });
        metadata = JSON.stringify(applyPatch(JSON.parse(row.metadata) as Labels, a.metadata));
      }
      await trx
        .updateTable('volumes')
        .set({
          ...(a.display_name !== undefined ? { display_name: a.display_name } : {}),
          ...(metadata !== undefined ? { metadata } : {}),
          updated_at: nowIso(),
        })
        .where('id', '=', id)
        .execute();
      if (a.labels) await patchLabels(trx, 'volume_labels', id, a.labels);
    });
  }

  /** The pool's volumes' subvolume ids and sizes, a page at a time (see sizePages). */
  sizePages(poolId: string, pageSize?: number): AsyncGenerator<SizeRow[]> {
    return sizePages(this.db, 'volumes', poolId, pageSize);
  }

  /** Ids of a pool's volumes after `after`, in id order, a page at a time. */
  async idsInPool(poolId: string, limit: number, after: string | null): Promise<string[]> {
    let q = this.db.selectFrom('volumes').select('id').where('pool_id', '=', poolId);
    if (after) q = q.where('id', '>', after);
    return (await q.orderBy('id').limit(limit).execute()).map((r) => r.id);
  }

  /** Forgets every volume and snapshot of a pool in one transaction (a forced pool delete wipes its data). */
  async purgePool(poolId: string): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      await trx
        .updateTable('volumes')
        .set({ origin_snapshot_id: null })
        .where('pool_id', '=', poolId)
        .execute();
      await trx.deleteFrom('snapshots').where('pool_id', '=', poolId).execute();
      await trx.deleteFrom('volumes').where('pool_id', '=', poolId).execute();
    });
  }

  async poolIds(): Promise<string[]> {
    const rows = await this.db.selectFrom('volumes').select('pool_id').distinct().execute();
    return rows.map((r) => r.pool_id);
  }

  /** Inserts the desired volume; VOLUME_NAME_TAKEN when the pool has one of that name. */
  /** File-backed luns whose data file lives in this (filesystem) volume. */
  async childrenOf(parentId: string): Promise<string[]> {
    const rows = await this.db.selectFrom('volumes').select('id').where('parent_id', '=', parentId).execute();
    return rows.map((r) => r.id);
  }

  async insert(v: NewVolume): Promise<void> {
    await this.db.transaction().execute((trx) => this.insertWith(trx, v));
  }

  /** Inserts within the caller's transaction (the one recording the volume's job). */
  async insertWith(db: Kysely<DB>, v: NewVolume): Promise<void> {
    const now = nowIso();
    try {
      await db
        .insertInto('volumes')
        .values({
          id: v.id,
          pool_id: v.poolId,
          name: v.name,
          type: v.type,
          size: v.size,
          thin: v.thin ? 1 : 0,
          block_size: v.blockSize,
          nocow: v.nocow ? 1 : 0,
          compression: v.compression,
          snapshot_limit: v.snapshotLimit,
          state: v.state,
          subvol_id: null,
          referenced: 0,
          exclusive: 0,
          sizes_at: null,
          origin_snapshot_id: v.originSnapshotId,
          parent_id: v.parentId ?? null,
          parent_path: v.parentPath ?? null,
          display_name: v.displayName ?? v.name,
          metadata: JSON.stringify(v.metadata ?? {}),
          error: null,
          created_at: now,
          updated_at: now,
        })
        .execute();
      if (v.labels) await patchLabels(db, 'volume_labels', v.id, v.labels);
    } catch (e) {
      if (isUniqueViolation(e)) throw new CairnError('VOLUME_NAME_TAKEN', { poolId: v.poolId, name: v.name });
      throw e;
    }
  }

  async update(id: string, patch: VolumePatch): Promise<void> {
    const { metadata, ...rest } = patch;
    try {
      await this.db
        .updateTable('volumes')
        .set({
          ...snakeKeys(rest),
          ...(metadata !== undefined ? { metadata: JSON.stringify(metadata) } : {}),
          updated_at: nowIso(),
        })
        .where('id', '=', id)
        .execute();
    } catch (e) {
      if (isUniqueViolation(e) && patch.name) {
        const v = await this.get(id);
        throw new CairnError('VOLUME_NAME_TAKEN', { poolId: v.poolId, name: patch.name });
      }
      throw e;
    }
  }

  /** Moves a volume's state only if it is in `from` (so two requests cannot both start a change). */
  async transition(
    id: string,
    from: VolumeState[],
    to: VolumeState,
    db: Kysely<DB> = this.db,
  ): Promise<boolean> {
    const r = await db
      .updateTable('volumes')
      .set({ state: to, updated_at: nowIso() })
      .where('id', '=', id)
      .where('state', 'in', from)
      .executeTakeFirst();
    return Number(r.numUpdatedRows) === 1;
  }

  /** Refreshed sizes of many rows, in one transaction (the maintenance pass's batches). */
  setSizes(rows: readonly SizeUpdate[], at: string): Promise<void> {
    return writeSizes(this.db, 'volumes', rows, at);
  }

  /** Clones of the given snapshots (their ids), at most `limit`. */
  async clonesOf(snapshotIds: string[], limit = 100): Promise<{ id: string; origin_snapshot_id: string }[]> {
    if (!snapshotIds.length) return [];
    const rows = await this.db
      .selectFrom('volumes')
      .select(['id', 'origin_snapshot_id'])
      .where('origin_snapshot_id', 'in', snapshotIds)
      .limit(limit)
      .execute();
    return rows.map((r) => ({ id: r.id, origin_snapshot_id: r.origin_snapshot_id! }));
  }

  /** Clones of any snapshot of the volume. */
  async clonesOfVolume(volumeId: string, limit = 100): Promise<string[]> {
    const rows = await this.db
      .selectFrom('volumes as c')
      .innerJoin('snapshots as s', 's.id', 'c.origin_snapshot_id')
      .select('c.id')
      .where('s.volume_id', '=', volumeId)
      .limit(limit)
      .execute();
    return rows.map((r) => r.id);
  }

  /** Forgets the origin of clones of the volume's snapshots (they are independent subvolumes). */
  async detachClonesOfVolume(volumeId: string): Promise<void> {
    await this.db
      .updateTable('volumes')
      .set({ origin_snapshot_id: null })
      .where('origin_snapshot_id', 'in', (eb) =>
        eb.selectFrom('snapshots').select('id').where('volume_id', '=', volumeId),
      )
      .execute();
  }

  async delete(id: string): Promise<void> {
    await this.db.deleteFrom('volumes').where('id', '=', id).execute();
  }
}
