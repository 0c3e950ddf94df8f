// Tables of volumes, snapshots and clones (issue 5). Every list sort column is indexed with the id.
import type { Kysely } from 'kysely';
import type { StoreDialect } from '../dialect.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>, d: StoreDialect): Promise<void> {
  await d
    .addSeq(db.schema.createTable('volumes'))
    .addColumn('id', 'text', (c) => c.notNull().unique())
    .addColumn('pool_id', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('size', d.bigint, (c) => c.notNull())
    .addColumn('thin', 'integer', (c) => c.notNull())
    .addColumn('block_size', 'integer')
    .addColumn('nocow', 'integer', (c) => c.notNull())
    .addColumn('compression', 'text', (c) => c.notNull())
    .addColumn('snapshot_limit', 'integer', (c) => c.notNull())
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('subvol_id', d.bigint)
    .addColumn('referenced', d.bigint, (c) => c.notNull().defaultTo(0))
    .addColumn('exclusive', d.bigint, (c) => c.notNull().defaultTo(0))
    .addColumn('sizes_at', 'text')
    .addColumn('origin_snapshot_id', 'text')
    .addColumn('error', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('volumes_pool_name')
    .unique()
    .on('volumes')
    .columns(['pool_id', 'name'])
    .execute();
  await db.schema.createIndex('volumes_created').on('volumes').columns(['created_at', 'id']).execute();
  await db.schema.createIndex('volumes_name').on('volumes').columns(['name', 'id']).execute();
  await db.schema
    .createIndex('volumes_pool_created')
    .on('volumes')
    .columns(['pool_id', 'created_at', 'id'])
    .execute();
  await db.schema.createIndex('volumes_origin').on('volumes').columns(['origin_snapshot_id']).execute();

  await d
    .addSeq(db.schema.createTable('snapshots'))
    .addColumn('id', 'text', (c) => c.notNull().unique())
    .addColumn('volume_id', 'text', (c) => c.notNull())
    .addColumn('pool_id', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('subvol_id', d.bigint)
    .addColumn('referenced', d.bigint, (c) => c.notNull().defaultTo(0))
    .addColumn('exclusive', d.bigint, (c) => c.notNull().defaultTo(0))
    .addColumn('sizes_at', 'text')
    .addColumn('holds', 'text', (c) => c.notNull().defaultTo('[]'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('snapshots_volume_name')
    .unique()
    .on('snapshots')
    .columns(['volume_id', 'name'])
    .execute();
  await db.schema
    .createIndex('snapshots_volume_created')
    .on('snapshots')
    .columns(['volume_id', 'created_at', 'id'])
    .execute();
  await db.schema.createIndex('snapshots_created').on('snapshots').columns(['created_at', 'id']).execute();
  await db.schema
    .createIndex('snapshots_pool_created')
    .on('snapshots')
    .columns(['pool_id', 'created_at', 'id'])
    .execute();
  await db.schema.createIndex('snapshots_name').on('snapshots').columns(['name', 'id']).execute();
  await db.schema
    .createIndex('snapshots_volume_exclusive')
    .on('snapshots')
    .columns(['volume_id', 'exclusive', 'id'])
    .execute();
}
