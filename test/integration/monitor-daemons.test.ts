// The daemon-down rule on a real supervised process: a daemon that should run but keeps exiting
// (the supervisor restarts it with back-off) raises daemon_down, /api/v1/status/services shows its
// state, restarts and last error; stopping it on purpose clears the alert.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import pino from 'pino';
import { startCairn } from '../support/cairn.js';
import { tempDir, waitFor } from '../support/real.js';
import { Supervisor } from '../../src/services/daemons/supervisor.js';
import { DaemonControl } from '../../src/services/daemons/control.js';
import { daemonSource } from '../../src/services/monitor/sources.js';
import type { Alert } from '../../src/domain/monitor.js';

interface Page<T> {
  items: T[];
  total: number;
}

interface ServiceRow {
  name: string;
  state: string;
  running: boolean;
  enabled: boolean;
  pid: number | null;
  restarts: number;
  last_error: string | null;
}

test('a supervised daemon that keeps exiting raises daemon_down; stopping it clears the alert', async (t) => {
  const c = await startCairn(t);
  const monitor = c.app.services.monitor;
  const sup = new Supervisor(pino({ level: 'silent' }));
  t.after(() => sup.close());
  sup.define({
    name: 'flaky',
    dir: tempDir(t, 'cairn-daemon-'),
    prepare: async () => ({ argv: ['/bin/sh', '-c', 'echo cannot bind >&2; exit 3'] }),
    ready: async () => false,
    readyTimeoutS: 5,
  });
  // The real daemons of the exports area stay listed beside it.
  const real = daemonSource(c.app.services.daemons);
  const flaky = daemonSource(new DaemonControl(sup));
  monitor.registerSources({
    daemons: {
      daemons: async () => [
        ...(await real.daemons()),
        ...(await flaky.daemons()).filter((d) => d.name === 'flaky'),
      ],
    },
  });

  await sup.ensure('flaky').catch(() => undefined);
  const alert = await waitFor(
    'daemon_down raised',
    async () => {
      await monitor.sampleNow();
      const a = await c.admin.get<Page<Alert>>('alerts?rule=daemon_down&object_id=flaky&state=raised');
      return a.items[0];
    },
    30_000,
    100,
  );
  assert.equal(alert.severity, 'error');
  assert.match(alert.message, /daemon flaky is not running: .*exit/);

  const services = (await c.admin.get<{ services: ServiceRow[] }>('status/services')).services;
  assert.deepEqual(
    services.map((d) => d.name),
    ['ganesha', 'nbdkit', 'rpcbind', 'smbd', 'tgtd', 'flaky'],
  );
  const row = services.find((d) => d.name === 'flaky')!;
  assert.equal(row.running, false);
  assert.equal(row.enabled, true);
  assert.match(row.last_error ?? '', /exit|status 3/);
  assert.ok(row.restarts >= 0);

  // Stopped on purpose: not wanted any more, so not an outage.
  await sup.stop('flaky');
  await monitor.sampleNow();
  const after = await c.admin.get<Alert>(`alerts/${alert.id}`);
  assert.equal(after.state, 'cleared');
  const stopped = (await c.admin.get<{ services: ServiceRow[] }>('status/services')).services;
  assert.deepEqual(
    stopped.filter((d) => d.name === 'flaky').map((d) => [d.state, d.enabled, d.pid]),
    [['stopped', false, null]],
  );
});
