// os-release parsing on a captured Debian 12 file and on the quoting rules of os-release(5).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseOsRelease } from '../../../src/system/osrelease/parse.js';
import { REPO } from '../../support/cairn.js';

test('Debian 12 os-release: distribution name and version, not the kernel', () => {
  const text = readFileSync(join(REPO, 'test/fixtures/osrelease/debian-12-os-release.txt'), 'utf8');
  const r = parseOsRelease(text);
  assert.equal(r.name, 'Debian GNU/Linux');
  assert.equal(r.version, '12');
  assert.equal(r.prettyName, 'Debian GNU/Linux 12 (bookworm)');
  assert.equal(r.id, 'debian');
});

test('quotes, escapes, comments and missing keys', () => {
  const r = parseOsRelease('# c\nNAME=\'CentOS Linux\'\nVERSION_ID="7.3.1611"\nPRETTY_NAME="a \\"b\\""\n');
  assert.deepEqual(r, { name: 'CentOS Linux', version: '7.3.1611', prettyName: 'a "b"', id: 'linux' });
  assert.deepEqual(parseOsRelease(''), { name: 'Linux', version: '', prettyName: 'Linux', id: 'linux' });
});
