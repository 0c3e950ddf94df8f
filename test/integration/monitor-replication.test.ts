// The replication alert with two real Cairn systems: a sync records replication.succeeded; the
// partner revokes the key, the next sync fails: replication.failed is recorded and the monitor
// raises the replication alert (error) at once and keeps it over sampling rounds; a new key and a
// successful sync clear it. The monitor's replication source reports the schedule's interval.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { realPartsSkip, waitFor } from '../support/real.js';
import { MiB, call, side, volume, type SessionWire } from './replication-support.js';

const skip = realPartsSkip();

interface AlertWire {
  id: string;
  rule: string;
  object_id: string;
  pool_id: string | null;
  severity: string;
  state: string;
  details: Record<string, unknown>;
}
interface EventWire {
  type: string;
  object_id: string;
  severity: string;
}

test(
  'replication alert: raised by a failed sync, kept by rounds, cleared by the next success',
  { skip },
  async (t) => {
    const a = await side(t);
    const b = await side(t);
    const key = await call<{ id: string; key: string }>(b.c.admin, 'POST', 'api-keys', { name: 'from-a' });
    const pb = await call<{ id: string }>(a.c.admin, 'POST', 'partners', {
      name: 'b',
      url: b.c.url,
      api_key: key.key,
      fingerprint_sha256: b.c.fingerprint,
    });
    const v = await volume(a, 'data', 256 * MiB);
    await writeFile(join(v.path, 'f.bin'), randomBytes(2 * MiB));
    const rel = await call<{ id: string }>(a.c.admin, 'POST', 'relationships', {
      volume: v.id,
      partner: pb.id,
      target_pool: b.pool.id,
    });
    // A schedule drives it (once a year: it never fires during the test).
    await call(a.c.admin, 'POST', 'schedules', {
      name: 'yearly',
      kind: 'replication',
      target: rel.id,
      cron: '0 0 1 1 *',
    });
    const monitor = a.c.app.services.monitor;
    const alerts = async () =>
      (await call<{ items: AlertWire[] }>(a.c.admin, 'GET', `alerts?rule=replication&object_id=${rel.id}`))
        .items;
    const events = async (type: string) =>
      (await call<{ items: EventWire[] }>(a.c.admin, 'GET', `events?type=${type}&object_id=${rel.id}`)).items;

    // 1. A good sync: an event, no alert; the source sees the schedule's interval and no lag.
    const s1 = await call<SessionWire>(a.c.admin, 'POST', `relationships/${rel.id}/sync?wait=120`);
    assert.equal(s1.status, 'COMPLETED', JSON.stringify(s1));
    assert.equal((await events('replication.succeeded')).length, 1);
    const [row] = await monitor.sources().replication!.relationships();
    assert.equal(row?.id, rel.id);
    assert.equal(row?.lastState, 'COMPLETED');
    assert.ok(row!.intervalSeconds! >= 365 * 86400, JSON.stringify(row));
    assert.equal(row?.lagSeconds, 0);
    await monitor.sampleNow();
    assert.deepEqual(await alerts(), []);

    // 2. B revokes the key: the next sync fails; the event raises the alert at once.
    await call(b.c.admin, 'DELETE', `api-keys/${key.id}`);
    const s2 = await call<SessionWire>(a.c.admin, 'POST', `relationships/${rel.id}/sync`);
    await waitFor(
      'the session failed',
      async () => (await call<SessionWire>(a.c.admin, 'GET', `sessions/${s2.id}`)).status === 'FAILED',
      120_000,
    );
    const failedEvents = await events('replication.failed');
    assert.equal(failedEvents.length, 1);
    assert.equal(failedEvents[0]!.severity, 'error');
    const raised = await waitFor('the alert raised', async () => (await alerts())[0], 30_000);
    assert.equal(raised.state, 'raised');
    assert.equal(raised.severity, 'error');
    assert.equal(raised.pool_id, a.pool.id);
    // A sampling round sees the same condition through the source: still one open alert.
    await monitor.sampleNow();
    const kept = await alerts();
    assert.equal(kept.length, 1);
    assert.equal(kept[0]!.id, raised.id);
    assert.equal(kept[0]!.state, 'raised');

    // 3. A new key, a successful sync: the alert clears and a round does not raise it again.
    const key2 = await call<{ key: string }>(b.c.admin, 'POST', 'api-keys', { name: 'from-a-2' });
    await call(a.c.admin, 'PATCH', `partners/${pb.id}`, { api_key: key2.key });
    const s3 = await call<SessionWire>(a.c.admin, 'POST', `relationships/${rel.id}/sync?wait=120`);
    assert.equal(s3.status, 'COMPLETED', JSON.stringify(s3));
    await waitFor('the alert cleared', async () => (await alerts())[0]?.state === 'cleared', 30_000);
    await monitor.sampleNow();
    const after = await alerts();
    assert.deepEqual(
      after.map((x) => [x.id, x.state]),
      [[raised.id, 'cleared']],
    );
  },
);
