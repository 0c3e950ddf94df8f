// API keys: renamed and disabled/enabled in place (PATCH /api/v1/api-keys/{id}); a disabled key is
// refused with API_KEY_DISABLED until enabled again, its expiry, scope and permissions untouched.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startCairn } from '../support/cairn.js';
import { testStores } from '../support/stores.js';
import { ApiError } from '../../src/cli/client.js';

interface Key {
  id: string;
  name: string;
  enabled: boolean;
  pools: string[] | null;
  permissions: string[] | null;
  expires_at: string | null;
  key?: string;
}

const refusedWith = async (p: Promise<unknown>, status: number, code: string) =>
  assert.rejects(p, (e: unknown) => {
    assert.ok(e instanceof ApiError, String(e));
    assert.equal(e.status, status, JSON.stringify(e.body));
    assert.equal(e.code, code, JSON.stringify(e.body));
    return true;
  });

for (const store of testStores())
  test(`${store}: an API key renamed, disabled (refused with its code) and enabled again`, async (t) => {
    const c = await startCairn(t, { store });
    const expires = new Date(Date.now() + 86_400_000).toISOString();
    const made = (
      await c.admin.request<Key>('POST', 'api-keys', {
        name: 'backup',
        pools: ['p1'],
        permissions: ['volume.read'],
        expires_at: expires,
      })
    ).body;
    assert.equal(made.enabled, true);
    const k = c.withKey(made.key!);
    await k.get('volumes');

    const off = (await c.admin.request<Key>('PATCH', `api-keys/${made.id}`, { enabled: false })).body;
    assert.equal(off.enabled, false);
    await refusedWith(k.get('volumes'), 401, 'API_KEY_DISABLED');
    // the scope, permissions and expiry are as they were; the list filters on enabled
    assert.deepEqual([off.pools, off.permissions, off.expires_at], [['p1'], ['volume.read'], expires]);
    const disabled = await c.admin.get<{ items: Key[] }>('api-keys?enabled=false');
    assert.deepEqual(
      disabled.items.map((x) => x.id),
      [made.id],
    );
    // a wrong secret for a disabled key learns nothing more than for any key
    await refusedWith(
      c.withKey(made.key!.replace(/.$/, (ch) => (ch === 'A' ? 'B' : 'A'))).get('volumes'),
      401,
      'UNAUTHENTICATED',
    );

    const renamed = (
      await c.admin.request<Key>('PATCH', `api-keys/${made.id}`, { name: 'backup-2', enabled: true })
    ).body;
    assert.equal(renamed.name, 'backup-2');
    assert.equal(renamed.enabled, true);
    await k.get('volumes');

    // bad bodies and other people's keys
    await refusedWith(c.admin.request('PATCH', `api-keys/${made.id}`, {}), 400, 'VALIDATION_FAILED');
    await refusedWith(
      c.admin.request('PATCH', `api-keys/${made.id}`, { name: '../x' }),
      400,
      'VALIDATION_FAILED',
    );
    await refusedWith(
      c.admin.request('PATCH', 'api-keys/nope', { enabled: false }),
      404,
      'API_KEY_NOT_FOUND',
    );
    await c.admin.request('POST', 'users', { name: 'ops', password: 'ops-password-1', role: 'operator' });
    const ops = c.as('ops', 'ops-password-1');
    await refusedWith(
      ops.request('PATCH', `api-keys/${made.id}`, { enabled: false }),
      404,
      'API_KEY_NOT_FOUND',
    );
  });
