// The monitoring API on every store: live and history statistics of the real node and disks,
// /metrics as Prometheus text (auth, types, labels), status endpoints with the real parts'
// versions, notification channel validation and tests, rule thresholds, and pool-scoped keys.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startCairn, ADMIN_PASSWORD } from '../support/cairn.js';
import { testStores } from '../support/stores.js';
import { webhookReceiver } from '../support/monitor.js';
import { ApiError } from '../../src/cli/client.js';

const expectError = async (p: Promise<unknown>, status: number, code: string) => {
  await assert.rejects(p, (e: unknown) => {
    assert.ok(e instanceof ApiError, String(e));
    assert.equal(e.status, status, JSON.stringify(e.body));
    assert.equal(e.code, code);
    return true;
  });
};

interface Obj {
  kind: string;
  id: string;
}

for (const store of testStores()) {
  test(`${store}: live and history statistics of the node and disks; /metrics in Prometheus text`, async (t) => {
    const c = await startCairn(t, { store });
    await c.app.services.monitor.sampleNow();
    await c.app.services.monitor.sampleNow();
    const objs = await c.admin.get<{ items: Obj[] }>('stats');
    const node = objs.items.find((o) => o.kind === 'node')!;
    assert.ok(node, JSON.stringify(objs));
    const live = await c.admin.get<{ metrics: Record<string, number>; interval_ms: number }>(
      `stats/node/${node.id}`,
    );
    assert.ok(live.metrics.memory_total_bytes! > 1024 ** 3);
    assert.ok(live.metrics.cpu_busy_ratio! >= 0 && live.metrics.cpu_busy_ratio! <= 1);
    assert.equal(live.interval_ms, 10_000);
    const hist = await c.admin.get<{ resolution: string; series: { metric: string; points: unknown[] }[] }>(
      `stats/node/${node.id}/history?metrics=memory_total_bytes,load1`,
    );
    assert.equal(hist.resolution, 'raw');
    assert.deepEqual(hist.series.map((s) => s.metric).sort(), ['load1', 'memory_total_bytes']);
    assert.ok(hist.series.every((s) => s.points.length >= 2));
    const disk = objs.items.find((o) => o.kind === 'disk');
    if (disk) {
      const d = await c.admin.get<{ metrics: Record<string, number> }>(`stats/disk/${disk.id}?view=live`);
      assert.ok(d.metrics.read_bytes_total! >= 0);
    }
    await expectError(c.admin.get('stats/pool/nope'), 404, 'STATS_OBJECT_NOT_FOUND');
    await expectError(c.admin.get('stats/teapot/x'), 400, 'VALIDATION_FAILED');
    await expectError(
      c.admin.get(`stats/node/${node.id}?from=2025-01-02T00:00:00Z&to=2025-01-01T00:00:00Z`),
      400,
      'VALIDATION_FAILED',
    );
    await expectError(c.admin.get(`stats/node/${node.id}?resolution=week`), 400, 'VALIDATION_FAILED');

    // /metrics: needs credentials; text format with TYPE lines, cairn_ names and labels.
    const anon = await fetch(`${c.url}/metrics`);
    assert.equal(anon.status, 401);
    const auth = `Basic ${Buffer.from(`admin:${ADMIN_PASSWORD}`).toString('base64')}`;
    const r = await fetch(`${c.url}/metrics`, { headers: { authorization: auth } });
    assert.equal(r.status, 200);
    assert.match(r.headers.get('content-type') ?? '', /^text\/plain; version=0\.0\.4/);
    const text = await r.text();
    const types = new Map<string, string>();
    for (const line of text.split('\n')) {
      if (!line) continue;
      const m = /^# TYPE (\S+) (gauge|counter)$/.exec(line);
      if (m) types.set(m[1]!, m[2]!);
      else if (!line.startsWith('# HELP '))
        assert.match(line, /^cairn_[a-z0-9_]+(\{([a-z_]+="[^"]*",?)*\})? -?[0-9.e+-]+$/, line);
    }
    assert.equal(types.get('cairn_node_memory_total_bytes'), 'gauge');
    assert.equal(types.get('cairn_node_network_receive_bytes_total'), 'counter');
    assert.equal(types.get('cairn_sampler_rounds_total'), 'counter');
    assert.equal(types.get('cairn_alerts_open'), 'gauge');
    assert.ok([...types.keys()].every((n) => n.startsWith('cairn_')));
    assert.match(text, new RegExp(`cairn_node_load1\\{id="${node.id}",name="[^"]+"\\} `));
  });

  test(`${store}: status endpoints, rule thresholds and notification channels`, async (t) => {
    const c = await startCairn(t, { store });
    await c.app.services.monitor.sampleNow();
    const sys = await c.admin.get<{ parts: { name: string; version: string | null }[]; node_id: string }>(
      'status/system',
    );
    const parts = Object.fromEntries(sys.parts.map((p) => [p.name, p.version]));
    assert.equal(parts['btrfs-progs'], '6.2');
    assert.equal(parts.nbdkit, '1.32.5');
    assert.ok(parts.tgt && parts['nfs-ganesha'] && parts.samba);
    const cluster = await c.admin.get<{ connected: boolean; nodes: { id: string; role: string }[] }>(
      'status/cluster',
    );
    assert.equal(cluster.connected, true);
    assert.deepEqual(
      cluster.nodes.map((n) => [n.id, n.role]),
      [[sys.node_id, 'primary']],
    );
    assert.deepEqual(await c.admin.get('status/services'), { services: [] });
    const cap = await c.admin.get<{ total: { pools: number } }>('status/capacity');
    assert.equal(cap.total.pools, 0);

    // Rules: list, change thresholds (validated), disable.
    const rules = await c.admin.get<{ items: { id: string; params: Record<string, number> }[] }>(
      'alert-rules',
    );
    assert.ok(rules.items.some((r) => r.id === 'pool_capacity'));
    const changed = (
      await c.admin.request<{ params: Record<string, number> }>('PATCH', 'alert-rules/pool_capacity', {
        params: { warn_percent: 70 },
      })
    ).body;
    assert.deepEqual(changed.params, { warn_percent: 70, critical_percent: 90 });
    await expectError(
      c.admin.request('PATCH', 'alert-rules/pool_capacity', { params: { warn_percent: 170 } }),
      400,
      'VALIDATION_FAILED',
    );
    await expectError(
      c.admin.request('PATCH', 'alert-rules/pool_capacity', { params: { bogus: 1 } }),
      400,
      'VALIDATION_FAILED',
    );
    await expectError(
      c.admin.request('PATCH', 'alert-rules/pool_capacity', { colour: 'red' }),
      400,
      'VALIDATION_FAILED',
    );
    await expectError(
      c.admin.request('PATCH', 'alert-rules/nope', { enabled: false }),
      404,
      'ALERT_RULE_NOT_FOUND',
    );
    await expectError(c.admin.get('alerts/nope'), 404, 'ALERT_NOT_FOUND');
    await expectError(c.admin.request('POST', 'alerts/nope/acknowledge'), 404, 'ALERT_NOT_FOUND');

    // Channels: validation names the field; names are unique; test sends; a dead URL is a 422.
    await expectError(
      c.admin.request('POST', 'notification-channels', { name: 'w', type: 'webhook' }),
      400,
      'VALIDATION_FAILED',
    );
    await expectError(
      c.admin.request('POST', 'notification-channels', { name: 'w', type: 'webhook', url: 'ftp://x' }),
      400,
      'VALIDATION_FAILED',
    );
    await expectError(
      c.admin.request('POST', 'notification-channels', { name: 'm', type: 'email', to: ['a@example.com'] }),
      400,
      'VALIDATION_FAILED',
    );
    const hook = await webhookReceiver(t);
    const ch = (
      await c.admin.request<{ id: string; has_secret: boolean }>('POST', 'notification-channels', {
        name: 'w',
        type: 'webhook',
        url: hook.url,
        secret: 'abc',
      })
    ).body;
    assert.equal(ch.has_secret, true);
    await expectError(
      c.admin.request('POST', 'notification-channels', { name: 'w', type: 'webhook', url: hook.url }),
      409,
      'NOTIFICATION_CHANNEL_NAME_TAKEN',
    );
    const sent = (
      await c.admin.request<{ delivered: boolean }>('POST', `notification-channels/${ch.id}/test`)
    ).body;
    assert.equal(sent.delivered, true);
    assert.equal(hook.got.length, 1);
    assert.equal(hook.got[0]!.headers['x-cairn-event'], 'test');
    const patched = (
      await c.admin.request<{ config: { url: string }; has_secret: boolean }>(
        'PATCH',
        `notification-channels/${ch.id}`,
        {
          url: 'http://127.0.0.1:1/closed',
          secret: '',
        },
      )
    ).body;
    assert.equal(patched.config.url, 'http://127.0.0.1:1/closed');
    assert.equal(patched.has_secret, false);
    await expectError(
      c.admin.request('POST', `notification-channels/${ch.id}/test`),
      422,
      'NOTIFICATION_FAILED',
    );
    await c.admin.request('DELETE', `notification-channels/${ch.id}`);
    await expectError(c.admin.get(`notification-channels/${ch.id}`), 404, 'NOTIFICATION_CHANNEL_NOT_FOUND');
  });

  test(`${store}: keys limited to pools see only their pools' alerts and statistics`, async (t) => {
    const c = await startCairn(t, { store });
    const svc = c.app.services.monitor;
    svc.registerSources({
      pools: {
        pools: async () =>
          ['pa', 'pb'].map((id) => ({
            id,
            name: id,
            sizeBytes: 100,
            usedBytes: 99,
            freeBytes: 1,
            health: 'online' as const,
          })),
      },
    });
    await svc.sampleNow();
    const key = (
      await c.admin.request<{ key: string }>('POST', 'api-keys', { name: 'only-pa', pools: ['pa'] })
    ).body.key;
    const k = c.withKey(key);
    const all = await c.admin.get<{ total: number }>('alerts');
    assert.equal(all.total, 2);
    const mine = await k.get<{ total: number; items: { pool_id: string }[] }>('alerts');
    assert.equal(mine.total, 1);
    assert.equal(mine.items[0]!.pool_id, 'pa');
    await k.get('stats/pool/pa');
    await expectError(k.get('stats/pool/pb'), 403, 'OUT_OF_SCOPE');
    const cap = await k.get<{ pools: { id: string }[] }>('status/capacity');
    assert.deepEqual(
      cap.pools.map((p) => p.id),
      ['pa'],
    );
  });
}
