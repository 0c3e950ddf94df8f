// Authentication (HTTP Basic, bearer API keys, browser sessions with CSRF) and the management of
// users, roles and keys. Throws CairnError; knows nothing of HTTP.
import type {
  ApiKey,
  ApiKeyCreate,
  ApiKeyUpdate,
  Role,
  RoleCreate,
  RoleUpdate,
  User,
  UserCreate,
  UserUpdate,
} from '../domain/auth.js';
import { CairnError } from '../domain/errors.js';
import { newId, nowIso } from '../domain/ids.js';
import { type ListParams, type Page, mapPage } from '../domain/list.js';
import {
  BUILTIN_ROLES,
  allows,
  invalidPermissions,
  keyPermissions,
  type Principal,
} from '../domain/permissions.js';
import { isValidName } from '../domain/names.js';
import type { AuthStore, ApiKeyRecord, RoleRecord, UserRecord } from '../store/auth.js';
import { generatePassword, hashPassword, randomToken, sha256, verifyPassword } from './passwords.js';
import { Lane } from './lane.js';
import { DEFAULT_GUESS_POLICY, GuessThrottle, type FailureOutcome, type GuessPolicy } from './guesses.js';
import { ntHash } from './nt-hash.js';

/**
 * Told when a user's SMB standing changes: the NT hash of a password just set (only while SMB is
 * enabled for the user), null when the user may no longer use SMB, undefined for other changes.
 */
export type SmbUserHook = (userId: string, ntHash: string | null | undefined) => Promise<void>;

export const SESSION_TTL_MS = 12 * 3600_000;
const BASIC_CACHE_MS = 30_000;
/** Most verified Basic credentials kept (each entry is a hash of the pair, never the password). */
const BASIC_CACHE_MAX = 1_000;
const KEY_TOUCH_MS = 60_000;

/** Told once per burst of wrong passwords for one user from one source (audit and alert). */
export type LoginBurstListener = (b: { user: string; source: string; failures: number }) => void;

/** A user and a key as answered (no secrets): the domain's entities. */
export type PublicUser = User;
export type PublicKey = ApiKey;

const publicUser = (u: UserRecord): PublicUser => ({
  id: u.id,
  name: u.name,
  role: u.role,
  enabled: u.enabled,
  smb_enabled: u.smbEnabled,
  locked_until: u.lockedUntil,
  created_at: u.createdAt,
  updated_at: u.updatedAt,
});
const roleWire = (r: RoleRecord): Role => ({
  id: r.id,
  name: r.name,
  description: r.description,
  permissions: r.permissions,
  builtin: r.builtin,
  created_at: r.createdAt,
});
const publicKey = (k: ApiKeyRecord): PublicKey => ({
  id: k.id,
  name: k.name,
  user_id: k.userId,
  permissions: k.permissions,
  pools: k.pools,
  expires_at: k.expiresAt,
  created_at: k.createdAt,
  last_used_at: k.lastUsedAt,
  enabled: k.enabled,
});

const KEY_RE = /^cairn_([0-9a-f-]{36})_([A-Za-z0-9_-]{43})$/;
const MIN_PASSWORD = 8;

export class AuthService {
  private readonly basicCache = new Map<string, { principal: Principal; until: number }>();
  /** Verifications in flight, so that many clients presenting the same credentials pay one hash. */
  private readonly basicInflight = new Map<string, Promise<Principal>>();
  private readonly guesses: GuessThrottle;
  private readonly burstListeners: LoginBurstListener[] = [];
  private readonly keyTouchedAt = new Map<string, number>();
  private readonly suspectLane = new Lane(1, 32);
  private smbHook: SmbUserHook | null = null;

  /** The exports area keeps Samba's passdb in step with users' passwords (SMB shares). */
  onSmbUser(hook: SmbUserHook): void {
    this.smbHook = hook;
  }

  constructor(
    private readonly store: AuthStore,
    policy: GuessPolicy = DEFAULT_GUESS_POLICY,
    private readonly now: () => number = Date.now,
  ) {
    this.guesses = new GuessThrottle(policy);
  }

  /** Wiring hooks the audit trail and the alerting here. */
  onLoginBurst(l: LoginBurstListener): void {
    this.burstListeners.push(l);
  }

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
      smbEnabled: false,
      passwordHash: await hashPassword(password ?? generated!),
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

  /**
   * HTTP Basic. `source` is the client's address: wrong passwords are throttled per (user,
   * source). Verified credentials are cached briefly (keyed by a hash of the pair), and
   * concurrent requests with the same credentials share one verification.
   */
  async authenticateBasic(name: string, password: string, source = 'unknown'): Promise<Principal> {
    const cacheKey = sha256(`${name}\0${password}`);
    const hit = this.basicCache.get(cacheKey);
    if (hit && hit.until > this.now()) return hit.principal;
    const inflight = this.basicInflight.get(cacheKey);
    if (inflight) return inflight;
    const p = (async () => {
      const u = await this.checkPassword(name, password, source);
      const principal = await this.principalFor(u, 'user');
      this.basicCache.delete(cacheKey);
      this.basicCache.set(cacheKey, { principal, until: this.now() + BASIC_CACHE_MS });
      while (this.basicCache.size > BASIC_CACHE_MAX)
        this.basicCache.delete(this.basicCache.keys().next().value as string);
      return principal;
    })();
    this.basicInflight.set(cacheKey, p);
    try {
      return await p;
    } finally {
      this.basicInflight.delete(cacheKey);
    }
  }

  /**
   * Verifies a password. Throws TOO_MANY_FAILED_LOGINS (with `retry_after` seconds) while this
   * source is refused for this user, UNAUTHENTICATED otherwise. Writes nothing to the database.
   */
  private async checkPassword(name: string, password: string, source: string): Promise<UserRecord> {
    const verdict = this.guesses.check(name, source, this.now());
    if (!verdict.allowed) {
      this.reportBurst(name, source, verdict.outcome);
      throw new CairnError('TOO_MANY_FAILED_LOGINS', {
        user: name,
        until: new Date(verdict.until).toISOString(),
        retry_after: Math.max(1, Math.ceil(verdict.retryAfterMs / 1000)),
      });
    }
    const u = await this.store.userByName(name);
    // Logins from a source that guessed wrong lately, and for unknown users, hash in a narrow
    // lane: a flood of guesses cannot take the thread pool from everyone else's logins.
    const verify = () =>
      u ? verifyPassword(password, u.passwordHash) : hashPassword(password).then(() => false);
    const ok =
      !u || this.guesses.suspect(source, this.now()) ? await this.suspectLane.run(verify) : await verify();
    if (ok === null)
      throw new CairnError('TOO_MANY_FAILED_LOGINS', {
        user: name,
        until: new Date(this.now() + 1000).toISOString(),
        retry_after: 1,
      });
    if (!u || !ok) {
      // An unknown user costs the same hash and is throttled the same way: no user enumeration.
      this.reportBurst(name, source, this.guesses.fail(name, source, this.now()));
      throw new CairnError('UNAUTHENTICATED');
    }
    this.guesses.succeed(name, source);
    if (!u.enabled) throw new CairnError('UNAUTHENTICATED');
    return u;
  }

  private reportBurst(user: string, source: string, f: FailureOutcome): void {
    if (f.burst) for (const l of this.burstListeners) l({ user, source, failures: f.failures });
  }

  async authenticateKey(token: string): Promise<Principal> {
    const m = KEY_RE.exec(token);
    if (!m) throw new CairnError('UNAUTHENTICATED');
    const k = await this.store.keyById(m[1]!);
    if (!k || k.secretHash !== sha256(m[2]!)) throw new CairnError('UNAUTHENTICATED');
    // Told only to whoever holds the secret: a disabled key says so (and how to enable it).
    if (!k.enabled) throw new CairnError('API_KEY_DISABLED', { id: k.id });
    if (k.expiresAt && Date.parse(k.expiresAt) <= Date.now())
      throw new CairnError('UNAUTHENTICATED', {}, 'this API key has expired');
    const u = await this.store.userById(k.userId);
    if (!u || !u.enabled) throw new CairnError('UNAUTHENTICATED');
    const owner = await this.principalFor(u, 'apikey');
    // last_used_at is a minute-grained fact: one write per key per minute, not one per request.
    const now = this.now();
    if ((this.keyTouchedAt.get(k.id) ?? 0) + KEY_TOUCH_MS <= now) {
      this.keyTouchedAt.delete(k.id);
      this.keyTouchedAt.set(k.id, now);
      while (this.keyTouchedAt.size > BASIC_CACHE_MAX)
        this.keyTouchedAt.delete(this.keyTouchedAt.keys().next().value as string);
      void this.store.touchKey(k.id);
    }
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
    source = 'unknown',
  ): Promise<{ token: string; csrf_token: string; expires_at: string; user: PublicUser }> {
    const u = await this.checkPassword(name, password, source);
    const token = randomToken();
    const csrf = randomToken();
    const expires = new Date(Date.now() + SESSION_TTL_MS).toISOString();
    await this.store.deleteExpiredSessions(nowIso());
    await this.store.insertSession({
      id: sha256(token),
      userId: u.id,
      csrfToken: csrf,
      createdAt: nowIso(),
      expiresAt: expires,
    });
    return { token, csrf_token: csrf, expires_at: expires, user: publicUser(u) };
  }

  async authenticateSession(token: string): Promise<Principal> {
    const s = await this.store.sessionById(sha256(token));
    if (!s || Date.parse(s.expiresAt) <= Date.now()) throw new CairnError('UNAUTHENTICATED');
    const u = await this.store.userById(s.userId);
    if (!u || !u.enabled) throw new CairnError('UNAUTHENTICATED');
    return { ...(await this.principalFor(u, 'session')), sessionId: s.id, csrfToken: s.csrfToken };
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

  async createUser(input: UserCreate): Promise<PublicUser> {
    await this.checkUserInput(input);
    if (await this.store.userByName(input.name))
      throw new CairnError('USER_NAME_TAKEN', { name: input.name });
    const id = newId();
    await this.store.insertUser({
      id,
      name: input.name,
      role: input.role,
      enabled: input.enabled ?? true,
      smbEnabled: input.smb_enabled ?? false,
      passwordHash: await hashPassword(input.password),
    });
    if (input.smb_enabled) await this.smbHook?.(id, ntHash(input.password));
    return this.getUser(id);
  }

  async updateUser(id: string, patch: UserUpdate): Promise<PublicUser> {
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
      smbEnabled: patch.smb_enabled,
      passwordHash: patch.password ? await hashPassword(patch.password) : undefined,
      ...(patch.password ? { failedLogins: 0, lockedUntil: null } : {}),
    });
    if (patch.password) this.guesses.forgetUser(u.name);
    this.basicCache.clear();
    const smb = patch.smb_enabled ?? u.smbEnabled;
    if (smb || u.smbEnabled)
      await this.smbHook?.(id, !smb ? null : patch.password ? ntHash(patch.password) : undefined);
    return this.getUser(id);
  }

  async deleteUser(id: string): Promise<void> {
    const u = await this.store.userById(id);
    if (!u) throw new CairnError('USER_NOT_FOUND', { id });
    if (u.role === 'admin' && u.enabled && (await this.store.countEnabledWithRole('admin')) <= 1)
      throw new CairnError('LAST_ADMIN');
    await this.store.deleteUser(id);
    this.basicCache.clear();
    if (u.smbEnabled) await this.smbHook?.(id, null);
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
  async listRoles(params: ListParams): Promise<Page<Role>> {
    const page = await this.store.listRoles(params);
    return mapPage(page, roleWire);
  }

  async getRole(id: string): Promise<Role> {
    return roleWire(await this.role(id));
  }

  private async role(id: string): Promise<RoleRecord> {
    const r = await this.store.roleById(id);
    if (!r) throw new CairnError('ROLE_NOT_FOUND', { id });
    return r;
  }

  async createRole(input: RoleCreate): Promise<Role> {
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

  async updateRole(id: string, patch: RoleUpdate): Promise<Role> {
    const r = await this.role(id);
    if (r.builtin) throw new CairnError('ROLE_BUILTIN', { name: r.name });
    if (patch.permissions) this.checkPermissions(patch.permissions);
    await this.store.upsertRole({
      id: r.id,
      name: r.name,
      builtin: r.builtin,
      description: patch.description ?? r.description,
      permissions: patch.permissions ?? r.permissions,
    });
    this.basicCache.clear();
    return this.getRole(id);
  }

  async deleteRole(id: string): Promise<void> {
    const r = await this.role(id);
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

  async createKey(p: Principal, input: ApiKeyCreate): Promise<PublicKey & { key: string }> {
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
      userId: p.userId,
      secretHash: sha256(secret),
      permissions: input.permissions ?? null,
      pools: input.pools ?? null,
      expiresAt: input.expires_at ? new Date(input.expires_at).toISOString() : null,
    });
    const k = await this.store.keyById(id);
    return { ...publicKey(k!), key: `cairn_${id}_${secret}` };
  }

  async deleteKey(p: Principal, id: string): Promise<void> {
    await this.ownKey(p, id);
    await this.store.deleteKey(id);
  }

  /** Renames, disables or enables a key (the caller's own; user.write: anyone's). */
  async updateKey(p: Principal, id: string, input: ApiKeyUpdate): Promise<PublicKey> {
    if (input.name !== undefined && !isValidName(input.name))
      CairnError.assertNoProblems([
        {
          field: 'name',
          code: 'BAD_NAME',
          message: '1-64 letters, digits, . _ -, starting with a letter or digit',
        },
      ]);
    await this.ownKey(p, id);
    await this.store.updateKey(id, input);
    return publicKey((await this.store.keyById(id))!);
  }

  /** The key, when the caller may manage it; API_KEY_NOT_FOUND otherwise (others' keys stay unseen). */
  private async ownKey(p: Principal, id: string): Promise<ApiKeyRecord> {
    const k = await this.store.keyById(id);
    if (!k || (k.userId !== p.userId && !allows(p.permissions, 'user.write')))
      throw new CairnError('API_KEY_NOT_FOUND', { id });
    return k;
  }
}
