// A disk's vendor (lsblk VENDOR) beside its model; virtual disks are Cairn's own.
import type { Kysely } from 'kysely';
import type { StoreDialect } from '../dialect.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>, _d: StoreDialect): Promise<void> {
  await db.schema.alterTable('disks').addColumn('vendor', 'text').execute();
  await db.updateTable('disks').set({ vendor: 'Cairn' }).where('kind', '=', 'virtual').execute();
}
