// tgtadm show output (tgt 1.0.85, captured with one open session) → targets, sessions, accounts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO } from '../../../support/cairn.js';
import { parseAccounts, parseTargets } from '../../../../src/system/tgt/parse.js';
import { ACCOUNT_PASSWORD_POS, newAccountArgv } from '../../../../src/system/tgt/argv.js';

const fixture = (f: string) => readFileSync(join(REPO, 'test/fixtures/tgt', f), 'utf8');

test('parses targets with their session, LUNs, accounts and ACL', () => {
  const [t] = parseTargets(fixture('tgt-1.0.85-show-target.txt'));
  assert.deepEqual(t, {
    tid: 1,
    iqn: 'iqn.2024-01.io.cairn:vm.t1',
    sessions: 1,
    connections: 1,
    initiators: ['iqn.2024-01.io.x:c1'],
    addresses: ['127.0.0.1'],
    luns: [0, 1],
    accounts: ['u1', 'm1'],
    outgoing: ['m1'],
    acl: ['iqn.2024-01.io.x:c1'],
  });
  assert.deepEqual(parseTargets(''), []);
});

test('parses the account list', () => {
  assert.deepEqual(parseAccounts(fixture('tgt-1.0.85-show-account.txt')), ['m1', 'u1']);
});

test('the CHAP password sits at the masked argv position', () => {
  assert.equal(newAccountArgv('u1', 'Secr3tPassw0rd16')[ACCOUNT_PASSWORD_POS], 'Secr3tPassw0rd16');
});
