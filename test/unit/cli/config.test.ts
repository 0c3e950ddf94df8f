// The CLI's configuration (src/cli/config.ts): flags win over the environment, which wins over
// the config file; unset, the local cairnd as admin when a password is given.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { clientOptions } from '../../../src/cli/config.js';

test('flags, then CAIRN_* variables, then the config file', (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'cairn-cli-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const file = join(dir, 'cli.json');
  writeFileSync(file, JSON.stringify({ url: 'https://file:1', user: 'f', api_key: 'kf', fingerprint: 'ff' }));
  const env = { CAIRN_CLI_CONFIG: file, CAIRN_USER: 'e', CAIRN_INSECURE: '1' };
  const o = clientOptions({ user: 'flag' }, env);
  assert.equal(o.user, 'flag');
  assert.equal(o.url, 'https://file:1');
  assert.equal(o.apiKey, 'kf');
  assert.equal(o.insecure, true);
  assert.equal(clientOptions({}, env).user, 'e');
  assert.equal(clientOptions({ config: join(dir, 'none.json') }, env).url, 'https://localhost:8900');
});

test('a password alone means the admin user; nothing set means no credentials', () => {
  const none = join(tmpdir(), 'cairn-cli-none.json');
  assert.equal(clientOptions({}, { CAIRN_CLI_CONFIG: none, CAIRN_PASSWORD: 'pw' }).user, 'admin');
  const o = clientOptions({}, { CAIRN_CLI_CONFIG: none });
  assert.equal(o.user, undefined);
  assert.equal(o.password, undefined);
  assert.equal(o.insecure, false);
});
