// Adding a partner by login: the address and port become an https origin only when they are a
// host name or IP address and a TCP port (user input never becomes a path or a second host);
// vSnap's 32-hex ids round-trip to Cairn's uuids.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CairnError } from '../../../../src/domain/errors.js';
import { loginPartnerName, partnerUrl } from '../../../../src/services/replication/partner-login.js';
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
