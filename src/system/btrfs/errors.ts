// The one error table of the btrfs adapter (filesystem, subvolume and qgroup calls, send/receive):
// exit status + stderr → a condition, the CairnError code and a hint. Every error carries the argv
// masked as exec.ts prints it. A row with a `code` raises that code only for the command families
// it names (ENOSPC is the pool's POOL_NO_SPACE for a balance, a plain failure with condition
// no_space for a qgroup limit); callers decide what a condition means to them (e.g. "already
// gone" is success for an idempotent delete). Unknown failures stay COMMAND_FAILED.
import { CairnError, type ErrorCode } from '../../domain/errors.js';
import { maskArgv, type ExecResult } from '../exec.js';

/** Which part of the adapter ran the command. */
export type BtrfsFamily = 'filesystem' | 'subvolume' | 'stream';

export type BtrfsCondition =
  | 'parent_missing'
  | 'stream_broken'
  | 'profile'
  | 'no_space'
  | 'not_found'
  | 'busy'
  | 'exists'
  | 'quota_disabled'
  | 'other';

interface Row {
  match: RegExp;
  condition: BtrfsCondition;
  /** The code raised, only in `in`; elsewhere (or without one) the row gives COMMAND_FAILED. */
  code?: ErrorCode;
  in?: readonly BtrfsFamily[];
  /** What the operator can do; omitted where the code's own hint (docs/errors.md) says it. */
  hint?: string;
}

/** First match wins; a row limited by `in` is skipped for other families. */
const TABLE: readonly Row[] = [
  {
    match: /cannot find parent subvolume|could not find parent/i,
    condition: 'parent_missing',
    code: 'REPLICATION_PARENT_MISSING',
    in: ['stream'],
  },
  {
    match: /short read|unexpected EOF|failed to read stream|incomplete/i,
    condition: 'stream_broken',
    code: 'REPLICATION_STREAM_BROKEN',
    in: ['stream'],
    hint: 'the stream ended early (the sender or the connection stopped); the next session sends it again',
  },
  {
    match: /have \d+ devices but \d+ devices are required|unable to go below/,
    condition: 'profile',
    code: 'POOL_PROFILE_INVALID',
    in: ['filesystem'],
    hint: 'this profile needs more devices: add disks or choose a profile with fewer copies',
  },
  {
    match: /No space left|ENOSPC|errno=-28/,
    condition: 'no_space',
    code: 'POOL_NO_SPACE',
    in: ['filesystem'],
  },
  {
    match: /No such file or directory|not found|does not exist/i,
    condition: 'not_found',
    hint: 'the path or object is gone (deleted meanwhile, or the pool is not mounted)',
  },
  {
    match: /Device or resource busy/i,
    condition: 'busy',
    hint: 'something still uses it (a mount, an export, the btrfs cleaner); try again later',
  },
  {
    match: /already exists|File exists/i,
    condition: 'exists',
    hint: 'something is already at the target path',
  },
  {
    match: /quota.*not enabled|quotas not enabled|Invalid argument.*qgroup/i,
    condition: 'quota_disabled',
    hint: "the pool's quotas are off; they are enabled again when the pool is mounted",
  },
  {
    match: /No space left on device|Disk quota exceeded/i,
    condition: 'no_space',
    hint: 'free space in the pool or raise the limit',
  },
];

const rowFor = (family: BtrfsFamily | null, r: ExecResult): Row | undefined => {
  const text = `${r.stderr}\n${r.stdout}`;
  return TABLE.find(
    (row) => (!row.in || (family !== null && row.in.includes(family))) && row.match.test(text),
  );
};

/** What a failed call means, whatever the family ('other' when no row matches). */
export const conditionOf = (r: ExecResult, family: BtrfsFamily | null = null): BtrfsCondition =>
  rowFor(family, r)?.condition ?? 'other';

export interface FailedCall {
  family: BtrfsFamily;
  /** What was being done, in words ('balance', 'set qgroup limit', 'send'). */
  operation: string;
  argv: readonly string[];
  secretArgs?: readonly number[];
}

/** The CairnError for a failed btrfs (or mount, wipefs, truncate...) call. */
export function btrfsError(call: FailedCall, r: ExecResult): CairnError {
  const row = rowFor(call.family, r);
  const lines = (r.stderr.trim() || r.stdout.trim() || `exit status ${r.exitCode}`)
    .split('\n')
    .filter((l) => l.trim());
  const details = {
    operation: call.operation,
    condition: row?.condition ?? 'other',
    exitCode: r.exitCode,
    command: maskArgv(call.argv, call.secretArgs),
    ...(row?.hint ? { hint: row.hint } : {}),
  };
  if (row?.code && row.in?.includes(call.family))
    return new CairnError(row.code, { ...details, reason: lines.at(-1), what: call.operation });
  return new CairnError('COMMAND_FAILED', {
    ...details,
    program: call.argv[0],
    reason: `${call.operation}: ${lines.slice(-3).join(' ')}`,
  });
}
