// Exit status + stderr of btrfs and friends → what happened, in one table. Callers decide what a
// condition means for them (e.g. "already gone" is success for an idempotent delete).
import { CairnError } from '../../domain/errors.js';
import { maskArgv, type ExecResult } from '../exec.js';

export type SubvolumeCondition = 'not_found' | 'busy' | 'exists' | 'quota_disabled' | 'no_space' | 'other';

const TABLE: [RegExp, SubvolumeCondition][] = [
  [/No such file or directory|not found|does not exist/i, 'not_found'],
  [/Device or resource busy/i, 'busy'],
  [/already exists|File exists/i, 'exists'],
  [/quota.*not enabled|quotas not enabled|Invalid argument.*qgroup/i, 'quota_disabled'],
  [/No space left on device|Disk quota exceeded/i, 'no_space'],
];

export function conditionOf(r: ExecResult): SubvolumeCondition {
  const text = `${r.stderr}\n${r.stdout}`;
  for (const [re, c] of TABLE) if (re.test(text)) return c;
  return 'other';
}

/** The CairnError for a failed call: COMMAND_FAILED carrying the condition and stderr. */
export function subvolumeError(what: string, argv: readonly string[], r: ExecResult): CairnError {
  const reason = (r.stderr.trim() || r.stdout.trim() || `exit status ${r.exitCode}`)
    .split('\n')
    .slice(-2)
    .join(' ');
  return new CairnError('COMMAND_FAILED', {
    program: argv[0],
    reason: `${what}: ${reason}`,
    condition: conditionOf(r),
    exitCode: r.exitCode,
    command: maskArgv(argv),
  });
}
