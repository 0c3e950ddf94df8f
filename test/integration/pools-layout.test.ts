// Changing a pool's layout on real btrfs with data checked after every step: expand with balance,
// convert, refused and accepted removal, replace, dedup, settings, spares, delete with volumes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, rm, writeFile, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { startCairn } from '../support/cairn.js';
import { realPartsSkip, sh } from '../support/real.js';
import { ApiError } from '../../src/cli/client.js';
import {
  MiB,
  checkFiles,
  makeDisks,
  makePool,
  poolGet,
  writeFiles,
  type DiskWire,
  type PoolWire,
} from './storage-support.js';

const skip = realPartsSkip();

test(
  'expand, convert, refused remove, remove, replace, dedup, settings, spares, delete',
  { skip },
  async (t) => {
    const c = await startCairn(t);
    const [a, b, x] = await makeDisks(c.admin, 3, 1024 * MiB);
    const pool = await makePool(c.admin, {
      name: 'grow',
      disks: [a!.id, b!.id],
      profile: 'raid1',
      compression: 'zstd',
    });
    const mnt = pool.mount_path;
    const sums = await writeFiles(mnt, 3, 40 * MiB);
    const sync = () => sh(['sync', '-f', mnt]);
    sync();

    // Expand with a balance.
    const ex = await c.admin.request<PoolWire>('POST', `pools/${pool.id}/disks?wait=300`, {
      disks: [x!.id],
      balance: true,
    });
    assert.equal(ex.status, 200);
    assert.equal(ex.body.disks.length, 3);
    assert.ok(ex.body.disks.every((d) => d.devid !== null));
    assert.equal(ex.body.capacity!.raw_size, 3 * 1024 * MiB);
    assert.equal(await checkFiles(mnt, sums), 4);

    // Convert to raid1c3 and check btrfs says so.
    const cv = await c.admin.request<PoolWire>('POST', `pools/${pool.id}/convert?wait=300`, {
      profile: 'raid1c3',
    });
    assert.equal(cv.body.profile, 'raid1c3');
    assert.equal(cv.body.capacity!.data.profile, 'raid1c3');
    assert.equal(cv.body.capacity!.metadata.profile, 'raid1c3');
    assert.equal(await checkFiles(mnt, sums), 4);

    // raid1c3 cannot lose a disk; after converting back, more data does not fit on two disks.
    const e1 = await c.admin.request('DELETE', `pools/${pool.id}/disks/${a!.id}`).catch((e: ApiError) => e);
    assert.ok(e1 instanceof ApiError && e1.code === 'POOL_PROFILE_INVALID', String(e1));
    await c.admin.request('POST', `pools/${pool.id}/convert?wait=300`, { profile: 'raid1' });
    const more = join(mnt, 'more');
    await mkdir(more);
    // Preallocated extents count as used space, without writing them.
    sh(['fallocate', '-l', String(760 * MiB), join(more, 'big')]);
    sync();
    assert.equal(await checkFiles(mnt, sums), 4);
    const e2 = await c.admin.request('DELETE', `pools/${pool.id}/disks/${a!.id}`).catch((e: ApiError) => e);
    assert.ok(e2 instanceof ApiError, String(e2));
    assert.equal(e2.status, 422);
    assert.equal(e2.code, 'POOL_SPACE_INSUFFICIENT');
    const missing = (e2.body?.error?.details as { missing_bytes: number }).missing_bytes;
    assert.ok(missing > 0);
    assert.match(e2.message, new RegExp(`${missing} bytes are missing`));

    // Free space, then the removal goes through.
    await rm(more, { recursive: true });
    sync();
    const rmd = await c.admin.request<PoolWire>('DELETE', `pools/${pool.id}/disks/${a!.id}?wait=300`);
    assert.equal(rmd.status, 200);
    assert.deepEqual(rmd.body.disks.map((d) => d.id).sort(), [b!.id, x!.id].sort());
    assert.equal((await c.admin.get<DiskWire>(`disks/${a!.id}`)).state, 'unused');
    assert.equal(await checkFiles(mnt, sums), 4);

    // Replace b with a.
    const rp = await c.admin.request<PoolWire>('POST', `pools/${pool.id}/replace?wait=300`, {
      disk: b!.id,
      with: a!.id,
    });
    assert.deepEqual(rp.body.disks.map((d) => d.id).sort(), [a!.id, x!.id].sort());
    assert.equal((await c.admin.get<DiskWire>(`disks/${b!.id}`)).state, 'unused');
    assert.equal(await checkFiles(mnt, sums), 4);

    // Dedup: three copies of 32 MiB written separately (not reflinked) shrink to one.
    const blob = await readFile(join(mnt, 'f0.bin'));
    for (const n of ['d1', 'd2', 'd3']) await writeFile(join(mnt, n), blob.subarray(0, 32 * MiB));
    sync();
    const dd = await c.admin.request<{ state: string; result: { bytes_saved: number } }>(
      'POST',
      `pools/${pool.id}/dedup?wait=300`,
    );
    assert.equal(dd.body.state, 'succeeded');
    assert.ok(dd.body.result.bytes_saved >= 60 * MiB, `saved ${dd.body.result.bytes_saved}`);
    assert.equal((await poolGet(c.admin, pool.id)).capacity!.compression !== null, true);
    assert.equal(await checkFiles(mnt, sums), 4);

    // Settings: rename, compression and sync policy remount the pool.
    const up = await c.admin.request<PoolWire & { health_detail: { mount_options: string[] } }>(
      'PATCH',
      `pools/${pool.id}?wait=60`,
      {
        name: 'grown',
        compression: 'lzo',
        sync: 'always',
      },
    );
    assert.equal(up.body.name, 'grown');
    assert.equal(up.body.compression, 'lzo');
    assert.ok(
      up.body.health_detail.mount_options.includes('compress=lzo'),
      up.body.health_detail.mount_options.join(','),
    );
    assert.ok(up.body.health_detail.mount_options.includes('sync'));

    // Spares.
    const sp = await c.admin.request<PoolWire>('POST', `pools/${pool.id}/spares`, { disks: [b!.id] });
    assert.deepEqual(
      sp.body.spares.map((s) => s.id),
      [b!.id],
    );
    assert.equal((await c.admin.get<DiskWire>(`disks/${b!.id}`)).state, 'spare');
    const us = await c.admin.request<PoolWire>('DELETE', `pools/${pool.id}/spares/${b!.id}`);
    assert.deepEqual(us.body.spares, []);

    // A pool holding a volume is only deleted when forced.
    sh(['btrfs', 'subvolume', 'create', join(mnt, 'volumes', 'v1')]);
    const e3 = await c.admin.request('DELETE', `pools/${pool.id}`).catch((e: ApiError) => e);
    assert.ok(e3 instanceof ApiError && e3.code === 'POOL_HAS_VOLUMES' && e3.status === 409, String(e3));
    assert.equal((await c.admin.request('DELETE', `pools/${pool.id}?force=true&wait=120`)).status, 204);
    for (const d of [a!, b!, x!])
      assert.equal((await c.admin.get<DiskWire>(`disks/${d.id}`)).state, 'unused');
  },
);
