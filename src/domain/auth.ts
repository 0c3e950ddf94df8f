// Users, roles and API keys: the wire schemas (entities and their create/update bodies) whose
// `Static<>` types the auth service takes and answers. Secrets (passwords, key secrets) are only
// ever in bodies, never in an entity. Pure: no I/O.
import { Type, type Static } from '@sinclair/typebox';
import { NAME_PATTERN, USER_NAME_PATTERN } from './names.js';
import { PERMISSION_PATTERN } from './permissions.js';

export const User = Type.Object(
  {
    id: Type.String(),
    name: Type.String(),
    role: Type.String(),
    enabled: Type.Boolean(),
    smb_enabled: Type.Boolean({ description: 'may log in to SMB shares (issue 6)' }),
    locked_until: Type.Union([Type.String(), Type.Null()], {
      description: 'set after too many failed logins',
    }),
    created_at: Type.String(),
    updated_at: Type.String(),
  },
  { $id: 'User' },
);
export type User = Static<typeof User>;
const Password = Type.String({ minLength: 8, maxLength: 256 });
export const UserCreate = Type.Object(
  {
    name: Type.String({ pattern: USER_NAME_PATTERN }),
    password: Password,
    role: Type.String({ minLength: 1, maxLength: 64 }),
    enabled: Type.Optional(Type.Boolean()),
    smb_enabled: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);
export type UserCreate = Static<typeof UserCreate>;
export const UserUpdate = Type.Partial(Type.Omit(UserCreate, ['name']), {
  additionalProperties: false,
  minProperties: 1,
});

const Permissions = Type.Array(Type.String({ pattern: PERMISSION_PATTERN }), {
  maxItems: 200,
  description: 'resource.verb, with * wildcards',
});
export const Role = Type.Object(
  {
    id: Type.String(),
    name: Type.String(),
    description: Type.String(),
    permissions: Type.Array(Type.String()),
    builtin: Type.Boolean(),
    created_at: Type.String(),
  },
  { $id: 'Role' },
);
export type Role = Static<typeof Role>;
export type UserUpdate = Static<typeof UserUpdate>;
export const RoleCreate = Type.Object(
  {
    name: Type.String({ pattern: NAME_PATTERN }),
    description: Type.Optional(Type.String({ maxLength: 500 })),
    permissions: Permissions,
  },
  { additionalProperties: false },
);
export type RoleCreate = Static<typeof RoleCreate>;
export const RoleUpdate = Type.Partial(Type.Omit(RoleCreate, ['name']), {
  additionalProperties: false,
  minProperties: 1,
});

export const ApiKey = Type.Object(
  {
    id: Type.String(),
    name: Type.String(),
    user_id: Type.String(),
    permissions: Type.Union([Type.Array(Type.String()), Type.Null()], {
      description: 'null: the owner\u2019s permissions',
    }),
    pools: Type.Union([Type.Array(Type.String()), Type.Null()], { description: 'null: every pool' }),
    expires_at: Type.Union([Type.String(), Type.Null()]),
    created_at: Type.String(),
    last_used_at: Type.Union([Type.String(), Type.Null()]),
    enabled: Type.Boolean({ description: 'false: kept, but refused at authentication (API_KEY_DISABLED)' }),
  },
  { $id: 'ApiKey' },
);
export type ApiKey = Static<typeof ApiKey>;
export type RoleUpdate = Static<typeof RoleUpdate>;
export const ApiKeyUpdate = Type.Object(
  {
    name: Type.Optional(Type.String({ pattern: NAME_PATTERN })),
    enabled: Type.Optional(Type.Boolean({ description: 'false refuses the key until enabled again' })),
  },
  { additionalProperties: false, minProperties: 1 },
);
export type ApiKeyUpdate = Static<typeof ApiKeyUpdate>;
export const ApiKeyCreate = Type.Object(
  {
    name: Type.String({ pattern: NAME_PATTERN }),
    permissions: Type.Optional(Permissions),
    pools: Type.Optional(Type.Array(Type.String({ minLength: 1, maxLength: 64 }), { maxItems: 1000 })),
    expires_at: Type.Optional(Type.String({ format: 'date-time' })),
  },
  { additionalProperties: false },
);
export type ApiKeyCreate = Static<typeof ApiKeyCreate>;
