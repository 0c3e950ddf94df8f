// Exports: the wire schemas (the entity, its create/update bodies) whose `Static<>` types the
// export service takes, validation rules (IQNs, CHAP secrets, networks, names), the list spec,
// client URIs and the names derived from ids (targets, share accounts). Pure: no I/O.
import { isIP } from 'node:net';
import type { FieldProblem } from './errors.js';
import { listSpec } from './list.js';
import { Type, type Static } from '@sinclair/typebox';
import type { ChapInput } from './hosts.js';

// The dialects name a host through this module too.
export type { Host } from './hosts.js';

export const PROTOCOLS = ['iscsi', 'nfs', 'smb', 'nbd'] as const;
export type Protocol = (typeof PROTOCOLS)[number];
export type ExportState = 'creating' | 'active' | 'updating' | 'deleting' | 'failed';

/** The volume type each protocol exports. */
export const VOLUME_TYPE_OF: Record<Protocol, 'filesystem' | 'lun'> = {
  iscsi: 'lun',
  nbd: 'lun',
  nfs: 'filesystem',
  smb: 'filesystem',
};

export interface SmbShareUser {
  name: string;
  /** The Unix account behind the SMB user, derived from the export id. */
  account: string;
}

/** Protocol options as stored (and shown, without secrets). */
export interface ExportOptions {
  root_squash?: boolean;
  versions?: number[];
  users?: SmbShareUser[];
  guest?: boolean;
  lun?: number;
  target_iqn?: string;
  block_size?: number;
  name?: string;
  tls?: boolean;
}

export interface ExportRecord {
  id: string;
  volumeId: string;
  poolId: string;
  protocol: Protocol;
  state: ExportState;
  readOnly: boolean;
  hosts: string[];
  allowed: string[];
  options: ExportOptions;
  /** The name a client asks for: target IQN (iscsi), share (smb), export name (nbd), path (nfs). */
  exportName: string;
  /** iscsi target id inside tgtd, or the nbdkit port. */
  slot: number | null;
  uri: string;
  error: string | null;
  createdAt: string;
  updatedAt: string;
}

// ---- Wire schemas: the export entity, and its create/update bodies.

export const Export = Type.Object(
  {
    id: Type.String(),
    volume_id: Type.String(),
    pool_id: Type.String(),
    protocol: Type.String(),
    state: Type.String({ description: 'creating, active, deleting, failed' }),
    read_only: Type.Boolean(),
    hosts: Type.Array(Type.String()),
    allowed: Type.Array(Type.String()),
    name: Type.String({ description: 'target IQN (iscsi), path (nfs), share (smb), export name (nbd)' }),
    uri: Type.String({ description: 'what a standard client connects to' }),
    options: Type.Record(Type.String(), Type.Unknown()),
    error: Type.Union([Type.String(), Type.Null()]),
    created_at: Type.String(),
    updated_at: Type.String(),
  },
  { $id: 'Export' },
);
export type Export = Static<typeof Export>;

const ShareUser = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 32 }),
    password: Type.String({ minLength: 1, maxLength: 128 }),
  },
  { additionalProperties: false },
);

export const ExportCreate = Type.Object(
  {
    protocol: Type.Union([
      Type.Literal('iscsi'),
      Type.Literal('nfs'),
      Type.Literal('smb'),
      Type.Literal('nbd'),
    ]),
    hosts: Type.Optional(
      Type.Array(Type.String({ minLength: 1, maxLength: 64 }), { maxItems: 256, description: 'host ids' }),
    ),
    allowed: Type.Optional(
      Type.Array(Type.String({ minLength: 1, maxLength: 64 }), {
        maxItems: 256,
        description: 'addresses or networks',
      }),
    ),
    read_only: Type.Optional(Type.Boolean()),
    root_squash: Type.Optional(Type.Boolean({ description: 'nfs; default true' })),
    versions: Type.Optional(
      Type.Array(Type.Union([Type.Literal(3), Type.Literal(4)]), {
        minItems: 1,
        maxItems: 2,
        description: 'nfs; default [3, 4]',
      }),
    ),
    users: Type.Optional(
      Type.Array(ShareUser, {
        maxItems: 64,
        description: 'smb share users; passwords go to Samba and are not kept',
      }),
    ),
    guest: Type.Optional(Type.Boolean({ description: 'smb; default false' })),
    lun: Type.Optional(
      Type.Integer({ minimum: 1, maximum: 255, description: 'iscsi LUN number; default 1' }),
    ),
    target_iqn: Type.Optional(
      Type.String({ maxLength: 223, description: 'iscsi; default generated from the system name' }),
    ),
    block_size: Type.Optional(
      Type.Union([Type.Literal(512), Type.Literal(4096)], { description: 'iscsi logical block size' }),
    ),
    name: Type.Optional(
      Type.String({ maxLength: 64, description: 'smb share or nbd export name; default the volume name' }),
    ),
    tls: Type.Optional(Type.Boolean({ description: 'nbd: require TLS (needs a configured certificate)' })),
  },
  { additionalProperties: false },
);
export type ExportCreate = Static<typeof ExportCreate>;

/** The settings an in-place update may change; protocol, name, LUN, IQN, block size and TLS stay. */
export const ExportUpdate = Type.Partial(
  Type.Composite([
    Type.Pick(ExportCreate, ['hosts', 'allowed', 'read_only', 'root_squash', 'versions', 'guest']),
    Type.Object({
      users: Type.Array(
        Type.Object(
          { name: ShareUser.properties.name, password: Type.Optional(ShareUser.properties.password) },
          { additionalProperties: false },
        ),
        {
          maxItems: 64,
          description: 'smb: the share users from now on; a listed user without a password keeps theirs',
        },
      ),
    }),
  ]),
  { additionalProperties: false, minProperties: 1 },
);
export type ExportUpdate = Static<typeof ExportUpdate>;

/**
 * What a protocol module reads of a create or an update (the body, snake_case): the settings as
 * asked; on an update a listed SMB user without a password keeps the one Samba has.
 */
export type ExportInput = Omit<ExportCreate, 'protocol' | 'users'> & Pick<ExportUpdate, 'users'>;

const IQN_RE =
  /^iqn\.\d{4}-\d{2}\.[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*(:[a-z0-9.:_-]{1,200})?$/;
const EUI_RE = /^eui\.[0-9A-F]{16}$/;
/** RFC 3720 §3.2.6: `iqn.yyyy-mm.reversed.domain[:unique]` (lower case) or `eui.<16 hex>`. */
export const isIqn = (s: string): boolean => s.length <= 223 && (IQN_RE.test(s) || EUI_RE.test(s));

export const CHAP_USER_RE = /^[A-Za-z0-9._@:-]{1,64}$/;
/** tgt and most initiators accept 12..16 character CHAP secrets (RFC 3720 §8.2.1 needs ≥ 12 bytes). */
export const CHAP_SECRET_MIN = 12;
export const CHAP_SECRET_MAX = 16;
const CHAP_SECRET_RE = /^[\x21-\x7e]+$/;

/** An IPv4/IPv6 address or CIDR network. */
export function isAddressOrNetwork(s: string): boolean {
  const [addr, bits, more] = s.split('/');
  if (more !== undefined || !addr) return false;
  const v = isIP(addr);
  if (!v) return false;
  if (bits === undefined) return true;
  if (!/^\d{1,3}$/.test(bits)) return false;
  return Number(bits) <= (v === 4 ? 32 : 128);
}

export function checkChap(chap: ChapInput, field: string, problems: FieldProblem[]): void {
  const secret = (name: 'secret' | 'mutual_secret', v: string | undefined) => {
    if (v === undefined) return;
    if (v.length < CHAP_SECRET_MIN || v.length > CHAP_SECRET_MAX)
      problems.push({
        field: `${field}.${name}`,
        code: 'CHAP_SECRET_LENGTH',
        message: `must be ${CHAP_SECRET_MIN} to ${CHAP_SECRET_MAX} characters`,
      });
    else if (!CHAP_SECRET_RE.test(v))
      problems.push({
        field: `${field}.${name}`,
        code: 'CHAP_SECRET_CHARACTERS',
        message: 'printable ASCII only, no spaces',
      });
  };
  if (!CHAP_USER_RE.test(chap.user))
    problems.push({ field: `${field}.user`, code: 'PATTERN', message: 'letters, digits and ._@:- only' });
  secret('secret', chap.secret);
  if ((chap.mutual_user === undefined) !== (chap.mutual_secret === undefined))
    problems.push({
      field: `${field}.mutual_user`,
      code: 'MUTUAL_INCOMPLETE',
      message: 'mutual CHAP needs both mutual_user and mutual_secret',
    });
  if (chap.mutual_user !== undefined && !CHAP_USER_RE.test(chap.mutual_user))
    problems.push({
      field: `${field}.mutual_user`,
      code: 'PATTERN',
      message: 'letters, digits and ._@:- only',
    });
  secret('mutual_secret', chap.mutual_secret);
  if (chap.mutual_secret !== undefined && chap.mutual_secret === chap.secret)
    problems.push({
      field: `${field}.mutual_secret`,
      code: 'SAME_AS_SECRET',
      message: 'the mutual secret must differ from the initiator secret',
    });
}

export function checkIqns(iqns: readonly string[], field: string, problems: FieldProblem[]): void {
  iqns.forEach((q, i) => {
    if (!isIqn(q))
      problems.push({
        field: `${field}.${i}`,
        code: 'NOT_IQN',
        message: `${q} is not an iqn.… or eui.… name`,
      });
  });
  if (new Set(iqns).size !== iqns.length)
    problems.push({ field, code: 'DUPLICATE', message: 'an IQN is listed twice' });
}

export function checkAddresses(list: readonly string[], field: string, problems: FieldProblem[]): void {
  list.forEach((a, i) => {
    if (!isAddressOrNetwork(a))
      problems.push({
        field: `${field}.${i}`,
        code: 'NOT_ADDRESS',
        message: `${a} is not an address or network`,
      });
  });
}

/** Every IPv4 and IPv6 address: an export open to all networks. */
export const EVERY_ADDRESS: readonly string[] = ['0.0.0.0/0', '::/0'];

/** A share or export name safe in smb.conf, nbdkit argv and URIs. */
export const EXPORT_NAME_RE = /^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/;
export const SMB_USER_RE = /^[a-z][a-z0-9_-]{0,31}$/;

/** The default target IQN: iqn.2024-01.io.cairn:<system>.<export id>. */
export function defaultTargetIqn(systemName: string, exportId: string): string {
  const sys =
    systemName
      .toLowerCase()
      .replace(/[^a-z0-9-]/g, '-')
      .replace(/^-+|-+$/g, '') || 'cairn';
  return `iqn.2024-01.io.cairn:${sys}.${exportId.toLowerCase()}`;
}

/** A Unix account for an SMB share user, derived from ids only (≤ 32 chars, never user input). */
export const smbAccountName = (exportId: string, index: number): string =>
  `cairn-${exportId
    .replace(/[^a-z0-9]/gi, '')
    .slice(0, 12)
    .toLowerCase()}-${index}`;

/** The Unix account behind a Cairn user on SMB, derived from the user id only. */
export const smbUserAccount = (userId: string): string =>
  `cairn-u-${userId
    .replace(/[^a-z0-9]/gi, '')
    .slice(0, 12)
    .toLowerCase()}`;

const hostPart = (address: string) => (address.includes(':') ? `[${address}]` : address);

/** The URI a standard client accepts for an export. */
export function exportUri(p: Protocol, address: string, port: number, name: string, lun = 1): string {
  switch (p) {
    case 'iscsi':
      return `iscsi://${hostPart(address)}:${port}/${name}/${lun}`;
    case 'nfs':
      return `nfs://${hostPart(address)}${name}${port === 2049 ? '' : `?nfsport=${port}`}`;
    case 'smb':
      return `smb://${hostPart(address)}${port === 445 ? '' : `:${port}`}/${name}`;
    case 'nbd':
      return `nbd://${hostPart(address)}:${port}/${name}`;
  }
}

export const EXPORT_LIST = listSpec({
  fields: {
    id: { column: 'id', type: 'string', filterable: true },
    volume_id: { column: 'volume_id', type: 'string', filterable: true, sortable: true },
    pool_id: { column: 'pool_id', type: 'string', filterable: true },
    protocol: { column: 'protocol', type: 'string', filterable: true, sortable: true },
    state: { column: 'state', type: 'string', filterable: true, sortable: true },
    read_only: { column: 'read_only', type: 'boolean', filterable: true },
    name: { column: 'export_name', type: 'string', filterable: true, sortable: true },
    created_at: { column: 'created_at', type: 'time', filterable: true, sortable: true },
  },
  defaultSort: 'created_at',
  tieBreaker: 'id',
});
