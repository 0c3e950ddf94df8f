// Clone from a live volume (POST /api/v1/volumes/{id}/clone): one writable btrfs snapshot of the
// volume as it is now, for filesystem volumes and luns, on a real pool. The clone holds the
// source's bytes, diverges from it on both sides, has its own quota, labels and display name, and
// carries the source's metadata; a clone that fails leaves no volume behind.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { readFile, writeFile, open } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { startCairn } from '../support/cairn.js';
import { testStores } from '../support/stores.js';
import { realPartsSkip, sh } from '../support/real.js';
import { ApiError } from '../../src/cli/client.js';
import type { Volume } from '../../src/domain/volumes.js';
import type { Job } from '../../src/domain/job.js';
import { MiB, attach, call, expectError, qgroupOf, testPool } from './volumes-pool.js';

const skip = realPartsSkip();
const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

for (const store of testStores()) {
  test(
    `${store}: a live filesystem volume and a lun cloned; the copies diverge; failures roll back`,
    { skip },
    async (t) => {
      const c = await startCairn(t, { store });
      const pool = await testPool(t, c);
      attach(c, pool);
      const src = await call<Volume>(c.admin, 'POST', 'volumes?wait=60', {
        pool: pool.id,
        name: 'live',
        type: 'filesystem',
        size: 96 * MiB,
        compression: 'zstd',
        metadata: { io_profile: 'db' },
        labels: { tier: 'gold' },
      });
      const data = randomBytes(8 * MiB);
      await writeFile(join(src.path, 'data.bin'), data);

      // the clone answers 201 with the new volume once its job is done
      const r = await c.admin.request<Volume>('POST', `volumes/${src.id}/clone?wait=60`, {
        name: 'copy',
        display_name: 'Copy of live (test)',
        labels: { purpose: 'test' },
      });
      assert.equal(r.status, 201);
      const copy = r.body;
      assert.equal(copy.state, 'online');
      assert.equal(copy.type, 'filesystem');
      assert.equal(copy.size, src.size);
      assert.equal(copy.compression, 'zstd');
      assert.equal(copy.origin_snapshot, null, 'a clone of a live volume has no origin snapshot');
      assert.equal(copy.display_name, 'Copy of live (test)');
      assert.deepEqual(copy.labels, { purpose: 'test' });
      assert.deepEqual(copy.metadata, { io_profile: 'db' });
      assert.equal(sha(await readFile(join(copy.path, 'data.bin'))), sha(data));
      assert.equal(qgroupOf(copy.path).maxReferenced, 96 * MiB, 'the clone has its own quota');
      assert.match(sh(['btrfs', 'property', 'get', copy.path, 'ro']), /ro=false/);
      // the source took no snapshot row and stays writable; both sides diverge
      assert.equal((await c.admin.get<Volume>(`volumes/${src.id}`)).snapshot_count, 0);
      await writeFile(join(copy.path, 'data.bin'), Buffer.from('changed in the copy'));
      await writeFile(join(src.path, 'later.bin'), Buffer.from('written to the source afterwards'));
      assert.equal(sha(await readFile(join(src.path, 'data.bin'))), sha(data));
      assert.equal(existsSync(join(copy.path, 'later.bin')), false);
      const job = (await c.admin.get<{ items: Job[] }>(`jobs?object_id=${copy.id}`)).items[0]!;
      assert.equal(job.kind, 'volume.clone');

      // a lun: its data file is cloned with the subvolume, block size and size kept
      const lun = await call<Volume>(c.admin, 'POST', 'volumes?wait=60', {
        pool: pool.id,
        name: 'blk',
        type: 'lun',
        size: 32 * MiB,
        block_size: 4096,
      });
      const block = randomBytes(MiB);
      const f = await open(lun.lun_file!, 'r+');
      await f.write(block, 0, block.length, 5 * MiB);
      await f.close();
      const lcopy = await call<Volume>(c.admin, 'POST', `volumes/${lun.id}/clone?wait=60`, {
        name: 'blk-copy',
      });
      assert.equal(lcopy.type, 'lun');
      assert.equal(lcopy.block_size, 4096);
      assert.equal(lcopy.size, 32 * MiB);
      assert.equal(lcopy.display_name, 'blk-copy');
      const cloned = await readFile(lcopy.lun_file!);
      assert.equal(cloned.length, 32 * MiB);
      assert.equal(sha(cloned.subarray(5 * MiB, 6 * MiB)), sha(block));

      // refused before any job: a taken name, a bad name or label, an unknown volume, a file-backed lun
      const count = async () => (await c.admin.get<{ total: number }>('volumes')).total;
      const before = await count();
      await expectError(
        call(c.admin, 'POST', `volumes/${src.id}/clone`, { name: 'blk' }),
        409,
        'VOLUME_NAME_TAKEN',
      );
      await expectError(
        call(c.admin, 'POST', `volumes/${src.id}/clone`, { name: '../x' }),
        400,
        'VALIDATION_FAILED',
      );
      await expectError(
        call(c.admin, 'POST', `volumes/${src.id}/clone`, { name: 'x', labels: { 'a b': '1' } }),
        400,
        'VALIDATION_FAILED',
      );
      await expectError(call(c.admin, 'POST', 'volumes/nope/clone', { name: 'x' }), 404, 'VOLUME_NOT_FOUND');
      const fileLun = await call<Volume>(c.admin, 'POST', 'volumes?wait=60', {
        pool: pool.id,
        name: 'in-file',
        type: 'lun',
        size: 8 * MiB,
        parent: src.id,
        parent_path: 'disk.img',
      });
      await expectError(
        call(c.admin, 'POST', `volumes/${fileLun.id}/clone`, { name: 'x' }),
        422,
        'VOLUME_FILE_BACKED',
      );
      assert.equal(await count(), before + 1, 'only the file-backed lun was added');

      // a clone whose job fails (its source subvolume is gone) is undone: no row, no subvolume
      const doomed = await call<Volume>(c.admin, 'POST', 'volumes?wait=60', {
        pool: pool.id,
        name: 'doomed',
        type: 'filesystem',
        size: 32 * MiB,
      });
      sh(['btrfs', 'subvolume', 'delete', doomed.path]);
      const e = await call(c.admin, 'POST', `volumes/${doomed.id}/clone?wait=60`, { name: 'never' }).catch(
        (x: unknown) => x,
      );
      assert.ok(e instanceof ApiError, String(e));
      assert.equal((await c.admin.get<{ total: number }>('volumes?name=never')).total, 0);
      const failed = (await c.admin.get<{ items: Job[] }>('jobs?kind=volume.clone&state=failed')).items;
      assert.equal(failed.length, 1);
      assert.equal(sh(['btrfs', 'subvolume', 'list', pool.mountPath]).includes(failed[0]!.objectId!), false);
    },
  );
}
