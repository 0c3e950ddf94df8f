// Password-guess throttling: per (user, source), back-off with a retry time, bounded memory, a
// burst reported once; and the auth service on a real SQLite store writes nothing per wrong try.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import { DEFAULT_GUESS_POLICY, GuessThrottle } from '../../../src/auth/guesses.js';
import { AuthService } from '../../../src/auth/service.js';
import { AuthStore } from '../../../src/store/auth.js';
import { migratedSqlite } from '../../support/stores.js';
import { isCairnError } from '../../../src/domain/errors.js';

const policy = {
  ...DEFAULT_GUESS_POLICY,
  freeFailures: 3,
  baseDelayMs: 1000,
  burstFailures: 6,
  maxEntries: 4,
};

/** An AuthService with `admin` / right-password on a fresh SQLite store, closed after the test. */
async function authOnStore(t: { after: (f: () => unknown) => void }) {
  const store = await migratedSqlite(t, 'cairn-auth-');
  const authStore = new AuthStore(store.db, store.dialect);
  const auth = new AuthService(authStore, policy);
  await auth.ensureBuiltinRoles();
  await auth.ensureAdmin('right-password');
  return { store, authStore, auth };
}

test('free failures, then a back-off that doubles, per (user, source) only', () => {
  const g = new GuessThrottle(policy);
  for (let i = 0; i < 3; i++) g.fail('admin', '10.0.0.1', 0);
  assert.equal(g.check('admin', '10.0.0.1', 0).allowed, true);
  g.fail('admin', '10.0.0.1', 0);
  const v = g.check('admin', '10.0.0.1', 10);
  assert.equal(v.allowed, false);
  assert.equal(!v.allowed && v.retryAfterMs, 990);
  assert.equal(g.check('admin', '10.0.0.2', 10).allowed, true, 'another source is not refused');
  assert.equal(g.check('other', '10.0.0.1', 10).allowed, true, 'another user is not refused');
  assert.equal(g.check('admin', '10.0.0.1', 1000).allowed, true, 'allowed again after the delay');
  g.fail('admin', '10.0.0.1', 1000);
  const v2 = g.check('admin', '10.0.0.1', 1000);
  assert.equal(!v2.allowed && v2.retryAfterMs, 2000, 'the next failure doubles the delay');
});

test('the delay is capped, success and a password change clear the record', () => {
  const g = new GuessThrottle({ ...policy, maxDelayMs: 5000 });
  for (let i = 0; i < 40; i++) g.fail('u', 's', 0);
  const v = g.check('u', 's', 0);
  assert.equal(!v.allowed && v.retryAfterMs, 5000);
  g.succeed('u', 's');
  assert.equal(g.check('u', 's', 0).allowed, true);
  for (let i = 0; i < 10; i++) g.fail('u', 's2', 0);
  g.forgetUser('u');
  assert.equal(g.check('u', 's2', 0).allowed, true);
});

test('memory is bounded: the least recently failed pairs go first', () => {
  const g = new GuessThrottle(policy);
  for (let i = 0; i < 10; i++) for (let j = 0; j < 5; j++) g.fail('admin', `10.0.0.${i}`, 0);
  assert.equal(g.size, 4);
  assert.equal(g.check('admin', '10.0.0.0', 1).allowed, true, 'the oldest was dropped');
  assert.equal(g.check('admin', '10.0.0.9', 1).allowed, false, 'the newest is kept');
});

test('a burst is reported once, refused tries included', () => {
  const g = new GuessThrottle(policy);
  let bursts = 0;
  for (let i = 0; i < 30; i++) {
    const v = g.check('admin', 's', 0);
    const out = v.allowed ? g.fail('admin', 's', 0) : v.outcome;
    if (out.burst) bursts += 1;
  }
  assert.equal(bursts, 1);
});

test('auth service: a flood of wrong passwords from one address writes nothing and does not lock out another', async (t) => {
  const { store, auth } = await authOnStore(t);
  const bursts: unknown[] = [];
  auth.onLoginBurst((b) => bursts.push(b));
  const changes = async () =>
    Number((await sql<{ n: number }>`select total_changes() as n`.execute(store.db)).rows[0]!.n);
  const before = await changes();
  const codes: string[] = [];
  for (let i = 0; i < 12; i++) {
    try {
      await auth.authenticateBasic('admin', `wrong-${i}`, '192.0.2.66');
      codes.push('ok');
    } catch (e) {
      assert.ok(isCairnError(e));
      codes.push(e.code);
      if (e.code === 'TOO_MANY_FAILED_LOGINS') assert.ok(Number(e.details.retry_after) >= 1);
    }
  }
  assert.deepEqual(codes.slice(0, 3), ['UNAUTHENTICATED', 'UNAUTHENTICATED', 'UNAUTHENTICATED']);
  assert.ok(
    codes.slice(4).every((c) => c === 'TOO_MANY_FAILED_LOGINS'),
    codes.join(),
  );
  await assert.rejects(auth.authenticateBasic('admin', 'right-password', '192.0.2.66'), /too many failed/);
  assert.equal(await changes(), before, 'no database write per attempt');
  const p = await auth.authenticateBasic('admin', 'right-password', '198.51.100.7');
  assert.equal(p.userName, 'admin', 'the right password from another address works');
  const s = await auth.login('admin', 'right-password', '198.51.100.7');
  assert.equal(s.user.name, 'admin');
  assert.equal(s.user.locked_until, null);
  assert.equal(bursts.length, 1);
  assert.deepEqual(bursts[0], { user: 'admin', source: '192.0.2.66', failures: 6 });
});

test('auth service: concurrent requests with the same credentials share one verification', async (t) => {
  const { authStore, auth } = await authOnStore(t);
  let lookups = 0;
  const orig = authStore.userByName.bind(authStore);
  authStore.userByName = (n: string) => {
    lookups += 1;
    return orig(n);
  };
  const all = await Promise.all(
    Array.from({ length: 20 }, () => auth.authenticateBasic('admin', 'right-password', '127.0.0.1')),
  );
  assert.equal(all.length, 20);
  assert.equal(lookups, 1, 'one password verification for twenty concurrent requests');
});
