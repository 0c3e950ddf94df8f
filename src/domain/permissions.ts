// Permissions are `resource.verb` (verb read or write); roles are sets of them with wildcards
// (`*`, `pool.*`, `*.read`). Built-in roles: admin, operator, viewer.
export const RESOURCES = [
  'system',
  'job',
  'audit',
  'user',
  'role',
  'apikey',
  'disk',
  'pool',
  'volume',
  'snapshot',
  'host',
  'export',
  'target',
  'service',
  'schedule',
  'partner',
  'relationship',
  'session',
  'alert',
  'event',
  'stats',
  'notification',
] as const;
export type Resource = (typeof RESOURCES)[number];
export const VERBS = ['read', 'write'] as const;
export type Verb = (typeof VERBS)[number];
export type Permission = `${Resource}.${Verb}`;

export const PERMISSION_PATTERN = '^(\\*|[a-z]+\\.\\*|\\*\\.(read|write)|[a-z]+\\.(read|write))$';

export const BUILTIN_ROLES: Record<string, { description: string; permissions: string[] }> = {
  admin: { description: 'everything, including users, roles and keys', permissions: ['*'] },
  operator: {
    description:
      'runs storage day to day: everything but users, roles, other users\u2019 keys and system settings',
    permissions: [
      '*.read',
      ...RESOURCES.filter((r) => !['user', 'role', 'system', 'audit'].includes(r)).map((r) => `${r}.write`),
    ],
  },
  viewer: { description: 'reads everything, changes nothing', permissions: ['*.read'] },
};

/** Whether a granted pattern covers a needed permission. */
export function grants(pattern: string, needed: string): boolean {
  if (pattern === '*' || pattern === needed) return true;
  const [pr, pv] = pattern.split('.');
  const [nr, nv] = needed.split('.');
  return (pr === '*' && pv === nv) || (pv === '*' && pr === nr);
}

export const allows = (granted: readonly string[], needed: string): boolean =>
  granted.some((g) => grants(g, needed));

/** Problems with a list of permission patterns (unknown resources or verbs). */
export function invalidPermissions(perms: readonly string[]): string[] {
  return perms.filter((p) => {
    if (p === '*') return false;
    const [r, v] = p.split('.');
    const resourceOk = r === '*' || (RESOURCES as readonly string[]).includes(r ?? '');
    const verbOk = v === '*' ? r !== '*' : (VERBS as readonly string[]).includes(v ?? '');
    return !(resourceOk && verbOk);
  });
}

/** Who is making a request, after authentication. */
export interface Principal {
  kind: 'user' | 'apikey' | 'session' | 'system';
  userId: string;
  userName: string;
  role: string;
  /** The effective permissions (a key's are the intersection with its owner's). */
  permissions: string[];
  /** For API keys limited to some pools; null means every pool. */
  pools: string[] | null;
  keyId?: string;
  keyName?: string;
  sessionId?: string;
  csrfToken?: string;
}

/**
 * Cairn acting on its own behalf (cascades, schedules, the monitor, a dialect's local door): every
 * permission, every pool. The one way to make such a principal; `name` is what the audit trail and
 * the job list show as the actor (`system:monitor`, `dialect:osd`).
 */
export const systemPrincipal = (name = 'system'): Principal => ({
  kind: 'system',
  userId: name,
  userName: name,
  role: 'admin',
  permissions: ['*'],
  pools: null,
});

/** The actor the audit trail and the job list show: `user:alice`, `key:ci@alice`, `system:monitor`. */
export const principalName = (p: Principal): string =>
  p.kind === 'apikey'
    ? `key:${p.keyName ?? p.keyId}@${p.userName}`
    : p.kind === 'system'
      ? p.userName
      : `user:${p.userName}`;

/** The effective permissions of a key: what it asks for, but never more than its owner has. */
export function keyPermissions(owner: readonly string[], requested: readonly string[] | null): string[] {
  if (requested === null) return [...owner];
  return requested.filter((r) => allows(owner, r));
}
