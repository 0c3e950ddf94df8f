import { test } from 'node:test';
import assert from 'node:assert/strict';
import { exec, maskArgv, run } from '../../../src/system/exec.js';
import { CairnError } from '../../../src/domain/errors.js';
import type { JobLog } from '../../../src/domain/job-log.js';

const capture = () => {
  const lines: string[] = [];
  const log: JobLog = { write: (_l, m) => void lines.push(m) };
  return { lines, log };
};

test('secret arguments never reach the log', async () => {
  const { lines, log } = capture();
  await exec({ argv: ['echo', 'user', 's3cret-value'], timeoutMs: 5000, log, secretArgs: [2] });
  assert.equal(lines[0], '$ echo user ***');
  assert.equal(maskArgv(['a', 'b c'], []), 'a "b c"');
});

test('no shell: metacharacters are plain arguments', async () => {
  const r = await exec({ argv: ['echo', '$(id); rm -rf /'], timeoutMs: 5000 });
  assert.equal(r.stdout.trim(), '$(id); rm -rf /');
});

test('a non-zero exit is COMMAND_FAILED with stderr; a hang is COMMAND_TIMEOUT', async () => {
  await assert.rejects(
    run(exec, { argv: ['sh', '-c', 'echo boom >&2; exit 3'], timeoutMs: 5000 }),
    (e: unknown) => {
      assert.ok(e instanceof CairnError);
      assert.equal(e.code, 'COMMAND_FAILED');
      assert.equal(e.details.exitCode, 3);
      assert.match(String(e.details.stderr), /boom/);
      return true;
    },
  );
  await assert.rejects(
    exec({ argv: ['sleep', '5'], timeoutMs: 200 }),
    (e: unknown) => e instanceof CairnError && e.code === 'COMMAND_TIMEOUT',
  );
  await assert.rejects(
    exec({ argv: ['/no/such/program'], timeoutMs: 1000 }),
    (e: unknown) => e instanceof CairnError && e.code === 'COMMAND_FAILED',
  );
});

test('LC_ALL=C for stable parsing, stdin is passed', async () => {
  const r = await exec({ argv: ['sh', '-c', 'echo $LC_ALL; cat'], timeoutMs: 5000, stdin: 'hello' });
  assert.equal(r.stdout, 'C\nhello');
});

test('an aborted signal kills the program', async () => {
  const ac = new AbortController();
  const p = exec({ argv: ['sleep', '5'], timeoutMs: 10_000, signal: ac.signal });
  setTimeout(() => ac.abort(), 100);
  await assert.rejects(p, (e: unknown) => e instanceof CairnError && /cancelled/.test(e.message));
});
