import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readConfig } from '../../../src/daemon/config.js';

test('defaults: 0.0.0.0:8900, SQLite under the data dir, HTTPS', () => {
  const c = readConfig([], { CAIRN_DATA_DIR: '/srv/cairn' });
  assert.equal(c.host, '0.0.0.0');
  assert.equal(c.port, 8900);
  assert.equal(c.databaseUrl, '/srv/cairn/cairn.db');
  assert.equal(c.insecureHttp, false);
});

test('flags win over the environment', () => {
  const c = readConfig(['--listen', '127.0.0.1:9000', '--database-url', 'postgres://u@h/db'], {
    CAIRN_LISTEN: '0.0.0.0:1',
    CAIRN_DATA_DIR: '/d',
  });
  assert.equal(c.port, 9000);
  assert.equal(c.databaseUrl, 'postgres://u@h/db');
});

test('plain HTTP only on loopback; certificate and key go together', () => {
  assert.throws(() => readConfig(['--insecure-http'], { CAIRN_LISTEN: '0.0.0.0:8900' }), /loopback/);
  assert.equal(readConfig(['--insecure-http'], { CAIRN_LISTEN: '127.0.0.1:8900' }).insecureHttp, true);
  assert.throws(() => readConfig(['--tls-cert', '/x.pem'], {}), /both/);
  assert.throws(() => readConfig([], { CAIRN_LISTEN: 'nonsense' }), /address:port/);
});
