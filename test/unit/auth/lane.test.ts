// The slow lane for suspect logins: a bounded number run, a bounded number wait, the rest are refused.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Lane } from '../../../src/auth/lane.js';

test('a lane runs `slots` at once, queues `queue`, refuses the rest, and drains', async () => {
  const lane = new Lane(1, 2);
  let running = 0;
  let most = 0;
  const releases: (() => void)[] = [];
  const work = () =>
    lane.run(async () => {
      running += 1;
      most = Math.max(most, running);
      await new Promise<void>((r) => releases.push(r));
      running -= 1;
      return 'done';
    });
  const a = work();
  const b = work();
  const c = work();
  assert.equal(await work(), null, 'the fourth is refused: one runs, two wait');
  for (let i = 0; i < 3; i++) {
    while (releases.length === 0) await new Promise((r) => setImmediate(r));
    releases.shift()!();
  }
  assert.deepEqual(await Promise.all([a, b, c]), ['done', 'done', 'done']);
  assert.equal(most, 1);
  assert.equal(await lane.run(async () => 'again'), 'again', 'free once drained');
});
