// File-backed luns: a lun volume whose data is a file inside a filesystem volume (its parent),
// at a relative path checked to stay inside it.
import type { Kysely } from 'kysely';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('volumes').addColumn('parent_id', 'text').execute();
  await db.schema.alterTable('volumes').addColumn('parent_path', 'text').execute();
  await db.schema.createIndex('volumes_parent').on('volumes').columns(['parent_id']).execute();
}
