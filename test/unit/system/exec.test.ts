import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { exec, execDirect, maskArgv, programStarter, run, type Exec } from '../../../src/system/exec.js';
import { Launcher } from '../../../src/system/launcher.js';
import { CairnError } from '../../../src/domain/errors.js';
import type { JobLog } from '../../../src/domain/job-log.js';

const capture = () => {
  const lines: string[] = [];
  const log: JobLog = { write: (_l, m) => void lines.push(m) };
  return { lines, log };
};

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

/** True once the process is gone (killed and reaped), within 2 s. */
async function gone(pid: number): Promise<boolean> {
  for (let i = 0; i < 100 && alive(pid); i++) await new Promise((r) => setTimeout(r, 20));
  return !alive(pid);
}

test('exec starts programs through the launcher where python3 is installed', () => {
  assert.equal(programStarter(), 'launcher');
});

// Every rule of exec() holds whichever way the program is started.
for (const [how, e] of [
  ['launcher', exec],
  ['child_process', execDirect],
] as [string, Exec][]) {
  test(`${how}: secret arguments never reach the log`, async () => {
    const { lines, log } = capture();
    await e({ argv: ['echo', 'user', 's3cret-value'], timeoutMs: 5000, log, secretArgs: [2] });
    assert.equal(lines[0], '$ echo user ***');
    assert.equal(maskArgv(['a', 'b c'], []), 'a "b c"');
  });

  test(`${how}: no shell: metacharacters are plain arguments`, async () => {
    const r = await e({ argv: ['echo', '$(id); rm -rf /'], timeoutMs: 5000 });
    assert.equal(r.stdout.trim(), '$(id); rm -rf /');
  });

  test(`${how}: a non-zero exit is COMMAND_FAILED with stderr; a hang is COMMAND_TIMEOUT`, async () => {
    await assert.rejects(
      run(e, { argv: ['sh', '-c', 'echo boom >&2; exit 3'], timeoutMs: 5000 }),
      (x: unknown) => {
        assert.ok(x instanceof CairnError);
        assert.equal(x.code, 'COMMAND_FAILED');
        assert.equal(x.details.exitCode, 3);
        assert.match(String(x.details.stderr), /boom/);
        return true;
      },
    );
    await assert.rejects(
      e({ argv: ['sleep', '5'], timeoutMs: 200 }),
      (x: unknown) => x instanceof CairnError && x.code === 'COMMAND_TIMEOUT',
    );
    await assert.rejects(
      e({ argv: ['/no/such/program'], timeoutMs: 1000 }),
      (x: unknown) => x instanceof CairnError && x.code === 'COMMAND_FAILED' && /ENOENT/.test(x.message),
    );
  });

  test(`${how}: LC_ALL=C for stable parsing, stdin is passed`, async () => {
    const r = await e({ argv: ['sh', '-c', 'echo $LC_ALL; cat'], timeoutMs: 5000, stdin: 'hello' });
    assert.equal(r.stdout, 'C\nhello');
    const bytes = await e({ argv: ['od', '-An', '-tx1'], timeoutMs: 5000, stdin: Uint8Array.of(0, 255, 10) });
    assert.equal(bytes.stdout.trim(), '00 ff 0a');
  });

  test(`${how}: a timeout or an abort kills the program`, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cairn-exec-'));
    try {
      const pidFile = join(dir, 'pid');
      const script = `echo $$ > ${pidFile}; exec sleep 30`;
      await assert.rejects(
        e({ argv: ['sh', '-c', script], timeoutMs: 300 }),
        (x: unknown) => x instanceof CairnError && x.code === 'COMMAND_TIMEOUT',
      );
      assert.equal(await gone(Number(readFileSync(pidFile, 'utf8'))), true);
      const ac = new AbortController();
      const p = e({ argv: ['sh', '-c', script], timeoutMs: 10_000, signal: ac.signal });
      setTimeout(() => ac.abort(), 300);
      await assert.rejects(p, (x: unknown) => x instanceof CairnError && /cancelled/.test(x.message));
      assert.equal(await gone(Number(readFileSync(pidFile, 'utf8'))), true);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test(`${how}: output beyond maxBuffer is an error, not a silent cut`, async () => {
    await assert.rejects(
      e({ argv: ['head', '-c', '100', '/dev/zero'], timeoutMs: 5000, maxBuffer: 10 }),
      (x: unknown) => x instanceof CairnError && x.code === 'COMMAND_FAILED' && /maxBuffer/.test(x.message),
    );
  });

  test(`${how}: calls in flight at once each get their own answer`, async () => {
    const rs = await Promise.all(
      Array.from({ length: 24 }, (_, i) =>
        e({ argv: ['sh', '-c', `sleep 0.0${i % 5}; echo ${i}; echo err${i} >&2`], timeoutMs: 5000 }),
      ),
    );
    rs.forEach((r, i) => {
      assert.equal(r.stdout, `${i}\n`);
      assert.equal(r.stderr, `err${i}\n`);
    });
  });
}

test('a launcher that dies fails the calls it had and says so; exec starts another', async () => {
  const l = Launcher.start();
  assert.ok(l);
  const ok = await l.run({ argv: ['echo', 'hi'], env: { PATH: '/usr/bin:/bin' }, maxBuffer: 1024 }).outcome;
  assert.equal(ok.kind === 'exited' && ok.stdout, 'hi\n');
  const pending = l.run({ argv: ['sleep', '2'], env: { PATH: '/usr/bin:/bin' }, maxBuffer: 1024 }).outcome;
  process.kill(l.pid, 'SIGKILL');
  await assert.rejects(pending, /launcher exited/);
  assert.equal(l.alive, false);
  await assert.rejects(l.run({ argv: ['true'], env: {}, maxBuffer: 1 }).outcome, /has exited/);
  // exec() has a launcher of its own, unaffected.
  assert.equal((await exec({ argv: ['echo', 'still'], timeoutMs: 5000 })).stdout, 'still\n');
});

test('a stuck launcher is killed when it does not answer the ping after a kill in its grace time', async () => {
  const l = Launcher.start(300);
  assert.ok(l);
  process.kill(l.pid, 'SIGSTOP');
  const call = l.run({ argv: ['sleep', '30'], env: { PATH: '/usr/bin:/bin' }, maxBuffer: 1024 });
  call.kill();
  await assert.rejects(call.outcome, /launcher exited/);
  assert.equal(l.alive, false);
  assert.equal(await gone(l.pid), true, 'the stuck helper is gone');
});

test('a killed program that is slow to end (its output held open) does not make the launcher stuck', async () => {
  const l = Launcher.start(300);
  assert.ok(l);
  // The background sleep keeps stdout open for 2 s after the kill: the answer comes late, the ping at once.
  const call = l.run({
    argv: ['sh', '-c', 'sleep 2 & exec sleep 30'],
    env: { PATH: '/usr/bin:/bin' },
    maxBuffer: 1024,
  });
  await new Promise((r) => setTimeout(r, 200));
  call.kill();
  const o = await call.outcome;
  assert.equal(o.kind === 'exited' && o.signal, 'SIGKILL');
  assert.equal(l.alive, true);
  l.close();
});

test('without its interpreter there is no launcher, and nothing crashes', async () => {
  assert.equal(Launcher.start(1000, '/no/such/python3'), null);
  await new Promise((r) => setTimeout(r, 100)); // the spawn's 'error' event comes later
});

test('a request the launcher cannot run is answered (an argv with a NUL byte), not left to time out', async () => {
  const l = Launcher.start();
  assert.ok(l);
  const o = await l.run({ argv: ['echo', 'secret\u0000b'], env: {}, maxBuffer: 1024 }).outcome;
  assert.equal(o.kind, 'not-started');
  const message = o.kind === 'not-started' ? o.message : '';
  assert.match(message, /null byte/);
  assert.doesNotMatch(message, /secret/, 'the argv (maybe a secret) is not echoed');
  assert.equal(l.alive, true);
  l.close();
});
