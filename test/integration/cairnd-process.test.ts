// cairnd as administrators run it: HTTPS with a self-signed certificate made once, its fingerprint
// served for pinning, the first admin password in a 0600 file, and a graceful stop on SIGTERM.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { newDataDir, startCairnProcess, freePort, REPO } from '../support/cairn.js';
import { daemon, waitFor } from '../support/real.js';
import { Client, ApiError } from '../../src/cli/client.js';
import { testStores } from '../support/stores.js';

for (const store of testStores()) {
  test(`${store}: HTTPS by default, certificate made once and pinnable, survives restart`, async (t) => {
    const c = await startCairnProcess(t, { store });
    assert.match(c.fingerprint, /^([0-9A-F]{2}:){31}[0-9A-F]{2}$/);
    const pinned = new Client({
      url: c.url,
      user: 'admin',
      password: 'Admin-Passw0rd-for-tests',
      fingerprint: c.fingerprint,
    });
    const sys = await pinned.get<{ database: string }>('system');
    assert.equal(sys.database, store);
    const wrongPin = new Client({
      url: c.url,
      user: 'admin',
      password: 'x',
      fingerprint: 'AA:'.repeat(31) + 'AA',
    });
    await assert.rejects(wrongPin.get('health'), /does not match the pinned/);
    const unpinned = new Client({ url: c.url });
    await assert.rejects(unpinned.get('health'), /self.signed/);
    const e = await new Client({ url: c.url, fingerprint: c.fingerprint })
      .get('system')
      .catch((x: unknown) => x);
    assert.ok(e instanceof ApiError && e.status === 401);
    assert.equal(statSync(join(c.dataDir, 'tls', 'key.pem')).mode & 0o777, 0o600);
    await c.stop();
    assert.equal(c.child.exitCode, 0, `graceful stop: ${c.child.output()}`);
    const again = await c.start();
    assert.equal(again.fingerprint, c.fingerprint, 'the certificate is generated once');
  });
}

test('first start without CAIRN_ADMIN_PASSWORD writes a generated password to a 0600 file and prints it once', async (t) => {
  const dataDir = newDataDir(t);
  const port = await freePort();
  const child = daemon(
    t,
    ['node', join(REPO, 'build/src/daemon/main.js'), '--data-dir', dataDir, '--listen', `127.0.0.1:${port}`],
    {
      CAIRN_ADMIN_PASSWORD: '',
      CAIRN_LOG_LEVEL: 'warn',
    },
  );
  const out = await waitFor(
    'the start-up banner',
    () => /Cairn is up/.test(child.output()) && child.output(),
  );
  const file = join(dataDir, 'admin-password');
  assert.equal(statSync(file).mode & 0o777, 0o600);
  const { readFileSync } = await import('node:fs');
  const password = readFileSync(file, 'utf8').trim();
  assert.ok(password.length >= 16);
  assert.match(out, /fingerprint: ([0-9A-F]{2}:){31}/);
  assert.ok(out.includes(file));
  const admin = new Client({ url: `https://127.0.0.1:${port}`, user: 'admin', password, insecure: true });
  assert.equal((await admin.get<{ version: string }>('system')).version.length > 0, true);
});

test('plain HTTP is refused on a non-loopback address', async (t) => {
  const dataDir = newDataDir(t);
  const child = daemon(
    t,
    [
      'node',
      join(REPO, 'build/src/daemon/main.js'),
      '--data-dir',
      dataDir,
      '--listen',
      '0.0.0.0:1',
      '--insecure-http',
    ],
    {},
  );
  const code = await new Promise<number | null>((r) => child.once('exit', (c) => r(c)));
  assert.equal(code, 2);
  assert.match(child.output(), /only allowed on loopback/);
});
