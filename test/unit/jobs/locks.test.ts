import { test } from 'node:test';
import assert from 'node:assert/strict';
import { LockManager } from '../../../src/jobs/locks.js';
import { exclusive, shared } from '../../../src/domain/job.js';

const tick = () => new Promise((r) => setImmediate(r));

test('shared locks run side by side; exclusive waits for them', async () => {
  const m = new LockManager();
  const order: string[] = [];
  void m.acquire('a', [shared('pool:1')]).then(() => order.push('a'));
  void m.acquire('b', [shared('pool:1')]).then(() => order.push('b'));
  void m.acquire('c', [exclusive('pool:1')]).then(() => order.push('c'));
  await tick();
  assert.deepEqual(order, ['a', 'b']);
  m.release('a');
  await tick();
  assert.deepEqual(order, ['a', 'b']);
  m.release('b');
  await tick();
  assert.deepEqual(order, ['a', 'b', 'c']);
});

test('a waiting writer is not starved by later readers', async () => {
  const m = new LockManager();
  const order: string[] = [];
  await m.acquire('r1', [shared('k')]);
  void m.acquire('w', [exclusive('k')]).then(() => order.push('w'));
  void m.acquire('r2', [shared('k')]).then(() => order.push('r2'));
  await tick();
  assert.deepEqual(order, []);
  m.release('r1');
  await tick();
  assert.deepEqual(order, ['w']);
  m.release('w');
  await tick();
  assert.deepEqual(order, ['w', 'r2']);
});

test('jobs on different keys do not wait for each other; all-or-nothing acquisition', async () => {
  const m = new LockManager();
  const got: string[] = [];
  await m.acquire('p1', [exclusive('pool:1')]);
  void m.acquire('p2', [exclusive('pool:2')]).then(() => got.push('p2'));
  void m.acquire('both', [exclusive('pool:2'), exclusive('pool:1')]).then(() => got.push('both'));
  await tick();
  assert.deepEqual(got, ['p2']);
  assert.equal(m.holderOf('pool:1'), 'p1');
  m.release('p2');
  await tick();
  assert.deepEqual(got, ['p2']);
  m.release('p1');
  await tick();
  assert.deepEqual(got, ['p2', 'both']);
  assert.ok(m.withdraw('none') === false);
});

test('a waiter whose signal aborts leaves the queue, and the waiters behind it move up', async () => {
  const m = new LockManager();
  const got: string[] = [];
  await m.acquire('r1', [shared('k')]);
  const abort = new AbortController();
  const w = m.acquire('w', [exclusive('k')], abort.signal);
  void m.acquire('r2', [shared('k')]).then(() => got.push('r2'));
  await tick();
  assert.deepEqual(got, [], 'r2 waits behind the writer');
  abort.abort();
  assert.equal(await w, false);
  await tick();
  assert.deepEqual(got, ['r2'], 'with the writer gone, r2 shares with r1');
  assert.equal(m.holderOf('k'), 'r1');
  assert.equal(await m.acquire('late', [shared('k')], AbortSignal.abort()), false, 'already aborted');
  // A granted waiter ignores a later abort.
  const a2 = new AbortController();
  assert.equal(await m.acquire('x', [exclusive('other')], a2.signal), true);
  a2.abort();
  assert.equal(m.holderOf('other'), 'x');
});

test('tryAcquire takes every lock at once or none, and never jumps a waiter', async () => {
  const m = new LockManager();
  assert.equal(m.tryAcquire('a', [shared('pool:1'), exclusive('vol:1')]), true);
  assert.deepEqual(
    m.heldKeys().map((h) => [h.key, h.mode, h.holders]),
    [
      ['pool:1', 'shared', ['a']],
      ['vol:1', 'exclusive', ['a']],
    ],
  );
  // vol:1 is taken: nothing of b's is held, and b is not left waiting.
  assert.equal(m.tryAcquire('b', [shared('pool:1'), exclusive('vol:1')]), false);
  assert.deepEqual(m.holderOf('pool:1'), 'a');
  assert.equal(m.heldKeys().find((h) => h.key === 'pool:1')!.holders.length, 1);
  // A writer waits on pool:1: a later reader may not jump it, though the lock is shared now.
  let writer = false;
  void m.acquire('w', [exclusive('pool:1')]).then(() => (writer = true));
  assert.equal(m.tryAcquire('r', [shared('pool:1')]), false);
  m.release('a');
  await tick();
  assert.equal(writer, true, 'the writer got the lock, not a reader that tried after it queued');
  assert.equal(m.tryAcquire('x', [shared('other')]), true);
});
