// The dialect framework's doors: a dialect on a unix socket and on a loopback TCP port gets the
// core of the main listener (authentication by its schemes, permissions, audit, request ids), its
// own OpenAPI document, and its socket file made with its mode and removed at stop.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { request } from 'node:http';
import { mkdtempSync, statSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { ADMIN_PASSWORD, startCairn } from '../support/cairn.js';
import { buildDoorServers, prefixPlugins } from '../../src/api/doors.js';
import { enabledDialects } from '../../src/api/dialects/index.js';
import { runtimeConfig } from '../../src/daemon/config.js';
import type { DialectDefinition } from '../../src/api/dialects/types.js';
import { prepareSocketPath, removeSocket, setSocketMode } from '../../src/system/sockets.js';

const routes = async (app: FastifyInstance) => {
  app.get('/whoami', { config: { permission: 'pool.read', dialect: 'echo' } }, async (req) => ({
    who: req.principal?.userName,
    kind: req.principal?.kind,
  }));
  app.post(
    '/things',
    {
      config: { permission: 'pool.write', dialect: 'echo' },
      schema: { body: Type.Object({ name: Type.String() }, { additionalProperties: false }) },
    },
    async () => ({ ok: true }),
  );
};

const echo = (socket: string): DialectDefinition => ({
  name: 'echo',
  summary: 'answers who called',
  listeners: () => [
    { door: { kind: 'unix', path: socket, mode: 0o600 }, auth: ['local', 'bearer'], routes },
    { door: { kind: 'tcp', host: '127.0.0.1', port: 0, tls: false }, auth: ['bearer'], routes },
  ],
});

type Answer = { status: number; body: Record<string, unknown> };
function call(
  to: { socketPath: string } | { port: number },
  method: string,
  path: string,
  opts: { key?: string; body?: unknown } = {},
): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const data = opts.body === undefined ? undefined : JSON.stringify(opts.body);
    const req = request(
      {
        ...('port' in to ? { host: '127.0.0.1', port: to.port } : to),
        method,
        path,
        headers: {
          ...(opts.key ? { authorization: `Bearer ${opts.key}` } : {}),
          ...(data ? { 'content-type': 'application/json' } : {}),
        },
      },
      (res) => {
        let text = '';
        res.on('data', (c: Buffer) => (text += c.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(text || '{}') }));
      },
    );
    req.on('error', reject);
    req.end(data);
  });
}

test('a dialect on a unix socket and a TCP port: auth schemes, key scope, audit, socket mode', async (t) => {
  const c = await startCairn(t);
  const dir = mkdtempSync(join(process.env.CAIRN_TEST_ROOT ?? tmpdir(), 'doors-'));
  const socket = join(dir, 'sub', 'echo.sock');
  const config = runtimeConfig({});
  const servers = await buildDoorServers(c.app.services, [echo(socket)], config, { logger: false });
  t.after(async () => {
    for (const s of servers) await s.app.close();
    removeSocket(socket);
  });
  const [unix, tcp] = servers;
  await prepareSocketPath(socket);
  await unix!.app.listen({ path: socket });
  setSocketMode(socket, 0o600);
  await tcp!.app.listen({ host: '127.0.0.1', port: 0 });
  const port = (tcp!.app.server.address() as { port: number }).port;
  assert.equal(statSync(socket).mode & 0o777, 0o600);

  // unix + local: no credentials needed; the request runs as the dialect's system principal.
  const local = await call({ socketPath: socket }, 'GET', '/whoami');
  assert.equal(local.status, 200);
  assert.deepEqual(local.body, { who: 'dialect:echo', kind: 'system' });

  // A key is checked when given, even on a local door: a viewer's key cannot write.
  const viewerKey = (
    await c.admin.request<{ key: string }>('POST', 'api-keys', { name: 'ro', permissions: ['*.read'] })
  ).body.key;
  const byKey = await call({ socketPath: socket }, 'GET', '/whoami', { key: viewerKey });
  assert.deepEqual(byKey.body, { who: 'admin', kind: 'apikey' });
  const denied = await call({ socketPath: socket }, 'POST', '/things', {
    key: viewerKey,
    body: { name: 'x' },
  });
  assert.equal(denied.status, 403);
  assert.equal((denied.body.error as { code: string }).code, 'FORBIDDEN');
  const bad = await call({ socketPath: socket }, 'GET', '/whoami', { key: 'cairn_nope_nope' });
  assert.equal(bad.status, 401);

  // TCP with bearer only: nothing without a key, a good key works, validation answers 400.
  const anon = await call({ port }, 'GET', '/whoami');
  assert.equal(anon.status, 401);
  assert.equal((anon.body.error as { code: string }).code, 'UNAUTHENTICATED');
  const adminKey = (await c.admin.request<{ key: string }>('POST', 'api-keys', { name: 'all' })).body.key;
  assert.equal((await call({ port }, 'GET', '/whoami', { key: adminKey })).body.who, 'admin');
  const invalid = await call({ port }, 'POST', '/things', { key: adminKey, body: { name: 'x', extra: 1 } });
  assert.equal(invalid.status, 400);
  assert.equal((invalid.body.error as { code: string }).code, 'VALIDATION_FAILED');
  const made = await call({ socketPath: socket }, 'POST', '/things', { body: { name: 'y' } });
  assert.equal(made.status, 200);

  // Changes through the doors are in the audit trail, by who made them.
  const audit = await c.admin.get<{ items: { actor: string; route: string; status: number }[] }>(
    'audit?limit=50',
  );
  const things = audit.items.filter((a) => a.route === '/things');
  assert.ok(things.some((a) => a.actor === 'dialect:echo'));
  assert.ok(things.some((a) => a.status === 403));
});

test('a prefix door takes only its own schemes on the main listener (vSnap: HTTP Basic)', async (t) => {
  const c = await startCairn(t);
  const key = (await c.admin.request<{ key: string }>('POST', 'api-keys', { name: 'k' })).body.key;
  const refused = await fetch(`${c.url}/api/pool`, { headers: { authorization: `Bearer ${key}` } });
  assert.equal(refused.status, 401);
  assert.match(JSON.stringify(await refused.json()), /authenticate with: basic/);
  const basic = Buffer.from(`admin:${ADMIN_PASSWORD}`).toString('base64');
  const ok = await fetch(`${c.url}/api/pool`, { headers: { authorization: `Basic ${basic}` } });
  assert.equal(ok.status, 200);
  // The native API on the same listener still takes the key.
  const native = await fetch(`${c.url}/api/v1/pools`, { headers: { authorization: `Bearer ${key}` } });
  assert.equal(native.status, 200);
});

test('the composition root opens the doors CAIRN_DIALECTS asks for and removes its sockets at stop', async (t) => {
  const c = await startCairn(t);
  // No dialect with a door of its own is on by default.
  assert.deepEqual(c.app.doors(), []);
  assert.ok(
    enabledDialects(runtimeConfig({})).every((d) =>
      d.listeners(runtimeConfig({})).every((l) => l.door.kind === 'prefix'),
    ),
  );
  assert.equal(prefixPlugins([], runtimeConfig({})).length, 0);
  assert.ok(!existsSync(join(c.dataDir, 'echo.sock')));
});
