// Deduplication as a pool setting: when duperemove runs over the pool (a cron expression; NULL is
// off) and when it last ran.
import type { Kysely } from 'kysely';
import type { StoreDialect } from '../dialect.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>, _d: StoreDialect): Promise<void> {
  await db.schema.alterTable('pools').addColumn('dedup_schedule', 'text').execute();
  await db.schema.alterTable('pools').addColumn('dedup_last_run_at', 'text').execute();
}
