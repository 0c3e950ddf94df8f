// vSnap relationships (seed 001 §13) between two real Cairn systems: the replica volume is made on
// the partner when the relationship is made (remote_vol_id at once), the partner lists the
// relationship as the replica, DELETE takes the relationship's own id in the seed's forms, and
// reuse: true takes the replica a preserve_replica delete kept (the next session is incremental).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ADMIN_PASSWORD } from '../support/cairn.js';
import { realPartsSkip, waitFor } from '../support/real.js';
import { missingFields, seedExamples, seedText } from '../support/seed.js';
import { MiB, side, sums, type Side } from './replication-support.js';
import { ok, vsnap, vsnapError } from './vsnap-support.js';

const examples = seedExamples(seedText('vsnap-001'));
const example = (prefix: string) => examples.filter((e) => e.section.startsWith(prefix));

test(
  'vSnap §13 relationships: replica made at once, listed on the partner, deleted by id, reused',
  { skip: realPartsSkip() },
  async (t) => {
    const a = await side(t);
    const b = await side(t);
    const A = (m: string, p: string, body?: unknown) => vsnap(a.c, m, p, body);
    const B = (m: string, p: string, body?: unknown) => vsnap(b.c, m, p, body);
    const poolB = String((ok(await B('GET', '/api/pool'), 'pools').pools as { id: string }[])[0]!.id);
    const poolA = String((ok(await A('GET', '/api/pool'), 'pools').pools as { id: string }[])[0]!.id);
    const partnerId = String(
      ok(
        await A('POST', '/api/partner', {
          ...(example('12.1.')[0]!.body as object),
          remote_addr: '127.0.0.1',
          remote_user: 'admin',
          remote_pass: ADMIN_PASSWORD,
          remote_api_port: new URL(b.c.url).port,
        }),
        'partner',
      ).id,
    );
    const volumeOn = async (s: Side, name: string) => {
      const r = await vsnap(s.c, 'GET', `/api/volume?name=${name}`);
      return r.status === 200 ? r.body : null;
    };
    const nativePath = async (s: Side, name: string) =>
      (await s.c.admin.get<{ items: { path: string }[] }>(`volumes?name=${name}`)).items[0]!.path;
    const makeSource = async (name: string) => {
      const v = ok(
        await A('POST', '/api/volume', {
          name,
          volume_type: 'filesystem',
          pool_id: poolA,
          size_total: String(256 * MiB),
        }),
        `volume ${name}`,
      );
      const path = await nativePath(a, name);
      await writeFile(join(path, 'first.bin'), randomBytes(2 * MiB));
      return { id: String(v.id), path };
    };
    const syncNow = async (relId: string) => {
      const s = ok(await A('POST', `/api/relationship/${relId}/session`), 'session');
      return waitFor(
        'session completed',
        async () => {
          const now = (await A('GET', `/api/session/${String(s.id)}`)).body;
          assert.notEqual(now.status, 'FAILED', JSON.stringify(now));
          return now.status === 'COMPLETED' ? now : undefined;
        },
        120_000,
      );
    };

    // 13.1 as the seed shows it: the replica volume exists on B at once, and A answers its id.
    const src = await makeSource('my_primary_volume');
    const ex131 = example('13.1.')[0]!;
    const made = ok(
      await A('POST', `/api/volume/${src.id}/relationship`, {
        ...(ex131.body as object),
        partner_id: partnerId,
        remote_pool_id: poolB,
      }),
      '13.1',
    );
    assert.deepEqual(missingFields(ex131.response, made), []);
    const relId = String(made.id);
    const replica = await volumeOn(b, 'my_replica_volume');
    assert.ok(replica, 'B has the replica volume before any session');
    assert.equal(made.remote_vol_id, String(replica.id), 'remote_vol_id is set at once');
    assert.equal(made.remote_vol_name, 'my_replica_volume');
    assert.equal(ok(await A('GET', `/api/relationship/${relId}`), 'get').remote_vol_id, String(replica.id));
    // The partner lists the relationship too, as the replica of it.
    const listedOnB = ok(await B('GET', '/api/relationship'), 'list on B').relationships as Record<
      string,
      unknown
    >[];
    const mirror = listedOnB.find((r) => r.id === relId);
    assert.ok(mirror, JSON.stringify(listedOnB));
    assert.equal(mirror.local_role, 'replica');
    assert.equal(mirror.local_vol_id, String(replica.id));
    assert.equal(mirror.local_vol_name, 'my_replica_volume');
    assert.equal(ok(await B('GET', `/api/relationship/${relId}`), 'get on B').local_role, 'replica');
    // The first session fills that same volume.
    await syncNow(relId);
    assert.equal(String((await volumeOn(b, 'my_replica_volume'))!.id), String(replica.id));
    assert.deepEqual(await sums(await nativePath(b, 'my_replica_volume')), await sums(src.path));

    // 13.4 with the seed's id forms: the 32 hex digits the answers show, in either case, and
    // (as a client may keep it) the dashed uuid; unknown ids are a not-found, not a pattern error.
    const [del, keep] = example('13.4.');
    assert.ok(del && keep);
    const unknown = await A('DELETE', del.path.replace('<id>', 'ad05bf4db630bfc7ecb706563788f087'));
    vsnapError(unknown, 404, 'NotFoundError', /relationship/);
    const keepPath = keep.path.replace('<id>', relId.toUpperCase());
    assert.deepEqual(ok(await A('DELETE', keepPath), '13.4 preserve_replica'), {});
    assert.equal((await A('GET', `/api/relationship/${relId}`)).status, 404);
    assert.equal((await B('GET', `/api/relationship/${relId}`)).status, 404);
    assert.ok(await volumeOn(b, 'my_replica_volume'), 'the preserved replica stays on B');

    // reuse: true takes the kept replica (no new volume), and the next session is incremental.
    await writeFile(join(src.path, 'second.bin'), randomBytes(2 * MiB));
    const again = ok(
      await A('POST', `/api/volume/${src.id}/relationship`, {
        partner_id: partnerId,
        remote_pool_id: poolB,
        remote_vol_name: 'my_replica_volume',
        reuse: true,
      }),
      'reuse',
    );
    assert.equal(again.remote_vol_id, String(replica.id), 'the kept replica is the replica again');
    const again2 = String(again.id);
    // A volume another relationship replicates into cannot be taken.
    const other = await makeSource('other_primary');
    vsnapError(
      await A('POST', `/api/volume/${other.id}/relationship`, {
        partner_id: partnerId,
        remote_vol_name: 'my_replica_volume',
        reuse: true,
      }),
      400,
      'InvalidParameterError',
      /in relationship/,
    );
    const done = await syncNow(again2);
    const native = await a.c.admin.get<{ items: { parent_snapshot: string | null }[] }>(
      `sessions?relationship=${(await a.c.admin.get<{ items: { id: string }[] }>('relationships')).items.find((r) => r.id.replace(/-/g, '') === again2)!.id}`,
    );
    assert.ok(
      native.items.some((s) => s.parent_snapshot !== null),
      `incremental from the kept snapshot: ${JSON.stringify(native.items)} ${JSON.stringify(done)}`,
    );
    assert.deepEqual(await sums(await nativePath(b, 'my_replica_volume')), await sums(src.path));

    // Without reuse a second relationship never writes into someone else's volume: a new one.
    const third = ok(
      await A('POST', `/api/volume/${other.id}/relationship`, {
        partner_id: partnerId,
        remote_vol_name: 'my_replica_volume',
      }),
      'no reuse',
    );
    assert.notEqual(third.remote_vol_id, String(replica.id));
    assert.ok(third.remote_vol_id, 'its own new replica');

    // 13.4 plain, by the id as the answers show it: both sides drop it, B deletes the replica.
    assert.deepEqual(ok(await A('DELETE', del.path.replace('<id>', again2)), '13.4'), {});
    assert.equal((await B('GET', `/api/relationship/${again2}`)).status, 404);
    await waitFor('replica deleted on B', async () => !(await volumeOn(b, 'my_replica_volume')), 60_000);
    // The dashed uuid form (how the native API shows the same id) is accepted too.
    const thirdId = String(third.id);
    const dashed = `${thirdId.slice(0, 8)}-${thirdId.slice(8, 12)}-${thirdId.slice(12, 16)}-${thirdId.slice(16, 20)}-${thirdId.slice(20)}`;
    assert.deepEqual(ok(await A('DELETE', `/api/relationship/${dashed}`), '13.4 dashed'), {});
    assert.equal((await B('GET', `/api/relationship/${thirdId}`)).status, 404);
  },
);
