// Cairn users on SMB: the sealed NT hash Samba needs (kept while a user may use SMB) and who may
// reach the shares that admit Cairn users (enabled, SMB enabled, a hash known), with their role's
// permissions. The exports area owns this table; the users table is read only.
import type { Kysely } from 'kysely';
import type { DB } from './schema.js';
import { nowIso } from '../domain/ids.js';

export interface SmbUserAccess {
  userId: string;
  name: string;
  /** The sealed NT hash. */
  ntHash: string;
  /** The permissions of the user's role. */
  permissions: string[];
}

export class SmbUserStore {
  constructor(private readonly db: Kysely<DB>) {}

  async setHash(userId: string, sealedHash: string): Promise<void> {
    const now = nowIso();
    await this.db
      .insertInto('smb_users')
      .values({ user_id: userId, nt_hash: sealedHash, updated_at: now })
      .onConflict((oc) => oc.column('user_id').doUpdateSet({ nt_hash: sealedHash, updated_at: now }))
      .execute();
  }

  async forget(userId: string): Promise<void> {
    await this.db.deleteFrom('smb_users').where('user_id', '=', userId).execute();
  }

  /** Every user who may log in to SMB now, by name. */
  async admitted(): Promise<SmbUserAccess[]> {
    const rows = await this.db
      .selectFrom('smb_users')
      .innerJoin('users', 'users.id', 'smb_users.user_id')
      .innerJoin('roles', 'roles.name', 'users.role')
      .select(['smb_users.user_id', 'users.name', 'smb_users.nt_hash', 'roles.permissions'])
      .where('users.enabled', '=', 1)
      .where('users.smb_enabled', '=', 1)
      .orderBy('users.name')
      .execute();
    return rows.map((r) => ({
      userId: r.user_id,
      name: r.name,
      ntHash: r.nt_hash,
      permissions: JSON.parse(r.permissions) as string[],
    }));
  }

  /** Users with a hash kept here (for dropping the accounts of those who left). */
  async all(): Promise<string[]> {
    return (await this.db.selectFrom('smb_users').select('user_id').execute()).map((r) => r.user_id);
  }
}
