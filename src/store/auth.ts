// Users, roles, API keys and browser sessions. Only hashes of secrets are stored.
import type { Kysely, Selectable } from 'kysely';
import type { DB } from './schema.js';
import type { ListParams, Page } from '../domain/list.js';
import { listPage } from './list.js';
import { USER_LIST, ROLE_LIST, KEY_LIST } from '../domain/list-specs.js';
import type { StoreDialect } from './dialect.js';
import { nowIso } from '../domain/ids.js';
import { camelKeys, snakeKeys } from './casing.js';

export interface UserRecord {
  id: string;
  seq: number;
  name: string;
  role: string;
  enabled: boolean;
  smbEnabled: boolean;
  failedLogins: number;
  lockedUntil: string | null;
  createdAt: string;
  updatedAt: string;
  passwordHash: string;
}

export interface RoleRecord {
  id: string;
  name: string;
  description: string;
  permissions: string[];
  builtin: boolean;
  createdAt: string;
}

export interface ApiKeyRecord {
  id: string;
  name: string;
  userId: string;
  secretHash: string;
  permissions: string[] | null;
  pools: string[] | null;
  expiresAt: string | null;
  createdAt: string;
  lastUsedAt: string | null;
  /** A disabled key is kept but refused at authentication. */
  enabled: boolean;
}

export interface SessionRecord {
  id: string;
  userId: string;
  csrfToken: string;
  createdAt: string;
  expiresAt: string;
}

type UserRow = Selectable<DB['users']>;
const toUser = (r: UserRow): UserRecord => ({
  ...camelKeys(r),
  enabled: r.enabled === 1,
  smbEnabled: r.smb_enabled === 1,
});
const toRole = (r: Selectable<DB['roles']>): RoleRecord => ({
  id: r.id,
  name: r.name,
  description: r.description,
  permissions: JSON.parse(r.permissions) as string[],
  builtin: r.builtin === 1,
  createdAt: r.created_at,
});
const toKey = (r: Selectable<DB['api_keys']>): ApiKeyRecord => ({
  id: r.id,
  name: r.name,
  userId: r.user_id,
  secretHash: r.secret_hash,
  permissions: r.permissions === null ? null : (JSON.parse(r.permissions) as string[]),
  pools: r.pools === null ? null : (JSON.parse(r.pools) as string[]),
  expiresAt: r.expires_at,
  enabled: r.enabled === 1,
  createdAt: r.created_at,
  lastUsedAt: r.last_used_at,
});

export class AuthStore {
  constructor(
    readonly db: Kysely<DB>,
    private readonly dialect: StoreDialect,
  ) {}

  // ---- users
  async userById(id: string): Promise<UserRecord | undefined> {
    const r = await this.db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();
    return r ? toUser(r as UserRow) : undefined;
  }
  async userByName(name: string): Promise<UserRecord | undefined> {
    const r = await this.db.selectFrom('users').selectAll().where('name', '=', name).executeTakeFirst();
    return r ? toUser(r as UserRow) : undefined;
  }
  listUsers<T>(params: ListParams, toItem: (u: UserRecord) => T): Promise<Page<T>> {
    return listPage(this.db.selectFrom('users').selectAll(), USER_LIST, params, this.dialect, (r: UserRow) =>
      toItem(toUser(r)),
    );
  }
  async insertUser(
    u: Omit<UserRecord, 'seq' | 'failedLogins' | 'lockedUntil' | 'createdAt' | 'updatedAt'>,
  ): Promise<void> {
    const now = nowIso();
    await this.db
      .insertInto('users')
      .values({
        id: u.id,
        name: u.name,
        password_hash: u.passwordHash,
        role: u.role,
        enabled: u.enabled ? 1 : 0,
        smb_enabled: u.smbEnabled ? 1 : 0,
        failed_logins: 0,
        locked_until: null,
        created_at: now,
        updated_at: now,
      })
      .execute();
  }
  async updateUser(
    id: string,
    patch: Partial<
      Pick<
        UserRecord,
        'name' | 'role' | 'enabled' | 'smbEnabled' | 'passwordHash' | 'failedLogins' | 'lockedUntil'
      >
    >,
  ): Promise<void> {
    const { enabled, smbEnabled, ...rest } = patch;
    await this.db
      .updateTable('users')
      .set({
        ...snakeKeys(rest),
        ...(enabled !== undefined ? { enabled: enabled ? 1 : 0 } : {}),
        ...(smbEnabled !== undefined ? { smb_enabled: smbEnabled ? 1 : 0 } : {}),
        updated_at: nowIso(),
      })
      .where('id', '=', id)
      .execute();
  }
  async deleteUser(id: string): Promise<void> {
    await this.db.transaction().execute(async (tx) => {
      await tx.deleteFrom('api_keys').where('user_id', '=', id).execute();
      await tx.deleteFrom('sessions').where('user_id', '=', id).execute();
      await tx.deleteFrom('users').where('id', '=', id).execute();
    });
  }
  async countEnabledWithRole(role: string): Promise<number> {
    const r = await this.db
      .selectFrom('users')
      .select((eb) => eb.fn.countAll().as('n'))
      .where('role', '=', role)
      .where('enabled', '=', 1)
      .executeTakeFirst();
    return Number(r?.n ?? 0);
  }
  async countUsers(): Promise<number> {
    const r = await this.db
      .selectFrom('users')
      .select((eb) => eb.fn.countAll().as('n'))
      .executeTakeFirst();
    return Number(r?.n ?? 0);
  }

  // ---- roles
  async roleByName(name: string): Promise<RoleRecord | undefined> {
    const r = await this.db.selectFrom('roles').selectAll().where('name', '=', name).executeTakeFirst();
    return r ? toRole(r) : undefined;
  }
  async roleById(id: string): Promise<RoleRecord | undefined> {
    const r = await this.db.selectFrom('roles').selectAll().where('id', '=', id).executeTakeFirst();
    return r ? toRole(r) : undefined;
  }
  listRoles(params: ListParams): Promise<Page<RoleRecord>> {
    return listPage(this.db.selectFrom('roles').selectAll(), ROLE_LIST, params, this.dialect, toRole);
  }
  async upsertRole(r: Omit<RoleRecord, 'createdAt'>): Promise<void> {
    const existing = await this.roleById(r.id);
    const values = {
      name: r.name,
      description: r.description,
      permissions: JSON.stringify(r.permissions),
      builtin: r.builtin ? 1 : 0,
    };
    if (existing) await this.db.updateTable('roles').set(values).where('id', '=', r.id).execute();
    else
      await this.db
        .insertInto('roles')
        .values({ id: r.id, ...values, created_at: nowIso() })
        .execute();
  }
  async deleteRole(id: string): Promise<void> {
    await this.db.deleteFrom('roles').where('id', '=', id).execute();
  }
  async countUsersWithRole(name: string): Promise<number> {
    const r = await this.db
      .selectFrom('users')
      .select((eb) => eb.fn.countAll().as('n'))
      .where('role', '=', name)
      .executeTakeFirst();
    return Number(r?.n ?? 0);
  }

  // ---- API keys
  async keyById(id: string): Promise<ApiKeyRecord | undefined> {
    const r = await this.db.selectFrom('api_keys').selectAll().where('id', '=', id).executeTakeFirst();
    return r ? toKey(r) : undefined;
  }
  listKeys<T>(params: ListParams, userId: string | null, toItem: (k: ApiKeyRecord) => T): Promise<Page<T>> {
    let q = this.db.selectFrom('api_keys').selectAll();
    if (userId) q = q.where('user_id', '=', userId);
    return listPage(q, KEY_LIST, params, this.dialect, (r: Selectable<DB['api_keys']>) => toItem(toKey(r)));
  }
  async insertKey(k: Omit<ApiKeyRecord, 'createdAt' | 'lastUsedAt' | 'enabled'>): Promise<void> {
    await this.db
      .insertInto('api_keys')
      .values({
        id: k.id,
        name: k.name,
        user_id: k.userId,
        secret_hash: k.secretHash,
        permissions: k.permissions === null ? null : JSON.stringify(k.permissions),
        pools: k.pools === null ? null : JSON.stringify(k.pools),
        expires_at: k.expiresAt,
        created_at: nowIso(),
        last_used_at: null,
        enabled: 1,
      })
      .execute();
  }
  async updateKey(id: string, p: { name?: string; enabled?: boolean }): Promise<void> {
    await this.db
      .updateTable('api_keys')
      .set({
        ...(p.name !== undefined ? { name: p.name } : {}),
        ...(p.enabled !== undefined ? { enabled: p.enabled ? 1 : 0 } : {}),
      })
      .where('id', '=', id)
      .execute();
  }
  async touchKey(id: string): Promise<void> {
    await this.db.updateTable('api_keys').set({ last_used_at: nowIso() }).where('id', '=', id).execute();
  }
  async deleteKey(id: string): Promise<void> {
    await this.db.deleteFrom('api_keys').where('id', '=', id).execute();
  }

  // ---- sessions
  async insertSession(s: SessionRecord): Promise<void> {
    await this.db.insertInto('sessions').values(snakeKeys(s)).execute();
  }
  async sessionById(id: string): Promise<SessionRecord | undefined> {
    const r = await this.db.selectFrom('sessions').selectAll().where('id', '=', id).executeTakeFirst();
    return r && camelKeys(r);
  }
  async deleteSession(id: string): Promise<void> {
    await this.db.deleteFrom('sessions').where('id', '=', id).execute();
  }
  async deleteExpiredSessions(now: string): Promise<void> {
    await this.db.deleteFrom('sessions').where('expires_at', '<', now).execute();
  }
}
