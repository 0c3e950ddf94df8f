// NGXStorage conformance: every example request of the NGX API document (test/fixtures/seeds/
// ngx-002.txt) runs against a real Cairn with real loop-device disks, with an API key made by the
// native API; each answer must carry the fields the document shows, and the effect must be real.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ADMIN_PASSWORD } from '../support/cairn.js';
import { realPartsSkip } from '../support/real.js';
import { example, examples, fieldByField, ngxError, ngxRig, replay, request } from './ngx-support.js';

test(
  'NGX seed 002: pools, status, network and logs, field by field, with real figures',
  { skip: realPartsSkip() },
  async (t) => {
    const { c, pool, call } = await ngxRig(t);
    const poolId = `${pool.replace(/-/g, '')}a0000001`;

    // Pool
    const list = fieldByField(await replay(call, 'Pool: List')) as unknown as Record<string, unknown>[];
    assert.deepEqual(
      list.map((p) => [p.pool_name, p.pool_id]),
      [['test', poolId]],
    );
    const detail = fieldByField(await replay(call, 'Pool: Detail', { id: poolId }));
    assert.equal(detail.raidtype, 'raid1');
    assert.equal(detail.status, 'ONLINE');
    assert.equal(detail.stripe_len, 2);
    fieldByField(await replay(call, 'Pool: Detail List'));
    const overview = fieldByField(await replay(call, 'Pool: Overview')) as unknown as {
      capacity: Record<string, unknown>;
    }[];
    const native = await c.admin.get<{ size: number }>(`pools/${pool}`);
    assert.equal(overview[0]!.capacity.total_size, String(native.size));
    assert.deepEqual(overview[0]!.capacity.flashtier_total, 0, 'no flash tier');

    // Status and network
    for (const s of [
      'Bandwidth',
      'IOPS',
      'CPU',
      'Cluster',
      'License',
      'Pools',
      'Services',
      'System Info',
      'Enclosures',
    ])
      fieldByField(await replay(call, `Status: ${s}`));
    const cluster = fieldByField(await replay(call, 'Status: Cluster'));
    assert.equal(cluster.connected, 1);
    assert.equal(cluster.status, 'Master');
    assert.deepEqual((await replay(call, 'Status: Cache')).body, {}, 'no DRAM cache');
    // Keyed by pool name: the document's pools are `test` and `test2`, this system has `test`.
    const capR = await replay(call, 'Status: Capacity');
    assert.equal(capR.status, 200);
    const cap = capR.body as Record<string, unknown>;
    assert.deepEqual(Object.keys(cap), ['test']);
    const doc = (example('Status: Capacity').response as { test: Record<string, object> }).test;
    for (const part of ['info', 'protocol_usage'])
      assert.deepEqual(
        Object.keys((cap.test as Record<string, object>)[part]!).sort(),
        Object.keys(doc[part]!).sort(),
      );
    const over = fieldByField(await replay(call, 'Status: Overloaded Volumes'));
    assert.ok(Array.isArray(over.overloaded_volumes));
    const services = fieldByField(await replay(call, 'Status: Services'));
    assert.equal(services.s3, 0);
    const info = fieldByField(await replay(call, 'Status: System Info'));
    assert.equal(info.fc_initiators, 0);
    const net = await replay(call, 'Network: Info');
    assert.equal(net.status, 200);
    assert.ok((net.body as { name: string }[]).some((n) => n.name === 'lo'));

    // Logs: NGX's filters reach the native lists.
    const audit = fieldByField(
      await replay(
        call,
        'Log: Audit',
        {},
        undefined,
        '?filter[user]=admin&sort[]=time&order=desc&limit=5&page=1',
      ),
    );
    assert.ok(Array.isArray(audit));
    fieldByField(
      await replay(
        call,
        'Log: Alert',
        {},
        undefined,
        '?filter[type][]=warning&filter[type][]=error&limit=10',
      ),
    );
    const events = await replay(
      call,
      'Log: System Event',
      {},
      undefined,
      '?filter[time][]=2020-01-01&filter[time][]=2100-01-01&sort[]=time&order=asc',
    );
    assert.equal(events.status, 200);
    assert.ok((events.body as unknown[]).length > 0, 'pool and disk events were recorded');
    fieldByField({ ...events, example: example('Log: System Event') });
    ngxError(await call('GET', '/api/v2/log/alert?order=sideways'), 400);

    // Errors: unknown ids, unknown endpoints, keys.
    ngxError(await call('GET', `/api/v2/pool/${'0'.repeat(32)}a0000001`), 5011);
    ngxError(await call('GET', `/api/v2/pool/${poolId.slice(0, 32)}a0000002`), 5011, /pool/);
    ngxError(await call('GET', '/api/v2/nothing/here'), 5011);
    ngxError(await request(c, 'Bearer cairn_nope_nope', 'GET', '/api/v2/pool'), 5000);
    ngxError(await request(c, null, 'GET', '/api/v2/pool'), 5000);
    const basic = `Basic ${Buffer.from(`admin:${ADMIN_PASSWORD}`).toString('base64')}`;
    ngxError(await request(c, basic, 'GET', '/api/v2/pool'), 5000, /API keys only/);
    // A key limited to no pool of these sees none, and cannot read one by id.
    const narrow = (
      await c.admin.request<{ key: string }>('POST', 'api-keys', {
        name: 'other',
        pools: ['00000000-0000-0000-0000-000000000000'],
      })
    ).body.key;
    const n = await request(c, `Bearer ${narrow}`, 'GET', '/api/v2/pool');
    assert.deepEqual(n.body, []);
    ngxError(await request(c, `Bearer ${narrow}`, 'GET', `/api/v2/pool/${poolId}`), 5000);
    assert.ok(examples.length >= 60);
  },
);
