// API keys can be disabled (kept, refused at authentication) and renamed. A host's initiators
// become rows with ids of their own (host_initiators), and an IQN may belong to several hosts (NGX
// shares one initiator between auth groups): unique within a host only. host_iqns, which made an
// IQN unique across hosts, is copied over and dropped.
import type { Kysely } from 'kysely';
import type { StoreDialect } from '../dialect.js';
import { newId, nowIso } from '../../domain/ids.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>, _d: StoreDialect): Promise<void> {
  await db.schema
    .alterTable('api_keys')
    .addColumn('enabled', 'integer', (c) => c.notNull().defaultTo(1))
    .execute();

  await db.schema
    .createTable('host_initiators')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('host_id', 'text', (c) => c.notNull())
    .addColumn('iqn', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('host_initiators_host_iqn')
    .unique()
    .on('host_initiators')
    .columns(['host_id', 'iqn'])
    .execute();
  await db.schema.createIndex('host_initiators_iqn').on('host_initiators').columns(['iqn']).execute();
  const old = (await db.selectFrom('host_iqns').select(['iqn', 'host_id']).execute()) as {
    iqn: string;
    host_id: string;
  }[];
  const now = nowIso();
  for (const r of old)
    await db
      .insertInto('host_initiators')
      .values({ id: newId(), host_id: r.host_id, iqn: r.iqn, created_at: now })
      .execute();
  await db.schema.dropTable('host_iqns').execute();
}
