// Every list's sortable and filterable fields against a real store: each sort (both directions,
// followed by its cursor) and each filter operator with a well-typed value answers 200, never a
// 500 from a column the store does not have (GET /volumes?sort=used once answered `no such column`).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { startCairn, ADMIN_PASSWORD } from '../support/cairn.js';
import { testStores } from '../support/stores.js';
import { listParamNames, type ListFieldType, type ListSpec } from '../../src/domain/list.js';

/** The collection that serves each spec (`:channel` is filled in with a real channel). */
const LIST_URLS: Record<string, string> = {
  JOB_LIST: 'jobs',
  USER_LIST: 'users',
  ROLE_LIST: 'roles',
  KEY_LIST: 'api-keys',
  AUDIT_LIST: 'audit',
  EVENT_LIST: 'events',
  DISK_LIST: 'disks',
  POOL_LIST: 'pools',
  VOLUME_LIST: 'volumes',
  SNAPSHOT_LIST: 'snapshots',
  SCHEDULE_LIST: 'schedules',
  PARTNER_LIST: 'partners',
  RELATIONSHIP_LIST: 'relationships',
  SESSION_LIST: 'sessions',
  HOST_LIST: 'hosts',
  EXPORT_LIST: 'exports',
  TARGET_LIST: 'targets',
  ALERT_LIST: 'alerts',
  CHANNEL_LIST: 'notification-channels',
  DELIVERY_LIST: 'notification-channels/:channel/deliveries',
  LOG_LIST: 'logs',
  ATTACHMENT_LIST: 'attachments',
};

const isSpec = (v: unknown): v is ListSpec =>
  typeof v === 'object' &&
  v !== null &&
  'fields' in v &&
  'defaultSort' in v &&
  'tieBreaker' in v &&
  typeof (v as ListSpec).tieBreaker === 'string';

/** Every ListSpec the domain modules export, by export name. */
async function domainSpecs(): Promise<Map<string, ListSpec>> {
  const dir = join(import.meta.dirname, '../../src/domain');
  const specs = new Map<string, ListSpec>();
  for (const f of readdirSync(dir).filter((n) => n.endsWith('.js'))) {
    const mod = (await import(join(dir, f))) as Record<string, unknown>;
    for (const [name, v] of Object.entries(mod)) if (isSpec(v)) specs.set(name, v);
  }
  return specs;
}

const SAMPLE: Record<ListFieldType, string> = {
  string: 'x',
  integer: '1',
  time: '2026-01-01T00:00:00.000Z',
  boolean: 'true',
};
const PAIR: Record<ListFieldType, string> = {
  string: 'x,y',
  integer: '1,2',
  time: '2026-01-01T00:00:00.000Z,2026-01-02T00:00:00.000Z',
  boolean: 'true',
};

test('every ListSpec the domain exports is walked below', async () => {
  const specs = await domainSpecs();
  assert.ok(specs.size >= 20, `found ${specs.size} specs`);
  assert.deepEqual([...specs.keys()].filter((n) => !(n in LIST_URLS)).sort(), [], 'specs with no list URL');
  assert.deepEqual(
    Object.keys(LIST_URLS).filter((n) => !specs.has(n)),
    [],
    'list URLs for specs that are gone',
  );
});

for (const store of testStores()) {
  test(`${store}: every sortable and filterable list field works in the store`, async (t) => {
    const c = await startCairn(t, { store });
    // A few rows, so the cursor of each sort is built from a real row.
    await c.admin.request('POST', 'users', { name: 'walker', password: 'long-enough-1', role: 'viewer' });
    await c.admin.request('POST', 'hosts', { name: 'walk-host' });
    const { body: channel } = await c.admin.request<{ id: string }>('POST', 'notification-channels', {
      name: 'walk-hook',
      type: 'webhook',
      url: 'http://127.0.0.1:9/hook',
    });
    const auth = `Basic ${Buffer.from(`admin:${ADMIN_PASSWORD}`).toString('base64')}`;
    const failures: string[] = [];
    let calls = 0;
    const get = async (path: string, query: Record<string, string>) => {
      const qs = new URLSearchParams(query).toString();
      const url = `/api/v1/${path}${qs ? `?${qs}` : ''}`;
      const r = await c.app.api.inject({ method: 'GET', url, headers: { authorization: auth } });
      calls++;
      if (r.statusCode !== 200) failures.push(`${url} → ${r.statusCode} ${r.body.slice(0, 200)}`);
      return r.statusCode === 200
        ? (r.json() as { next_cursor: string | null; items: unknown[]; total: number })
        : null;
    };
    for (const [name, spec] of await domainSpecs()) {
      const path = LIST_URLS[name]!.replace(':channel', channel.id);
      for (const [field, f] of Object.entries(spec.fields)) {
        if (f.sortable)
          for (const sort of [field, `-${field}`]) {
            // Page by cursor to the end: every row comes once (a NULL in the sort column included).
            let page = await get(path, { sort, limit: '2' });
            let seen = page?.items.length ?? 0;
            const total = page?.total ?? 0;
            while (page?.next_cursor && seen <= total) {
              page = await get(path, { sort, limit: '2', cursor: page.next_cursor });
              seen += page?.items.length ?? 0;
            }
            if (page && seen !== total)
              failures.push(`${path}?sort=${sort}: ${seen} of ${total} rows by cursor`);
          }
      }
      for (const p of listParamNames(spec)) {
        const type = spec.fields[p.field]!.type;
        await get(path, { [p.name]: p.op === 'in' ? PAIR[type] : SAMPLE[type] });
      }
    }
    assert.deepEqual(failures, []);
    assert.ok(calls > 300, `only ${calls} calls`);
  });

  test(`${store}: sorting and filtering volumes by used (the bytes referenced) works`, async (t) => {
    const c = await startCairn(t, { store });
    for (const q of ['sort=used', 'sort=-used', 'used__gt=1', 'used=0', 'used__in=1,2', 'used__lte=5'])
      assert.equal((await c.admin.get<{ total: number }>(`volumes?${q}`)).total, 0, q);
  });
}
