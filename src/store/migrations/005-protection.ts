// Tables of schedules and replication (issue 7). Every list sort column is indexed with the id.
import type { Kysely } from 'kysely';
import type { StoreDialect } from '../dialect.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>, d: StoreDialect): Promise<void> {
  await d
    .addSeq(db.schema.createTable('schedules'))
    .addColumn('id', 'text', (c) => c.notNull().unique())
    .addColumn('name', 'text', (c) => c.notNull().unique())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('target_id', 'text', (c) => c.notNull())
    .addColumn('pool_id', 'text')
    .addColumn('cron', 'text', (c) => c.notNull())
    .addColumn('time_zone', 'text', (c) => c.notNull())
    .addColumn('prefix', 'text', (c) => c.notNull())
    .addColumn('enabled', 'integer', (c) => c.notNull())
    .addColumn('retention', 'text', (c) => c.notNull())
    .addColumn('last_run_at', 'text')
    .addColumn('last_status', 'text')
    .addColumn('last_error', 'text')
    .addColumn('last_job_id', 'text')
    .addColumn('next_run_at', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  for (const [name, cols] of [
    ['schedules_created', ['created_at', 'id']],
    ['schedules_name', ['name', 'id']],
    ['schedules_kind', ['kind', 'id']],
    ['schedules_next', ['next_run_at', 'id']],
    ['schedules_target', ['target_id']],
  ] as const)
    await db.schema
      .createIndex(name)
      .on('schedules')
      .columns([...cols])
      .execute();

  await d
    .addSeq(db.schema.createTable('partners'))
    .addColumn('id', 'text', (c) => c.notNull().unique())
    .addColumn('name', 'text', (c) => c.notNull().unique())
    .addColumn('url', 'text', (c) => c.notNull())
    .addColumn('fingerprint', 'text', (c) => c.notNull())
    .addColumn('api_key_sealed', 'text', (c) => c.notNull())
    .addColumn('remote_name', 'text')
    .addColumn('remote_version', 'text')
    .addColumn('verified_at', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('partners_created').on('partners').columns(['created_at', 'id']).execute();
  await db.schema.createIndex('partners_name').on('partners').columns(['name', 'id']).execute();

  await d
    .addSeq(db.schema.createTable('relationships'))
    .addColumn('id', 'text', (c) => c.notNull().unique())
    .addColumn('role', 'text', (c) => c.notNull())
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('volume_id', 'text')
    .addColumn('pool_id', 'text', (c) => c.notNull())
    .addColumn('partner_id', 'text')
    .addColumn('peer', 'text')
    .addColumn('remote_pool_id', 'text')
    .addColumn('remote_volume_id', 'text')
    .addColumn('remote_volume_name', 'text')
    .addColumn('replica_retention', 'text', (c) => c.notNull())
    .addColumn('last_sync_status', 'text')
    .addColumn('last_attempt_snapshot_id', 'text')
    .addColumn('last_success_snapshot_id', 'text')
    .addColumn('last_success_at', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  for (const [name, cols] of [
    ['relationships_created', ['created_at', 'id']],
    ['relationships_volume', ['volume_id', 'created_at', 'id']],
    ['relationships_partner', ['partner_id', 'created_at', 'id']],
    ['relationships_role', ['role', 'id']],
    ['relationships_state', ['state', 'id']],
  ] as const)
    await db.schema
      .createIndex(name)
      .on('relationships')
      .columns([...cols])
      .execute();

  await d
    .addSeq(db.schema.createTable('replication_sessions'))
    .addColumn('id', 'text', (c) => c.notNull().unique())
    .addColumn('relationship_id', 'text', (c) => c.notNull())
    .addColumn('direction', 'text', (c) => c.notNull())
    .addColumn('pool_id', 'text')
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('job_id', 'text')
    .addColumn('snapshot_id', 'text')
    .addColumn('snapshot_name', 'text')
    .addColumn('parent_snapshot_id', 'text')
    .addColumn('remote_snapshot_id', 'text')
    .addColumn('bytes_sent', d.bigint, (c) => c.notNull().defaultTo(0))
    .addColumn('rate', d.bigint, (c) => c.notNull().defaultTo(0))
    .addColumn('progress', 'real', (c) => c.notNull().defaultTo(0))
    .addColumn('message', 'text')
    .addColumn('started_at', 'text')
    .addColumn('ended_at', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  for (const [name, cols] of [
    ['sessions_created', ['created_at', 'id']],
    ['sessions_relationship', ['relationship_id', 'created_at', 'id']],
    ['sessions_status', ['status', 'id']],
    ['sessions_bytes', ['bytes_sent', 'id']],
  ] as const)
    await db.schema
      .createIndex(name)
      .on('replication_sessions')
      .columns([...cols])
      .execute();
}
