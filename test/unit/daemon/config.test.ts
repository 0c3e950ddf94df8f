import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseDialects, readConfig, runtimeConfig } from '../../../src/daemon/config.js';

test('defaults: 0.0.0.0:8900, SQLite under the data dir, HTTPS', () => {
  const c = readConfig([], { CAIRN_DATA_DIR: '/srv/cairn' });
  assert.equal(c.host, '0.0.0.0');
  assert.equal(c.port, 8900);
  assert.equal(c.databaseUrl, '/srv/cairn/cairn.db');
  assert.equal(c.insecureHttp, false);
});

test('flags win over the environment', () => {
  const c = readConfig(['--listen', '127.0.0.1:9000', '--database-url', 'postgres://u@h/db'], {
    CAIRN_LISTEN: '0.0.0.0:1',
    CAIRN_DATA_DIR: '/d',
  });
  assert.equal(c.port, 9000);
  assert.equal(c.databaseUrl, 'postgres://u@h/db');
});

test('plain HTTP only on loopback; certificate and key go together', () => {
  assert.throws(() => readConfig(['--insecure-http'], { CAIRN_LISTEN: '0.0.0.0:8900' }), /loopback/);
  assert.equal(readConfig(['--insecure-http'], { CAIRN_LISTEN: '127.0.0.1:8900' }).insecureHttp, true);
  assert.throws(() => readConfig(['--tls-cert', '/x.pem'], {}), /both/);
  assert.throws(() => readConfig([], { CAIRN_LISTEN: 'nonsense' }), /address:port/);
});

test('runtime settings: defaults, every variable, and bad numbers refused by name', () => {
  const d = runtimeConfig({});
  assert.equal(d.dialects, null);
  assert.equal(d.launcher, true);
  assert.equal(d.poolCheckMs, 5000);
  assert.equal(d.spareErrorThreshold, 50);
  assert.equal(d.dedupCheckMs, 60_000);
  assert.equal(d.replicationStallMs, undefined);
  assert.equal(d.statsIntervalMs, undefined);
  assert.equal(d.metricsPublic, false);
  assert.equal(d.testStepDelayMs, 0);
  assert.equal(d.exportNet.iscsi.port, 3260);
  assert.equal(d.exportNet.nfs.mountPort, 20048);

  const c = runtimeConfig({
    CAIRN_DIALECTS: ' vsnap , other-one,vsnap',
    CAIRN_LAUNCHER: 'off',
    CAIRN_POOL_CHECK_MS: '300',
    CAIRN_SPARE_ERROR_THRESHOLD: '7',
    CAIRN_REPLICATION_STALL_MS: '1500',
    CAIRN_STATS_INTERVAL_MS: '2000',
    CAIRN_METRICS_PUBLIC: '1',
    CAIRN_NOTIFY_BACKOFF_MS: '100',
    CAIRN_TEST_STEP_DELAY_MS: '20',
    CAIRN_ISCSI_PORTAL: '127.0.0.1:3261',
    CAIRN_NFS_PORT: '3049',
    CAIRN_NBD_PORT: '11000',
    CAIRN_EXPORT_ADDRESS: '10.0.0.5',
  });
  assert.deepEqual(c.dialects, ['vsnap', 'other-one']);
  assert.equal(c.launcher, false);
  assert.equal(c.poolCheckMs, 300);
  assert.equal(c.spareErrorThreshold, 7);
  assert.equal(c.replicationStallMs, 1500);
  assert.equal(c.statsIntervalMs, 2000);
  assert.equal(c.metricsPublic, true);
  assert.equal(c.notifyBackoffMs, 100);
  assert.equal(c.testStepDelayMs, 20);
  assert.deepEqual(c.exportNet.iscsi, { address: '127.0.0.1', port: 3261 });
  assert.equal(c.exportNet.nfs.mountPort, 3050);
  assert.equal(c.exportNet.nbd.lastPort, 11999);
  assert.equal(c.exportNet.advertise, '10.0.0.5');

  assert.throws(() => runtimeConfig({ CAIRN_POOL_CHECK_MS: 'soon' }), /CAIRN_POOL_CHECK_MS/);
  assert.throws(() => runtimeConfig({ CAIRN_DIALECTS: 'vsnap,Bad Name' }), /CAIRN_DIALECTS/);
  assert.equal(parseDialects(''), null);
  // readConfig carries them.
  assert.equal(readConfig([], { CAIRN_POOL_CHECK_MS: '10' }).runtime.poolCheckMs, 10);
});

test('dialect doors and mount roots: defaults, every variable, bad values refused by name', () => {
  const d = runtimeConfig({});
  assert.deepEqual(d.osdListen, { host: '127.0.0.1', port: 9001 });
  assert.equal(d.osdSocket, '/run/cairn/osd.sock');
  assert.equal(d.dockerPluginSocket, '/run/docker/plugins/cairn.sock');
  assert.deepEqual(d.dockerPluginAliases, ['pxd']);
  assert.equal(d.dockerApiSocket, '/run/cairn/docker.sock');
  assert.equal(d.dockerPool, undefined);
  assert.deepEqual(d.mountRoots, ['/mnt', '/var/lib/cairn/mounts']);
  const c = runtimeConfig({
    CAIRN_OSD_LISTEN: '[::1]:19001',
    CAIRN_OSD_SOCKET: '/tmp/x/osd.sock',
    CAIRN_DOCKER_PLUGIN_SOCKET: '/tmp/x/plugins/cairn.sock',
    CAIRN_DOCKER_PLUGIN_ALIASES: '',
    CAIRN_DOCKER_API_SOCKET: '/tmp/x/docker.sock',
    CAIRN_DOCKER_POOL: 'tank',
    CAIRN_MOUNT_ROOTS: '/srv/a/, /srv/b',
  });
  assert.deepEqual(c.osdListen, { host: '::1', port: 19001 });
  assert.deepEqual(c.dockerPluginAliases, []);
  assert.equal(c.dockerPool, 'tank');
  assert.deepEqual(c.mountRoots, ['/srv/a', '/srv/b']);
  assert.throws(() => runtimeConfig({ CAIRN_OSD_LISTEN: 'nine' }), /CAIRN_OSD_LISTEN/);
  assert.throws(() => runtimeConfig({ CAIRN_MOUNT_ROOTS: 'relative/dir' }), /CAIRN_MOUNT_ROOTS/);
  assert.throws(() => runtimeConfig({ CAIRN_DOCKER_API_SOCKET: 'docker.sock' }), /CAIRN_DOCKER_API_SOCKET/);
  assert.throws(() => runtimeConfig({ CAIRN_DOCKER_PLUGIN_ALIASES: 'p x' }), /CAIRN_DOCKER_PLUGIN_ALIASES/);
});
