// vSnap conformance: every example request of seed 001 runs against a real Cairn with real
// loop-device disks; each answer must carry the fields the seed documents, and the effect must be
// real (a pool made through vSnap is a btrfs pool the native API sees).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startCairn, ADMIN_PASSWORD, type InProcessCairn } from '../support/cairn.js';
import { missingFields, seedExamples, seedText, type SeedExample } from '../support/seed.js';
import { realPartsSkip, sh } from '../support/real.js';

const MiB = 1024 * 1024;
const examples = seedExamples(seedText('001'));
/** Sections whose Cairn side is not wired into the dialect yet; reported as todo, never as passing. */
const PENDING = /^(8\.8|8\.9|8\.10|9|10|12|13|14)\./;
/** Seed order, except that deleting the pool (7.5) comes after the volume and snapshot examples. */
const runOrder = (all: SeedExample[]) => [
  ...all.filter((e) => !e.section.startsWith('7.5.')),
  ...all.filter((e) => e.section.startsWith('7.5.')),
];

async function vsnap(
  c: InProcessCairn,
  method: string,
  path: string,
  body?: unknown,
  auth = `admin:${ADMIN_PASSWORD}`,
) {
  const res = await fetch(`${c.url}${path}`, {
    method,
    headers: {
      authorization: `Basic ${Buffer.from(auth).toString('base64')}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, body: text ? (JSON.parse(text) as Record<string, unknown>) : {} };
}

async function newDisk(c: InProcessCairn): Promise<string> {
  const r = await c.admin.request<{ id: string }>('POST', 'disks?wait=60', { size: 512 * MiB });
  return r.body.id;
}

test(
  'vSnap seed 001: every documented request, field by field, on real storage',
  { skip: realPartsSkip() },
  async (t) => {
    const c = await startCairn(t);
    for (let i = 0; i < 4; i++) await newDisk(c);
    const ids: Record<string, string> = {};
    let spare = '';
    const results: { ex: SeedExample; status: number; missing: string[] }[] = [];

    for (const ex of runOrder(examples.filter((e) => !PENDING.test(e.section)))) {
      let path = ex.path;
      let body = ex.body as Record<string, unknown> | undefined;
      if (body?.pool_id) body = { ...body, pool_id: ids.pool };
      if (body?.snapshot_id) {
        // Clone from a snapshot of the lun made through the same dialect.
        const snap = await vsnap(c, 'POST', `/api/volume/${ids.lun}/snapshot`, { name: 'for-clone' });
        body = { ...body, snapshot_id: String(snap.body.id) };
      }
      if (path.startsWith('/api/volume/'))
        path = path.replace('<id>', ex.section.startsWith('8.5.') ? ids.clone! : ids.lun!);
      if (path.startsWith('/api/snapshot/')) path = path.replace('<id>', ids.snapshot!);
      if (path.startsWith('/api/network/')) path = `/api/network/${ids.nic}`;
      if (path.startsWith('/api/pool/')) path = path.replace('<id>', ids.pool!);
      if (ex.method === 'POST' && path === '/api/system') body = { ...body, async: false, skip_pool: true };
      if (body?.action === 'expand') await newDisk(c);
      if (body?.action === 'addspare') {
        spare = await newDisk(c);
        body = { ...body, disk_list: [spare] };
      }
      if (body?.action === 'removespare') body = { ...body, disk_list: [spare] };
      const r = await vsnap(c, ex.method, path, body);
      if (path === '/api/network') ids.nic = (r.body.networks as { id: string }[])[0]!.id;
      if (ex.method === 'POST' && path === '/api/pool') ids.pool = String(r.body.id);
      if (ex.method === 'POST' && path === '/api/volume' && body?.volume_type === 'lun')
        ids.lun = String(r.body.id);
      if (ex.method === 'POST' && path === '/api/volume' && body?.snapshot_id) ids.clone = String(r.body.id);
      if (ex.method === 'POST' && path.endsWith('/snapshot')) ids.snapshot = String(r.body.id);
      const unsupported =
        body?.action === 'addlog' ||
        body?.action === 'removelog' ||
        body?.action === 'addcache' ||
        body?.action === 'removecache' ||
        body?.volume_type === 'filebackedlun';
      if (unsupported) {
        assert.equal(r.status, 422, `${ex.section}: ${JSON.stringify(r.body)}`);
        assert.equal((r.body.error as { type: string }).type, 'UnsupportedOperationError');
        assert.match((r.body.error as { message: string }).message, /btrfs|not supported/);
        results.push({ ex, status: r.status, missing: [] });
        continue;
      }
      assert.equal(r.status, 200, `${ex.section} ${ex.method} ${path}: ${JSON.stringify(r.body)}`);
      const missing = missingFields(ex.response, r.body);
      results.push({ ex, status: r.status, missing });
      assert.deepEqual(missing, [], `${ex.section}: fields the seed documents are missing`);

      // The effect is real, seen through the native API and on the machine.
      if (ex.method === 'POST' && path === '/api/pool') {
        assert.equal(r.body.pool_type, 'raid6');
        const pools = await c.admin.get<{
          items: { id: string; name: string; profile: string; mount_path: string }[];
        }>('pools');
        const pool = pools.items.find((p) => p.name === 'demo1')!;
        assert.equal(pool.profile, 'raid6');
        assert.match(sh(['findmnt', '-n', '-o', 'FSTYPE', pool.mount_path]), /btrfs/);
        assert.equal(r.body.compression, true);
      }
      if (ex.method === 'PUT' && path.startsWith('/api/pool/')) assert.equal(r.body.name, 'newName');
      if (body?.action === 'expand') assert.equal(r.body.diskgroup_size, '5');
      if (ex.method === 'POST' && path === '/api/volume' && body?.volume_type === 'lun') {
        const v = await c.admin.get<{ type: string; size: number; lun_file: string; block_size: number }>(
          `volumes?name=my_new_vol`,
        );
        const vol = (
          v as unknown as { items: { type: string; size: number; lun_file: string; block_size: number }[] }
        ).items[0]!;
        assert.equal(vol.type, 'lun');
        assert.equal(vol.size, 1073741824);
        assert.equal(vol.block_size, 512);
        assert.equal(sh(['stat', '-c', '%s', vol.lun_file]).trim(), '1073741824');
      }
      if (ex.method === 'DELETE' && path.startsWith('/api/snapshot/')) {
        const left = await vsnap(c, 'GET', path);
        assert.equal(left.status, 404);
      }
    }
    assert.ok(results.length >= 20, `ran ${results.length} examples`);
    const gone = await c.admin.get<{ total: number }>('pools');
    assert.equal(gone.total, 0, 'DELETE /api/pool/<id> removed the pool');
  },
);

test(
  'vSnap errors: unknown ids, bad bodies and wrong credentials use the seed error shape',
  { skip: realPartsSkip() },
  async (t) => {
    const c = await startCairn(t);
    const shape = (b: Record<string, unknown>) => {
      const e = b.error as { type: unknown; message: unknown };
      assert.equal(typeof e.type, 'string');
      assert.equal(typeof e.message, 'string');
      assert.deepEqual(Object.keys(b), ['error']);
    };
    const nf = await vsnap(c, 'GET', '/api/pool/999');
    assert.equal(nf.status, 404);
    shape(nf.body);
    assert.equal((nf.body.error as { type: string }).type, 'NotFoundError');
    const bad = await vsnap(c, 'POST', '/api/pool', { name: 'x', pool_type: 'raid9' });
    assert.equal(bad.status, 400);
    shape(bad.body);
    assert.match((bad.body.error as { message: string }).message, /raid0, raid5, raid6/);
    const unknownField = await vsnap(c, 'POST', '/api/pool', { name: 'x', pool_type: 'raid0', bogus: 1 });
    assert.equal(unknownField.status, 400);
    const creds = await vsnap(c, 'GET', '/api/system', undefined, 'admin:wrong');
    assert.equal(creds.status, 401);
    shape(creds.body);
    assert.equal((creds.body.error as { type: string }).type, 'AuthenticationError');
    const none = await fetch(`${c.url}/api/system`);
    assert.equal(none.status, 401);
    const noRoute = await vsnap(c, 'GET', '/api/nothing-here');
    assert.equal(noRoute.status, 404);
    shape(noRoute.body);
    // The native API keeps its own shape beside the dialect.
    const native = await fetch(`${c.url}/api/v1/nothing-here`);
    assert.equal(((await native.json()) as { error: { code: string } }).error.code, 'NOT_FOUND');
    const doc = (await (await fetch(`${c.url}/api/v1/dialects/vsnap/openapi.json`)).json()) as {
      paths: Record<string, unknown>;
    };
    assert.ok(Object.keys(doc.paths).every((p) => p.startsWith('/api/') && !p.startsWith('/api/v1')));
    const nativeDoc = (await (await fetch(`${c.url}/api/v1/openapi.json`)).json()) as {
      paths: Record<string, unknown>;
    };
    assert.ok(!Object.keys(nativeDoc.paths).some((p) => p === '/api/pool'));
  },
);

for (const ex of examples.filter((e) => PENDING.test(e.section)))
  test(
    `vSnap seed 001 ${ex.section}: ${ex.method} ${ex.path}`,
    { todo: 'not yet wired into the vSnap dialect' },
    () => undefined,
  );
