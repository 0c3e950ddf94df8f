// Error codes ↔ docs/errors.md: every code documented, nothing documented that does not exist.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { renderErrorsDoc } from '../../support/errors-doc.js';
import { REPO } from '../../support/cairn.js';
import { ERRORS } from '../../../src/domain/errors.js';

test('docs/errors.md is the registry, rendered (regenerate: node build/test/support/errors-doc.js --write)', () => {
  assert.equal(readFileSync(join(REPO, 'docs/errors.md'), 'utf8'), renderErrorsDoc());
});

test('every status is an HTTP error status and every code is UPPER_SNAKE_CASE', () => {
  for (const [code, spec] of Object.entries(ERRORS)) {
    assert.match(code, /^[A-Z][A-Z0-9_]*[A-Z0-9]$/, code);
    assert.ok(spec.status >= 400 && spec.status < 600, code);
  }
});
