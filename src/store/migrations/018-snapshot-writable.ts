// Writable snapshots: a snapshot taken without btrfs's read-only flag (OpenStorage's harness asks
// for them). Existing snapshots are all read-only.
import type { Kysely } from 'kysely';
import type { StoreDialect } from '../dialect.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>, _d: StoreDialect): Promise<void> {
  await db.schema
    .alterTable('snapshots')
    .addColumn('writable', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
}
