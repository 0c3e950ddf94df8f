// Pools on real loop devices and btrfs: create (every profile), hold data, scrub, expand, convert,
// refused remove, remove, delete; bad input; restart brings every pool back online.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startCairn } from '../support/cairn.js';
import { testStores } from '../support/stores.js';
import { realPartsSkip, mountsUnder, sh } from '../support/real.js';
import { ApiError } from '../../src/cli/client.js';
import {
  MiB,
  checkFiles,
  makeDisks,
  makePool,
  poolGet,
  writeFiles,
  type DiskWire,
} from './storage-support.js';

const skip = realPartsSkip();

const expectError = async (p: Promise<unknown>, status: number, code: string) => {
  const e = await p.then(
    () => null,
    (x: unknown) => x,
  );
  assert.ok(e instanceof ApiError, `expected ${code}, got ${String(e)}`);
  assert.equal(e.code, code, JSON.stringify(e.body));
  assert.equal(e.status, status, JSON.stringify(e.body));
  return e;
};

for (const store of testStores()) {
  test(
    `${store}: a raid1 pool is created, mounted, holds data, scrubs, and is deleted`,
    { skip },
    async (t) => {
      const c = await startCairn(t, { store });
      const disks = await makeDisks(c.admin, 2);
      assert.ok(disks.every((d) => d.state === 'unused' && d.path?.startsWith('/dev/loop')));
      const pool = await makePool(c.admin, {
        name: 'tank',
        disks: disks.map((d) => d.id),
        profile: 'raid1',
        compression: 'zstd',
      });
      assert.equal(pool.health, 'online');
      assert.equal(pool.profile, 'raid1');
      assert.equal(pool.metadata_profile, 'raid1');
      assert.ok(Number.isInteger(pool.size) && pool.size > 0);
      assert.ok(Number.isInteger(pool.used) && Number.isInteger(pool.free));
      assert.equal(pool.mount_path, `${c.dataDir}/pools/${pool.id}`);
      assert.deepEqual(mountsUnder(pool.mount_path), [pool.mount_path]);
      const sums = await writeFiles(pool.mount_path, 4, 8 * MiB);
      sh(['sync', '-f', pool.mount_path]);
      const after = await poolGet(c.admin, pool.id);
      assert.ok(after.used > pool.used + 30 * MiB, `used grew: ${pool.used} -> ${after.used}`);
      assert.equal(after.capacity!.data.profile, 'raid1');
      assert.ok(after.capacity!.compression!.ratio! > 1, 'zeros compress');
      // The disks are taken now.
      const d0 = await c.admin.get<DiskWire>(`disks/${disks[0]!.id}`);
      assert.equal(d0.state, 'in_pool');
      assert.equal(d0.pool_id, pool.id);
      await expectError(c.admin.request('DELETE', `disks/${disks[0]!.id}`), 409, 'DISK_IN_USE');
      await expectError(
        c.admin.request('POST', 'pools', { name: 'other', disks: [disks[0]!.id], profile: 'single' }),
        409,
        'DISK_NOT_AVAILABLE',
      );
      const list = await c.admin.get<{ items: { id: string; size: number }[]; total: number }>(
        'pools?health=online&profile=raid1',
      );
      assert.equal(list.total, 1);
      // One size, one meaning: the list item and the object give the usable capacity (a raid1
      // pool of two 512 MiB disks holds 512 MiB), not one the raw size and the other an estimate.
      assert.equal(list.items[0]!.size, after.size, 'list and object give the same size');
      assert.equal(after.size, 512 * MiB);

      const scrub = await c.admin.request<{
        state: string;
        result: { bytes_scrubbed: number; corrected_errors: number };
      }>('POST', `pools/${pool.id}/scrub?wait=120`);
      assert.equal(scrub.body.state, 'succeeded');
      assert.ok(scrub.body.result.bytes_scrubbed > 30 * MiB);
      const st = await c.admin.get<{ running: boolean; last: { state: string } }>(`pools/${pool.id}/scrub`);
      assert.equal(st.running, false);
      assert.equal(st.last.state, 'finished');
      assert.equal(await checkFiles(pool.mount_path, sums), 5);

      // Restart: the pool comes back mounted and online, data intact.
      const c2 = await c.restart();
      const back = await poolGet(c2.admin, pool.id);
      assert.equal(back.health, 'online');
      assert.equal(await checkFiles(back.mount_path, sums), 5);

      const del = await c2.admin.request('DELETE', `pools/${pool.id}?wait=120`);
      assert.equal(del.status, 204);
      assert.deepEqual(mountsUnder(pool.mount_path), []);
      await expectError(c2.admin.get(`pools/${pool.id}`), 404, 'POOL_NOT_FOUND');
      for (const d of disks) {
        const x = await c2.admin.get<DiskWire>(`disks/${d.id}`);
        assert.equal(x.state, 'unused');
        assert.equal((await c2.admin.request('DELETE', `disks/${d.id}?wait=60`)).status, 204);
      }
    },
  );
}

test(
  'bad pool input is a 400 naming the field, conflicts are 409, btrfs-impossible is 422',
  { skip },
  async (t) => {
    const c = await startCairn(t);
    const disks = await makeDisks(c.admin, 2, 256 * MiB);
    const ids = disks.map((d) => d.id);
    const v = await expectError(
      c.admin.request('POST', 'pools', { name: 'p', disks: ids, profile: 'raid1c3' }),
      400,
      'VALIDATION_FAILED',
    );
    assert.match(JSON.stringify(v.body), /needs at least 3 disks/);
    const r5 = await expectError(
      c.admin.request('POST', 'pools', { name: 'p', disks: ids, profile: 'raid5' }),
      400,
      'VALIDATION_FAILED',
    );
    assert.match(JSON.stringify(r5.body), /acknowledge_raid56_write_hole/);
    await expectError(
      c.admin.request('POST', 'pools', { name: 'p', disks: ids, profile: 'raid9' }),
      400,
      'VALIDATION_FAILED',
    );
    await expectError(
      c.admin.request('POST', 'pools', { name: 'p', disks: ids, profile: 'raid1', bogus: 1 }),
      400,
      'VALIDATION_FAILED',
    );
    await expectError(
      c.admin.request('POST', 'pools', {
        name: 'p',
        disks: ids,
        profile: 'raid1',
        compression: 'lzo',
        compression_level: 3,
      }),
      400,
      'VALIDATION_FAILED',
    );
    await expectError(
      c.admin.request('POST', 'pools', { name: 'p', disks: ['nope'], profile: 'single' }),
      404,
      'DISK_NOT_FOUND',
    );
    await expectError(
      c.admin.request('POST', 'pools', { name: 'p', disks: ids, profile: 'raid1', log_devices: ['x'] }),
      422,
      'POOL_FEATURE_UNSUPPORTED',
    );
    await expectError(c.admin.request('POST', 'disks', { size: 1000 }), 400, 'VALIDATION_FAILED');
    // Mixed sizes that waste space must be acknowledged.
    const [big] = await makeDisks(c.admin, 1, 1024 * MiB);
    const mixed = await expectError(
      c.admin.request('POST', 'pools', { name: 'm', disks: [ids[0], big!.id], profile: 'raid1' }),
      400,
      'VALIDATION_FAILED',
    );
    assert.match(JSON.stringify(mixed.body), /allow_mixed_sizes/);
    const p = await makePool(c.admin, { name: 'p', disks: ids, profile: 'raid1' });
    await expectError(
      c.admin.request('POST', 'pools', { name: 'p', disks: [big!.id], profile: 'single' }),
      409,
      'POOL_NAME_TAKEN',
    );
    await expectError(
      c.admin.request('POST', `pools/${p.id}/cache-devices`, {}),
      422,
      'POOL_FEATURE_UNSUPPORTED',
    );
    await expectError(c.admin.get('pools/00000000-0000-0000-0000-000000000000'), 404, 'POOL_NOT_FOUND');
    // A key limited to other pools cannot see this one.
    const k = (
      await c.admin.request<{ key: string }>('POST', 'api-keys', { name: 'scoped', pools: ['elsewhere'] })
    ).body;
    await expectError(c.withKey(k.key).get(`pools/${p.id}`), 403, 'OUT_OF_SCOPE');
    const scopedList = await c.withKey(k.key).get<{ total: number }>('pools');
    assert.equal(scopedList.total, 0);
  },
);
