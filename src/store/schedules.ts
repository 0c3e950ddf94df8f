// Schedules: desired (cron, zone, target, retention) and their run record (last, next).
import { sql, type Kysely, type Selectable, type Updateable } from 'kysely';
import { camelKeys, snakeKeys } from './casing.js';
import type { DB } from './schema.js';
import type { StoreDialect } from './dialect.js';
import { listPage } from './list.js';
import type { ListParams, Page } from '../domain/list.js';
import { SCHEDULE_LIST, type RetentionPolicy, type ScheduleKind } from '../domain/protection.js';
import { CairnError } from '../domain/errors.js';
import { nowIso } from '../domain/ids.js';
import { isUniqueViolation } from './volumes.js';

export interface ScheduleRecord {
  id: string;
  seq: number;
  name: string;
  kind: ScheduleKind;
  targetId: string;
  poolId: string | null;
  cron: string;
  timeZone: string;
  prefix: string;
  enabled: boolean;
  retention: RetentionPolicy;
  lastRunAt: string | null;
  lastStatus: string | null;
  lastError: string | null;
  lastJobId: string | null;
  nextRunAt: string | null;
  createdAt: string;
  updatedAt: string;
}

type Row = Selectable<DB['schedules']>;
const toRecord = (r: Row): ScheduleRecord => ({
  ...camelKeys(r),
  seq: Number(r.seq),
  kind: r.kind as ScheduleKind,
  enabled: Number(r.enabled) === 1,
  retention: JSON.parse(r.retention) as RetentionPolicy,
});

export type NewSchedule = Omit<
  ScheduleRecord,
  'seq' | 'lastRunAt' | 'lastStatus' | 'lastError' | 'lastJobId' | 'createdAt' | 'updatedAt'
>;

export class ScheduleStore {
  constructor(
    readonly db: Kysely<DB>,
    private readonly dialect: StoreDialect,
  ) {}

  async find(id: string): Promise<ScheduleRecord | undefined> {
    const r = await this.db.selectFrom('schedules').selectAll().where('id', '=', id).executeTakeFirst();
    return r ? toRecord(r) : undefined;
  }

  async get(id: string): Promise<ScheduleRecord> {
    const s = await this.find(id);
    if (!s) throw new CairnError('SCHEDULE_NOT_FOUND', { id });
    return s;
  }

  list<T>(params: ListParams, pools: string[] | null, toItem: (s: ScheduleRecord) => T): Promise<Page<T>> {
    let q = this.db.selectFrom('schedules').selectAll();
    if (pools) q = pools.length ? q.where('pool_id', 'in', pools) : q.where(sql<boolean>`1 = 0`);
    return listPage(q, SCHEDULE_LIST, params, this.dialect, (r: Row) => toItem(toRecord(r)));
  }

  async insert(s: NewSchedule): Promise<void> {
    const now = nowIso();
    try {
      await this.db
        .insertInto('schedules')
        .values({
          ...snakeKeys(s),
          enabled: s.enabled ? 1 : 0,
          retention: JSON.stringify(s.retention),
          last_run_at: null,
          last_status: null,
          last_error: null,
          last_job_id: null,
          created_at: now,
          updated_at: now,
        })
        .execute();
    } catch (e) {
      if (isUniqueViolation(e)) throw new CairnError('SCHEDULE_NAME_TAKEN', { name: s.name });
      throw e;
    }
  }

  async update(
    id: string,
    patch: Partial<Omit<ScheduleRecord, 'id' | 'seq' | 'enabled' | 'retention'>> & {
      enabled?: boolean;
      retention?: RetentionPolicy;
    },
  ): Promise<void> {
    const { enabled, retention, ...rest } = patch;
    const set: Updateable<DB['schedules']> = { ...snakeKeys(rest), updated_at: nowIso() };
    if (enabled !== undefined) set.enabled = enabled ? 1 : 0;
    if (retention !== undefined) set.retention = JSON.stringify(retention);
    try {
      await this.db.updateTable('schedules').set(set).where('id', '=', id).execute();
    } catch (e) {
      if (isUniqueViolation(e)) throw new CairnError('SCHEDULE_NAME_TAKEN', { name: patch.name });
      throw e;
    }
  }

  async delete(id: string): Promise<void> {
    await this.db.deleteFrom('schedules').where('id', '=', id).execute();
  }

  async deleteByPool(poolId: string): Promise<void> {
    await this.db.deleteFrom('schedules').where('pool_id', '=', poolId).execute();
  }

  async deleteByTarget(targetId: string): Promise<void> {
    await this.db.deleteFrom('schedules').where('target_id', '=', targetId).execute();
  }

  /** Enabled schedules due at `now` (next_run_at <= now), oldest first, a page at a time. */
  async due(now: string, limit = 100): Promise<ScheduleRecord[]> {
    const rows = await this.db
      .selectFrom('schedules')
      .selectAll()
      .where('enabled', '=', 1)
      .where('next_run_at', '<=', now)
      .orderBy('next_run_at')
      .orderBy('id')
      .limit(limit)
      .execute();
    return rows.map(toRecord);
  }

  /** Enabled schedules without a next run (new, or never computed). */
  async unplanned(limit = 1000): Promise<ScheduleRecord[]> {
    const rows = await this.db
      .selectFrom('schedules')
      .selectAll()
      .where('enabled', '=', 1)
      .where('next_run_at', 'is', null)
      .limit(limit)
      .execute();
    return rows.map(toRecord);
  }

  /** The earliest next run of any enabled schedule. */
  async earliest(): Promise<string | null> {
    const r = await this.db
      .selectFrom('schedules')
      .select((eb) => eb.fn.min('next_run_at').as('t'))
      .where('enabled', '=', 1)
      .executeTakeFirst();
    return (r?.t as string | null | undefined) ?? null;
  }
}
