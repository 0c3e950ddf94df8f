// Adding a partner by login: the address and port become an https origin only when they are a
// host name or IP address and a TCP port (user input never becomes a path or a second host);
// vSnap's 32-hex ids round-trip to Cairn's uuids.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CairnError } from '../../../../src/domain/errors.js';
import {
  DEFAULT_PARTNER_PORT,
  keyNameHere,
  keyNameThere,
  loginPartnerName,
  loginWithDefaults,
  partnerUrl,
} from '../../../../src/services/replication/partner-login.js';
import { systemPrincipal } from '../../../../src/domain/permissions.js';
import { hex, uuidOf } from '../../../../src/api/dialects/vsnap/replication.js';

test('partnerUrl: host names and IPs with a port become an https origin', () => {
  assert.equal(partnerUrl('127.0.0.1', 8900), 'https://127.0.0.1:8900');
  assert.equal(partnerUrl('vsnap-2.example.com', 443), 'https://vsnap-2.example.com:443');
  assert.equal(partnerUrl('fe80::1', 8900), 'https://[fe80::1]:8900');
});

test('partnerUrl: anything else is VALIDATION_FAILED, naming every bad field', () => {
  for (const [addr, port] of [
    ['evil.com/path', 8900],
    ['user@host', 8900],
    ['host:99', 8900],
    ['-leading', 8900],
    ['', 8900],
    ['a'.repeat(300), 8900],
    ['ok.host', 0],
    ['ok.host', 70000],
    ['ok.host', 1.5],
  ] as const) {
    assert.throws(
      () => partnerUrl(addr, port),
      (e: unknown) => e instanceof CairnError && e.code === 'VALIDATION_FAILED',
      `${addr}:${port}`,
    );
  }
  assert.throws(
    () => partnerUrl('x/y', 0),
    (e: unknown) =>
      e instanceof CairnError &&
      JSON.stringify(e.details).includes('address') &&
      JSON.stringify(e.details).includes('port'),
  );
});

test('loginPartnerName: a valid partner name from address and port', () => {
  assert.equal(loginPartnerName('127.0.0.1', 8900), '127.0.0.1-8900');
  assert.equal(loginPartnerName('fe80::1', 8900), 'fe80--1-8900');
  assert.ok(loginPartnerName('a'.repeat(200), 1).length <= 64);
});

test('vSnap hex ids round-trip to uuids', () => {
  const id = '5058a203-23b9-43ed-925f-d92f88f1b926';
  assert.equal(hex(id), '5058a20323b943ed925fd92f88f1b926');
  assert.equal(uuidOf('5058A20323B943ED925FD92F88F1B926'), id);
  assert.equal(hex(null), null);
});

test('keyNameThere / keyNameHere: the keys a partnership makes are named by system, time and address', () => {
  assert.equal(keyNameThere('0123456789abcdef0123', 36 ** 3), 'partner-0123456789ab-1000');
  assert.equal(keyNameThere('ab-cd', 35), 'partner-abcd-z');
  assert.equal(keyNameHere('10.0.0.2', 8900), 'partner-of-10.0.0.2-8900');
  assert.equal(keyNameHere('fe80::1', 443), 'partner-of-fe80--1-443');
  assert.equal(keyNameHere('a'.repeat(200), 1).length, 64);
});

test('loginWithDefaults: ports default to the API port, the way back to the port asked on', () => {
  const principal = systemPrincipal('test');
  const base = { address: '10.0.0.2', user: 'admin', password: 'pw' };
  const bare = loginWithDefaults({ ...base, back: { address: null, principal } }, 'abc', 0);
  assert.equal(DEFAULT_PARTNER_PORT, 8900);
  assert.equal(bare.port, 8900);
  assert.equal(bare.keyName, 'partner-abc-0');
  assert.deepEqual(bare.back, { address: null, port: 8900, principal, keyName: 'partner-of-10.0.0.2-8900' });
  const asked = loginWithDefaults(
    { ...base, port: 9443, back: { address: '10.0.0.1', receivedOn: 8443, principal } },
    'abc',
    0,
  );
  assert.equal(asked.port, 9443);
  assert.equal(asked.back?.port, 8443, 'this API port, as the request reached it');
  assert.equal(asked.back?.keyName, 'partner-of-10.0.0.2-9443');
  const given = loginWithDefaults(
    { ...base, port: undefined, back: { address: null, port: 7000, receivedOn: 8443, principal } },
    'abc',
    0,
  );
  assert.equal(given.port, 8900);
  assert.equal(given.back?.port, 7000);
  assert.equal(loginWithDefaults(base, 'abc', 0).back, undefined, 'one-way without back');
});
