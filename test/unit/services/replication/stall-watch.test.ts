// The receive's stall rule on real streams: a body that gets no bytes while ready to take them is a
// stall; a body paused by a slow consumer (back-pressure) is not, however long the pause.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PassThrough, Writable } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';
import { watchStall } from '../../../../src/services/replication/stall-watch.js';

test('a body that stops delivering while flowing is a stall', async () => {
  const body = new PassThrough();
  body.resume();
  let stalls = 0;
  const stop = watchStall(body, 200, () => stalls++);
  body.write(Buffer.alloc(1024));
  await sleep(600);
  stop();
  assert.equal(stalls, 1, 'called once, then the watch stops itself');
});

test('bytes arriving in time keep the watch quiet', async () => {
  const body = new PassThrough();
  body.resume();
  let stalls = 0;
  const stop = watchStall(body, 200, () => stalls++);
  for (let i = 0; i < 12; i++) {
    body.write(Buffer.alloc(1024));
    await sleep(50);
  }
  stop();
  assert.equal(stalls, 0);
});

test('a body paused by back-pressure from a slow consumer is not a stall', async () => {
  const body = new PassThrough({ highWaterMark: 1024 });
  // A consumer that takes nothing for 800 ms (four stall periods), like btrfs receive blocked on a commit.
  let release!: () => void;
  const blocked = new Promise<void>((r) => (release = r));
  const slow = new Writable({
    highWaterMark: 1024,
    write(_chunk, _enc, done) {
      void blocked.then(() => done());
    },
  });
  body.pipe(slow);
  let stalls = 0;
  const stop = watchStall(body, 200, () => stalls++);
  for (let i = 0; i < 8; i++) body.write(Buffer.alloc(1024));
  await sleep(100);
  assert.ok(body.isPaused(), 'the pipe paused the body');
  await sleep(700);
  assert.equal(stalls, 0, 'waiting on our own consumer is not the sender stalling');
  release();
  await sleep(50);
  stop();
});

test('stop ends the watch: no call after it', async () => {
  const body = new PassThrough();
  body.resume();
  let stalls = 0;
  watchStall(body, 100, () => stalls++)();
  await sleep(300);
  assert.equal(stalls, 0);
});
