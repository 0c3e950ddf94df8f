// The native API's foundation on every store: auth on every route, errors, lists, audit, keys,
// sessions and the API document.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { request as httpRequest } from 'node:http';
import { startCairn } from '../support/cairn.js';
import { waitFor } from '../support/real.js';
import { testStores } from '../support/stores.js';
import { ApiError, Client } from '../../src/cli/client.js';

const expectError = async (p: Promise<unknown>, status: number, code: string) => {
  await assert.rejects(p, (e: unknown) => {
    assert.ok(e instanceof ApiError, String(e));
    assert.equal(e.status, status, JSON.stringify(e.body));
    assert.equal(e.code, code);
    return true;
  });
};

for (const store of testStores()) {
  test(`${store}: health is public, everything else needs credentials`, async (t) => {
    const c = await startCairn(t, { store });
    const h = await c.anonymous.get<{ ready: boolean; checks: { database: boolean } }>('health');
    assert.equal(h.ready, true);
    assert.equal(h.checks.database, true);
    await expectError(c.anonymous.get('system'), 401, 'UNAUTHENTICATED');
    await expectError(c.as('admin', 'wrong-password').get('system'), 401, 'UNAUTHENTICATED');
    const sys = await c.admin.get<{
      name: string;
      version: string;
      hostname: string;
      uptime_seconds: number;
      time_zone: string;
    }>('system');
    assert.equal(typeof sys.version, 'string');
    assert.ok(sys.time_zone.length > 0);
  });

  test(`${store}: every route answers 401 without credentials and viewers get 403 on every change`, async (t) => {
    const c = await startCairn(t, { store });
    await c.admin.request('POST', 'users', { name: 'vera', password: 'viewer-pass-1', role: 'viewer' });
    const viewer = c.as('vera', 'viewer-pass-1');
    const routes = c.app.api.cairnRoutes
      .filter((r) => !r.public && r.method !== 'HEAD')
      .map((r) => ({ method: r.method, url: r.url.replace(/:[A-Za-z_]+/g, '1'), dialect: r.dialect }));
    assert.ok(routes.length > 15, `only ${routes.length} routes`);
    // Ending one's own session is the one change every signed-in user may make.
    const everyone = new Set(['POST /api/v1/auth/logout']);
    let checked = 0;
    for (const r of routes) {
      const body = r.method === 'GET' || r.method === 'DELETE' ? undefined : {};
      // Native routes answer Cairn's codes; a dialect answers in its product's error shape.
      const [anon, denied] = r.dialect ? ['HTTP_401', 'HTTP_403'] : ['UNAUTHENTICATED', 'FORBIDDEN'];
      await expectError(c.anonymous.request(r.method, r.url, body), 401, anon);
      if (r.method !== 'GET' && !everyone.has(`${r.method} ${r.url}`))
        await expectError(viewer.request(r.method, r.url, body), 403, denied);
      checked++;
    }
    assert.ok(checked > 10);
  });

  test(`${store}: bad input is a 400 naming the field, never a 500; unknown fields are rejected`, async (t) => {
    const c = await startCairn(t, { store });
    const e1 = await c.admin
      .request('POST', 'users', { name: 'x1', password: 'long-enough', role: 'viewer', bogus: 1 })
      .catch((e: ApiError) => e);
    assert.ok(e1 instanceof ApiError);
    assert.equal(e1.status, 400);
    assert.equal(e1.code, 'VALIDATION_FAILED');
    assert.match(JSON.stringify(e1.body), /bogus/);
    await expectError(
      c.admin.request('POST', 'users', { name: 'x2', password: 'short', role: 'viewer' }),
      400,
      'VALIDATION_FAILED',
    );
    await expectError(
      c.admin.request('POST', 'users', { name: 'x3', password: 'long-enough', role: 'no-such-role' }),
      400,
      'VALIDATION_FAILED',
    );
    await expectError(c.admin.get('users?sort=password_hash'), 400, 'VALIDATION_FAILED');
    await expectError(c.admin.get('users?limit=100000'), 400, 'VALIDATION_FAILED');
    await expectError(c.admin.get('jobs/does-not-exist'), 404, 'JOB_NOT_FOUND');
    await expectError(c.admin.get('no/such/route'), 404, 'NOT_FOUND');
    await c.admin.request('POST', 'users', { name: 'dup', password: 'long-enough', role: 'viewer' });
    await expectError(
      c.admin.request('POST', 'users', { name: 'dup', password: 'long-enough', role: 'viewer' }),
      409,
      'USER_NAME_TAKEN',
    );
  });

  test(`${store}: lists page, sort and filter in the database`, async (t) => {
    const c = await startCairn(t, { store });
    for (let i = 0; i < 25; i++)
      await c.admin.request('POST', 'users', {
        name: `u${String(i).padStart(2, '0')}`,
        password: 'long-enough',
        role: i % 2 ? 'viewer' : 'operator',
      });
    type P = { items: { name: string; role: string }[]; total: number; next_cursor: string | null };
    const p1 = await c.admin.get<P>('users?limit=10&sort=-name&role=viewer');
    assert.equal(p1.total, 12);
    assert.equal(p1.items.length, 10);
    assert.deepEqual(
      p1.items.map((u) => u.name),
      [...p1.items.map((u) => u.name)].sort().reverse(),
    );
    assert.ok(p1.items.every((u) => u.role === 'viewer'));
    const p2 = await c.admin.get<P>(`users?limit=10&sort=-name&role=viewer&cursor=${p1.next_cursor}`);
    assert.equal(p2.items.length, 2);
    assert.equal(p2.next_cursor, null);
    assert.equal(new Set([...p1.items, ...p2.items].map((u) => u.name)).size, 12);
    const off = await c.admin.get<P>('users?limit=5&offset=20&sort=name');
    assert.deepEqual(
      off.items.map((u) => u.name),
      ['u19', 'u20', 'u21', 'u22', 'u23'],
    );
    const inF = await c.admin.get<P>('users?name__in=u01,u03,admin&sort=name');
    assert.deepEqual(
      inF.items.map((u) => u.name),
      ['admin', 'u01', 'u03'],
    );
    const cont = await c.admin.get<P>('users?name__contains=2');
    assert.equal(cont.total, 7); // u02 u12 u20..u24
    const gt = await c.admin.get<P>('users?name__gt=u22&sort=name');
    assert.deepEqual(
      gt.items.map((u) => u.name),
      ['u23', 'u24'],
    );
  });

  test(`${store}: every change is audited with who, where, what and the result`, async (t) => {
    const c = await startCairn(t, { store });
    await c.admin.request('POST', 'users', { name: 'aud', password: 'long-enough', role: 'viewer' });
    await c.admin
      .request('POST', 'users', { name: 'aud', password: 'long-enough', role: 'viewer' })
      .catch(() => undefined);
    await c.anonymous.request('POST', 'users', {}).catch(() => undefined);
    type A = {
      items: {
        actor: string;
        source: string;
        method: string;
        url: string;
        status: number;
        result: string;
        error_code: string | null;
      }[];
      total: number;
    };
    const a = await c.admin.get<A>('audit?sort=-at&route=/api/v1/users');
    assert.equal(a.total, 3);
    const [anon, dup, ok] = a.items;
    assert.equal(ok!.actor, 'user:admin');
    assert.equal(ok!.status, 201);
    assert.equal(ok!.source, '127.0.0.1');
    assert.equal(dup!.error_code, 'USER_NAME_TAKEN');
    assert.equal(anon!.actor, 'anonymous');
    assert.equal(anon!.status, 401);
  });

  test(`${store}: API keys are shown once, stored hashed, limited by permissions, pools and expiry`, async (t) => {
    const c = await startCairn(t, { store });
    const k = (
      await c.admin.request<{ id: string; key: string }>('POST', 'api-keys', {
        name: 'backup',
        permissions: ['job.read', 'system.read', 'user.write'],
        pools: ['p1'],
      })
    ).body;
    assert.match(k.key, /^cairn_/);
    const keyed = c.withKey(k.key);
    const who = await keyed.get<{ kind: string; permissions: string[]; pools: string[] }>('auth/whoami');
    assert.equal(who.kind, 'apikey');
    assert.deepEqual(who.pools, ['p1']);
    await keyed.get('jobs');
    await expectError(keyed.get('users'), 403, 'FORBIDDEN');
    const listed = await c.admin.get<{ items: Record<string, unknown>[] }>('api-keys');
    assert.ok(listed.items.every((i) => !('key' in i) && !('secret_hash' in i)));
    await expectError(c.withKey(k.key.slice(0, -2) + 'xx').get('system'), 401, 'UNAUTHENTICATED');
    // A viewer's key never gets more than the viewer has.
    await c.admin.request('POST', 'users', { name: 'vik', password: 'viewer-pass-1', role: 'viewer' });
    const vk = await c
      .as('vik', 'viewer-pass-1')
      .request<{ key: string }>('POST', 'api-keys', {
        name: 'mine',
        permissions: ['user.write', 'system.read'],
      })
      .catch((e: ApiError) => e);
    assert.ok(vk instanceof ApiError && vk.status === 403, 'viewers cannot make keys (apikey.write)');
    await c.admin.request('DELETE', `api-keys/${k.id}`);
    await expectError(keyed.get('system'), 401, 'UNAUTHENTICATED');
    await expectError(
      c.admin.request('POST', 'api-keys', { name: 'old', expires_at: '2001-01-01T00:00:00Z' }),
      400,
      'VALIDATION_FAILED',
    );
  });

  test(`${store}: browser sessions need the CSRF token for changes; failed logins are limited`, async (t) => {
    const c = await startCairn(t, { store });
    const res = await fetch(`${c.url}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'admin', password: 'Admin-Passw0rd-for-tests' }),
    });
    assert.equal(res.status, 200);
    const cookie = res.headers.get('set-cookie')!.split(';')[0]!;
    const { csrf_token } = (await res.json()) as { csrf_token: string };
    const get = await fetch(`${c.url}/api/v1/system`, { headers: { cookie } });
    assert.equal(get.status, 200);
    const body = JSON.stringify({ name: 'sessuser', password: 'long-enough', role: 'viewer' });
    const noCsrf = await fetch(`${c.url}/api/v1/users`, {
      method: 'POST',
      headers: { cookie, 'content-type': 'application/json' },
      body,
    });
    assert.equal(noCsrf.status, 403);
    const withCsrf = await fetch(`${c.url}/api/v1/users`, {
      method: 'POST',
      headers: { cookie, 'content-type': 'application/json', 'x-csrf-token': csrf_token },
      body,
    });
    assert.equal(withCsrf.status, 201);
  });

  test(`${store}: wrong passwords slow down one source; the right password from another still works`, async (t) => {
    const c = await startCairn(t, { store });
    await c.admin.request('POST', 'users', { name: 'locky', password: 'right-password', role: 'viewer' });
    // A flood from 127.0.0.1: the first guesses are answered 401, then refused with a Retry-After.
    for (let i = 0; i < 5; i++)
      await expectError(c.as('locky', `wrong-${i}`).get('system'), 401, 'UNAUTHENTICATED');
    let refused = 0;
    for (let i = 5; i < 25; i++) {
      const res = await fetch(`${c.url}/api/v1/system`, {
        headers: { authorization: `Basic ${Buffer.from(`locky:wrong-${i}`).toString('base64')}` },
      });
      if (res.status === 429) {
        refused += 1;
        assert.ok(Number(res.headers.get('retry-after')) >= 1, 'a refusal says when to try again');
        assert.equal(
          ((await res.json()) as { error: { code: string } }).error.code,
          'TOO_MANY_FAILED_LOGINS',
        );
      } else assert.equal(res.status, 401);
    }
    assert.ok(refused >= 15, `guesses past the free ones are refused (${refused})`);
    await expectError(c.as('locky', 'right-password').get('system'), 429, 'TOO_MANY_FAILED_LOGINS');
    // The same user and the right password from 127.0.0.2 (another source address on loopback).
    const { status, body } = await new Promise<{ status: number; body: string }>((resolve, reject) => {
      const u = new URL(`${c.url}/api/v1/system`);
      const req = httpRequest(
        {
          host: '127.0.0.1',
          port: u.port,
          path: u.pathname,
          localAddress: '127.0.0.2',
          headers: { authorization: `Basic ${Buffer.from('locky:right-password').toString('base64')}` },
        },
        (res) => {
          let b = '';
          res.on('data', (d: Buffer) => (b += d.toString()));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, body: b }));
        },
      );
      req.on('error', reject);
      req.end();
    });
    assert.equal(status, 200, body);
    // The burst is alerted and kept in the audit trail; a restart forgets the back-off.
    const alert = await waitFor('a login_failures alert', async () => {
      const page = await c.admin.get<{ items: { rule: string; message: string }[] }>(
        'alerts?rule=login_failures',
      );
      return page.items[0];
    });
    assert.match(alert.message, /locky from 127\.0\.0\.1/);
    const audit = await c.admin.get<{ items: { actor: string; error_code: string }[] }>(
      'audit?actor=locky&limit=5',
    );
    assert.ok(audit.items.some((a) => a.error_code === 'TOO_MANY_FAILED_LOGINS'));
    const c2 = await c.restart();
    await c2.as('locky', 'right-password').get('system');
  });

  test(`${store}: state survives a restart`, async (t) => {
    const c = await startCairn(t, { store });
    await c.admin.request('POST', 'users', { name: 'persist', password: 'long-enough', role: 'viewer' });
    const c2 = await c.restart();
    await c2.as('persist', 'long-enough').get('system');
  });
}

test('the OpenAPI document is valid OpenAPI 3.1 and documents the routes', async (t) => {
  const c = await startCairn(t);
  const doc = await c.anonymous.get<Record<string, unknown>>('/api/v1/openapi.json');
  const { Validator } = await import('@seriousme/openapi-schema-validator');
  const v = new Validator();
  const r = await v.validate(doc as Parameters<typeof v.validate>[0]);
  assert.equal(r.valid, true, JSON.stringify(r.errors, null, 1)?.slice(0, 2000));
  assert.equal(v.version, '3.1');
  const docs = await fetch(`${c.url}/docs/`);
  assert.equal(docs.status, 200);
  void Client;
});
