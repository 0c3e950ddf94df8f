// Tables of statistics (raw points and hour/day/month rollups), alert rules, alerts, notification
// channels and their durable deliveries (issue 8).
import type { Kysely } from 'kysely';
import type { StoreDialect } from '../dialect.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>, d: StoreDialect): Promise<void> {
  await db.schema
    .createTable('stat_points')
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('object_id', 'text', (c) => c.notNull())
    .addColumn('metric', 'text', (c) => c.notNull())
    .addColumn('ts', d.bigint, (c) => c.notNull())
    .addColumn('value', 'double precision', (c) => c.notNull())
    .addPrimaryKeyConstraint('stat_points_pk', ['kind', 'object_id', 'metric', 'ts'])
    .execute();
  await db.schema.createIndex('stat_points_ts').on('stat_points').column('ts').execute();

  await db.schema
    .createTable('stat_rollups')
    .addColumn('resolution', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('object_id', 'text', (c) => c.notNull())
    .addColumn('metric', 'text', (c) => c.notNull())
    .addColumn('ts', d.bigint, (c) => c.notNull())
    .addColumn('min', 'double precision', (c) => c.notNull())
    .addColumn('max', 'double precision', (c) => c.notNull())
    .addColumn('avg', 'double precision', (c) => c.notNull())
    .addColumn('last', 'double precision', (c) => c.notNull())
    .addColumn('count', d.bigint, (c) => c.notNull())
    .addPrimaryKeyConstraint('stat_rollups_pk', ['resolution', 'kind', 'object_id', 'metric', 'ts'])
    .execute();
  await db.schema.createIndex('stat_rollups_ts').on('stat_rollups').columns(['resolution', 'ts']).execute();

  await db.schema
    .createTable('alert_rules')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('description', 'text', (c) => c.notNull())
    .addColumn('enabled', 'integer', (c) => c.notNull())
    .addColumn('params', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();

  await d
    .addSeq(db.schema.createTable('alerts'))
    .addColumn('id', 'text', (c) => c.notNull().unique())
    .addColumn('rule', 'text', (c) => c.notNull())
    .addColumn('object_type', 'text', (c) => c.notNull())
    .addColumn('object_id', 'text', (c) => c.notNull())
    .addColumn('pool_id', 'text')
    .addColumn('severity', 'text', (c) => c.notNull())
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('open_key', 'text', (c) => c.unique())
    .addColumn('message', 'text', (c) => c.notNull())
    .addColumn('details', 'text', (c) => c.notNull())
    .addColumn('count', 'integer', (c) => c.notNull())
    .addColumn('raised_at', 'text', (c) => c.notNull())
    .addColumn('last_seen_at', 'text', (c) => c.notNull())
    .addColumn('acknowledged_at', 'text')
    .addColumn('acknowledged_by', 'text')
    .addColumn('cleared_at', 'text')
    .execute();
  await db.schema.createIndex('alerts_raised').on('alerts').columns(['raised_at', 'id']).execute();
  await db.schema.createIndex('alerts_state').on('alerts').columns(['state', 'raised_at']).execute();
  await db.schema.createIndex('alerts_object').on('alerts').columns(['object_id', 'raised_at']).execute();
  await db.schema.createIndex('alerts_pool').on('alerts').columns(['pool_id', 'raised_at']).execute();
  await db.schema.createIndex('alerts_severity').on('alerts').columns(['severity', 'raised_at']).execute();

  await d
    .addSeq(db.schema.createTable('notification_channels'))
    .addColumn('id', 'text', (c) => c.notNull().unique())
    .addColumn('name', 'text', (c) => c.notNull().unique())
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('enabled', 'integer', (c) => c.notNull())
    .addColumn('min_severity', 'text', (c) => c.notNull())
    .addColumn('config', 'text', (c) => c.notNull())
    .addColumn('secret', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('notification_channels_created')
    .on('notification_channels')
    .columns(['created_at', 'id'])
    .execute();

  await d
    .addSeq(db.schema.createTable('notification_deliveries'))
    .addColumn('id', 'text', (c) => c.notNull().unique())
    .addColumn('channel_id', 'text', (c) => c.notNull())
    .addColumn('alert_id', 'text')
    .addColumn('event', 'text', (c) => c.notNull())
    .addColumn('payload', 'text', (c) => c.notNull())
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('attempts', 'integer', (c) => c.notNull())
    .addColumn('next_attempt_at', d.bigint, (c) => c.notNull())
    .addColumn('last_error', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('delivered_at', 'text')
    .execute();
  await db.schema
    .createIndex('notification_deliveries_due')
    .on('notification_deliveries')
    .columns(['state', 'next_attempt_at'])
    .execute();
  await db.schema
    .createIndex('notification_deliveries_channel')
    .on('notification_deliveries')
    .columns(['channel_id', 'created_at'])
    .execute();
}
