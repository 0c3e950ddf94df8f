// vSnap conformance: every example request of seed 001 runs against a real Cairn with real
// loop-device disks; each answer must carry the fields the seed documents, and the effect must be
// real (a pool made through vSnap is a btrfs pool the native API sees).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startCairn, ADMIN_PASSWORD, freePort, type InProcessCairn } from '../support/cairn.js';
import { missingFields, seedExamples, seedText, type SeedExample } from '../support/seed.js';
import { realPartsSkip, sh } from '../support/real.js';

const MiB = 1024 * 1024;
const examples = seedExamples(seedText('001'));
/** Sections whose Cairn side is not wired into the dialect yet; reported as todo, never as passing. */
const PENDING = /^(12|13|14)\./;
/**
 * Seed order, with what must exist first moved ahead: the host (10.1) before lun mapping (8.10),
 * the share's own delete (8.9) after reading it (9.2), and the pool's delete (7.5) last.
 */
function runOrder(all: SeedExample[]): SeedExample[] {
  const at = (prefix: string) => all.filter((e) => e.section.startsWith(prefix));
  const rest = all.filter((e) => !['7.5.', '8.9.', '10.1.'].some((p) => e.section.startsWith(p)));
  const out: SeedExample[] = [];
  for (const e of rest) {
    if (e.section.startsWith('8.10.')) out.push(...at('10.1.'));
    if (e.section.startsWith('9.3.')) out.push(...at('8.9.'));
    out.push(e);
  }
  return [...out, ...at('7.5.')];
}

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
    const ports = {
      iscsi: await freePort(),
      nfs: await freePort(),
      mount: await freePort(),
      smb: await freePort(),
      nbd: await freePort(),
    };
    Object.assign(process.env, {
      CAIRN_ISCSI_PORTAL: `127.0.0.1:${ports.iscsi}`,
      CAIRN_NFS_PORT: String(ports.nfs),
      CAIRN_NFS_MOUNT_PORT: String(ports.mount),
      CAIRN_NFS_ADDRESS: '127.0.0.1',
      CAIRN_SMB_PORT: String(ports.smb),
      CAIRN_SMB_ADDRESS: '127.0.0.1',
      CAIRN_NBD_PORT: String(ports.nbd),
      CAIRN_NBD_ADDRESS: '127.0.0.1',
      CAIRN_EXPORT_ADDRESS: '127.0.0.1',
    });
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
      if (ex.body === undefined && ex.method !== 'GET' && ex.method !== 'DELETE') {
        // The seed's own example is not valid JSON (10.4 has a trailing comma): no client can send it.
        results.push({ ex, status: 0, missing: [] });
        continue;
      }
      if (/^(8\.8|8\.9|9\.)/.test(ex.section) && !ids.fs) {
        const fs = await vsnap(c, 'POST', '/api/volume', {
          name: 'myfs1',
          volume_type: 'filesystem',
          pool_id: ids.pool,
        });
        assert.equal(fs.status, 200, JSON.stringify(fs.body));
        ids.fs = String(fs.body.id);
      }
      if (path.startsWith('/api/volume/')) {
        const vol = ex.section.startsWith('8.5.')
          ? ids.clone
          : /^(8\.8|8\.9|9\.)/.test(ex.section)
            ? ids.fs
            : ids.lun;
        path = path.replace('<id>', vol!);
      }
      if (path.startsWith('/api/snapshot/')) path = path.replace('<id>', ids.snapshot!);
      if (path.startsWith('/api/share/')) path = path.replace('<id>', ids.share!);
      if (path.startsWith('/api/host/')) path = path.replace('<id>', ids.host!);
      if (body?.host_id) body = { ...body, host_id: ids.host };
      if (body?.vol_id) body = { ...body, vol_id: ids.lun };
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
      if ((ex.method === 'POST' || ex.method === 'PUT') && path.endsWith('/share'))
        ids.share = String(r.body.id);
      if (ex.method === 'POST' && path === '/api/host') ids.host = String(r.body.id);
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
      if (ex.method === 'POST' && path.endsWith('/share')) {
        // The share serves NFS: libnfs lists it over NFSv4 on this instance's port.
        const uri = (
          await c.admin.get<{ items: { uri: string; protocol: string }[] }>('exports?protocol=nfs')
        ).items[0]!.uri;
        const [base, q] = uri.split('?');
        const out = sh(['nfs-ls', `${base}?${q ? `${q}&` : ''}version=4`]);
        assert.ok(out !== undefined);
        assert.match(String(r.body.name), /\//);
      }
      if (path.endsWith('/map') || body?.action === 'map') {
        assert.match(String(r.body.lun), /^[0-9]+$/);
        const host = await vsnap(c, 'GET', `/api/host/${ids.host}`);
        assert.ok(
          (host.body.mapped_luns as { vol_id: string }[]).some((m) => m.vol_id === ids.lun),
          JSON.stringify(host.body),
        );
      }
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
