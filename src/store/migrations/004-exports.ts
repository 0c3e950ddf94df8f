// Tables of exports, hosts and daemon supervision (issue 6).
import type { Kysely } from 'kysely';
import type { StoreDialect } from '../dialect.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>, d: StoreDialect): Promise<void> {
  await d
    .addSeq(db.schema.createTable('hosts'))
    .addColumn('id', 'text', (c) => c.notNull().unique())
    .addColumn('name', 'text', (c) => c.notNull().unique())
    .addColumn('iqns', 'text', (c) => c.notNull())
    .addColumn('addresses', 'text', (c) => c.notNull())
    .addColumn('chap_user', 'text', (c) => c.unique())
    .addColumn('chap_secret', 'text')
    .addColumn('mutual_user', 'text')
    .addColumn('mutual_secret', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('hosts_created').on('hosts').columns(['created_at', 'id']).execute();
  await db.schema.createIndex('hosts_name').on('hosts').columns(['name', 'id']).execute();

  await db.schema
    .createTable('host_iqns')
    .addColumn('iqn', 'text', (c) => c.primaryKey())
    .addColumn('host_id', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('host_iqns_host').on('host_iqns').columns(['host_id']).execute();

  await d
    .addSeq(db.schema.createTable('exports'))
    .addColumn('id', 'text', (c) => c.notNull().unique())
    .addColumn('volume_id', 'text', (c) => c.notNull())
    .addColumn('pool_id', 'text', (c) => c.notNull())
    .addColumn('protocol', 'text', (c) => c.notNull())
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('read_only', 'integer', (c) => c.notNull())
    .addColumn('hosts', 'text', (c) => c.notNull())
    .addColumn('allowed', 'text', (c) => c.notNull())
    .addColumn('options', 'text', (c) => c.notNull())
    .addColumn('export_name', 'text', (c) => c.notNull())
    .addColumn('slot', 'integer')
    .addColumn('uri', 'text', (c) => c.notNull())
    .addColumn('error', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('exports_protocol_name', ['protocol', 'export_name'])
    .execute();
  await db.schema.createIndex('exports_created').on('exports').columns(['created_at', 'id']).execute();
  await db.schema.createIndex('exports_volume').on('exports').columns(['volume_id', 'created_at']).execute();
  await db.schema.createIndex('exports_pool').on('exports').columns(['pool_id', 'created_at']).execute();
  await db.schema.createIndex('exports_protocol').on('exports').columns(['protocol', 'created_at']).execute();
  await db.schema.createIndex('exports_state').on('exports').columns(['state', 'created_at']).execute();
  await db.schema.createIndex('exports_name').on('exports').columns(['export_name', 'id']).execute();

  await db.schema
    .createTable('export_hosts')
    .addColumn('export_id', 'text', (c) => c.notNull())
    .addColumn('host_id', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('export_hosts_pk', ['export_id', 'host_id'])
    .execute();
  await db.schema.createIndex('export_hosts_host').on('export_hosts').columns(['host_id']).execute();
}
