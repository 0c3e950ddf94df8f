// Maintenance mode on a real pool: the state in /system and in events, kept across a restart; new
// attachments, exports and replication sessions refused with MAINTENANCE_MODE; a due schedule
// held back while it is on, and run once it ends.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startCairn } from '../support/cairn.js';
import { realPartsSkip, waitFor } from '../support/real.js';
import { ApiError } from '../../src/cli/client.js';
import { cli, mountRoot, MiB, poolWithVolumes } from './attachments-support.js';

const skip = realPartsSkip();

interface SystemWire {
  maintenance: { enabled: boolean; since: string | null };
}

async function refused(p: Promise<unknown>, code: string): Promise<void> {
  await assert.rejects(p, (e: unknown) => e instanceof ApiError && e.body?.error?.code === code);
}

test(
  'maintenance mode: refuses attachments and exports, holds schedules back, survives a restart',
  { skip },
  async (t) => {
    process.env.CAIRN_MOUNT_ROOTS = mountRoot(t);
    let c = await startCairn(t);
    const {
      ids: [vol],
    } = await poolWithVolumes(c.admin, [{ name: 'm', type: 'filesystem', size: 64 * MiB }]);
    assert.deepEqual((await c.admin.get<SystemWire>('system')).maintenance, { enabled: false, since: null });

    const on = JSON.parse(await cli(c, ['system', 'maintenance', 'on'])) as SystemWire['maintenance'];
    assert.equal(on.enabled, true);
    assert.ok(on.since);
    assert.deepEqual((JSON.parse(await cli(c, ['system'])) as SystemWire).maintenance, on);
    const ev = await c.admin.get<{ total: number }>('events?type=system.maintenance_entered');
    assert.equal(ev.total, 1);

    await refused(
      c.admin.request('POST', `volumes/${vol}/attachments`, { requester: 'r' }),
      'MAINTENANCE_MODE',
    );
    await refused(
      c.admin.request('POST', `volumes/${vol}/exports`, { protocol: 'nfs', allowed: ['127.0.0.1'] }),
      'MAINTENANCE_MODE',
    );
    assert.equal((await c.admin.get<{ total: number }>('exports')).total, 0, 'nothing half made');
    await refused(
      c.admin.request('POST', 'relationships/00000000-0000-4000-8000-000000000000/sync', {}),
      'MAINTENANCE_MODE',
    );

    // Kept across a restart.
    c = await c.restart();
    assert.deepEqual((await c.admin.get<SystemWire>('system')).maintenance, on);

    // A schedule that comes due while in maintenance does not run...
    const s = (
      await c.admin.request<{ id: string; next_run_at: string }>('POST', 'schedules', {
        name: 'every2s',
        kind: 'snapshot',
        target: vol,
        cron: '*/2 * * * * *',
      })
    ).body;
    await waitFor('the schedule to be due', async () => Date.now() > Date.parse(s.next_run_at) + 100, 30_000);
    await c.app.services.scheduler.tick();
    await c.app.services.scheduler.settled();
    const snaps = () => c.admin.get<{ total: number }>(`volumes/${vol}/snapshots`).then((r) => r.total);
    assert.equal(await snaps(), 0);
    const held = await c.admin.get<{ last_run_at: string | null; next_run_at: string }>(`schedules/${s.id}`);
    assert.equal(held.last_run_at, null);
    assert.equal(held.next_run_at, s.next_run_at, 'still due');

    // ...and runs once maintenance ends.
    const off = (
      await c.admin.request<SystemWire['maintenance']>('POST', 'system/maintenance', { enabled: false })
    ).body;
    assert.deepEqual(off, { enabled: false, since: null });
    assert.equal((await c.admin.get<{ total: number }>('events?type=system.maintenance_exited')).total, 1);
    await waitFor('a scheduled snapshot', async () => (await snaps()) > 0, 60_000);
    await c.admin.request('PATCH', `schedules/${s.id}`, { enabled: false });
    await c.app.services.scheduler.settled();
    const a = (
      await c.admin.request<{ id: string }>('POST', `volumes/${vol}/attachments`, { requester: 'r' })
    ).body;
    await c.admin.request('DELETE', `attachments/${a.id}`);
  },
);
