// A kill -9 of cairnd while Docker containers have volumes mounted through the plugin: after the
// restart on the same data directory every mount is still there exactly once (counted in
// /proc/self/mountinfo), the mount points Docker was given still answer, and the per-container
// counts are right (the first Unmount keeps the mount, the last one unmounts). Real cairnd
// processes, a real pool on a loop device, the plugin protocol on its unix socket as dockerd speaks it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startCairnProcess } from '../support/cairn.js';
import { realPartsSkip, sh, tempDir, waitFor } from '../support/real.js';
import { mountCount } from './attachments-support.js';
import { pluginCall, type UnixAnswer } from './docker-support.js';
import { poolWithVolumes } from './storage-support.js';

const skip = realPartsSkip();
const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');
const MiB = 1024 * 1024;

const ok = (r: UnixAnswer, what: string) => {
  assert.equal(r.status, 200, `${what}: ${r.text}`);
  assert.equal(r.body.Err, '', what);
  return r.body as Record<string, unknown>;
};

test(
  'kill -9 of cairnd with plugin mounts: after the restart every mount is there once, counted per container',
  { skip, timeout: 600_000 },
  async (t) => {
    const plugin = join(tempDir(t, 'cairn-docker-restart-'), 'plugins', 'cairn.sock');
    const c1 = await startCairnProcess(t, {
      env: {
        CAIRN_DIALECTS: 'docker',
        CAIRN_DOCKER_PLUGIN_SOCKET: plugin,
        CAIRN_DOCKER_PLUGIN_ALIASES: '',
        CAIRN_DOCKER_API_SOCKET: join(plugin, '..', '..', 'engine.sock'),
      },
    });
    await poolWithVolumes(c1.admin);
    const call = (name: string, body: unknown) => pluginCall(plugin, `VolumeDriver.${name}`, body);
    const mount = async (Name: string, ID: string) =>
      String(ok(await call('Mount', { Name, ID }), `mount ${Name} for ${ID}`).Mountpoint);
    const unmount = async (Name: string, ID: string) =>
      ok(await call('Unmount', { Name, ID }), `unmount ${ID}`);
    const path = async (Name: string) => String(ok(await call('Path', { Name }), `path ${Name}`).Mountpoint);

    // A subvolume shared by two containers, and an ext4 lun (a loop device under its mount) used by one.
    ok(await call('Create', { Name: 'shared', Opts: { size: '64M' } }), 'create shared');
    ok(await call('Create', { Name: 'blk', Opts: { size: '64M', fs: 'ext4' } }), 'create blk');
    const at = await mount('shared', 'c1');
    assert.equal(await mount('shared', 'c2'), at, 'one mount point for every container');
    const blkAt = await mount('blk', 'c1');
    const idOf = async (Name: string) =>
      (ok(await call('Get', { Name }), `get ${Name}`).Volume as { Status: { id: string } }).Status.id;
    const data = randomBytes(2 * MiB);
    writeFileSync(join(at, 'f'), data);
    writeFileSync(join(blkAt, 'f'), data);
    assert.equal(
      blkAt,
      join(c1.dataDir, 'mounts', await idOf('blk')),
      'a lun is mounted too, where Cairn chooses',
    );
    const blkDevice = sh(['findmnt', '-n', '-o', 'SOURCE', blkAt]).trim();
    const blkFile = sh(['losetup', '-n', '-O', 'BACK-FILE', blkDevice]).trim();

    await c1.kill9();
    // The kernel keeps the mounts through the crash.
    assert.equal(mountCount(at), 1);
    assert.equal(mountCount(blkAt), 1);

    const c2 = await c1.start();
    // The plugin socket opens after reconciliation.
    await waitFor(
      'the plugin socket',
      async () => (await pluginCall(plugin, 'Plugin.Activate', null).catch(() => null))?.status === 200,
    );
    assert.equal(mountCount(at), 1, 'adopted, not mounted twice');
    assert.equal(mountCount(blkAt), 1, 'adopted, not mounted twice');
    assert.equal(sh(['losetup', '-j', blkFile]).trim().split('\n').length, 1, 'one loop device');
    assert.equal(await path('shared'), at);
    assert.equal(await path('blk'), blkAt);
    assert.equal(sha(readFileSync(join(at, 'f'))), sha(data));
    assert.equal(sha(readFileSync(join(blkAt, 'f'))), sha(data));

    // dockerd may repeat a Mount for a container it already mounted for, or add one: same point, no new mount.
    assert.equal(await mount('shared', 'c2'), at);
    assert.equal(await mount('shared', 'c3'), at);
    assert.equal(mountCount(at), 1);
    const holders = await c2.admin.get<{ items: { requester: string; state: string }[] }>(
      `attachments?volume_id=${await idOf('shared')}&sort=requester`,
    );
    assert.deepEqual(
      holders.items.map((a) => `${a.requester} ${a.state}`),
      ['docker:c1 attached', 'docker:c2 attached', 'docker:c3 attached'],
      'one attachment per container ID',
    );

    // Released one container at a time: the mount stays until the last one.
    await unmount('shared', 'c1');
    await unmount('shared', 'c3');
    assert.equal(mountCount(at), 1, 'c2 still has it');
    assert.equal(await path('shared'), at);
    await unmount('shared', 'c2');
    assert.equal(mountCount(at), 0, 'the last Unmount unmounts');
    assert.equal(await path('shared'), '');
    await unmount('blk', 'c1');
    assert.equal(mountCount(blkAt), 0);
    assert.equal(sh(['losetup', '-j', blkFile]).trim(), '', 'the loop device is detached');

    // The data outlives it all: mounted again for a new container.
    const again = await mount('shared', 'c4');
    assert.equal(mountCount(again), 1);
    assert.equal(sha(readFileSync(join(again, 'f'))), sha(data));
    await unmount('shared', 'c4');
    assert.equal(mountCount(again), 0);
  },
);
