// Replication between two real Cairn systems on one machine (own data directories, HTTPS ports,
// loop-device pools): partner pinning, full then incremental sessions checked by SHA-256 on the
// replica, a cut stream (FAILED, nothing partial left, next run clean), cancel, promote, reverse.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes, randomUUID } from 'node:crypto';
import { spawn } from 'node:child_process';
import https from 'node:https';
import { readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { realPartsSkip, waitFor } from '../support/real.js';
import { testStores } from '../support/stores.js';
import { ApiError } from '../../src/cli/client.js';
import {
  MiB,
  call,
  partner,
  side,
  sums,
  volume,
  type SessionWire,
  type VolumeWire,
} from './replication-support.js';

const skip = realPartsSkip();

interface Rel {
  id: string;
  role: string;
  state: string;
  volume: string | null;
  last_success_snapshot: string | null;
}

const expectCode = async (p: Promise<unknown>, status: number, code: string) =>
  assert.rejects(p, (e: unknown) => {
    assert.ok(e instanceof ApiError, String(e));
    assert.equal(e.status, status, JSON.stringify(e.body));
    assert.equal(e.code, code, JSON.stringify(e.body));
    return true;
  });

/** Whether a (possibly half-received) subvolume of that snapshot id exists in the pool. */
const present = async (dataDir: string, poolId: string, snapshotId: string | null) =>
  (await readdir(join(dataDir, 'pools', poolId, 'snapshots')).catch(() => [] as string[])).includes(
    String(snapshotId),
  );

/** The first `bytes` of a real btrfs send stream of `snapshot`. */
function streamHead(snapshot: string, bytes: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const p = spawn('btrfs', ['send', '-q', snapshot], { stdio: ['ignore', 'pipe', 'ignore'] });
    const chunks: Buffer[] = [];
    let n = 0;
    p.stdout.on('data', (c: Buffer) => {
      chunks.push(c);
      n += c.length;
      if (n >= bytes) p.kill('SIGKILL');
    });
    p.on('error', reject);
    p.on('close', () => resolve(Buffer.concat(chunks).subarray(0, bytes)));
  });
}

/** B cuts a receive whose sender went quiet after this long (A keeps the default). */
const STALL_MS = 8000;

for (const store of testStores())
  test(
    `${store}: replication: pinning, full + incremental with SHA-256 checks, cut stream, stall, cancel, promote, reverse`,
    { skip },
    async (t) => {
      // Where the test is when it fails (the answer's stack does not say), in the TAP output.
      const began = Date.now();
      const step = (name: string) => t.diagnostic(`${((Date.now() - began) / 1000).toFixed(1)} s: ${name}`);
      const a = await side(t, undefined, store);
      process.env.CAIRN_REPLICATION_STALL_MS = String(STALL_MS);
      const b = await side(t, undefined, store).finally(() => delete process.env.CAIRN_REPLICATION_STALL_MS);

      step('partners');
      // Partners: a wrong pin is refused before any credential is sent; the right one verifies.
      const keyOnB = await call<{ key: string }>(b.c.admin, 'POST', 'api-keys', { name: 'probe' });
      await expectCode(
        call(a.c.admin, 'POST', 'partners', {
          name: 'wrong',
          url: b.c.url,
          api_key: keyOnB.key,
          fingerprint_sha256: 'AB'.repeat(32),
        }),
        422,
        'PARTNER_CERTIFICATE_MISMATCH',
      );
      await expectCode(
        call(a.c.admin, 'POST', 'partners', {
          name: 'badkey',
          url: b.c.url,
          api_key: 'cairn_nope_nope',
          fingerprint_sha256: b.c.fingerprint,
        }),
        422,
        'PARTNER_UNAUTHORIZED',
      );
      const pb = await partner(a, b, 'b');
      const shown = await call<Record<string, unknown>>(a.c.admin, 'GET', `partners/${pb.id}`);
      assert.equal(shown.fingerprint_sha256, b.c.fingerprint);
      assert.ok(!JSON.stringify(shown).includes(pb.key), 'the key is never returned');

      step('step 1');
      // 1. A volume with files, a relationship, a full session.
      const v = await volume(a, 'data');
      for (let i = 0; i < 4; i++) await writeFile(join(v.path, `f${i}.bin`), randomBytes(8 * MiB));
      const rel = await call<Rel>(a.c.admin, 'POST', 'relationships', {
        volume: v.id,
        partner: pb.id,
        target_pool: b.pool.id,
        target_volume_name: 'data-replica',
        replica_retention: { keep_last: 2 },
      });
      assert.equal(rel.role, 'source');
      await expectCode(call(a.c.admin, 'DELETE', `volumes/${v.id}?wait=30`), 409, 'VOLUME_IN_USE');
      const s1 = await call<SessionWire>(a.c.admin, 'POST', `relationships/${rel.id}/sync?wait=120`);
      assert.equal(s1.status, 'COMPLETED', JSON.stringify(s1));
      assert.equal(s1.parent_snapshot, null, 'the first session is a full stream');
      assert.ok(s1.bytes_sent > 32 * MiB, `sent ${s1.bytes_sent}`);
      const replicaRel = await call<Rel>(b.c.admin, 'GET', `relationships/${rel.id}`);
      assert.equal(replicaRel.role, 'replica');
      const replica = await call<VolumeWire>(b.c.admin, 'GET', `volumes/${replicaRel.volume}`);
      assert.equal(replica.name, 'data-replica');
      assert.deepEqual(await sums(replica.path), await sums(v.path));

      step('step 2');
      // 2. Incremental: only the change travels, from the newest common snapshot.
      await writeFile(join(v.path, 'f1.bin'), randomBytes(4 * MiB));
      await writeFile(join(v.path, 'new.bin'), randomBytes(2 * MiB));
      const s2 = await call<SessionWire>(a.c.admin, 'POST', `relationships/${rel.id}/sync?wait=120`);
      assert.equal(s2.status, 'COMPLETED', JSON.stringify(s2));
      assert.equal(s2.parent_snapshot, s1.snapshot);
      assert.ok(s2.bytes_sent < 8 * MiB, `incremental sent ${s2.bytes_sent}`);
      assert.deepEqual(await sums(replica.path), await sums(v.path));
      const base = await call<{ holds: string[] }>(a.c.admin, 'GET', `snapshots/${s2.snapshot}`);
      assert.deepEqual(base.holds, [`relationship:${rel.id}`], 'the base is held on the source');
      await expectCode(call(a.c.admin, 'DELETE', `snapshots/${s2.snapshot}`), 409, 'SNAPSHOT_HELD');

      /** How many receive sessions of the relationship are running on B. */
      const receiving = async () =>
        (await call<{ total: number }>(b.c.admin, 'GET', `sessions?relationship=${rel.id}&status=ACTIVE`))
          .total;
      /**
       * Waits until A's session `id` is sending and B's receive of it runs: A counts bytes as it
       * queues them, maybe before its connection to B is up. `onB` is a further condition on B's side.
       */
      const streaming = async (id: string, onB: () => boolean = () => true) => {
        await waitFor(
          'bytes flowing',
          async () => {
            const s = await call<SessionWire>(a.c.admin, 'GET', `sessions/${id}`);
            return s.status === 'ACTIVE' && s.bytes_sent > 0;
          },
          60_000,
        );
        await waitFor('the receive running on B', async () => onB() && (await receiving()) > 0, 60_000);
      };
      step('step 3');
      // 3. A stream cut midway (the target drops every connection): FAILED, nothing partial, next run clean.
      await writeFile(join(v.path, 'big.bin'), randomBytes(600 * MiB));
      // The connection that carries this receive to B, to cut the stream at B's end. Taken from the
      // request, not from new connections: the partner client reuses kept-alive sockets.
      const sockets = new Set<{ destroy(): void }>();
      const onRequest = (req: { url?: string; socket: { destroy(): void } }) => {
        if (req.url?.startsWith('/api/v1/replication/receive')) sockets.add(req.socket);
      };
      b.c.app.api.server.on('request', onRequest);
      const cut = await call<SessionWire>(a.c.admin, 'POST', `relationships/${rel.id}/sync`);
      // B must have the request (its socket) too, so the cut is truly midway.
      await streaming(cut.id, () => sockets.size > 0);
      for (const s of sockets) s.destroy();
      b.c.app.api.server.off('request', onRequest);
      const failed = await waitFor(
        'session failed',
        async () => {
          const s = await call<SessionWire>(a.c.admin, 'GET', `sessions/${cut.id}`);
          return ['FAILED', 'COMPLETED'].includes(s.status) ? s : undefined;
        },
        60_000,
      );
      assert.equal(failed.status, 'FAILED', JSON.stringify(failed));
      assert.ok(failed.message, 'a failed session says why');
      await waitFor('receive ended on B', async () => (await receiving()) === 0, 30_000);
      assert.ok(!(await present(b.c.dataDir, b.pool.id, cut.snapshot)), 'no partial subvolume on B');
      const snapsB = await call<{ items: { id: string }[] }>(
        b.c.admin,
        'GET',
        `volumes/${replica.id}/snapshots`,
      );
      assert.ok(!snapsB.items.some((s) => s.id === cut.snapshot), 'no partial snapshot recorded');

      step('step 3b');
      // 3b. A sender that goes quiet without closing: B cuts the receive after its stall time, keeps
      // nothing partial, and says why.
      // A snapshot B does not have (btrfs receive names the subvolume after it).
      const fresh = await call<{ id: string; path: string }>(
        a.c.admin,
        'POST',
        `volumes/${v.id}/snapshots?wait=60`,
        {
          name: 'quiet-source',
        },
      );
      const head = await streamHead(fresh.path, MiB);
      const quiet = { relationship: randomUUID(), snapshot: fresh.id };
      const q = new URLSearchParams({
        ...quiet,
        pool: b.pool.id,
        snapshot_name: 'quiet',
        source_volume: v.id,
        volume_name: 'quiet',
        volume_type: 'filesystem',
        volume_size: String(64 * MiB),
      });
      const req = https.request(`${b.c.url}/api/v1/replication/receive?${q.toString()}`, {
        method: 'POST',
        rejectUnauthorized: false,
        headers: { authorization: `Bearer ${pb.key}`, 'content-type': 'application/octet-stream' },
      });
      req.on('error', () => undefined);
      t.after(() => req.destroy());
      req.write(head);
      const stalled = await waitFor(
        'B cut the quiet receive',
        async () =>
          (
            await call<{ items: SessionWire[] }>(
              b.c.admin,
              'GET',
              `sessions?relationship=${quiet.relationship}`,
            )
          ).items.find((s) => s.status === 'FAILED'),
        60_000,
      );
      req.destroy();
      assert.match(String(stalled.message), /stalled/, JSON.stringify(stalled));
      assert.ok(stalled.bytes_sent > 0 && stalled.bytes_sent <= MiB, `received ${stalled.bytes_sent}`);
      assert.ok(!(await present(b.c.dataDir, b.pool.id, quiet.snapshot)), 'no partial subvolume on B');
      await call(a.c.admin, 'DELETE', `snapshots/${fresh.id}?wait=60`);

      step('step 4');
      // 4. Cancel an active session: CANCELLED, the source snapshot undone, the target clean.
      const c4 = await call<SessionWire>(a.c.admin, 'POST', `relationships/${rel.id}/sync`);
      // Cancelled once B is receiving, so "the receive ended on B" below means what it says.
      await streaming(c4.id);
      const cancelled = await call<SessionWire>(a.c.admin, 'POST', `sessions/${c4.id}/cancel`);
      assert.equal(cancelled.status, 'CANCELLED', JSON.stringify(cancelled));
      await expectCode(call(a.c.admin, 'POST', `sessions/${c4.id}/cancel`), 409, 'SESSION_NOT_ACTIVE');
      await waitFor('receive ended on B', async () => (await receiving()) === 0, 30_000);
      assert.ok(!(await present(b.c.dataDir, b.pool.id, cancelled.snapshot)), 'no partial subvolume on B');

      // The next run succeeds, incrementally from the last good base.
      step('sync after cancel');
      // A hold a crash left behind (the relationship moved on before releasing its old base) is
      // released by the next success: the relationship holds exactly its current base.
      const leaked = await call<{ id: string }>(a.c.admin, 'POST', `volumes/${v.id}/snapshots?wait=60`, {
        name: 'leaked-hold',
      });
      await a.c.app.services.snapshots.hold(leaked.id, `relationship:${rel.id}`);
      const s5 = await call<SessionWire>(a.c.admin, 'POST', `relationships/${rel.id}/sync?wait=300`);
      assert.equal(s5.status, 'COMPLETED', JSON.stringify(s5));
      assert.equal(s5.parent_snapshot, s2.snapshot);
      const healed = await call<{ holds: string[] }>(a.c.admin, 'GET', `snapshots/${leaked.id}`);
      assert.deepEqual(healed.holds, [], 'the stale hold is released, the snapshot kept');
      assert.deepEqual(await sums(replica.path), await sums(v.path));
      const sessions = await call<{ items: SessionWire[] }>(
        a.c.admin,
        'GET',
        `sessions?relationship=${rel.id}&sort=created_at`,
      );
      assert.deepEqual(
        sessions.items.map((s) => s.status),
        ['COMPLETED', 'COMPLETED', 'FAILED', 'CANCELLED', 'COMPLETED'],
      );
      const byVolume = await call<{ items: Rel[] }>(a.c.admin, 'GET', `relationships?volume=${v.id}`);
      assert.deepEqual(
        byVolume.items.map((r) => r.id),
        [rel.id],
      );
      const byPartner = await call<{ items: Rel[] }>(a.c.admin, 'GET', `relationships?partner=${pb.id}`);
      assert.deepEqual(
        byPartner.items.map((r) => r.id),
        [rel.id],
      );

      step('step 5');
      // 5. Failover: promote the replica on B; it becomes writable and stops receiving.
      await expectCode(
        call(a.c.admin, 'POST', `relationships/${rel.id}/promote`),
        409,
        'RELATIONSHIP_WRONG_ROLE',
      );
      const promoted = await call<Rel>(b.c.admin, 'POST', `relationships/${rel.id}/promote?wait=60`);
      assert.equal(promoted.state, 'promoted');
      await writeFile(join(replica.path, 'after-failover.bin'), randomBytes(3 * MiB));
      await expectCode(
        call(a.c.admin, 'POST', `relationships/${rel.id}/sync?wait=60`),
        409,
        'RELATIONSHIP_PROMOTED',
      );

      step('step 6');
      // 6. Reverse: B sends the promoted volume back to A, incrementally from the newest common snapshot.
      const pa = await partner(b, a, 'a');
      const rev = await call<{ relationship: Rel; session: SessionWire }>(
        b.c.admin,
        'POST',
        `relationships/${rel.id}/reverse?wait=300`,
        { partner: pa.id, target_pool: a.pool.id, target_volume_name: 'data-back' },
      );
      assert.equal(rev.session.status, 'COMPLETED', JSON.stringify(rev.session));
      assert.equal(rev.session.parent_snapshot, s5.snapshot, 'resynced from the newest common snapshot');
      assert.ok(rev.session.bytes_sent < 16 * MiB, `reverse sent ${rev.session.bytes_sent}`);
      const back = await call<Rel>(a.c.admin, 'GET', `relationships/${rev.relationship.id}`);
      const backVol = await call<VolumeWire>(a.c.admin, 'GET', `volumes/${back.volume}`);
      assert.deepEqual(await sums(backVol.path), await sums(replica.path));
    },
  );
