// Pools: the administrator's intent (name, profiles, compression, sync policy) plus what was last
// observed (health, last scrub, dedup savings). Rows ↔ domain records.
import type { Kysely, Selectable } from 'kysely';
import type { DB } from './schema.js';
import type { PoolsTable } from './schema-storage.js';
import type { ListParams, Page } from '../domain/list.js';
import { listPage } from './list.js';
import {
  POOL_LIST,
  type Compression,
  type Health,
  type PoolState,
  type Profile,
  type SyncPolicy,
} from '../domain/storage.js';
import type { StoreDialect } from './dialect.js';
import { nowIso } from '../domain/ids.js';
import { CairnError } from '../domain/errors.js';

export interface ScrubResult {
  state: 'finished' | 'cancelled' | 'failed';
  started_at: string;
  finished_at: string;
  bytes_scrubbed: number;
  csum_errors: number;
  read_errors: number;
  corrected_errors: number;
  uncorrectable_errors: number;
  duration_seconds: number;
  job_id: string;
}

export interface PoolRecord {
  id: string;
  seq: number;
  name: string;
  state: PoolState;
  health: Health;
  healthReason: string | null;
  dataProfile: Profile;
  metadataProfile: Profile;
  compression: Compression;
  compressionLevel: number | null;
  sync: SyncPolicy;
  uuid: string | null;
  lastScrub: ScrubResult | null;
  dedupSavedBytes: number;
  /** When duperemove runs over the pool (cron); null: never on its own. */
  dedupSchedule: string | null;
  dedupLastRunAt: string | null;
  createdAt: string;
  updatedAt: string;
}

const toPool = (r: Selectable<PoolsTable>): PoolRecord => ({
  id: r.id,
  seq: Number(r.seq),
  name: r.name,
  state: r.state as PoolState,
  health: r.health as Health,
  healthReason: r.health_reason,
  dataProfile: r.data_profile as Profile,
  metadataProfile: r.metadata_profile as Profile,
  compression: r.compression as Compression,
  compressionLevel: r.compression_level === null ? null : Number(r.compression_level),
  sync: r.sync as SyncPolicy,
  uuid: r.uuid,
  lastScrub: r.last_scrub ? (JSON.parse(r.last_scrub) as ScrubResult) : null,
  dedupSavedBytes: Number(r.dedup_saved_bytes),
  dedupSchedule: r.dedup_schedule ?? null,
  dedupLastRunAt: r.dedup_last_run_at ?? null,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});

/** What an update may change: every field but the id, the sequence and the timestamps. */
export type PoolPatch = Partial<Omit<PoolRecord, 'id' | 'seq' | 'createdAt' | 'updatedAt'>>;

const COLS: Record<keyof PoolPatch, keyof PoolsTable> = {
  name: 'name',
  state: 'state',
  health: 'health',
  healthReason: 'health_reason',
  dataProfile: 'data_profile',
  metadataProfile: 'metadata_profile',
  compression: 'compression',
  compressionLevel: 'compression_level',
  sync: 'sync',
  uuid: 'uuid',
  lastScrub: 'last_scrub',
  dedupSavedBytes: 'dedup_saved_bytes',
  dedupSchedule: 'dedup_schedule',
  dedupLastRunAt: 'dedup_last_run_at',
};

export class PoolStore {
  constructor(
    readonly db: Kysely<DB>,
    private readonly dialect: StoreDialect,
  ) {}

  async find(id: string, db: Kysely<DB> = this.db): Promise<PoolRecord | undefined> {
    const r = await db.selectFrom('pools').selectAll().where('id', '=', id).executeTakeFirst();
    return r ? toPool(r) : undefined;
  }
  async get(id: string, db: Kysely<DB> = this.db): Promise<PoolRecord> {
    const p = await this.find(id, db);
    if (!p) throw new CairnError('POOL_NOT_FOUND', { id });
    return p;
  }
  async byName(name: string, db: Kysely<DB> = this.db): Promise<PoolRecord | undefined> {
    const r = await db.selectFrom('pools').selectAll().where('name', '=', name).executeTakeFirst();
    return r ? toPool(r) : undefined;
  }
  /** Pools after `afterSeq`, a page at a time (the reconciler and watcher walk them all this way). */
  async batch(afterSeq: number, limit: number): Promise<PoolRecord[]> {
    const rows = await this.db
      .selectFrom('pools')
      .selectAll()
      .where('seq', '>', afterSeq)
      .orderBy('seq')
      .limit(limit)
      .execute();
    return rows.map(toPool);
  }
  list<T>(
    params: ListParams,
    toItem: (p: PoolRecord) => Promise<T> | T,
    pools: string[] | null,
  ): Promise<Page<T>> {
    let q = this.db.selectFrom('pools').selectAll();
    if (pools) q = pools.length ? q.where('id', 'in', pools) : q.where('id', '=', '');
    return listPage(q, POOL_LIST, params, this.dialect, (r: Selectable<PoolsTable>) =>
      toItem(toPool(r)),
    ).then(async (page) => ({ ...page, items: await Promise.all(page.items) }));
  }
  async insert(
    p: Omit<
      PoolRecord,
      | 'seq'
      | 'createdAt'
      | 'updatedAt'
      | 'lastScrub'
      | 'dedupSavedBytes'
      | 'uuid'
      | 'dedupSchedule'
      | 'dedupLastRunAt'
    > & { dedupSchedule?: string | null },
    db: Kysely<DB> = this.db,
  ): Promise<void> {
    const now = nowIso();
    await db
      .insertInto('pools')
      .values({
        id: p.id,
        name: p.name,
        state: p.state,
        health: p.health,
        health_reason: p.healthReason,
        data_profile: p.dataProfile,
        metadata_profile: p.metadataProfile,
        compression: p.compression,
        compression_level: p.compressionLevel,
        sync: p.sync,
        uuid: null,
        last_scrub: null,
        dedup_saved_bytes: 0,
        dedup_schedule: p.dedupSchedule ?? null,
        dedup_last_run_at: null,
        created_at: now,
        updated_at: now,
      })
      .execute();
  }
  async update(id: string, patch: PoolPatch, db: Kysely<DB> = this.db): Promise<void> {
    const set: Record<string, unknown> = { updated_at: nowIso() };
    for (const [k, v] of Object.entries(patch)) {
      if (v === undefined) continue;
      set[COLS[k as keyof PoolPatch]] = k === 'lastScrub' && v !== null ? JSON.stringify(v) : v;
    }
    await db
      .updateTable('pools')
      .set(set as never)
      .where('id', '=', id)
      .execute();
  }
  async delete(id: string, db: Kysely<DB> = this.db): Promise<void> {
    await db.deleteFrom('pools').where('id', '=', id).execute();
  }
}
