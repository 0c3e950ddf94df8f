import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execDirect, execWith, maskArgv, run, type Exec } from '../../../src/system/exec.js';
import { Launcher } from '../../../src/system/launcher.js';
import { gone } from '../../support/processes.js';
import { CairnError } from '../../../src/domain/errors.js';
import type { JobLog } from '../../../src/domain/job-log.js';

const capture = () => {
  const lines: string[] = [];
  const log: JobLog = { write: (_l, m) => void lines.push(m) };
  return { lines, log };
};

// The launcher's own checks (start, crash, close) are in launcher.test.ts.
const launcher = Launcher.open({ enabled: true });
after(() => launcher.close());

test('exec starts programs through the launcher where python3 is installed', () => {
  assert.equal(launcher.mode, 'launcher');
});

// Every rule of exec() holds whichever way the program is started.
for (const [how, e] of [
  ['launcher', execWith(launcher)],
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
