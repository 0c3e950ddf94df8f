// MD4 against RFC 1320's test suite, and NT hashes against known values.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { md4, ntHash } from '../../../src/auth/nt-hash.js';

test('MD4: the RFC 1320 test suite', () => {
  const cases: [string, string][] = [
    ['', '31d6cfe0d16ae931b73c59d7e0c089c0'],
    ['a', 'bde52cb31de33e46245e05fbdbd6fb24'],
    ['abc', 'a448017aaf21d8525fc10ae87aa6729d'],
    ['message digest', 'd9130a8164549fe818874806e1c7014b'],
    ['abcdefghijklmnopqrstuvwxyz', 'd79e1c308aa5bbcdeea8ed63df412da9'],
    ['ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789', '043f8582f241db351ce627e153e7f0e4'],
    [
      '12345678901234567890123456789012345678901234567890123456789012345678901234567890',
      'e33b4ddc9c38f2199c3e7b164fcc0536',
    ],
  ];
  for (const [input, want] of cases) assert.equal(md4(Buffer.from(input)).toString('hex'), want, input);
});

test('NT hash: MD4 of the UTF-16LE password, upper-case hex', () => {
  assert.equal(ntHash('password'), '8846F7EAEE8FB117AD06BDD830B7586C');
  assert.equal(ntHash(''), '31D6CFE0D16AE931B73C59D7E0C089C0');
  // one code unit beyond Latin-1, and a pair (UTF-16 surrogates)
  assert.equal(
    ntHash('Ω'),
    md4(Buffer.from([0xa9, 0x03]))
      .toString('hex')
      .toUpperCase(),
  );
  assert.equal(ntHash('😀').length, 32);
});
