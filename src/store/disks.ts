// Disks: virtual (sparse file + loop device) and physical (found by lsblk). Rows ↔ domain records.
import type { Kysely, Selectable, Transaction } from 'kysely';
import type { DB } from './schema.js';
import type { DisksTable } from './schema-storage.js';
import type { ListParams, Page } from '../domain/list.js';
import { listPage } from './list.js';
import { DISK_LIST, type DiskState } from '../domain/storage.js';
import type { StoreDialect } from './dialect.js';
import { nowIso } from '../domain/ids.js';
import { CairnError } from '../domain/errors.js';

export interface DiskRecord {
  id: string;
  seq: number;
  name: string;
  kind: 'virtual' | 'physical';
  path: string | null;
  file: string | null;
  sizeBytes: number;
  model: string | null;
  vendor: string | null;
  serial: string | null;
  wwn: string | null;
  rotational: boolean;
  inUse: string | null;
  state: DiskState;
  poolId: string | null;
  devid: number | null;
  createdAt: string;
  updatedAt: string;
}

const toDisk = (r: Selectable<DisksTable>): DiskRecord => ({
  id: r.id,
  seq: Number(r.seq),
  name: r.name,
  kind: r.kind as DiskRecord['kind'],
  path: r.path,
  file: r.file,
  sizeBytes: Number(r.size_bytes),
  model: r.model,
  vendor: r.vendor,
  serial: r.serial,
  wwn: r.wwn,
  rotational: r.rotational === 1,
  inUse: r.in_use,
  state: r.state as DiskState,
  poolId: r.pool_id,
  devid: r.devid === null ? null : Number(r.devid),
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});

/** What an update may change: all but the id, the sequence, the kind, the backing file and the timestamps. */
export type DiskPatch = Partial<Omit<DiskRecord, 'id' | 'seq' | 'kind' | 'file' | 'createdAt' | 'updatedAt'>>;

const COLS: Record<keyof DiskPatch, keyof DisksTable> = {
  name: 'name',
  path: 'path',
  sizeBytes: 'size_bytes',
  model: 'model',
  vendor: 'vendor',
  serial: 'serial',
  wwn: 'wwn',
  rotational: 'rotational',
  inUse: 'in_use',
  state: 'state',
  poolId: 'pool_id',
  devid: 'devid',
};

export function diskSet(patch: DiskPatch): Record<string, unknown> {
  const set: Record<string, unknown> = { updated_at: nowIso() };
  for (const [k, v] of Object.entries(patch)) {
    if (v === undefined) continue;
    set[COLS[k as keyof DiskPatch]] = typeof v === 'boolean' ? (v ? 1 : 0) : v;
  }
  return set;
}

export class DiskStore {
  constructor(
    readonly db: Kysely<DB>,
    private readonly dialect: StoreDialect,
  ) {}

  async find(id: string, db: Kysely<DB> = this.db): Promise<DiskRecord | undefined> {
    const r = await db.selectFrom('disks').selectAll().where('id', '=', id).executeTakeFirst();
    return r ? toDisk(r) : undefined;
  }
  async get(id: string, db: Kysely<DB> = this.db): Promise<DiskRecord> {
    const d = await this.find(id, db);
    if (!d) throw new CairnError('DISK_NOT_FOUND', { id });
    return d;
  }
  async byPath(path: string): Promise<DiskRecord | undefined> {
    const r = await this.db.selectFrom('disks').selectAll().where('path', '=', path).executeTakeFirst();
    return r ? toDisk(r) : undefined;
  }
  async ofPool(poolId: string, db: Kysely<DB> = this.db): Promise<DiskRecord[]> {
    const rows = await db
      .selectFrom('disks')
      .selectAll()
      .where('pool_id', '=', poolId)
      .orderBy('devid')
      .orderBy('id')
      .execute();
    return rows.map(toDisk);
  }
  /** The disks of a page of pools, in one query. */
  async ofPools(poolIds: string[]): Promise<DiskRecord[]> {
    if (!poolIds.length) return [];
    const rows = await this.db
      .selectFrom('disks')
      .selectAll()
      .where('pool_id', 'in', poolIds)
      .orderBy('devid')
      .orderBy('id')
      .execute();
    return rows.map(toDisk);
  }
  /** Every virtual disk (for re-attaching at start-up); bounded by how many loop devices exist. */
  async virtual(): Promise<DiskRecord[]> {
    const rows = await this.db.selectFrom('disks').selectAll().where('kind', '=', 'virtual').execute();
    return rows.map(toDisk);
  }
  async physical(): Promise<DiskRecord[]> {
    const rows = await this.db.selectFrom('disks').selectAll().where('kind', '=', 'physical').execute();
    return rows.map(toDisk);
  }
  list<T>(params: ListParams, toItem: (d: DiskRecord) => T, pools: string[] | null): Promise<Page<T>> {
    let q = this.db.selectFrom('disks').selectAll();
    // A key limited to pools sees unused disks and the disks of its pools.
    if (pools)
      q = q.where((eb) =>
        eb.or([eb('pool_id', 'is', null), ...(pools.length ? [eb('pool_id', 'in', pools)] : [])]),
      );
    return listPage(q, DISK_LIST, params, this.dialect, (r: Selectable<DisksTable>) => toItem(toDisk(r)));
  }
  async insert(
    d: Omit<DiskRecord, 'seq' | 'createdAt' | 'updatedAt'>,
    db: Kysely<DB> = this.db,
  ): Promise<void> {
    const now = nowIso();
    await db
      .insertInto('disks')
      .values({
        id: d.id,
        name: d.name,
        kind: d.kind,
        path: d.path,
        file: d.file,
        size_bytes: d.sizeBytes,
        model: d.model,
        vendor: d.vendor,
        serial: d.serial,
        wwn: d.wwn,
        rotational: d.rotational ? 1 : 0,
        in_use: d.inUse,
        state: d.state,
        pool_id: d.poolId,
        devid: d.devid,
        created_at: now,
        updated_at: now,
      })
      .execute();
  }
  async update(id: string, patch: DiskPatch, db: Kysely<DB> = this.db): Promise<void> {
    await db
      .updateTable('disks')
      .set(diskSet(patch) as never)
      .where('id', '=', id)
      .execute();
  }
  /** Changes a disk only if it is in one of `from` (claiming it); false when it was not. */
  async transition(
    id: string,
    from: DiskState[],
    patch: DiskPatch,
    db: Kysely<DB> = this.db,
  ): Promise<boolean> {
    const r = await db
      .updateTable('disks')
      .set(diskSet(patch) as never)
      .where('id', '=', id)
      .where('state', 'in', from)
      .executeTakeFirst();
    return Number(r.numUpdatedRows) === 1;
  }
  async delete(id: string): Promise<void> {
    await this.db.deleteFrom('disks').where('id', '=', id).execute();
  }
  transaction<T>(fn: (tx: Transaction<DB>) => Promise<T>): Promise<T> {
    return this.db.transaction().execute(fn);
  }
}
