// The one log across system events, alerts and the audit trail: a UNION ALL of the three tables
// projected to one shape, paged, filtered and sorted in SQL with the shared list implementation.
import { sql, type Kysely } from 'kysely';
import type { DB } from './schema.js';
import type { StoreDialect } from './dialect.js';
import { listUnionPage } from './list.js';
import type { ListParams, Page } from '../domain/list.js';
import { LOG_LIST, type LogRecord } from '../domain/monitor.js';

/** A row of the union, as SQL names it. */
type LogRow = Omit<LogRecord, 'objectType' | 'objectId'> & {
  object_type: string | null;
  object_id: string | null;
  pool_id?: unknown;
};

export class MonitorLogStore {
  constructor(
    private readonly db: Kysely<DB>,
    private readonly dialect: StoreDialect,
  ) {}

  /** `pools` limits entries to objects of those pools (events and alerts of a pool; no audit). */
  list(params: ListParams, pools: string[] | null): Promise<Page<LogRecord>> {
    const events = this.db
      .selectFrom('events')
      .select([
        sql<string>`'event'`.as('source'),
        'id',
        'at',
        'type',
        'severity',
        'object_type',
        'object_id',
        sql<string | null>`CASE WHEN object_type = 'pool' THEN object_id ELSE NULL END`.as('pool_id'),
        'message',
        'actor',
      ]);
    const alerts = this.db
      .selectFrom('alerts')
      .select([
        sql<string>`'alert'`.as('source'),
        'id',
        sql<string>`raised_at`.as('at'),
        sql<string>`'alert.' || rule`.as('type'),
        'severity',
        'object_type',
        'object_id',
        'pool_id',
        sql<string>`message || ' [' || state || ']'`.as('message'),
        sql<string>`'system'`.as('actor'),
      ]);
    const audit = this.db
      .selectFrom('audit')
      .select([
        sql<string>`'audit'`.as('source'),
        'id',
        'at',
        sql<string>`'audit.request'`.as('type'),
        sql<string>`CASE WHEN result = 'ok' THEN 'info' ELSE 'warning' END`.as('severity'),
        sql<string | null>`NULL`.as('object_type'),
        sql<string | null>`NULL`.as('object_id'),
        sql<string | null>`NULL`.as('pool_id'),
        sql<string>`method || ' ' || url || ' ' || CAST(status AS text)`.as('message'),
        'actor',
      ]);
    // Pool-scoped callers see events and alerts of their pools, never the audit trail.
    const sources = pools ? [events, alerts] : [events, alerts, audit];
    const scoped: ListParams = pools
      ? {
          ...params,
          filters: [
            ...params.filters,
            pools.length
              ? { field: 'pool_id', column: 'pool_id', op: 'in', value: pools }
              : { field: 'pool_id', column: 'pool_id', op: 'eq', value: '\u0000' },
          ],
        }
      : params;
    return listUnionPage(
      sources,
      LOG_LIST,
      scoped,
      this.dialect,
      (r: LogRow): LogRecord => {
        const { pool_id: _p, object_type, object_id, ...rest } = r;
        return { ...rest, objectType: object_type, objectId: object_id };
      },
      this.db as never,
    );
  }
}
