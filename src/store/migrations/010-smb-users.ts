// The NT hashes Samba needs for Cairn users who may use SMB (sealed), so every node can give its
// own smbd's passdb the hash again (after a restart, or on another node sharing PostgreSQL).
import type { Kysely } from 'kysely';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('smb_users')
    .addColumn('user_id', 'text', (c) => c.primaryKey())
    .addColumn('nt_hash', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
}
