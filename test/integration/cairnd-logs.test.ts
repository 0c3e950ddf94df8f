// cairnd in a terminal (scripts/up.sh run from a shell) prints readable log lines, not pino's JSON;
// with its output piped it keeps JSON lines for journals and log shippers. `script` gives it a real
// pseudo-terminal.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { newDataDir, freePort, REPO, ADMIN_PASSWORD } from '../support/cairn.js';
import { daemon, has, stopProcess, waitFor } from '../support/real.js';

const argv = (dataDir: string, port: number) => [
  'node',
  join(REPO, 'build/src/daemon/main.js'),
  '--insecure-http',
  '--listen',
  `127.0.0.1:${port}`,
  '--data-dir',
  dataDir,
];
const env = { CAIRN_ADMIN_PASSWORD: ADMIN_PASSWORD, CAIRN_LOG_LEVEL: 'info' };

test(
  'cairnd logs readable lines on a terminal and JSON lines into a pipe',
  { skip: !has('script') && 'no script(1)' },
  async (t) => {
    const port = await freePort();
    // script runs the command through sh -c; exec makes cairnd the session's only process.
    const tty = daemon(
      t,
      ['script', '-qfec', `exec ${argv(newDataDir(t), port).join(' ')}`, '/dev/null'],
      env,
    );
    await waitFor('cairnd in a terminal', async () => /Server listening/.test(tty.output()), 60_000);
    await stopProcess(tty);
    assert.match(
      tty.output(),
      /^\d\d:\d\d:\d\d\.\d{3} INFO {2}Server listening at http:\/\/127\.0\.0\.1:\d+/m,
    );
    assert.doesNotMatch(tty.output(), /"level":/);

    const piped = daemon(t, argv(newDataDir(t), await freePort()), env);
    await waitFor('cairnd into a pipe', async () => /Server listening/.test(piped.output()), 60_000);
    await stopProcess(piped);
    assert.match(piped.output(), /^\{"level":30,.*"msg":"Server listening at/m);
  },
);
