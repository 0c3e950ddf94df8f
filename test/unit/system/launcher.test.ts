// The launcher's own checks: the helper script compiles; the component starts a helper, runs
// programs through it, kills them, notices a helper that died and starts another (up to a limit,
// then child_process), and closes it; a helper process that is stuck or confused is abandoned.
// And the rule of docs/architecture.md: short programs are the launcher's children, streams and
// daemons cairnd's own.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execWith, spawnDaemon, spawnStream } from '../../../src/system/exec.js';
import { Launcher, LauncherProcess } from '../../../src/system/launcher.js';
import { gone } from '../../support/processes.js';
import { CairnError } from '../../../src/domain/errors.js';
import { REPO } from '../../support/cairn.js';

const SCRIPT = join(REPO, 'libexec/cairn-launcher.py');
const PATH = { PATH: '/usr/bin:/bin' };

test('the helper script compiles (python3 -m py_compile)', () => {
  const cache = mkdtempSync(join(tmpdir(), 'cairn-pyc-'));
  try {
    // The bytecode goes to a temporary folder, never beside the script in the repo.
    execFileSync('python3', ['-m', 'py_compile', SCRIPT], { env: { ...PATH, PYTHONPYCACHEPREFIX: cache } });
  } finally {
    rmSync(cache, { recursive: true, force: true });
  }
});

test('the component starts its helper on the first program, runs and kills programs, closes', async () => {
  const l = Launcher.open({ enabled: true });
  const exec = execWith(l);
  assert.equal(l.pid, null, 'nothing runs before the first program');
  const r = await exec({ argv: ['sh', '-c', 'echo $PPID'], timeoutMs: 5000 });
  const helper = l.pid;
  assert.ok(helper);
  assert.equal(Number(r.stdout.trim()), helper, 'the program is the helper’s child, not cairnd’s');
  const dir = mkdtempSync(join(tmpdir(), 'cairn-launcher-'));
  try {
    const ac = new AbortController();
    const p = exec({
      argv: ['sh', '-c', `echo $$ > ${dir}/pid; exec sleep 30`],
      timeoutMs: 10_000,
      signal: ac.signal,
    });
    for (let i = 0; i < 100; i++) {
      if (readFileSync(`${dir}/pid`, { encoding: 'utf8', flag: 'a+' }).trim()) break;
      await new Promise((res) => setTimeout(res, 20));
    }
    ac.abort();
    await assert.rejects(p, (x: unknown) => x instanceof CairnError && /cancelled/.test(x.message));
    assert.equal(await gone(Number(readFileSync(`${dir}/pid`, 'utf8'))), true, 'the program was killed');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  l.close();
  assert.equal(await gone(helper), true, 'close ends the helper');
  assert.equal(l.mode, 'child_process');
  assert.equal((await exec({ argv: ['echo', 'late'], timeoutMs: 5000 })).stdout, 'late\n');
});

test('a helper that crashes is noticed: its call fails, another starts; past the limit, child_process', async () => {
  const deaths: { pid: number; restarting: boolean }[] = [];
  const l = Launcher.open({ enabled: true, maxRestarts: 1, onDeath: (d) => deaths.push(d) });
  const exec = execWith(l);
  try {
    await exec({ argv: ['true'], timeoutMs: 5000 });
    const first = l.pid!;
    const pending = exec({ argv: ['sleep', '5'], timeoutMs: 10_000 });
    process.kill(first, 'SIGKILL');
    await assert.rejects(
      pending,
      (x: unknown) => x instanceof CairnError && /launcher exited/.test(x.message),
    );
    assert.equal((await exec({ argv: ['echo', 'again'], timeoutMs: 5000 })).stdout, 'again\n');
    assert.deepEqual(deaths, [{ pid: first, restarting: true }]);
    const second = l.pid!;
    assert.notEqual(second, first);
    assert.equal(l.restarts, 1);
    process.kill(second, 'SIGKILL');
    assert.equal(await gone(second), true);
    for (let i = 0; i < 100 && l.pid !== null; i++) await new Promise((r) => setTimeout(r, 20));
    assert.equal(l.mode, 'child_process', 'a launcher that keeps dying is given up');
    assert.deepEqual(deaths[1], { pid: second, restarting: false });
    const r = await exec({ argv: ['sh', '-c', 'echo $PPID'], timeoutMs: 5000 });
    assert.equal(Number(r.stdout.trim()), process.pid);
  } finally {
    l.close();
  }
});

test('disabled (CAIRN_LAUNCHER=off) or without python3: no helper, programs still run', async () => {
  for (const l of [
    Launcher.open({ enabled: false }),
    Launcher.open({ enabled: true, interpreter: '/no/such/python3' }),
  ]) {
    assert.equal(l.mode, 'child_process');
    assert.equal((await execWith(l)({ argv: ['echo', 'ok'], timeoutMs: 5000 })).stdout, 'ok\n');
    l.close();
  }
  await new Promise((r) => setTimeout(r, 100)); // the failed spawn's 'error' event comes later
});

test('streams and daemons are forked by cairnd, never by the launcher (the documented rule)', async () => {
  const d = spawnDaemon({ argv: ['sh', '-c', 'echo $PPID; exec sleep 30'], onOutput: () => undefined });
  let out = '';
  const s = spawnStream({ argv: ['sh', '-c', 'echo $PPID'], timeoutMs: 5000 });
  s.stdout.on('data', (c: Buffer) => (out += c.toString()));
  await s.done;
  assert.equal(Number(out.trim()), process.pid);
  d.kill('SIGKILL');
  await d.exited;
  assert.equal(await gone(d.pid), true);
});

test('a helper process that dies fails the calls it had and says so', async () => {
  const l = LauncherProcess.start();
  assert.ok(l);
  const ok = await l.run({ argv: ['echo', 'hi'], env: PATH, maxBuffer: 1024 }).outcome;
  assert.equal(ok.kind === 'exited' && ok.stdout, 'hi\n');
  const pending = l.run({ argv: ['sleep', '2'], env: PATH, maxBuffer: 1024 }).outcome;
  process.kill(l.pid, 'SIGKILL');
  await assert.rejects(pending, /launcher exited/);
  assert.equal(l.alive, false);
  await assert.rejects(l.run({ argv: ['true'], env: {}, maxBuffer: 1 }).outcome, /has exited/);
});

test('a stuck helper is killed when it does not answer the ping after a kill in its grace time', async () => {
  const l = LauncherProcess.start(300);
  assert.ok(l);
  process.kill(l.pid, 'SIGSTOP');
  const call = l.run({ argv: ['sleep', '30'], env: PATH, maxBuffer: 1024 });
  call.kill();
  await assert.rejects(call.outcome, /launcher exited/);
  assert.equal(l.alive, false);
  assert.equal(await gone(l.pid), true, 'the stuck helper is gone');
});

test('a killed program that is slow to end (its output held open) does not make the helper stuck', async () => {
  const l = LauncherProcess.start(300);
  assert.ok(l);
  // The background sleep keeps stdout open for 2 s after the kill: the answer comes late, the ping at once.
  const call = l.run({ argv: ['sh', '-c', 'sleep 2 & exec sleep 30'], env: PATH, maxBuffer: 1024 });
  await new Promise((r) => setTimeout(r, 200));
  call.kill();
  const o = await call.outcome;
  assert.equal(o.kind === 'exited' && o.signal, 'SIGKILL');
  assert.equal(l.alive, true);
  l.close();
});

test('without its interpreter there is no helper, and nothing crashes', async () => {
  assert.equal(LauncherProcess.start(1000, '/no/such/python3'), null);
  await new Promise((r) => setTimeout(r, 100)); // the spawn's 'error' event comes later
});

test('a request the helper cannot run is answered (an argv with a NUL byte), not left to time out', async () => {
  const l = LauncherProcess.start();
  assert.ok(l);
  const o = await l.run({ argv: ['echo', 'secret\u0000b'], env: {}, maxBuffer: 1024 }).outcome;
  assert.equal(o.kind, 'not-started');
  const message = o.kind === 'not-started' ? o.message : '';
  assert.match(message, /null byte/);
  assert.doesNotMatch(message, /secret/, 'the argv (maybe a secret) is not echoed');
  assert.equal(l.alive, true);
  l.close();
});
