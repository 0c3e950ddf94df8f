// The API documents against the routes Cairn really registers (collected by the onRoute hook):
// every route is documented once, under one path spelling, and every documented operation exists.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startCairn, ADMIN_PASSWORD } from '../support/cairn.js';
import type { RegisteredRoute } from '../../src/api/server.js';

type Doc = { paths: Record<string, Record<string, unknown>> };
const METHODS = new Set(['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace']);
const toOpenApiPath = (url: string) => url.replace(/:([A-Za-z_][A-Za-z0-9_]*)/g, '{$1}');
const key = (method: string, path: string) => `${method.toUpperCase()} ${path}`;

/** The operations a document holds, as `METHOD /path/{param}`. */
function operations(doc: Doc): Set<string> {
  const ops = new Set<string>();
  for (const [path, item] of Object.entries(doc.paths))
    for (const m of Object.keys(item)) if (METHODS.has(m)) ops.add(key(m, path));
  return ops;
}

/**
 * The operations a set of routes should show. HEAD is Fastify's automatic twin of each GET (not
 * documented on its own); hidden routes are the API documents and the /docs viewer.
 */
function expected(routes: RegisteredRoute[]): Set<string> {
  return new Set(
    routes
      .filter((r) => r.method !== 'HEAD' && !r.hidden && !r.url.startsWith('/docs'))
      .map((r) => key(r.method, toOpenApiPath(r.url))),
  );
}

const diff = (a: Set<string>, b: Set<string>) => [...a].filter((x) => !b.has(x)).sort();

test('the native document holds every native route and only registered ones', async (t) => {
  const c = await startCairn(t);
  const routes = c.app.api.cairnRoutes;
  const doc = await c.anonymous.get<Doc>('/api/v1/openapi.json');
  const want = expected(routes.filter((r) => r.dialect === null));
  const have = operations(doc);
  assert.ok(want.size > 100, `only ${want.size} native operations`);
  assert.deepEqual(diff(want, have), [], 'registered but not documented');
  assert.deepEqual(diff(have, want), [], 'documented but not registered');
  // The most used calls, spelt once: no path ends in a slash.
  for (const op of ['GET /api/v1/pools', 'POST /api/v1/pools', 'GET /api/v1/disks', 'POST /api/v1/volumes'])
    assert.ok(have.has(op), `${op} is not documented`);
  assert.deepEqual(
    Object.keys(doc.paths).filter((p) => p.length > 1 && p.endsWith('/')),
    [],
  );
  // One registration per route: no path registered under both spellings.
  const spelt = routes.map((r) => `${r.method} ${r.url.replace(/(.)\/$/, '$1')}`);
  assert.deepEqual(
    spelt.filter((s, i) => spelt.indexOf(s) !== i),
    [],
  );
});

test('collection routes answer with and without the trailing slash', async (t) => {
  const c = await startCairn(t);
  const auth = { authorization: `Basic ${Buffer.from(`admin:${ADMIN_PASSWORD}`).toString('base64')}` };
  for (const path of [
    '/api/v1/pools',
    '/api/v1/pools/',
    '/api/v1/disks/',
    '/api/v1/users/',
    '/api/v1/system/',
  ]) {
    const r = await fetch(`${c.url}${path}`, { headers: auth });
    assert.equal(r.status, 200, `${path}: ${r.status}`);
  }
  const created = await fetch(`${c.url}/api/v1/users/`, {
    method: 'POST',
    headers: { ...auth, 'content-type': 'application/json' },
    body: JSON.stringify({ name: 'slashy', password: 'long-enough-1', role: 'viewer' }),
  });
  assert.equal(created.status, 201, await created.text());
});

// Dialect routes (vSnap under /api/...) are another product's API: they are not part of Cairn's
// native document (only Cairn's own routes, /api/v1 and /metrics, are), each dialect has its own at
// /api/v1/dialects/<name>/openapi.json, and that one holds exactly the dialect's routes.
test('each dialect has its own document with exactly its routes, none in the native one', async (t) => {
  const c = await startCairn(t);
  const routes = c.app.api.cairnRoutes;
  const dialects = [...new Set(routes.map((r) => r.dialect).filter((d): d is string => d !== null))];
  assert.ok(dialects.includes('vsnap'), `dialects: ${dialects.join(', ')}`);
  const native = operations(await c.anonymous.get<Doc>('/api/v1/openapi.json'));
  for (const d of dialects) {
    const doc = await c.anonymous.get<Doc>(`/api/v1/dialects/${d}/openapi.json`);
    const want = expected(routes.filter((r) => r.dialect === d));
    const have = operations(doc);
    assert.ok(want.size > 0);
    assert.deepEqual(diff(want, have), [], `${d}: registered but not documented`);
    assert.deepEqual(diff(have, want), [], `${d}: documented but not registered`);
    assert.deepEqual(
      [...want].filter((op) => native.has(op)),
      [],
      `${d} routes in the native document`,
    );
  }
});
