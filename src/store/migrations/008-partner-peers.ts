// Partnerships made both ways (vSnap §12): the partner's entry for this system, and the API key this
// system made for the partner, so removing the partnership removes both.
import type { Kysely } from 'kysely';
import type { StoreDialect } from '../dialect.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>, _d: StoreDialect): Promise<void> {
  await db.schema.alterTable('partners').addColumn('peer_partner_id', 'text').execute();
  await db.schema.alterTable('partners').addColumn('local_key_id', 'text').execute();
}
