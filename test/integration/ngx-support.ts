// Shared set-up for NGXStorage tests on real storage: Cairn with its export daemons on free ports,
// two virtual disks in a pool named as the seed's examples name it, an API key made natively, and
// requests in NGX's shape (Bearer key, `{"code","error"}` on errors).
import assert from 'node:assert/strict';
import { startCairn, type InProcessCairn } from '../support/cairn.js';
import { freeExportPorts } from './vsnap-support.js';
import { missingFields, operationExamples, seedText, type OperationExample } from '../support/seed.js';

const MiB = 1024 * 1024;
export const NGX_GROUPS = [
  'Auth Group',
  'ISCSI Target',
  'Log',
  'LUN',
  'Pool',
  'Share',
  'Portal Group',
  'Snapshot',
  'Status',
  'Network',
] as const;
export const examples = operationExamples(seedText('ngx-002'), NGX_GROUPS);

export interface R {
  status: number;
  body: unknown;
}
export type Call = (method: string, path: string, body?: unknown) => Promise<R>;

export async function request(
  c: InProcessCairn,
  authorization: string | null,
  method: string,
  path: string,
  body?: unknown,
): Promise<R> {
  const res = await fetch(`${c.url}${path}`, {
    method,
    headers: {
      ...(authorization ? { authorization } : {}),
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await res.text();
  return { status: res.status, body: text ? (JSON.parse(text) as unknown) : {} };
}

/** The sections the tests of this process looked up (replayed or checked against). */
export const replayed = new Set<string>();

/** The seed's operation of that section ("Group: Title"); a test fails if the seed lacks it. */
export function example(section: string): OperationExample {
  const e = examples.find((x) => x.section === section);
  assert.ok(e, `the seed documents ${section}`);
  replayed.add(section);
  return e;
}

/** Replays an example: its method and path (placeholders filled), its body unless one is given. */
export async function replay(
  call: Call,
  section: string,
  params: Record<string, string> = {},
  body?: unknown,
  query = '',
): Promise<R & { example: OperationExample }> {
  const e = example(section);
  const path = e.path.replace(/\{([a-z_]+)\}/g, (_, k: string) => {
    assert.ok(params[k], `${section}: a value for {${k}}`);
    return params[k];
  });
  const r = await call(e.method, path + query, body ?? e.body);
  return { ...r, example: e };
}

/** 200, and every field the seed's answer shows (top level and first list item) is there. */
export function fieldByField(r: R & { example: OperationExample }): Record<string, unknown> {
  assert.equal(r.status, 200, `${r.example.section}: ${JSON.stringify(r.body)}`);
  const doc = r.example.response;
  if (Array.isArray(doc)) {
    assert.ok(Array.isArray(r.body), `${r.example.section}: a list`);
    if (doc[0] && (r.body as unknown[])[0])
      assert.deepEqual(missingFields(doc[0], (r.body as unknown[])[0]), [], r.example.section);
  } else if (doc && typeof doc === 'object')
    assert.deepEqual(missingFields(doc, r.body), [], `${r.example.section}: ${JSON.stringify(r.body)}`);
  return r.body as Record<string, unknown>;
}

export function ngxError(r: R, code: number, message?: RegExp): void {
  const b = r.body as { code?: unknown; error?: unknown };
  assert.equal(b.code, code, JSON.stringify(r.body));
  assert.equal(typeof b.error, 'string', JSON.stringify(r.body));
  if (message) assert.match(b.error as string, message);
  assert.ok(r.status >= 400, JSON.stringify(r));
}

/** Cairn with its export daemons on free ports, two disks, pool `test`, and an NGX API key. */
export async function ngxRig(t: Parameters<typeof startCairn>[0]) {
  await freeExportPorts();
  const c = await startCairn(t);
  const disks: string[] = [];
  for (let i = 0; i < 2; i++)
    disks.push((await c.admin.request<{ id: string }>('POST', 'disks?wait=60', { size: 768 * MiB })).body.id);
  const pool = (
    await c.admin.request<{ id: string }>('POST', 'pools?wait=120', { name: 'test', profile: 'raid1', disks })
  ).body;
  const key = (await c.admin.request<{ key: string }>('POST', 'api-keys', { name: 'ngx' })).body.key;
  const call: Call = (method, path, body) => request(c, `Bearer ${key}`, method, path, body);
  return { c, pool: pool.id, key, call };
}

/** The Cairn UUID in an NGX id (its first 32 hex digits). */
export function cairnIdOf(ngxId: string): string {
  const h = ngxId.slice(0, 32);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}
