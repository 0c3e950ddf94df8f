// Export slots (tgt target ids, ganesha Export_Ids, NBD ports) are unique per protocol in the store,
// so concurrent creates (one cairnd or several sharing PostgreSQL) cannot both take one.
import type { Kysely } from 'kysely';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createIndex('exports_protocol_slot')
    .on('exports')
    .columns(['protocol', 'slot'])
    .unique()
    .execute();
}
