// Tables of disks and pools (issue 4).
import type { Kysely } from 'kysely';
import type { StoreDialect } from '../dialect.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>, d: StoreDialect): Promise<void> {
  await d
    .addSeq(db.schema.createTable('disks'))
    .addColumn('id', 'text', (c) => c.notNull().unique())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('path', 'text')
    .addColumn('file', 'text')
    .addColumn('size_bytes', d.bigint, (c) => c.notNull())
    .addColumn('model', 'text')
    .addColumn('serial', 'text')
    .addColumn('wwn', 'text')
    .addColumn('rotational', 'integer', (c) => c.notNull())
    .addColumn('in_use', 'text')
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('pool_id', 'text')
    .addColumn('devid', 'integer')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('disks_created').on('disks').columns(['created_at', 'id']).execute();
  await db.schema.createIndex('disks_name').on('disks').columns(['name', 'id']).execute();
  await db.schema.createIndex('disks_state').on('disks').columns(['state', 'id']).execute();
  await db.schema.createIndex('disks_size').on('disks').columns(['size_bytes', 'id']).execute();
  await db.schema.createIndex('disks_kind').on('disks').columns(['kind', 'id']).execute();
  await db.schema.createIndex('disks_pool').on('disks').columns(['pool_id', 'id']).execute();

  await d
    .addSeq(db.schema.createTable('pools'))
    .addColumn('id', 'text', (c) => c.notNull().unique())
    .addColumn('name', 'text', (c) => c.notNull().unique())
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('health', 'text', (c) => c.notNull())
    .addColumn('health_reason', 'text')
    .addColumn('data_profile', 'text', (c) => c.notNull())
    .addColumn('metadata_profile', 'text', (c) => c.notNull())
    .addColumn('compression', 'text', (c) => c.notNull())
    .addColumn('compression_level', 'integer')
    .addColumn('sync', 'text', (c) => c.notNull())
    .addColumn('uuid', 'text')
    .addColumn('last_scrub', 'text')
    .addColumn('dedup_saved_bytes', d.bigint, (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('pools_created').on('pools').columns(['created_at', 'id']).execute();
  await db.schema.createIndex('pools_state').on('pools').columns(['state', 'id']).execute();
  await db.schema.createIndex('pools_health').on('pools').columns(['health', 'id']).execute();
  await db.schema.createIndex('pools_profile').on('pools').columns(['data_profile', 'id']).execute();
}
