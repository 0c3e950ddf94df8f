// Volumes on a real btrfs pool through the native API, on every store: quotas enforced by real
// writes, luns, resize, rename, validation, scope, and everything surviving a restart.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { constants } from 'node:os';
import { open, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { startCairn } from '../support/cairn.js';
import { testStores } from '../support/stores.js';
import { realPartsSkip, sh } from '../support/real.js';
import { call, expectError } from '../support/api.js';
import { ApiError } from '../../src/cli/client.js';
import type { Volume } from '../../src/domain/volumes.js';
import { MiB, attach, qgroupOf, testPool } from './volumes-pool.js';

const skip = realPartsSkip();
const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

/** Writes random data until the quota stops it; returns the bytes written and the error. */
async function fillUntilQuota(
  file: string,
  maxBytes: number,
): Promise<{ written: number; error: NodeJS.ErrnoException | null }> {
  const f = await open(file, 'w');
  const chunk = randomBytes(MiB);
  let written = 0;
  try {
    while (written < maxBytes) {
      await f.write(chunk);
      written += chunk.length;
    }
    await f.sync();
    return { written, error: null };
  } catch (e) {
    return { written, error: e as NodeJS.ErrnoException };
  } finally {
    await f.close().catch(() => undefined);
  }
}

for (const store of testStores()) {
  test(
    `${store}: a filesystem volume enforces its size with a qgroup; grow, shrink rules, rename`,
    { skip },
    async (t) => {
      const c = await startCairn(t, { store });
      const pool = await testPool(t, c);
      attach(c, pool);
      const v = await call<Volume>(c.admin, 'POST', 'volumes?wait=60', {
        pool: pool.id,
        name: 'docs',
        type: 'filesystem',
        size: 64 * MiB,
      });
      assert.equal(v.state, 'online');
      assert.equal(v.path, join(pool.mountPath, 'volumes', v.id));
      assert.equal(v.compression, 'inherit');
      assert.equal(qgroupOf(v.path).maxReferenced, 64 * MiB);

      // Writes past the size fail with EDQUOT (Node 20 reports it only by errno -122).
      const r = await fillUntilQuota(join(v.path, 'big.bin'), 100 * MiB);
      assert.ok(r.error, 'the write past the quota failed');
      assert.equal(r.error.errno, -constants.errno.EDQUOT);
      assert.ok(r.written <= 64 * MiB);

      // used follows the pool after a maintenance pass
      await c.app.services.volumes.maintain(pool.id);
      const after = await c.admin.get<Volume>(`volumes/${v.id}`);
      assert.ok(after.used > 32 * MiB, `used ${after.used}`);

      // shrink below used: refused by the job with a clear code; grow: writes go on
      await expectError(
        call(c.admin, 'PATCH', `volumes/${v.id}?wait=60`, { size: 8 * MiB }),
        422,
        'VOLUME_SHRINK_BELOW_USED',
      );
      const grown = await call<Volume>(c.admin, 'PATCH', `volumes/${v.id}?wait=60`, {
        size: 256 * MiB,
        name: 'docs2',
      });
      assert.equal(grown.size, 256 * MiB);
      assert.equal(grown.name, 'docs2');
      assert.equal(grown.state, 'online');
      assert.equal(qgroupOf(v.path).maxReferenced, 256 * MiB);
      await writeFile(join(v.path, 'more.bin'), randomBytes(16 * MiB));

      // names are unique per pool
      await expectError(
        call(c.admin, 'POST', 'volumes?wait=60', {
          pool: pool.id,
          name: 'docs2',
          type: 'filesystem',
          size: 64 * MiB,
        }),
        409,
        'VOLUME_NAME_TAKEN',
      );
      await call(c.admin, 'DELETE', `volumes/${v.id}?wait=60`);
      await expectError(c.admin.get(`volumes/${v.id}`), 404, 'VOLUME_NOT_FOUND');
      assert.equal(sh(['btrfs', 'subvolume', 'list', pool.mountPath]).includes(v.id), false);
    },
  );

  test(`${store}: luns are thin or thick files with their block size and nocow`, { skip }, async (t) => {
    const c = await startCairn(t, { store });
    const pool = await testPool(t, c);
    attach(c, pool);
    const thin = await call<Volume>(c.admin, 'POST', 'volumes?wait=60', {
      pool: pool.id,
      name: 'thin',
      type: 'lun',
      size: 128 * MiB,
      block_size: 4096,
      nocow: true,
    });
    const thick = await call<Volume>(c.admin, 'POST', 'volumes?wait=60', {
      pool: pool.id,
      name: 'thick',
      type: 'lun',
      size: 64 * MiB,
      thin: false,
    });
    assert.equal(thin.block_size, 4096);
    assert.equal(thick.block_size, 512);
    const st = await stat(thin.lun_file!);
    assert.equal(st.size, 128 * MiB);
    assert.ok(st.blocks * 512 < MiB, 'thin lun is sparse');
    const sk = await stat(thick.lun_file!);
    assert.equal(sk.size, 64 * MiB);
    assert.ok(sk.blocks * 512 >= 64 * MiB, 'thick lun is preallocated');
    assert.match(sh(['lsattr', thin.lun_file!]), /C/);
    assert.doesNotMatch(sh(['lsattr', thick.lun_file!]).split(' ')[0]!, /C/);

    // a lun shrinks only with the flag; its data before the new end stays
    const data = randomBytes(MiB);
    const f = await open(thin.lun_file!, 'r+');
    await f.write(data, 0, data.length, 0);
    await f.close();
    await expectError(
      call(c.admin, 'PATCH', `volumes/${thin.id}?wait=60`, { size: 32 * MiB }),
      422,
      'VOLUME_SHRINK_NEEDS_FLAG',
    );
    const shrunk = await call<Volume>(c.admin, 'PATCH', `volumes/${thin.id}?wait=60`, {
      size: 32 * MiB,
      allow_shrink: true,
    });
    assert.equal(shrunk.size, 32 * MiB);
    assert.equal((await stat(thin.lun_file!)).size, 32 * MiB);
    assert.equal(sha((await readFile(thin.lun_file!)).subarray(0, MiB)), sha(data));
    await call(c.admin, 'PATCH', `volumes/${thick.id}?wait=60`, { size: 96 * MiB });
    assert.ok((await stat(thick.lun_file!)).blocks * 512 >= 96 * MiB, 'grown thick lun stays preallocated');
  });

  test(`${store}: bad input is a 400 naming the field; scope and state rules`, { skip }, async (t) => {
    const c = await startCairn(t, { store });
    const pool = await testPool(t, c, 1024 ** 3);
    attach(c, pool);
    const base = { pool: pool.id, name: 'v1', type: 'filesystem', size: 64 * MiB };
    for (const [body, field] of [
      [{ ...base, name: '../etc' }, 'name'],
      [{ ...base, size: 10 }, 'size'],
      [{ ...base, compression: 'gzip' }, 'compression'],
      [{ ...base, type: 'block' }, 'type'],
      [{ ...base, bogus: true }, 'bogus'],
      [{ ...base, block_size: 4096 }, 'block_size'],
      [{ ...base, type: 'lun', size: 64 * MiB + 512, block_size: 4096 }, 'size'],
    ] as const) {
      const e = await call(c.admin, 'POST', 'volumes', body).catch((x: unknown) => x);
      assert.ok(e instanceof ApiError, `${field}: ${String(e)}`);
      assert.equal(e.status, 400, JSON.stringify(e.body));
      assert.equal(e.code, 'VALIDATION_FAILED');
      assert.match(JSON.stringify(e.body), new RegExp(field));
    }
    await expectError(call(c.admin, 'POST', 'volumes', { ...base, pool: 'nope' }), 404, 'POOL_NOT_FOUND');
    await expectError(c.admin.get('volumes/nope'), 404, 'VOLUME_NOT_FOUND');
    await expectError(c.admin.get('volumes?sort=path'), 400, 'VALIDATION_FAILED');

    // a key limited to another pool sees nothing and may touch nothing here
    const v = await call<Volume>(c.admin, 'POST', 'volumes?wait=60', base);
    const key = await call<{ key: string }>(c.admin, 'POST', 'api-keys', {
      name: 'other',
      pools: ['elsewhere'],
    });
    const k = c.withKey(key.key);
    await expectError(k.get(`volumes/${v.id}`), 403, 'OUT_OF_SCOPE');
    await expectError(call(k, 'POST', 'volumes', { ...base, name: 'v2' }), 403, 'OUT_OF_SCOPE');
    await expectError(call(k, 'POST', `volumes/${v.id}/snapshots`, {}), 403, 'OUT_OF_SCOPE');
    assert.equal((await k.get<{ total: number }>('volumes')).total, 0);
    assert.equal((await c.admin.get<{ total: number }>(`volumes?pool=${pool.id}`)).total, 1);
  });

  test(`${store}: volumes, snapshots and their bytes survive a restart`, { skip }, async (t) => {
    let c = await startCairn(t, { store });
    const pool = await testPool(t, c);
    attach(c, pool);
    const v = await call<Volume>(c.admin, 'POST', 'volumes?wait=60', {
      pool: pool.id,
      name: 'keep',
      type: 'filesystem',
      size: 64 * MiB,
    });
    const data = randomBytes(4 * MiB);
    await writeFile(join(v.path, 'a.bin'), data);
    const s = await call<{ id: string; path: string }>(c.admin, 'POST', `volumes/${v.id}/snapshots?wait=60`, {
      name: 's1',
    });
    c = attach(await c.restart(), pool);
    const again = await c.admin.get<Volume>(`volumes/${v.id}`);
    assert.equal(again.state, 'online');
    assert.equal(again.snapshot_count, 1);
    assert.equal(sha(await readFile(join(again.path, 'a.bin'))), sha(data));
    assert.equal(sha(await readFile(join(s.path, 'a.bin'))), sha(data));
    const list = await c.admin.get<{ items: { id: string }[] }>(`snapshots?volume=${v.id}`);
    assert.deepEqual(
      list.items.map((x) => x.id),
      [s.id],
    );
    // and it still works after the restart
    await call(c.admin, 'POST', `volumes/${v.id}/snapshots?wait=60`, { name: 's2' });
  });
}
