// Volumes on a pool made through the storage API (POST /disks, POST /pools), not a test mount:
// the volume service gets the pool from the pool service, quotas on, snapshot, rollback by SHA-256.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { startCairn } from '../support/cairn.js';
import { testStores } from '../support/stores.js';
import { realPartsSkip } from '../support/real.js';
import type { Client } from '../../src/cli/client.js';
import type { Snapshot, Volume } from '../../src/domain/volumes.js';
import { MiB, qgroupOf } from './volumes-pool.js';
import { poolWithVolumes } from './storage-support.js';

const skip = realPartsSkip();
const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');
const call = async <T = unknown>(cl: Client, method: string, path: string, body?: unknown): Promise<T> =>
  (await cl.request<T>(method, path, body)).body;

for (const store of testStores()) {
  test(
    `${store}: a volume on a real pool from the storage API: quota, snapshot, rollback`,
    { skip },
    async (t) => {
      const c = await startCairn(t, { store });
      const { volumes } = await poolWithVolumes(c.admin, [{ name: 'v1' }], { diskSize: 1024 * MiB });
      const v = volumes[0] as unknown as Volume;
      assert.equal(v.state, 'online');
      assert.equal(qgroupOf(v.path).maxReferenced, 64 * MiB);
      const a = randomBytes(2 * MiB);
      await writeFile(join(v.path, 'a.bin'), a);
      const s = await call<Snapshot>(c.admin, 'POST', `volumes/${v.id}/snapshots?wait=60`, { name: 's1' });
      await writeFile(join(v.path, 'a.bin'), randomBytes(2 * MiB));
      await call(c.admin, 'POST', `volumes/${v.id}/rollback?wait=60`, { snapshot: s.id });
      assert.equal(sha(await readFile(join(v.path, 'a.bin'))), sha(a));
      await call(c.admin, 'DELETE', `volumes/${v.id}?wait=60`);
    },
  );
}
