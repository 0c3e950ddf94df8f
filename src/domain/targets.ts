// iSCSI targets as objects: an IQN, an alias, the hosts allowed to log in and numbered LUNs that map
// lun volumes. A target may also be the view of an iSCSI export (one LUN, managed through the
// export). Pure: types, wire schemas (whose `Static<>` types the target service takes), rules, list
// spec, the generated IQN.
import type { FieldProblem } from './errors.js';
import { isIqn } from './exports.js';
import { listSpec } from './list.js';
import { Id } from './wire.js';
import { Type, type Static } from '@sinclair/typebox';

/** tgt numbers LUNs from 0 (the controller); SAM allows more, but initiators scan 0..255. */
export const LUN_MIN = 1;
export const LUN_MAX = 255;
export const ALIAS_MAX = 64;

export interface TargetLun {
  lun: number;
  volumeId: string;
  poolId: string;
  createdAt: string;
}

export interface Target {
  id: string;
  iqn: string;
  alias: string | null;
  /** tgt's target id inside tgtd (shared with the iSCSI exports' slots). */
  tid: number;
  /** Set when the target is the view of an iSCSI export (changed through that export). */
  exportId: string | null;
  hostIds: string[];
  luns: TargetLun[];
  state: 'active' | 'failed';
  error: string | null;
  createdAt: string;
  updatedAt: string;
}

/** The default IQN of a native target: iqn.2024-01.io.cairn:<system>.t.<target id>. */
export function defaultNativeIqn(systemName: string, targetId: string): string {
  const sys =
    systemName
      .toLowerCase()
      .replace(/[^a-z0-9-]/g, '-')
      .replace(/^-+|-+$/g, '') || 'cairn';
  return `iqn.2024-01.io.cairn:${sys}.t.${targetId.toLowerCase()}`;
}

/**
 * The node's own iSCSI name, as a list of its target ports shows it (vSnap's `GET /api/target`):
 * `iqn.2017-08.io.cairn:<system id>`. It names the node, not one target: the targets Cairn makes
 * are named by `defaultNativeIqn` and `defaultTargetIqn` (`iqn.2024-01.io.cairn:…`). Its prefix is
 * the one vSnap clients have always been given, kept as it is so that their records stay valid.
 */
export const nodeIqn = (systemId: string): string => `iqn.2017-08.io.cairn:${systemId}`;

/** Printable, no control characters: the alias is shown, never used in a path or argv of a shell. */
const ALIAS_RE = /^[\x20-\x7e]{1,64}$/;

export function checkTargetInput(
  input: { iqn?: string; alias?: string | null },
  problems: FieldProblem[],
): void {
  if (input.iqn !== undefined && !isIqn(input.iqn))
    problems.push({
      field: 'iqn',
      code: 'NOT_IQN',
      message: 'not an iqn.yyyy-mm.domain[:name] or eui.… name',
    });
  if (typeof input.alias === 'string' && !ALIAS_RE.test(input.alias))
    problems.push({
      field: 'alias',
      code: 'PATTERN',
      message: `printable ASCII, 1 to ${ALIAS_MAX} characters`,
    });
}

/** The smallest LUN number from 1 that no LUN of the target uses. */
export function nextFreeLun(used: readonly number[]): number | null {
  const taken = new Set(used);
  for (let n = LUN_MIN; n <= LUN_MAX; n++) if (!taken.has(n)) return n;
  return null;
}

// ---- Wire schemas: the target as shown, and its create/update/LUN bodies.

const Lun = Type.Object({
  lun: Type.Integer(),
  volume_id: Type.String(),
  pool_id: Type.String(),
  uri: Type.String({ description: 'iscsi://portal/iqn/lun, what an initiator opens' }),
  created_at: Type.String(),
});
/** The wire shape of a target: LUNs with the URI an initiator opens, the portal. */
export const TargetView = Type.Object(
  {
    id: Type.String(),
    iqn: Type.String(),
    alias: Type.Union([Type.String(), Type.Null()]),
    export_id: Type.Union([Type.String(), Type.Null()], {
      description: 'set when the target is the view of an iSCSI export (change it through the export)',
    }),
    host_ids: Type.Array(Type.String(), { description: 'hosts whose IQNs (and CHAP accounts) may log in' }),
    portal: Type.String(),
    luns: Type.Array(Lun),
    state: Type.String({ description: 'active, or failed when tgtd could not be given it' }),
    error: Type.Union([Type.String(), Type.Null()]),
    created_at: Type.String(),
    updated_at: Type.String(),
  },
  { $id: 'Target' },
);
export type TargetView = Static<typeof TargetView>;
const HostIds = Type.Array(Type.String({ minLength: 1, maxLength: 64 }), {
  maxItems: 256,
  description: 'host ids',
});
const Alias = Type.Union([Type.String({ maxLength: ALIAS_MAX }), Type.Null()]);
export const TargetCreate = Type.Object(
  {
    iqn: Type.Optional(
      Type.String({ maxLength: 223, description: 'default generated from the system name' }),
    ),
    alias: Type.Optional(Alias),
    host_ids: Type.Optional(HostIds),
  },
  { additionalProperties: false },
);
export type TargetCreate = Static<typeof TargetCreate>;
/** The alias and the hosts may change; the IQN stays. */
export const TargetUpdate = Type.Partial(Type.Omit(TargetCreate, ['iqn']), {
  additionalProperties: false,
  minProperties: 1,
});
export type TargetUpdate = Static<typeof TargetUpdate>;
export const LunAdd = Type.Object(
  {
    volume_id: Id,
    lun: Type.Optional(
      Type.Integer({ minimum: LUN_MIN, maximum: LUN_MAX, description: 'default the next free' }),
    ),
  },
  { additionalProperties: false },
);
export type LunAdd = Static<typeof LunAdd>;
export const TARGET_LIST = listSpec({
  fields: {
    id: { column: 'id', type: 'string', filterable: true },
    iqn: { column: 'iqn', type: 'string', filterable: true, sortable: true },
    alias: { column: 'alias', type: 'string', filterable: true, sortable: true },
    export_id: { column: 'export_id', type: 'string', filterable: true },
    created_at: { column: 'created_at', type: 'time', filterable: true, sortable: true },
  },
  defaultSort: 'created_at',
  tieBreaker: 'id',
});
