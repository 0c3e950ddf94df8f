// Renders docs/errors.md from the error registry. `node build/test/support/errors-doc.js --write`
// regenerates the file; the errors-doc test fails when the committed file differs.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ERRORS } from '../../src/domain/errors.js';
import { REPO } from './cairn.js';

export function renderErrorsDoc(): string {
  const rows = Object.entries(ERRORS)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(
      ([code, spec]) =>
        `| \`${code}\` | ${spec.status} | ${spec.message.replace(/\|/g, '\\|')} | ${'hint' in spec ? spec.hint : ''} |`,
    );
  return [
    '# Error codes of the native API',
    '',
    'Every error answers `{"error":{"code","message","details","hint","request_id"}}` with the status below.',
    'Codes are stable: scripts may match on them. `{name}` marks a value filled in from `details`.',
    'This file is generated from `src/domain/errors.ts` (`node build/test/support/errors-doc.js --write`).',
    '',
    '| code | status | message | hint |',
    '| --- | --- | --- | --- |',
    ...rows,
    '',
  ].join('\n');
}

if (process.argv.includes('--write')) writeFileSync(join(REPO, 'docs/errors.md'), renderErrorsDoc());
