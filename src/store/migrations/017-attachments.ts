// Attachments (a volume used on this machine): one row per volume mount shared by its requesters,
// one row per requester, and the filesystem a lun was formatted with (kept after the last detach,
// so a lun is never formatted twice).
import type { Kysely } from 'kysely';
import type { StoreDialect } from '../dialect.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>, d: StoreDialect): Promise<void> {
  await db.schema
    .createTable('volume_mounts')
    .addColumn('volume_id', 'text', (c) => c.primaryKey())
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('volume_type', 'text', (c) => c.notNull())
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('mount_path', 'text', (c) => c.unique())
    .addColumn('device_path', 'text')
    .addColumn('read_only', 'integer', (c) => c.notNull())
    .addColumn('job_id', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await d
    .addSeq(db.schema.createTable('attachments'))
    .addColumn('id', 'text', (c) => c.notNull().unique())
    .addColumn('volume_id', 'text', (c) => c.notNull())
    .addColumn('requester', 'text', (c) => c.notNull())
    .addColumn('read_only', 'integer', (c) => c.notNull())
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('attachments_volume_requester', ['volume_id', 'requester'])
    .execute();
  await db.schema
    .createIndex('attachments_created')
    .on('attachments')
    .columns(['created_at', 'id'])
    .execute();
  await db.schema
    .createIndex('attachments_volume')
    .on('attachments')
    .columns(['volume_id', 'created_at'])
    .execute();
  await db.schema
    .createIndex('attachments_requester')
    .on('attachments')
    .columns(['requester', 'created_at'])
    .execute();
  await db.schema
    .createTable('lun_filesystems')
    .addColumn('volume_id', 'text', (c) => c.primaryKey())
    .addColumn('filesystem', 'text', (c) => c.notNull())
    .addColumn('formatted_at', 'text', (c) => c.notNull())
    .execute();
}
