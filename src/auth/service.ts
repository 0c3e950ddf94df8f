// Authentication (HTTP Basic, bearer API keys, browser sessions with CSRF) and the management of
// users, roles and keys. Throws CairnError; knows nothing of HTTP.
import { CairnError } from '../domain/errors.js';
import { newId, nowIso } from '../domain/ids.js';
import type { ListParams, Page } from '../domain/list.js';
import {
  BUILTIN_ROLES,
  allows,
  invalidPermissions,
  keyPermissions,
  type Principal,
} from '../domain/permissions.js';
import type { AuthStore, ApiKeyRecord, RoleRecord, UserRecord } from '../store/auth.js';
import { generatePassword, hashPassword, randomToken, sha256, verifyPassword } from './passwords.js';

export const MAX_FAILED_LOGINS = 10;
export const LOCKOUT_MS = 5 * 60_000;
export const SESSION_TTL_MS = 12 * 3600_000;
const BASIC_CACHE_MS = 30_000;

export interface PublicUser {
  id: string;
  name: string;
  role: string;
  enabled: boolean;
  smb_enabled: boolean;
  locked_until: string | null;
  created_at: string;
  updated_at: string;
}

export interface PublicKey {
  id: string;
  name: string;
  user_id: string;
  permissions: string[] | null;
  pools: string[] | null;
  expires_at: string | null;
  created_at: string;
  last_used_at: string | null;
}

const publicUser = (u: UserRecord): PublicUser => ({
  id: u.id,
  name: u.name,
  role: u.role,
  enabled: u.enabled,
  smb_enabled: u.smb_enabled,
  locked_until: u.locked_until,
  created_at: u.created_at,
  updated_at: u.updated_at,
});
const publicKey = (k: ApiKeyRecord): PublicKey => {
  const { secret_hash: _s, ...rest } = k;
  return rest;
};

const KEY_RE = /^cairn_([0-9a-f-]{36})_([A-Za-z0-9_-]{43})$/;
const MIN_PASSWORD = 8;

export class AuthService {
  private readonly basicCache = new Map<string, { principal: Principal; until: number }>();

  constructor(private readonly store: AuthStore) {}

  // ---------- start-up
  async ensureBuiltinRoles(): Promise<void> {
    for (const [name, r] of Object.entries(BUILTIN_ROLES)) {
      const existing = await this.store.roleByName(name);
      await this.store.upsertRole({
        id: existing?.id ?? newId(),
        name,
        description: r.description,
        permissions: r.permissions,
        builtin: true,
      });
    }
  }

  /** Creates `admin` on first start; returns the password when it was generated here. */
  async ensureAdmin(password: string | undefined): Promise<{ created: boolean; generated?: string }> {
    if ((await this.store.countUsers()) > 0) return { created: false };
    const generated = password ? undefined : generatePassword();
    await this.store.insertUser({
      id: newId(),
      name: 'admin',
      role: 'admin',
      enabled: true,
      smb_enabled: false,
      password_hash: await hashPassword(password ?? generated!),
    });
    return generated ? { created: true, generated } : { created: true };
  }

  // ---------- authentication
  private async principalFor(u: UserRecord, kind: Principal['kind']): Promise<Principal> {
    const role = await this.store.roleByName(u.role);
    return {
      kind,
      userId: u.id,
      userName: u.name,
      role: u.role,
      permissions: role?.permissions ?? [],
      pools: null,
    };
  }

  async authenticateBasic(name: string, password: string): Promise<Principal> {
    const cacheKey = sha256(`${name}\0${password}`);
    const hit = this.basicCache.get(cacheKey);
    if (hit && hit.until > Date.now()) return hit.principal;
    const u = await this.checkPassword(name, password);
    const principal = await this.principalFor(u, 'user');
    this.basicCache.set(cacheKey, { principal, until: Date.now() + BASIC_CACHE_MS });
    return principal;
  }

  /** Verifies a password with the failed-login limit; throws UNAUTHENTICATED or TOO_MANY_FAILED_LOGINS. */
  private async checkPassword(name: string, password: string): Promise<UserRecord> {
    const u = await this.store.userByName(name);
    if (!u) {
      await hashPassword(password); // same cost whether or not the user exists
      throw new CairnError('UNAUTHENTICATED');
    }
    if (u.locked_until && Date.parse(u.locked_until) > Date.now())
      throw new CairnError('TOO_MANY_FAILED_LOGINS', { user: name, until: u.locked_until });
    const ok = await verifyPassword(password, u.password_hash);
    if (!ok) {
      const failed = u.failed_logins + 1;
      const lock = failed >= MAX_FAILED_LOGINS ? new Date(Date.now() + LOCKOUT_MS).toISOString() : null;
      await this.store.updateUser(u.id, { failed_logins: lock ? 0 : failed, locked_until: lock });
      throw new CairnError('UNAUTHENTICATED');
    }
    if (!u.enabled) throw new CairnError('UNAUTHENTICATED');
    if (u.failed_logins > 0 || u.locked_until)
      await this.store.updateUser(u.id, { failed_logins: 0, locked_until: null });
    return u;
  }

  async authenticateKey(token: string): Promise<Principal> {
    const m = KEY_RE.exec(token);
    if (!m) throw new CairnError('UNAUTHENTICATED');
    const k = await this.store.keyById(m[1]!);
    if (!k || k.secret_hash !== sha256(m[2]!)) throw new CairnError('UNAUTHENTICATED');
    if (k.expires_at && Date.parse(k.expires_at) <= Date.now())
      throw new CairnError('UNAUTHENTICATED', {}, 'this API key has expired');
    const u = await this.store.userById(k.user_id);
    if (!u || !u.enabled) throw new CairnError('UNAUTHENTICATED');
    const owner = await this.principalFor(u, 'apikey');
    void this.store.touchKey(k.id);
    return {
      ...owner,
      permissions: keyPermissions(owner.permissions, k.permissions),
      pools: k.pools,
      keyId: k.id,
      keyName: k.name,
    };
  }

  async login(
    name: string,
    password: string,
  ): Promise<{ token: string; csrf_token: string; expires_at: string; user: PublicUser }> {
    const u = await this.checkPassword(name, password);
    const token = randomToken();
    const csrf = randomToken();
    const expires = new Date(Date.now() + SESSION_TTL_MS).toISOString();
    await this.store.deleteExpiredSessions(nowIso());
    await this.store.insertSession({
      id: sha256(token),
      user_id: u.id,
      csrf_token: csrf,
      created_at: nowIso(),
      expires_at: expires,
    });
    return { token, csrf_token: csrf, expires_at: expires, user: publicUser(u) };
  }

  async authenticateSession(token: string): Promise<Principal> {
    const s = await this.store.sessionById(sha256(token));
    if (!s || Date.parse(s.expires_at) <= Date.now()) throw new CairnError('UNAUTHENTICATED');
    const u = await this.store.userById(s.user_id);
    if (!u || !u.enabled) throw new CairnError('UNAUTHENTICATED');
    return { ...(await this.principalFor(u, 'session')), sessionId: s.id, csrfToken: s.csrf_token };
  }

  async logout(p: Principal): Promise<void> {
    if (p.sessionId) await this.store.deleteSession(p.sessionId);
  }

  // ---------- users
  listUsers(params: ListParams): Promise<Page<PublicUser>> {
    return this.store.listUsers(params, publicUser);
  }

  async getUser(id: string): Promise<PublicUser> {
    const u = await this.store.userById(id);
    if (!u) throw new CairnError('USER_NOT_FOUND', { id });
    return publicUser(u);
  }

  async createUser(input: {
    name: string;
    password: string;
    role: string;
    enabled?: boolean;
    smb_enabled?: boolean;
  }): Promise<PublicUser> {
    await this.checkUserInput(input);
    if (await this.store.userByName(input.name))
      throw new CairnError('USER_NAME_TAKEN', { name: input.name });
    const id = newId();
    await this.store.insertUser({
      id,
      name: input.name,
      role: input.role,
      enabled: input.enabled ?? true,
      smb_enabled: input.smb_enabled ?? false,
      password_hash: await hashPassword(input.password),
    });
    return this.getUser(id);
  }

  async updateUser(
    id: string,
    patch: { password?: string; role?: string; enabled?: boolean; smb_enabled?: boolean },
  ): Promise<PublicUser> {
    const u = await this.store.userById(id);
    if (!u) throw new CairnError('USER_NOT_FOUND', { id });
    await this.checkUserInput(patch);
    const losesAdmin =
      u.role === 'admin' && u.enabled && ((patch.role && patch.role !== 'admin') || patch.enabled === false);
    if (losesAdmin && (await this.store.countEnabledWithRole('admin')) <= 1)
      throw new CairnError('LAST_ADMIN');
    await this.store.updateUser(id, {
      role: patch.role,
      enabled: patch.enabled,
      smb_enabled: patch.smb_enabled,
      password_hash: patch.password ? await hashPassword(patch.password) : undefined,
      ...(patch.password ? { failed_logins: 0, locked_until: null } : {}),
    });
    this.basicCache.clear();
    return this.getUser(id);
  }

  async deleteUser(id: string): Promise<void> {
    const u = await this.store.userById(id);
    if (!u) throw new CairnError('USER_NOT_FOUND', { id });
    if (u.role === 'admin' && u.enabled && (await this.store.countEnabledWithRole('admin')) <= 1)
      throw new CairnError('LAST_ADMIN');
    await this.store.deleteUser(id);
    this.basicCache.clear();
  }

  private async checkUserInput(i: { password?: string; role?: string }): Promise<void> {
    const problems = [];
    if (i.password !== undefined && i.password.length < MIN_PASSWORD)
      problems.push({
        field: 'password',
        code: 'TOO_SHORT',
        message: `must have at least ${MIN_PASSWORD} characters`,
      });
    if (i.role !== undefined && !(await this.store.roleByName(i.role)))
      problems.push({ field: 'role', code: 'UNKNOWN_ROLE', message: `no role named ${i.role}` });
    CairnError.assertNoProblems(problems);
  }

  // ---------- roles
  listRoles(params: ListParams): Promise<Page<RoleRecord>> {
    return this.store.listRoles(params);
  }

  async getRole(id: string): Promise<RoleRecord> {
    const r = await this.store.roleById(id);
    if (!r) throw new CairnError('ROLE_NOT_FOUND', { id });
    return r;
  }

  async createRole(input: {
    name: string;
    description?: string;
    permissions: string[];
  }): Promise<RoleRecord> {
    this.checkPermissions(input.permissions);
    if (await this.store.roleByName(input.name))
      throw new CairnError('ROLE_NAME_TAKEN', { name: input.name });
    const id = newId();
    await this.store.upsertRole({
      id,
      name: input.name,
      description: input.description ?? '',
      permissions: input.permissions,
      builtin: false,
    });
    return this.getRole(id);
  }

  async updateRole(id: string, patch: { description?: string; permissions?: string[] }): Promise<RoleRecord> {
    const r = await this.getRole(id);
    if (r.builtin) throw new CairnError('ROLE_BUILTIN', { name: r.name });
    if (patch.permissions) this.checkPermissions(patch.permissions);
    await this.store.upsertRole({
      ...r,
      description: patch.description ?? r.description,
      permissions: patch.permissions ?? r.permissions,
    });
    this.basicCache.clear();
    return this.getRole(id);
  }

  async deleteRole(id: string): Promise<void> {
    const r = await this.getRole(id);
    if (r.builtin) throw new CairnError('ROLE_BUILTIN', { name: r.name });
    if ((await this.store.countUsersWithRole(r.name)) > 0)
      throw new CairnError('ROLE_IN_USE', { name: r.name });
    await this.store.deleteRole(id);
  }

  private checkPermissions(perms: string[]): void {
    const bad = invalidPermissions(perms);
    CairnError.assertNoProblems(
      bad.map((p) => ({
        field: 'permissions',
        code: 'UNKNOWN_PERMISSION',
        message: `${p} is not a permission`,
      })),
    );
  }

  // ---------- API keys
  /** Keys of the caller, or of everyone for those who may manage users. */
  listKeys(p: Principal, params: ListParams): Promise<Page<PublicKey>> {
    return this.store.listKeys(params, allows(p.permissions, 'user.write') ? null : p.userId, publicKey);
  }

  async createKey(
    p: Principal,
    input: { name: string; permissions?: string[]; pools?: string[]; expires_at?: string },
  ): Promise<PublicKey & { key: string }> {
    if (input.permissions) this.checkPermissions(input.permissions);
    const problems = [];
    if (input.expires_at !== undefined && !(Date.parse(input.expires_at) > Date.now()))
      problems.push({ field: 'expires_at', code: 'IN_THE_PAST', message: 'must be a time in the future' });
    CairnError.assertNoProblems(problems);
    if (p.kind === 'apikey')
      throw new CairnError('FORBIDDEN', { permission: 'a user login (keys cannot make keys)' });
    const id = newId();
    const secret = randomToken();
    await this.store.insertKey({
      id,
      name: input.name,
      user_id: p.userId,
      secret_hash: sha256(secret),
      permissions: input.permissions ?? null,
      pools: input.pools ?? null,
      expires_at: input.expires_at ? new Date(input.expires_at).toISOString() : null,
    });
    const k = await this.store.keyById(id);
    return { ...publicKey(k!), key: `cairn_${id}_${secret}` };
  }

  async deleteKey(p: Principal, id: string): Promise<void> {
    const k = await this.store.keyById(id);
    if (!k || (k.user_id !== p.userId && !allows(p.permissions, 'user.write')))
      throw new CairnError('API_KEY_NOT_FOUND', { id });
    await this.store.deleteKey(id);
  }
}
