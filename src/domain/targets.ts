// iSCSI targets as objects: an IQN, an alias, the hosts allowed to log in and numbered LUNs that map
// lun volumes. A target may also be the view of an iSCSI export (one LUN, managed through the
// export). Pure: types, rules, list spec, the generated IQN.
import type { FieldProblem } from './errors.js';
import { isIqn } from './exports.js';
import { listSpec } from './list.js';

/** tgt numbers LUNs from 0 (the controller); SAM allows more, but initiators scan 0..255. */
export const LUN_MIN = 1;
export const LUN_MAX = 255;
export const ALIAS_MAX = 64;

export interface TargetLun {
  lun: number;
  volume_id: string;
  pool_id: string;
  created_at: string;
}

export interface Target {
  id: string;
  iqn: string;
  alias: string | null;
  /** tgt's target id inside tgtd (shared with the iSCSI exports' slots). */
  tid: number;
  /** Set when the target is the view of an iSCSI export (changed through that export). */
  export_id: string | null;
  host_ids: string[];
  luns: TargetLun[];
  state: 'active' | 'failed';
  error: string | null;
  created_at: string;
  updated_at: string;
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
