// vSnap conformance: every example request of the vSnap API document (test/fixtures/seeds/
// vsnap-001.txt) runs against a real Cairn with real loop-device disks; each answer must carry the
// fields the document shows, and the effect must be real (a pool made through vSnap is a btrfs pool
// the native API sees).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startCairn, ADMIN_PASSWORD, freePort, type InProcessCairn } from '../support/cairn.js';
import { exportPortEnv } from '../support/export-ports.js';
import { missingFields, seedExamples, seedText, type SeedExample } from '../support/seed.js';
import { realPartsSkip, sh, waitFor } from '../support/real.js';
import { randomBytes } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { side, sums, type Side } from './replication-support.js';
import { vsnap } from './vsnap-support.js';

const MiB = 1024 * 1024;
const examples = seedExamples(seedText('vsnap-001'));
/** Partners, relationships and sessions need a second system: they run in their own test below. */
const REPLICATION = /^(12|13|14)\./;
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

async function newDisk(c: InProcessCairn): Promise<string> {
  const r = await c.admin.request<{ id: string }>('POST', 'disks?wait=60', { size: 512 * MiB });
  return r.body.id;
}

test(
  'vSnap seed 001: every documented request, field by field, on real storage',
  { skip: realPartsSkip() },
  async (t) => {
    Object.assign(process.env, await exportPortEnv());
    const c = await startCairn(t);
    for (let i = 0; i < 4; i++) await newDisk(c);
    const ids: Record<string, string> = {};
    let spare = '';
    const results: { ex: SeedExample; status: number; missing: string[] }[] = [];

    for (const ex of runOrder(examples.filter((e) => !REPLICATION.test(e.section)))) {
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
      // The query forms of a "get details" (?id=<id>, ?name=<name>) address the same object.
      const query = /^\/api\/(pool|volume|share|host|snapshot)\?(id|name)=<(?:id|name)>$/.exec(path);
      if (query) {
        const res = query[1]!;
        const id = {
          pool: ids.pool,
          volume: ids.lun,
          share: ids.share,
          host: ids.host,
          snapshot: ids.snapshot,
        }[res];
        const name = async () => String((await vsnap(c, 'GET', `/api/${res}/${id}`)).body.name);
        path = `/api/${res}?${query[2]}=${encodeURIComponent(query[2] === 'id' ? id! : await name())}`;
      }
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
      if (body?.volume_type === 'filebackedlun') {
        // The file-backed lun's file goes in a filesystem volume made through the same dialect.
        if (!ids.fs) {
          const fs = await vsnap(c, 'POST', '/api/volume', {
            name: 'myfs1',
            volume_type: 'filesystem',
            pool_id: ids.pool,
          });
          assert.equal(fs.status, 200, JSON.stringify(fs.body));
          ids.fs = String(fs.body.id);
        }
        body = { ...body, parent_id: ids.fs };
      }
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
        body?.action === 'removecache';
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

test(
  'vSnap seed 001 §12–14: partners, relationships and sessions between two real Cairn systems',
  { skip: realPartsSkip() },
  async (t) => {
    const a = await side(t);
    const b = await side(t);
    const A = (m: string, p: string, body?: unknown) => vsnap(a.c, m, p, body);
    const B = (m: string, p: string, body?: unknown) => vsnap(b.c, m, p, body);
    const bPort = new URL(b.c.url).port;
    const err = (r: { body: Record<string, unknown> }) => r.body.error as { type: string; message: string };
    const ran = new Set<SeedExample>();
    const section = (prefix: string) => examples.filter((e) => e.section.startsWith(prefix));
    /** Runs a seed example (with its path and body adjusted) and checks every documented field. */
    const run = async (s: Side, ex: SeedExample, path: string, body?: unknown) => {
      const r = await vsnap(s.c, ex.method, path, body);
      assert.equal(r.status, 200, `${ex.section} ${ex.method} ${path}: ${JSON.stringify(r.body)}`);
      assert.deepEqual(missingFields(ex.response, r.body), [], `${ex.section}: documented fields missing`);
      ran.add(ex);
      return r.body;
    };
    const seqOfPool = async (s: Side) =>
      String(((await vsnap(s.c, 'GET', '/api/pool')).body.pools as { id: string }[])[0]!.id);
    const [poolA, poolB] = [await seqOfPool(a), await seqOfPool(b)];
    const nativeVolume = async (s: Side, name: string) =>
      (await s.c.admin.get<{ items: { id: string; path: string }[] }>(`volumes?name=${name}`)).items[0];

    // A source volume made through vSnap, with data.
    const vol = await A('POST', '/api/volume', {
      name: 'my_primary_volume',
      volume_type: 'filesystem',
      pool_id: poolA,
      size_total: String(1024 * MiB),
    });
    assert.equal(vol.status, 200, JSON.stringify(vol.body));
    const volId = String(vol.body.id);
    const src = (await nativeVolume(a, 'my_primary_volume'))!;
    for (let i = 0; i < 3; i++) await writeFile(join(src.path, `f${i}.bin`), randomBytes(4 * MiB));

    /** POST /api/partner on A for B, as the admin of B, with `over` changed. */
    const addB = (over: Record<string, unknown> = {}) =>
      A('POST', '/api/partner', {
        remote_addr: '127.0.0.1',
        remote_user: 'admin',
        remote_pass: ADMIN_PASSWORD,
        remote_api_port: bPort,
        ...over,
      });
    // 12.1 with a wrong password: a clear error, nothing stored here, no key left on the partner.
    const keys = async () => (await b.c.admin.get<{ total: number }>('api-keys')).total;
    const keysBefore = await keys();
    const refused = await addB({ remote_pass: 'not-the-password', remote_api_port: Number(bPort) });
    assert.equal(refused.status, 422, JSON.stringify(refused.body));
    assert.equal(err(refused).type, 'AuthenticationError');
    assert.match(err(refused).message, /refused the login of user admin/);
    assert.ok(!JSON.stringify(refused.body).includes('not-the-password'));
    assert.equal((await A('GET', '/api/partner')).body.total, 0);
    assert.equal(await keys(), keysBefore);
    // Nobody listening there: a connection error, nothing stored.
    const closed = await addB({ remote_api_port: await freePort() });
    assert.equal(closed.status, 422, JSON.stringify(closed.body));
    assert.equal(err(closed).type, 'ConnectionError');
    const unknownField = await addB({ colour: 'red' });
    assert.equal(unknownField.status, 400, JSON.stringify(unknownField.body));
    const badAddr = await addB({ remote_addr: '127.0.0.1/evil' });
    assert.equal(badAddr.status, 400, JSON.stringify(badAddr.body));
    assert.equal((await A('GET', '/api/partner')).body.total, 0);
    assert.equal(await keys(), keysBefore);
    // The partnership is made both ways: B must reach A back. A bad local address is refused before
    // anything is made; an address where A does not answer undoes everything on both sides.
    const keysOfA = async () => (await a.c.admin.get<{ total: number }>('api-keys')).total;
    const aKeysBefore = await keysOfA();
    const badLocal = await addB({ local_addr: 'a host/with a path' });
    assert.equal(badLocal.status, 400, JSON.stringify(badLocal.body));
    const noAnswer = await addB({ local_addr: '127.0.0.1', local_api_port: await freePort() });
    assert.equal(noAnswer.status, 422, JSON.stringify(noAnswer.body));
    assert.equal(err(noAnswer).type, 'ConnectionError');
    assert.match(err(noAnswer).message, /could not add this system back at https:\/\/127\.0\.0\.1:\d+/);
    assert.equal((await A('GET', '/api/partner')).body.total, 0);
    assert.equal((await B('GET', '/api/partner')).body.total, 0);
    assert.equal(await keys(), keysBefore, 'no key left on B');
    assert.equal(await keysOfA(), aKeysBefore, 'no key left on A');

    // 12.1–12.3: add B by its admin's login; A pins B's certificate and holds a key B made for it.
    const added = await run(a, section('12.1.')[0]!, '/api/partner', {
      ...(section('12.1.')[0]!.body as object),
      remote_addr: '127.0.0.1',
      remote_user: 'admin',
      remote_pass: ADMIN_PASSWORD,
      remote_api_port: bPort,
    });
    const partnerId = String(added.id);
    assert.match(partnerId, /^[0-9a-f]{32}$/);
    assert.equal(added.address, '127.0.0.1');
    assert.equal(added.api_port, bPort);
    assert.equal(await keys(), keysBefore + 1, 'B holds one API key for A');
    // B lists A (at the address A reached it from and the port it was asked on), holding a key A
    // made for it, and B's entry works: B calls A with that key and A's pinned certificate.
    const aPort = new URL(a.c.url).port;
    const back = await B('GET', '/api/partner');
    assert.equal(back.body.total, 1, JSON.stringify(back.body));
    const backEntry = (back.body.partners as { id: string; address: string; api_port: string }[])[0]!;
    assert.deepEqual([backEntry.address, backEntry.api_port], ['127.0.0.1', aPort]);
    assert.equal(await keysOfA(), aKeysBefore + 1, 'A holds one API key for B');
    const bNative = (await b.c.admin.get<{ items: { id: string; fingerprint_sha256: string }[] }>('partners'))
      .items[0]!;
    assert.equal(bNative.fingerprint_sha256, a.c.fingerprint);
    assert.equal((await b.c.admin.request('POST', `partners/${bNative.id}/check`)).status, 200);
    // The same partner again: refused here after B made a key, so that key is deleted again there.
    const twice = await addB();
    assert.equal(twice.status, 409, JSON.stringify(twice.body));
    assert.equal(err(twice).type, 'AlreadyExistsError');
    assert.equal(await keys(), keysBefore + 1, 'no second key left on B');
    assert.equal((await B('GET', '/api/partner')).body.total, 1, 'no second entry for A on B');
    assert.equal(await keysOfA(), aKeysBefore + 1, 'no second key left on A');
    const nativePartner = (
      await a.c.admin.get<{ items: { fingerprint_sha256: string; peer_partner_id: string | null }[] }>(
        'partners',
      )
    ).items[0]!;
    assert.equal(nativePartner.fingerprint_sha256, b.c.fingerprint);
    assert.equal(nativePartner.peer_partner_id, bNative.id);
    const list = await run(a, section('12.2.')[0]!, '/api/partner');
    assert.deepEqual(
      (list.partners as { id: string }[]).map((p) => p.id),
      [partnerId],
    );
    await run(a, section('12.3.')[0]!, `/api/partner/${partnerId}`);

    // 13.1: a relationship into B's pool, by B's own vSnap pool id.
    const ex131 = section('13.1.')[0]!;
    const rel = await run(a, ex131, `/api/volume/${volId}/relationship`, {
      ...(ex131.body as object),
      partner_id: partnerId,
      remote_pool_id: poolB,
    });
    const relId = String(rel.id);
    assert.match(relId, /^[0-9a-f]{32}$/);
    assert.equal(rel.local_role, 'primary');
    assert.equal(rel.local_vol_id, volId);
    assert.equal(rel.local_vol_name, 'my_primary_volume');
    assert.equal(rel.remote_pool_id, poolB);
    assert.equal(rel.remote_vol_name, 'my_replica_volume');
    assert.equal(rel.last_sync_status, null);
    const unknownPool = await A('POST', `/api/volume/${volId}/relationship`, {
      partner_id: partnerId,
      remote_pool_id: '999',
    });
    assert.equal(unknownPool.status, 400, JSON.stringify(unknownPool.body));

    // 13.2, 13.3: lists (all, of the volume by id and by name) and details (by path and by ?id=).
    for (const ex of section('13.2.')) {
      const body = await run(
        a,
        ex,
        ex.path.replace('<id>', volId).replace('vol_name=my_source_vol', 'vol_name=my_primary_volume'),
      );
      assert.deepEqual(
        (body.relationships as { id: string }[]).map((r) => r.id),
        [relId],
      );
    }
    for (const ex of section('13.3.'))
      assert.equal((await run(a, ex, ex.path.replace('<id>', relId))).id, relId);

    // 14.1: a session of an existing snapshot, named on B; real bytes reach B's replica.
    const snap = await A('POST', `/api/volume/${volId}/snapshot`, { name: 'before_sync' });
    assert.equal(snap.status, 200, JSON.stringify(snap.body));
    const badName = await A('POST', `/api/relationship/${relId}/session`, { remote_snap_name: 'a/b' });
    assert.equal(badName.status, 400, JSON.stringify(badName.body));
    const ex141 = section('14.1.')[0]!;
    const started = await run(a, ex141, ex141.path.replace('<id>', relId), {
      ...(ex141.body as object),
      snap_id: String(snap.body.id),
    });
    assert.notEqual(started.status, 'FAILED', JSON.stringify(started));
    assert.equal(started.rel_id, relId);
    assert.equal(started.local_snap_id, String(snap.body.id));
    assert.equal(started.remote_snap_name, 'my_replica_snap');
    assert.equal(started.repl_address, '127.0.0.1');
    const sessionId = String(started.id);
    const done = await waitFor(
      'session completed',
      async () => {
        const s = (await A('GET', `/api/session/${sessionId}`)).body;
        assert.notEqual(s.status, 'FAILED', JSON.stringify(s));
        return s.status === 'COMPLETED' ? s : undefined;
      },
      120_000,
    );
    assert.ok(Number(done.size_sent) > 12 * MiB, `sent ${String(done.size_sent)}`);
    assert.ok(done.time_started && done.time_ended);
    const replica = (await nativeVolume(b, 'my_replica_volume'))!;
    assert.deepEqual(await sums(replica.path), await sums(src.path), 'the replica has the data');
    const bSnaps = await B('GET', '/api/snapshot?name=my_replica_snap');
    assert.equal(bSnaps.status, 200, JSON.stringify(bSnaps.body));
    assert.equal(done.remote_snap_id, String(bSnaps.body.id), "B's own id of the copy");
    const afterSync = (await A('GET', `/api/relationship/${relId}`)).body;
    assert.equal(afterSync.last_sync_status, 'COMPLETED');
    assert.equal(afterSync.last_success_snap_id, String(snap.body.id));
    const replicaVol = (await B('GET', '/api/volume?name=my_replica_volume')).body;
    assert.equal(afterSync.remote_vol_id, String(replicaVol.id));
    // 13.3 on the target: the same relationship, seen as the replica.
    const onB = (await B('GET', `/api/relationship/${relId}`)).body;
    assert.deepEqual(missingFields(section('13.3.')[0]!.response, onB), []);
    assert.equal(onB.local_role, 'replica');
    assert.equal(onB.local_vol_name, 'my_replica_volume');
    assert.equal(onB.local_vol_id, String(replicaVol.id));

    // 14.2, 14.3
    const sessions = await run(a, section('14.2.')[0]!, '/api/session');
    assert.ok((sessions.sessions as { id: string }[]).some((s) => s.id === sessionId));
    assert.equal((await run(a, section('14.3.')[0]!, `/api/session/${sessionId}`)).status, 'COMPLETED');
    const noSession = await A('GET', '/api/session/999999');
    assert.equal(noSession.status, 404);
    assert.equal(err(noSession).type, 'NotFoundError');

    // 14.4: cancel a session that is moving bytes: FAILED, "Canceled".
    await writeFile(join(src.path, 'big.bin'), randomBytes(500 * MiB));
    const big = await A('POST', `/api/relationship/${relId}/session`, {});
    assert.equal(big.status, 200, JSON.stringify(big.body));
    await waitFor(
      'bytes flowing',
      async () => {
        const s = (await A('GET', `/api/session/${String(big.body.id)}`)).body;
        return s.status === 'ACTIVE' && Number(s.size_sent) > 0;
      },
      60_000,
    );
    const ex144 = section('14.4.')[0]!;
    const cancelled = await run(a, ex144, `/api/session/${String(big.body.id)}`, ex144.body);
    assert.equal(cancelled.status, 'FAILED');
    assert.equal(cancelled.message, 'Canceled');
    const again = await A('POST', `/api/session/${String(big.body.id)}`, { action: 'cancel' });
    assert.equal(again.status, 409, JSON.stringify(again.body));
    assert.equal((await A('GET', `/api/relationship/${relId}`)).body.last_sync_status, 'FAILED');

    // 12.4 while relationships use the partner: refused, in the seed's error shape.
    const inUse = await A('DELETE', `/api/partner/${partnerId}`);
    assert.equal(inUse.status, 409, JSON.stringify(inUse.body));
    assert.equal(err(inUse).type, 'ConflictError');

    // 13.4 with preserve_replica on a second relationship: B keeps the replica volume.
    const second = await A('POST', '/api/volume', {
      name: 'second',
      volume_type: 'filesystem',
      pool_id: poolA,
      size_total: String(128 * MiB),
    });
    const secondSrc = (await nativeVolume(a, 'second'))!;
    await writeFile(join(secondSrc.path, 'kept.bin'), randomBytes(2 * MiB));
    const otherSnap = await A('POST', `/api/volume/${String(second.body.id)}/snapshot`, { name: 'other' });
    const wrongSnap = await A('POST', `/api/relationship/${relId}/session`, {
      snap_id: String(otherSnap.body.id),
    });
    assert.equal(wrongSnap.status, 400, 'a snapshot of another volume: ' + JSON.stringify(wrongSnap.body));
    const noPartner = await A('POST', `/api/volume/${String(second.body.id)}/relationship`, {
      partner_id: 'f'.repeat(32),
    });
    assert.equal(noPartner.status, 404, JSON.stringify(noPartner.body));
    const rel2 = await A('POST', `/api/volume/${String(second.body.id)}/relationship`, {
      partner_id: partnerId,
      remote_vol_name: 'kept_replica',
    });
    assert.equal(rel2.status, 200, JSON.stringify(rel2.body));
    assert.equal(rel2.body.remote_pool_id, poolB, 'without remote_pool_id: the partner\u2019s pool');
    const s2 = await A('POST', `/api/relationship/${String(rel2.body.id)}/session`);
    assert.equal(s2.status, 200, JSON.stringify(s2.body));
    await waitFor(
      'second session completed',
      async () => (await A('GET', `/api/session/${String(s2.body.id)}`)).body.status === 'COMPLETED',
      120_000,
    );
    const [del, keep] = section('13.4.');
    assert.ok(del && keep && keep.path.includes('preserve_replica=true'));
    await run(a, keep, keep.path.replace('<id>', String(rel2.body.id)));
    assert.equal((await B('GET', `/api/relationship/${String(rel2.body.id)}`)).status, 404);
    const kept = (await nativeVolume(b, 'kept_replica'))!;
    assert.deepEqual(await sums(kept.path), await sums(secondSrc.path), 'the preserved replica is intact');

    // 13.4 plain: the relationship goes on both sides, and B deletes the replica volume.
    await run(a, del, del.path.replace('<id>', relId));
    assert.equal((await A('GET', `/api/relationship/${relId}`)).status, 404);
    assert.equal((await B('GET', `/api/relationship/${relId}`)).status, 404);
    await waitFor(
      'replica volume deleted on B',
      async () => !(await nativeVolume(b, 'my_replica_volume')),
      60_000,
    );

    // The partnership works from B too: B replicates to A over the entry it made there (a full
    // session, checked by SHA-256). While that relationship exists A cannot remove the partnership.
    const bVol = (
      await b.c.admin.request<{ id: string; path: string }>('POST', 'volumes?wait=60', {
        pool: b.pool.id,
        name: 'from_b',
        type: 'filesystem',
        size: 128 * MiB,
      })
    ).body;
    await writeFile(join(bVol.path, 'b.bin'), randomBytes(2 * MiB));
    const relBA = (
      await b.c.admin.request<{ id: string }>('POST', 'relationships', {
        volume: bVol.id,
        partner: bNative.id,
        target_pool: a.pool.id,
        target_volume_name: 'from_b_replica',
      })
    ).body;
    const sBA = (
      await b.c.admin.request<{ status: string }>('POST', `relationships/${relBA.id}/sync?wait=120`)
    ).body;
    assert.equal(sBA.status, 'COMPLETED', JSON.stringify(sBA));
    assert.deepEqual(await sums((await nativeVolume(a, 'from_b_replica'))!.path), await sums(bVol.path));
    const usedThere = await A('DELETE', `/api/partner/${partnerId}`);
    assert.equal(usedThere.status, 409, JSON.stringify(usedThere.body));
    assert.equal(err(usedThere).type, 'ConflictError');
    assert.match(err(usedThere).message, /on the partner/);
    assert.equal((await B('GET', '/api/partner')).body.total, 1, 'nothing removed on B');
    assert.equal((await A('GET', `/api/partner/${partnerId}`)).status, 200, 'nothing removed on A');
    await b.c.admin.request('DELETE', `relationships/${relBA.id}`);

    // 12.4: the partner goes.
    await run(a, section('12.4.')[0]!, `/api/partner/${partnerId}`);
    const gone = await A('GET', `/api/partner/${partnerId}`);
    assert.equal(gone.status, 404);
    assert.equal(err(gone).type, 'NotFoundError');
    assert.equal(await keys(), keysBefore, 'the key B issued for A is gone with the partnership');
    assert.equal((await B('GET', '/api/partner')).body.total, 0, 'B no longer lists A');
    assert.equal(await keysOfA(), aKeysBefore, 'the key A made for B is gone too');

    const all = examples.filter((e) => REPLICATION.test(e.section));
    assert.deepEqual(
      all.filter((e) => !ran.has(e)).map((e) => `${e.section} ${e.method} ${e.path}`),
      [],
      'every example of §12–14 ran',
    );
  },
);
