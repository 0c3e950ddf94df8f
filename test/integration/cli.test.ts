// The built `cairn` CLI (bin/cairn) against a real in-process Cairn: what a new user types, with
// its output read as they would read it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { startCairn, ADMIN_PASSWORD, REPO, type InProcessCairn } from '../support/cairn.js';
import { realPartsSkip, tempDir, type T } from '../support/real.js';

const skip = realPartsSkip();

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs bin/cairn against `c` as admin (no config file: HOME is empty). With closeStdout the reader
 * of its output goes away at once, as `cairn … | head -1` does once it has its line.
 */
function cairn(t: T, c: InProcessCairn, args: string[], o: { closeStdout?: boolean } = {}): Promise<Run> {
  const child = spawn(join(REPO, 'bin/cairn'), args, {
    env: {
      PATH: process.env.PATH ?? '/usr/bin:/bin',
      HOME: tempDir(t, 'cairn-home-'),
      CAIRN_URL: c.url,
      CAIRN_PASSWORD: ADMIN_PASSWORD,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  if (o.closeStdout) child.stdout.destroy();
  else child.stdout.on('data', (b: Buffer) => (stdout += b.toString()));
  child.stderr.on('data', (b: Buffer) => (stderr += b.toString()));
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, stdout, stderr })));
}

test('a closed pipe (cairn … | head -1) ends the CLI quietly, without a stack trace', { skip }, async (t) => {
  const c = await startCairn(t);
  // The pipe is closed before the CLI answers: its first write meets EPIPE.
  for (const args of [['users', 'list'], ['--json', 'users', 'list'], ['system'], ['--help']]) {
    const r = await cairn(t, c, args, { closeStdout: true });
    assert.equal(r.stderr, '', `cairn ${args.join(' ')} wrote to stderr: ${r.stderr}`);
    assert.equal(r.code, 0, `cairn ${args.join(' ')}`);
  }
});
