// btrfs exit status + stderr → CairnError, in one table. Unknown failures stay COMMAND_FAILED.
import { CairnError } from '../../domain/errors.js';
import type { ExecResult } from '../exec.js';

const lastLine = (s: string) =>
  s
    .trim()
    .split('\n')
    .filter((l) => l.trim())
    .pop() ?? s;

const TABLE: { match: RegExp; make: (op: string, stderr: string) => CairnError }[] = [
  {
    match: /have (\d+) devices but (\d+) devices are required/,
    make: (_op, s) => new CairnError('POOL_PROFILE_INVALID', { reason: lastLine(s) }),
  },
  {
    match: /No space left|ENOSPC|errno=-28/,
    make: (op, s) => new CairnError('POOL_NO_SPACE', { operation: op, reason: lastLine(s) }),
  },
  {
    match: /unable to go below (two|three|four) devices|unable to go below/,
    make: (_op, s) => new CairnError('POOL_PROFILE_INVALID', { reason: lastLine(s) }),
  },
];

/** Classifies a failed btrfs command; returns COMMAND_FAILED with stderr when no rule matches. */
export function classifyBtrfs(op: string, argv: readonly string[], r: ExecResult): CairnError {
  const text = `${r.stderr}\n${r.stdout}`;
  for (const row of TABLE) if (row.match.test(text)) return row.make(op, text);
  return new CairnError('COMMAND_FAILED', {
    program: argv[0],
    reason: (r.stderr.trim() || r.stdout.trim() || `exit status ${r.exitCode}`)
      .split('\n')
      .slice(-3)
      .join(' '),
    exitCode: r.exitCode,
    command: argv.join(' '),
    operation: op,
  });
}
