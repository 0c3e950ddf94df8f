// The volume_capacity rule on a real pool: a filesystem volume filled by real writes past 85% of its
// quota raises a warning, past 95% the same alert turns critical, and freeing the data clears it;
// a preallocated lun, full by construction, never raises it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { open, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { startCairn } from '../support/cairn.js';
import { testStores } from '../support/stores.js';
import { realPartsSkip, sh } from '../support/real.js';
import { MiB, poolWithVolumes } from './storage-support.js';
import type { Alert } from '../../src/domain/monitor.js';
import type { Volume } from '../../src/domain/volumes.js';

/** Appends `mib` MiB of random bytes to a file and syncs it. */
async function write(path: string, mib: number): Promise<void> {
  const f = await open(path, 'a');
  for (let i = 0; i < mib; i++) await f.write(randomBytes(MiB));
  await f.sync();
  await f.close();
}

for (const store of testStores())
  test(
    `${store}: a volume filled near its quota raises volume_capacity, then critical, then clears`,
    { skip: realPartsSkip() },
    async (t) => {
      const c = await startCairn(t, { store });
      const { pool } = await poolWithVolumes(c.admin, [], {
        name: 'tank',
        diskSize: 512 * MiB,
        compression: 'none',
      });
      const mk = async (body: object) =>
        (await c.admin.request<Volume>('POST', 'volumes?wait=60', { pool: pool.id, ...body })).body;
      const v = await mk({ name: 'docs', type: 'filesystem', size: 40 * MiB });
      const thick = await mk({ name: 'thick', type: 'lun', size: 16 * MiB, thin: false });
      const rule = (
        await c.admin.get<{ items: { id: string; params: Record<string, number> }[] }>('alert-rules')
      ).items.find((r) => r.id === 'volume_capacity');
      assert.deepEqual(rule?.params, { warn_percent: 85, critical_percent: 95 });

      /**
       * The writes committed (btrfs accounts qgroups at a transaction commit, every 30 s by itself),
       * sizes refreshed, one sampling round, then the volume_capacity alerts.
       */
      const round = async () => {
        sh(['btrfs', 'filesystem', 'sync', v.path]);
        await c.app.services.volumes.maintain(pool.id);
        await c.app.services.monitor.sampleNow();
        return (await c.admin.get<{ items: Alert[] }>('alerts?rule=volume_capacity')).items;
      };
      const file = join(v.path, 'data.bin');
      await write(file, 20);
      assert.deepEqual(await round(), [], 'half full: nothing');

      await write(file, 16); // 36 of 40 MiB: 90%
      let alerts = await round();
      assert.equal(alerts.length, 1, JSON.stringify(alerts));
      const a = alerts[0]!;
      assert.equal(a.object_type, 'volume');
      assert.equal(a.object_id, v.id);
      assert.equal(a.pool_id, pool.id);
      assert.equal(a.state, 'raised');
      assert.equal(a.severity, 'warning');
      assert.match(a.message, /^volume docs is 9\d\.\d% full \(85% threshold\)$/);
      assert.ok(Number(a.details.used_percent) >= 85 && Number(a.details.used_percent) < 95);
      assert.equal(a.details.size_bytes, 40 * MiB);

      await write(file, 3).catch(() => undefined); // 39 of 40 MiB (the quota may stop the last bytes)
      alerts = await round();
      assert.equal(alerts.length, 1);
      assert.equal(alerts[0]!.id, a.id, 'the same alert, not a second one');
      assert.equal(alerts[0]!.severity, 'critical');
      assert.ok(alerts[0]!.count >= 2);
      assert.ok(!alerts.some((x) => x.object_id === thick.id), 'a full thick lun raises nothing');

      await rm(file);
      alerts = await round();
      assert.equal(alerts.length, 1);
      assert.equal(alerts[0]!.state, 'cleared');
    },
  );
