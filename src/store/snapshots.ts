// Snapshots of volumes: rows with sizes refreshed by the pool maintenance, clone counts and holds.
import { sql, type Kysely, type Selectable } from 'kysely';
import { camelKeys, snakeKeys } from './casing.js';
import type { DB } from './schema.js';
import { sizePages, writeSizes, type SizeRow, type SizeUpdate } from './sizes.js';
import type { StoreDialect } from './dialect.js';
import { listPage } from './list.js';
import { mapPage, type ListParams, type Page } from '../domain/list.js';
import { SNAPSHOT_LIST, type SnapshotState } from '../domain/volumes.js';
import { CairnError } from '../domain/errors.js';
import { nowIso } from '../domain/ids.js';
import { isUniqueViolation } from './volumes.js';
import type { LabelFilter, Labels, MapPatch } from '../domain/labels.js';
import { labelConditions, labelsOf, patchLabels } from './labels.js';

export interface SnapshotRecord {
  id: string;
  seq: number;
  volumeId: string;
  poolId: string;
  name: string;
  state: SnapshotState;
  subvolId: number | null;
  referenced: number;
  exclusive: number;
  sizesAt: string | null;
  holds: string[];
  /** Free text shown for the snapshot; the name unless set. */
  displayName: string;
  createdAt: string;
  cloneCount: number;
  /** Taken without btrfs's read-only flag. */
  writable: boolean;
}

type Row = Selectable<DB['snapshots']> & { clone_count: number | string };
const toRecord = (r: Row): SnapshotRecord => ({
  ...camelKeys(r),
  state: r.state as SnapshotState,
  subvolId: r.subvol_id === null ? null : Number(r.subvol_id),
  referenced: Number(r.referenced),
  exclusive: Number(r.exclusive),
  holds: JSON.parse(r.holds) as string[],
  cloneCount: Number(r.clone_count),
  writable: Number(r.writable) === 1,
});

interface NewSnapshot {
  id: string;
  volumeId: string;
  poolId: string;
  name: string;
  state: SnapshotState;
  displayName?: string;
  /** Recorded with the snapshot, in the same transaction. */
  labels?: Labels;
  writable?: boolean;
}

export class SnapshotStore {
  constructor(
    readonly db: Kysely<DB>,
    private readonly dialect: StoreDialect,
  ) {}

  private base(db: Kysely<DB> = this.db) {
    return db
      .selectFrom('snapshots')
      .selectAll('snapshots')
      .select(
        sql<number>`(select count(*) from volumes c where c.origin_snapshot_id = snapshots.id)`.as(
          'clone_count',
        ),
      );
  }

  async find(id: string, db: Kysely<DB> = this.db): Promise<SnapshotRecord | undefined> {
    const r = await this.base(db).where('snapshots.id', '=', id).executeTakeFirst();
    return r ? toRecord(r as Row) : undefined;
  }

  async get(id: string, db: Kysely<DB> = this.db): Promise<SnapshotRecord> {
    const s = await this.find(id, db);
    if (!s) throw new CairnError('SNAPSHOT_NOT_FOUND', { id });
    return s;
  }

  /**
   * One page; every label filter must match (in SQL, on the labels' index). Clone counts are read
   * for the page's rows only, after the page is cut: a filter that matches most of 100,000
   * snapshots sorts plain rows, without a subquery per row.
   */
  async list<T>(
    params: ListParams,
    scope: { pools: string[] | null; volumeId?: string; labels?: readonly LabelFilter[] },
    toItem: (s: SnapshotRecord) => T,
  ): Promise<Page<T>> {
    let q = this.db.selectFrom('snapshots').selectAll('snapshots');
    if (scope.volumeId) q = q.where('snapshots.volume_id', '=', scope.volumeId);
    for (const c of await labelConditions(this.db, 'snapshot_labels', 'snapshots.id', scope.labels ?? []))
      q = q.where(c);
    if (scope.pools)
      q = scope.pools.length ? q.where('snapshots.pool_id', 'in', scope.pools) : q.where(sql<boolean>`1 = 0`);
    const page = await listPage(
      q,
      SNAPSHOT_LIST,
      params,
      this.dialect,
      (r: Selectable<DB['snapshots']>) => r,
    );
    const counts = await this.cloneCounts(page.items.map((r) => r.id));
    return mapPage(page, (r) => toItem(toRecord({ ...r, clone_count: counts.get(r.id) ?? 0 })));
  }

  /** How many volumes were cloned from each of these snapshots (absent: none). */
  private async cloneCounts(ids: string[]): Promise<Map<string, number>> {
    if (!ids.length) return new Map();
    const rows = await this.db
      .selectFrom('volumes')
      .select(['origin_snapshot_id', (eb) => eb.fn.countAll<number | string>().as('n')])
      .where('origin_snapshot_id', 'in', ids)
      .groupBy('origin_snapshot_id')
      .execute();
    return new Map(rows.map((r) => [r.origin_snapshot_id!, Number(r.n)]));
  }

  /** The labels of each snapshot (`{}` for those without). */
  labelsOf(ids: string[]): Promise<Map<string, Labels>> {
    return labelsOf(this.db, 'snapshot_labels', ids);
  }

  /** Changes the display name and labels at once (one transaction). */
  async setAttributes(id: string, a: { display_name?: string; labels?: MapPatch }): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      if (a.display_name !== undefined)
        await trx
          .updateTable('snapshots')
          .set({ display_name: a.display_name })
          .where('id', '=', id)
          .execute();
      if (a.labels) await patchLabels(trx, 'snapshot_labels', id, a.labels);
    });
  }

  async countForVolume(volumeId: string): Promise<number> {
    const r = await this.db
      .selectFrom('snapshots')
      .select((eb) => eb.fn.countAll().as('n'))
      .where('volume_id', '=', volumeId)
      .executeTakeFirst();
    return Number(r?.n ?? 0);
  }

  async insert(s: NewSnapshot): Promise<void> {
    await this.db.transaction().execute((trx) => this.insertWith(trx, s));
  }

  /**
   * Inserts a snapshot unless its volume already has `limit` of them; false when it has. In the
   * caller's transaction (the one that records the snapshot's job), so concurrent requests cannot
   * both take the last place.
   */
  async insertWithinLimit(trx: Kysely<DB>, s: NewSnapshot, limit: number): Promise<boolean> {
    // PostgreSQL: the volume's row lock serialises concurrent inserts, so two cannot both pass the
    // count. SQLite writes one transaction at a time (one connection), so it needs no lock.
    if (this.dialect.rowLocks)
      await trx.selectFrom('volumes').select('id').where('id', '=', s.volumeId).forUpdate().execute();
    const row = await trx
      .selectFrom('snapshots')
      .select((eb) => eb.fn.countAll<number | string>().as('n'))
      .where('volume_id', '=', s.volumeId)
      .executeTakeFirstOrThrow();
    if (Number(row.n) >= limit) return false;
    await this.insertWith(trx, s);
    return true;
  }

  private async insertWith(db: Kysely<DB>, snap: NewSnapshot): Promise<void> {
    const { labels, displayName: display_name, writable, ...s } = snap;
    try {
      await db
        .insertInto('snapshots')
        .values({
          ...snakeKeys(s),
          display_name: display_name ?? s.name,
          subvol_id: null,
          referenced: 0,
          exclusive: 0,
          sizes_at: null,
          holds: '[]',
          created_at: nowIso(),
          writable: writable ? 1 : 0,
        })
        .execute();
      if (labels) await patchLabels(db, 'snapshot_labels', s.id, labels);
    } catch (e) {
      if (isUniqueViolation(e))
        throw new CairnError('SNAPSHOT_NAME_TAKEN', { volumeId: s.volumeId, name: s.name });
      throw e;
    }
  }

  async setState(id: string, state: SnapshotState, db: Kysely<DB> = this.db): Promise<void> {
    await db.updateTable('snapshots').set({ state }).where('id', '=', id).execute();
  }

  async transition(
    id: string,
    from: SnapshotState[],
    to: SnapshotState,
    db: Kysely<DB> = this.db,
  ): Promise<boolean> {
    const r = await db
      .updateTable('snapshots')
      .set({ state: to })
      .where('id', '=', id)
      .where('state', 'in', from)
      .executeTakeFirst();
    return Number(r.numUpdatedRows) === 1;
  }

  async setHolds(id: string, holds: string[]): Promise<void> {
    await this.db
      .updateTable('snapshots')
      .set({ holds: JSON.stringify(holds) })
      .where('id', '=', id)
      .execute();
  }

  /** Refreshed sizes of many rows, in one transaction (the maintenance pass's batches). */
  setSizes(rows: readonly SizeUpdate[], at: string): Promise<void> {
    return writeSizes(this.db, 'snapshots', rows, at);
  }

  /** Size columns of every snapshot of a pool (for the one-pass refresh). */
  /** The pool's snapshots' subvolume ids and sizes, a page at a time (see sizePages). */
  sizePages(poolId: string, pageSize?: number): AsyncGenerator<SizeRow[]> {
    return sizePages(this.db, 'snapshots', poolId, pageSize);
  }

  /** Ids of a volume's snapshots, in pages (for deleting them all); `deletableOnly` skips cloned or held ones. */
  async idsOfVolume(volumeId: string, deletableOnly: boolean, limit: number): Promise<string[]> {
    let q = this.db.selectFrom('snapshots').select('id').where('volume_id', '=', volumeId);
    if (deletableOnly)
      q = q
        .where('holds', '=', '[]')
        .where((eb) =>
          eb.not(
            eb.exists(
              eb
                .selectFrom('volumes')
                .select('id')
                .whereRef('volumes.origin_snapshot_id', '=', 'snapshots.id'),
            ),
          ),
        );
    const rows = await q.orderBy('created_at').orderBy('id').limit(limit).execute();
    return rows.map((r) => r.id);
  }

  async delete(ids: string[]): Promise<void> {
    if (ids.length) await this.db.deleteFrom('snapshots').where('id', 'in', ids).execute();
  }
}
