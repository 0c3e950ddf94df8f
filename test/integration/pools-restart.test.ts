// A reboot that loses a disk: cairnd comes back, re-attaches the virtual disks it still has, mounts
// the pool degraded (with an event), marks the lost disk missing, and the spare takes its place.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { startCairn } from '../support/cairn.js';
import { loopsBackedUnder, realPartsSkip, sh, waitFor } from '../support/real.js';
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
process.env.CAIRN_POOL_CHECK_MS = '300';

test(
  'after a reboot that lost a disk the pool mounts degraded and a spare replaces the disk',
  { skip },
  async (t) => {
    const c = await startCairn(t);
    const [a, b, s] = await makeDisks(c.admin, 3);
    const pool = await makePool(c.admin, {
      name: 'reboot',
      disks: [a!.id, b!.id],
      profile: 'raid1',
      spares: [s!.id],
    });
    const sums = await writeFiles(pool.mount_path, 3, 4 * MiB);
    sh(['sync', '-f', pool.mount_path]);
    await c.stop();

    // The "reboot": nothing mounted, no loop devices, and one disk's file is gone.
    sh(['umount', pool.mount_path]);
    for (const dev of loopsBackedUnder(c.dataDir)) sh(['losetup', '-d', dev]);
    await rm(join(c.dataDir, 'disks', `${b!.id}.img`));

    const c2 = await startCairn(t, { dataDir: c.dataDir, databaseUrl: c.databaseUrl });
    const lost = await c2.admin.get<DiskWire>(`disks/${b!.id}`);
    assert.equal(lost.state, 'missing');
    const healed = await waitFor(
      'the spare to take over after the reboot',
      async () => {
        const p = await poolGet(c2.admin, pool.id);
        return p.health === 'online' && p.disks.some((x) => x.id === s!.id) ? p : undefined;
      },
      120_000,
      300,
    );
    assert.deepEqual(healed.disks.map((x) => x.id).sort(), [a!.id, s!.id].sort());
    assert.equal(await checkFiles(pool.mount_path, sums), 4);
    const types = (await c2.app.store.db.selectFrom('events').select('type').orderBy('seq').execute()).map(
      (e) => e.type,
    );
    for (const ty of ['disk.missing', 'pool.degraded', 'spare.replaced', 'pool.online'])
      assert.ok(types.includes(ty), `${ty} in ${types.join(',')}`);
    const sc = await c2.admin.request<{ result: { uncorrectable_errors: number } }>(
      'POST',
      `pools/${pool.id}/scrub?wait=120`,
    );
    assert.equal(sc.body.result.uncorrectable_errors, 0);
  },
);
