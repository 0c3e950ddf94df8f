// A real Docker daemon (Debian's docker.io 20.10, started by hand: see docker-support.ts for what
// this machine needs) using Cairn's volume plugin: `docker volume create -d cairn --opt size=1 v`,
// ls/inspect/rm, and a container that writes into the volume while a second one reads it back.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { readFileSync, statSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { mountsUnder, realPartsSkip } from '../support/real.js';
import { MiB } from './storage-support.js';
import { dockerdRig, dockerSkip, lifo, pluginCall, unixRequest } from './docker-support.js';

const skip = realPartsSkip() || dockerSkip();

test(
  'dockerd with the cairn plugin: volume create, ls, inspect, refusals, containers writing and reading back, rm',
  { skip, timeout: 600_000 },
  async (tt) => {
    const { c, d, image, plugins, dataDir } = await dockerdRig(lifo(tt));
    const mountpoint = async (): Promise<string> =>
      String(
        (await pluginCall(join(plugins, 'cairn.sock'), 'VolumeDriver.Path', { Name: 'v' })).body.Mountpoint,
      );

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

    // A container writes into the volume; a second one (another container ID) reads it back. The
    // volume is named with --mount: `-v v:/data` would not name it, the docker CLI reads a single
    // letter before a colon as a Windows drive letter and makes an anonymous local volume at "/v:/data".
    await tt.test('containers write and read back through the plugin', async () => {
      const mount = ['--mount', 'type=volume,source=v,target=/data'];
      const run = (cmd: string) =>
        d.docker(['run', '--rm', '--network', 'none', ...mount, image, 'sh', '-c', cmd]);
      await run(
        'echo written-by-one > /data/hello && dd if=/dev/urandom of=/data/blob bs=1M count=4 2>/dev/null && sha256sum /data/blob > /data/blob.sum',
      );
      // Unmounted when that container ended: the next one mounts the volume again.
      assert.equal(await mountpoint(), '');
      assert.equal((await run('cat /data/hello')).trim(), 'written-by-one');
      assert.match(await run('sha256sum -c /data/blob.sum'), /blob: OK/);

      // The bytes are Cairn's: while a container runs, the plugin's mount point holds them.
      const id = (
        await d.docker(['run', '-d', '--network', 'none', ...mount, image, 'sh', '-c', 'sleep 600'])
      ).trim();
      try {
        const at = await mountpoint();
        assert.ok(at.startsWith(join(dataDir, 'mounts')), `mounted under Cairn's data directory: ${at}`);
        assert.ok(mountsUnder(dataDir).includes(at), 'a real mount');
        assert.equal(readFileSync(join(at, 'hello'), 'utf8'), 'written-by-one\n');
        const sum = createHash('sha256')
          .update(readFileSync(join(at, 'blob')))
          .digest('hex');
        assert.equal(readFileSync(join(at, 'blob.sum'), 'utf8').split(' ')[0], sum);
        assert.equal(statSync(join(at, 'blob')).size, 4 * MiB);
      } finally {
        await d.docker(['rm', '-f', id]);
      }
    });
    // Each container released its mount: no container holds the volume now.
    assert.equal(await mountpoint(), '');

    // Each volume shows once in dockerd, under the driver it was made with: through dockerd with
    // the seed's `pxd`, or through Cairn's Engine API (dockerd learns of those from the plugin's List).
    assert.equal((await d.docker(['volume', 'create', '-d', 'pxd', '--opt', 'size=1', 'w'])).trim(), 'w');
    const engine = join(plugins, '..', 'engine.sock');
    for (const body of [{ Name: 'x', Driver: 'pxd', DriverOpts: { size: '1' } }, { Name: 'y' }])
      assert.equal((await unixRequest(engine, 'POST', '/volumes/create', body)).status, 201);
    assert.deepEqual(
      (await d.docker(['volume', 'ls', '--format', '{{.Driver}} {{.Name}}'])).trim().split('\n').sort(),
      ['cairn v', 'cairn y', 'pxd w', 'pxd x'],
    );
    assert.equal((await d.docker(['volume', 'inspect', '--format', '{{.Driver}}', 'x'])).trim(), 'pxd');
    // What dockerd asked of the plugin is kept: Cairn's Engine API shows it too.
    const w = await unixRequest(engine, 'GET', '/volumes/w');
    assert.deepEqual([w.body.Driver, w.body.Options], ['pxd', { size: '1' }]);
    assert.deepEqual((await d.docker(['volume', 'rm', 'w', 'x', 'y'])).trim().split('\n'), ['w', 'x', 'y']);

    assert.equal((await d.docker(['volume', 'rm', 'v'])).trim(), 'v');
    assert.equal((await c.admin.get<{ total: number }>('volumes?name=v')).total, 0);
    assert.equal((await d.docker(['volume', 'ls', '-q'])).trim(), '');
  },
);
