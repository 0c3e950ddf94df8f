// A supervisor on the data directory of a crashed one: the daemon its predecessor started is
// stopped by its recorded PID before anything else happens to it, while a process that merely has
// the recorded PID (another start time: a recycled PID) is never signalled.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import pino from 'pino';
import { tempDir, waitFor } from '../support/real.js';
import { Supervisor, type DaemonSpec } from '../../src/services/daemons/supervisor.js';
import { Processes } from '../../src/system/process/index.js';

const logger = pino({ level: 'silent' });
const gone = (pid: number) => {
  try {
    process.kill(pid, 0);
    return false;
  } catch {
    return true;
  }
};

const sleeper = (dir: string): DaemonSpec => ({
  name: 'sleeper',
  dir,
  prepare: async () => ({ argv: ['sleep', '600'] }),
  ready: async () => true,
});

test('a new supervisor stops the daemon its crashed predecessor left, by the recorded PID', async (t) => {
  const dir = tempDir(t, 'cairn-sup-');
  // What a crashed predecessor leaves: its daemon running and the record it wrote at the start.
  const old = spawn('sleep', ['600'], { stdio: 'ignore' });
  t.after(() => old.kill('SIGKILL'));
  const left = old.pid!;
  await new Processes().record(join(dir, 'supervised.pid'), left, 'sleep');
  const next = new Supervisor(logger);
  t.after(() => next.close());
  next.define(sleeper(dir));
  await next.ensure('sleeper');
  const mine = next.status('sleeper').pid!;
  assert.notEqual(mine, left);
  await waitFor('the old daemon stopped', async () => gone(left) || undefined, 10_000, 50);
  await next.close();
  assert.ok(gone(mine), 'a clean stop leaves nothing it started');
});

test('a recorded PID now used by another process (other start time) is left alone', async (t) => {
  const dir = tempDir(t, 'cairn-sup-');
  const other = spawn('sleep', ['600'], { stdio: 'ignore' });
  t.after(() => other.kill('SIGKILL'));
  const pid = other.pid!;
  const start = await new Processes().startTime(pid);
  assert.ok(start !== null);
  // Same PID and program as the record, but it started at another time: not the daemon recorded.
  writeFileSync(join(dir, 'supervised.pid'), JSON.stringify({ pid, start: start - 1, program: 'sleep' }));
  const sup = new Supervisor(logger);
  t.after(() => sup.close());
  sup.define(sleeper(dir));
  await sup.ensure('sleeper');
  await sup.close();
  assert.equal(gone(pid), false, 'the unrelated process still runs');
});
