// btrfs send/receive failures → CairnError, in one table.
import { CairnError } from '../../domain/errors.js';
import type { ExecResult } from '../exec.js';

const TABLE: { re: RegExp; code: 'REPLICATION_PARENT_MISSING' | 'REPLICATION_STREAM_BROKEN' }[] = [
  { re: /cannot find parent subvolume|could not find parent/i, code: 'REPLICATION_PARENT_MISSING' },
  { re: /short read|unexpected EOF|failed to read stream|incomplete/i, code: 'REPLICATION_STREAM_BROKEN' },
];

export function sendRecvError(what: 'send' | 'receive', argv: readonly string[], r: ExecResult): CairnError {
  const reason = (r.stderr.trim() || `exit status ${r.exitCode}`).split('\n').slice(-3).join(' ');
  const hit = TABLE.find((t) => t.re.test(r.stderr));
  if (hit) return new CairnError(hit.code, { what, reason });
  return new CairnError('COMMAND_FAILED', {
    program: 'btrfs',
    reason: `${what}: ${reason}`,
    exitCode: r.exitCode,
    command: argv.join(' '),
  });
}
