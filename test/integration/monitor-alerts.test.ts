// Alerts driven by real conditions: a real btrfs pool on a loop device filled past its capacity
// threshold raises one alert (repeats are de-duplicated), which is acknowledged and clears by itself
// when space is freed; the webhook receiver (first answering 500) gets it signed with HMAC after a
// retry, and the SMTP receiver gets the email. Events other areas record raise and clear alerts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac, randomBytes } from 'node:crypto';
import { open, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { startCairn } from '../support/cairn.js';
import { testStores } from '../support/stores.js';
import { realPartsSkip, sh, waitFor } from '../support/real.js';
import { realPool, smtpReceiver, webhookReceiver } from '../support/monitor.js';
import { ProcFs } from '../../src/system/procfs/index.js';
import type { Alert } from '../../src/domain/monitor.js';

process.env.CAIRN_NOTIFY_BACKOFF_MS = '100';

interface Page<T> {
  items: T[];
  total: number;
}

async function fill(path: string, mib: number): Promise<void> {
  const f = await open(path, 'w');
  for (let i = 0; i < mib; i++) await f.write(randomBytes(1024 * 1024));
  await f.sync();
  await f.close();
}

for (const store of testStores()) {
  test(
    `${store}: fill a pool past its threshold: capacity alert, webhook (retried, signed) and email`,
    { skip: realPartsSkip() },
    async (t) => {
      const secret = 'hook-secret-1';
      const hook = await webhookReceiver(t, [500]);
      const smtp = await smtpReceiver(t);
      const c = await startCairn(t, { store });
      const pool = await realPool(t, 512);
      const procfs = new ProcFs();
      const poolId = 'pool-under-test';
      c.app.services.monitor.registerSources({
        pools: {
          pools: async () => {
            const fs = (await procfs.filesystem(pool.mount))!;
            return [
              {
                id: poolId,
                name: 'tank',
                sizeBytes: fs.sizeBytes,
                usedBytes: fs.sizeBytes - fs.freeBytes,
                freeBytes: fs.availBytes,
                health: 'online' as const,
              },
            ];
          },
        },
      });

      await c.admin.request('POST', 'notification-channels', {
        name: 'hook',
        type: 'webhook',
        url: hook.url,
        secret,
        min_severity: 'warning',
      });
      await c.admin.request('POST', 'notification-channels', {
        name: 'mail',
        type: 'email',
        to: ['ops@example.com'],
        from: 'cairn@example.com',
        smtp_host: '127.0.0.1',
        smtp_port: smtp.port,
        smtp_security: 'none',
      });
      const channels =
        await c.admin.get<Page<{ name: string; has_secret: boolean }>>('notification-channels');
      assert.equal(channels.total, 2);
      assert.ok(!JSON.stringify(channels).includes(secret), 'the secret is never returned');
      assert.equal(channels.items.find((x) => x.name === 'hook')!.has_secret, true);

      // 1. An empty pool raises nothing.
      await c.app.services.monitor.sampleNow();
      const live = await c.admin.get<{ metrics: Record<string, number> }>(`stats/pool/${poolId}`);
      const before = live.metrics.used_ratio!;
      assert.ok(before < 0.2, `fresh pool used ratio ${before}`);
      let alerts = await c.admin.get<Page<Alert>>('alerts?rule=pool_capacity');
      assert.equal(alerts.total, 0);

      // 2. Thresholds: warn at 30 %, critical at 95 %; then fill the pool to about half.
      await c.admin.request('PATCH', 'alert-rules/pool_capacity', {
        params: { warn_percent: 30, critical_percent: 95 },
      });
      await fill(join(pool.mount, 'big.bin'), 240);
      sh(['sync', '-f', pool.mount]);
      await c.app.services.monitor.sampleNow();
      alerts = await c.admin.get<Page<Alert>>('alerts?rule=pool_capacity&state=raised');
      assert.equal(alerts.total, 1, JSON.stringify(alerts));
      const alert = alerts.items[0]!;
      assert.equal(alert.object_id, poolId);
      assert.equal(alert.severity, 'warning');
      assert.match(alert.message, /tank is \d+\.\d% full/);

      // 3. Repeats are de-duplicated: one open alert, its count goes up.
      await c.app.services.monitor.sampleNow();
      await c.app.services.monitor.sampleNow();
      alerts = await c.admin.get<Page<Alert>>('alerts?rule=pool_capacity');
      assert.equal(alerts.total, 1);
      assert.ok(alerts.items[0]!.count >= 3, `count ${alerts.items[0]!.count}`);

      // 4. The webhook answered 500 first; the retry arrived, signed over the raw body.
      const delivered = await waitFor('webhook delivery', () =>
        hook.got.length >= 2 ? hook.got : undefined,
      );
      for (const r of delivered) {
        const expected = `sha256=${createHmac('sha256', secret).update(r.body).digest('hex')}`;
        assert.equal(r.headers['x-cairn-signature'], expected);
        assert.equal(r.headers['x-cairn-event'], 'alert.raised');
      }
      assert.equal(delivered[0]!.headers['x-cairn-delivery'], delivered[1]!.headers['x-cairn-delivery']);
      const payload = JSON.parse(delivered[1]!.body) as { event: string; alert: Alert };
      assert.equal(payload.event, 'alert.raised');
      assert.equal(payload.alert.id, alert.id);
      const hookChannel = channels.items.find((x) => x.name === 'hook') as unknown as { id: string };
      const deliveries = await c.admin.get<Page<{ state: string; attempts: number }>>(
        `notification-channels/${hookChannel.id}/deliveries`,
      );
      assert.deepEqual(
        deliveries.items.map((d) => [d.state, d.attempts]),
        [['delivered', 2]],
      );

      // 5. The email arrived at the local SMTP server.
      const mail = await waitFor('email', () => (smtp.mails.length ? smtp.mails[0] : undefined));
      assert.deepEqual(mail.to, ['ops@example.com']);
      assert.equal(mail.from, 'cairn@example.com');
      assert.match(mail.raw, /Subject: .*warning: pool tank is/);

      // 6. Acknowledge; free the space: the alert clears by itself and "cleared" is sent.
      const acked = (await c.admin.request<Alert>('POST', `alerts/${alert.id}/acknowledge`)).body;
      assert.equal(acked.state, 'acknowledged');
      assert.equal(acked.acknowledged_by, 'user:admin');
      await rm(join(pool.mount, 'big.bin'));
      sh(['sync', '-f', pool.mount]);
      const cleared = await waitFor(
        'capacity alert cleared',
        async () => {
          await c.app.services.monitor.sampleNow();
          const a = await c.admin.get<Alert>(`alerts/${alert.id}`);
          return a.state === 'cleared' ? a : undefined;
        },
        60_000,
        500,
      );
      assert.ok(cleared.cleared_at);
      await waitFor(
        'cleared webhook',
        () => hook.got.some((r) => r.headers['x-cairn-event'] === 'alert.cleared') || undefined,
      );
      await waitFor('cleared email', () => (smtp.mails.length >= 2 ? true : undefined));
      await assert.rejects(c.admin.request('POST', `alerts/${alert.id}/acknowledge`), /already cleared/);

      // 7. History is kept; the metric shows on /metrics with its labels.
      const history = await c.admin.get<Page<Alert>>('alerts?state=cleared');
      assert.equal(history.total, 1);
      const metrics = await (
        await fetch(`${c.url}/metrics`, {
          headers: {
            authorization: `Basic ${Buffer.from('admin:Admin-Passw0rd-for-tests').toString('base64')}`,
          },
        })
      ).text();
      assert.match(
        metrics,
        new RegExp(`cairn_pool_used_bytes\\{id="${poolId}",name="tank",health="online"\\} \\d+`),
      );
    },
  );

  test(`${store}: events raise and clear alerts (pool degraded → online, disk missing → spare replaced)`, async (t) => {
    const hook = await webhookReceiver(t);
    const c = await startCairn(t, { store });
    await c.admin.request('POST', 'notification-channels', { name: 'hook', type: 'webhook', url: hook.url });
    const events = c.app.services.monitor.eventSink;
    await events.record({
      type: 'pool.degraded',
      severity: 'error',
      objectType: 'pool',
      objectId: 'p1',
      message: 'pool p1 runs degraded: disk d2 missing',
    });
    await events.record({
      type: 'disk.missing',
      severity: 'error',
      objectType: 'disk',
      objectId: 'd2',
      message: 'disk d2 is missing',
      details: { pool_id: 'p1' },
    });
    const open = await waitFor('two alerts', async () => {
      const p = await c.admin.get<Page<Alert>>('alerts?state=raised&sort=rule');
      return p.total === 2 ? p.items : undefined;
    });
    assert.deepEqual(
      open.map((a) => [a.rule, a.object_id, a.severity, a.pool_id]),
      [
        ['disk_missing', 'd2', 'error', 'p1'],
        ['pool_health', 'p1', 'error', 'p1'],
      ],
    );
    // The same event again is a repeat, not a second alert.
    await events.record({
      type: 'pool.degraded',
      severity: 'error',
      objectType: 'pool',
      objectId: 'p1',
      message: 'again',
    });
    await waitFor('repeat counted', async () => {
      const a = await c.admin.get<Page<Alert>>('alerts?rule=pool_health');
      return a.total === 1 && a.items[0]!.count === 2 ? true : undefined;
    });

    await events.record({
      type: 'spare.replaced',
      severity: 'info',
      objectType: 'pool',
      objectId: 'p1',
      message: 'spare d3 replaced d2',
      details: { replaced_disk_id: 'd2', spare_disk_id: 'd3' },
    });
    await events.record({
      type: 'pool.online',
      severity: 'info',
      objectType: 'pool',
      objectId: 'p1',
      message: 'p1 online',
    });
    await waitFor('both cleared', async () => {
      const p = await c.admin.get<Page<Alert>>('alerts?state=cleared');
      return p.total === 2 ? true : undefined;
    });
    await waitFor('raised and cleared sent', () =>
      hook.got.filter((r) => r.headers['x-cairn-event'] === 'alert.cleared').length === 2 &&
      hook.got.filter((r) => r.headers['x-cairn-event'] === 'alert.raised').length === 2
        ? true
        : undefined,
    );
    assert.ok(
      hook.got.every((r) => r.headers['x-cairn-signature'] === undefined),
      'no secret, no signature',
    );

    // The event log: filters on type, severity, object and time, sort, order, limit and page.
    type Ev = { type: string; severity: string; object_id: string; at: string };
    const all = await c.admin.get<Page<Ev>>('events?order=asc');
    assert.equal(all.total, 5);
    assert.deepEqual(
      all.items.map((e) => e.type),
      ['pool.degraded', 'disk.missing', 'pool.degraded', 'spare.replaced', 'pool.online'],
    );
    assert.equal((await c.admin.get<Page<Ev>>('events?type=pool.degraded')).total, 2);
    assert.equal((await c.admin.get<Page<Ev>>('events?severity__in=info')).total, 2);
    assert.equal((await c.admin.get<Page<Ev>>('events?object_id=d2')).total, 1);
    const page2 = await c.admin.get<Page<Ev>>('events?order=asc&limit=2&page=2');
    assert.deepEqual(
      page2.items.map((e) => e.type),
      ['pool.degraded', 'spare.replaced'],
    );
    const future = new Date(Date.now() + 3_600_000).toISOString();
    assert.equal((await c.admin.get<Page<Ev>>(`events?from=${encodeURIComponent(future)}`)).total, 0);
    assert.equal((await c.admin.get<Page<Ev>>(`events?to=${encodeURIComponent(future)}`)).total, 5);
    await assert.rejects(c.admin.get('events?order=sideways'), /order/);
    await assert.rejects(c.admin.get('events?page=0'), /page/);

    // The one log: events, alerts and the audit trail (admin has audit.read).
    type Log = { source: string; type: string };
    const log = await c.admin.get<Page<Log>>('logs?limit=1000');
    const sources = new Set(log.items.map((l) => l.source));
    assert.deepEqual([...sources].sort(), ['alert', 'audit', 'event']);
    assert.equal((await c.admin.get<Page<Log>>('logs?source=alert')).total, 2);
    assert.equal((await c.admin.get<Page<Log>>('logs?type=alert.pool_health')).total, 1);
    const key = (
      await c.admin.request<{ key: string }>('POST', 'api-keys', {
        name: 'events-only',
        permissions: ['event.read'],
      })
    ).body.key;
    const limited = await c.withKey(key).get<Page<Log>>('logs?limit=1000');
    assert.ok(limited.total > 0);
    assert.ok(
      limited.items.every((l) => l.source !== 'audit'),
      'no audit trail without audit.read',
    );
  });
}
