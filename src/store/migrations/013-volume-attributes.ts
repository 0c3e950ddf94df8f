// Labels, display names and the metadata bag of volumes and snapshots. Labels are rows of their
// own (one per key) so that `?label=k=v` filters in SQL on an index; they go with their object
// (ON DELETE CASCADE). A display name defaults to the name, so existing rows take their name.
import { sql, type Kysely } from 'kysely';
import type { StoreDialect } from '../dialect.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>, _d: StoreDialect): Promise<void> {
  for (const [table, owner] of [
    ['volume_labels', 'volumes'],
    ['snapshot_labels', 'snapshots'],
  ] as const) {
    await db.schema
      .createTable(table)
      .addColumn('object_id', 'text', (c) => c.notNull().references(`${owner}.id`).onDelete('cascade'))
      .addColumn('key', 'text', (c) => c.notNull())
      .addColumn('value', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint(`${table}_pk`, ['object_id', 'key'])
      .execute();
    // `label=key=value` and `label=key` both start from this index and yield object ids.
    await db.schema
      .createIndex(`${table}_key_value`)
      .on(table)
      .columns(['key', 'value', 'object_id'])
      .execute();
    await db.schema
      .alterTable(owner)
      .addColumn('display_name', 'text', (c) => c.notNull().defaultTo(''))
      .execute();
    await sql`update ${sql.table(owner)} set display_name = name`.execute(db);
    await db.schema.createIndex(`${owner}_display_name`).on(owner).columns(['display_name', 'id']).execute();
  }
  await db.schema
    .alterTable('volumes')
    .addColumn('metadata', 'text', (c) => c.notNull().defaultTo('{}'))
    .execute();
}
