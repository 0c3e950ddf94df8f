// iSCSI targets as objects (tids shared with the iSCSI exports), their host ACL and their LUNs.
// Unique indexes settle concurrent writers: one IQN per target, one tid per target, one iSCSI place
// per volume. Existing iSCSI exports get their target row (tid = the export's slot) and LUN.
import type { Kysely } from 'kysely';
import type { StoreDialect } from '../dialect.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>, d: StoreDialect): Promise<void> {
  await d
    .addSeq(db.schema.createTable('iscsi_targets'))
    .addColumn('id', 'text', (c) => c.notNull().unique())
    .addColumn('iqn', 'text', (c) => c.notNull())
    .addColumn('alias', 'text')
    .addColumn('tid', 'integer', (c) => c.notNull())
    .addColumn('export_id', 'text')
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('error', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('iscsi_targets_iqn').on('iscsi_targets').columns(['iqn']).unique().execute();
  await db.schema.createIndex('iscsi_targets_tid').on('iscsi_targets').columns(['tid']).unique().execute();
  await db.schema
    .createIndex('iscsi_targets_created')
    .on('iscsi_targets')
    .columns(['created_at', 'id'])
    .execute();
  await db.schema.createIndex('iscsi_targets_alias').on('iscsi_targets').columns(['alias', 'id']).execute();
  await db.schema.createIndex('iscsi_targets_export').on('iscsi_targets').columns(['export_id']).execute();

  await db.schema
    .createTable('iscsi_target_hosts')
    .addColumn('target_id', 'text', (c) => c.notNull())
    .addColumn('host_id', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('iscsi_target_hosts_pk', ['target_id', 'host_id'])
    .execute();
  await db.schema
    .createIndex('iscsi_target_hosts_host')
    .on('iscsi_target_hosts')
    .columns(['host_id'])
    .execute();

  await db.schema
    .createTable('iscsi_luns')
    .addColumn('target_id', 'text', (c) => c.notNull())
    .addColumn('lun', 'integer', (c) => c.notNull())
    .addColumn('volume_id', 'text', (c) => c.notNull())
    .addColumn('pool_id', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('iscsi_luns_pk', ['target_id', 'lun'])
    .execute();
  await db.schema.createIndex('iscsi_luns_volume').on('iscsi_luns').columns(['volume_id']).unique().execute();

  const exports = await db
    .selectFrom('exports')
    .select(['id', 'volume_id', 'pool_id', 'export_name', 'slot', 'options', 'created_at'])
    .where('protocol', '=', 'iscsi')
    .where('slot', 'is not', null)
    .orderBy('seq')
    .execute();
  const mapped = new Set<string>();
  for (const e of exports as {
    id: string;
    volume_id: string;
    pool_id: string;
    export_name: string;
    slot: number;
    options: string;
    created_at: string;
  }[]) {
    await db
      .insertInto('iscsi_targets')
      .values({
        id: e.id,
        iqn: e.export_name,
        alias: null,
        tid: e.slot,
        export_id: e.id,
        state: 'active',
        error: null,
        created_at: e.created_at,
        updated_at: e.created_at,
      })
      .execute();
    // Before targets, two exports could serve one volume; the first keeps the LUN row.
    if (mapped.has(e.volume_id)) continue;
    mapped.add(e.volume_id);
    const lun = (JSON.parse(e.options) as { lun?: number }).lun ?? 1;
    await db
      .insertInto('iscsi_luns')
      .values({ target_id: e.id, lun, volume_id: e.volume_id, pool_id: e.pool_id, created_at: e.created_at })
      .execute();
  }
}
