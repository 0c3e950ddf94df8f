// Intent and job in one transaction, everywhere: with the database refusing every new job row (a
// trigger planted on `jobs`, so the refusal comes after the service wrote its own rows in the same
// transaction), each service call that records a desired state and submits a job fails and leaves
// every table as it was: no new disk, pool, volume, snapshot, export, target, session or mount row,
// no disk claimed, no object left in 'deleting' or 'updating', and no job.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { sql, type Kysely } from 'kysely';
import { startCairn, type InProcessCairn } from '../support/cairn.js';
import { realPartsSkip } from '../support/real.js';
import { testStores } from '../support/stores.js';
import type { Client } from '../../src/cli/client.js';
import type { Principal } from '../../src/domain/permissions.js';
import type { DB } from '../../src/store/schema.js';
import { ReplicationStore } from '../../src/store/replication.js';
import { PoolStore } from '../../src/store/pools.js';
import { newId } from '../../src/domain/ids.js';
import { makeDisks, makePool, MiB } from './storage-support.js';

const skip = realPartsSkip();
const ADMIN: Principal = {
  kind: 'system',
  userId: 'system',
  userName: 'system',
  role: 'admin',
  permissions: ['*'],
  pools: null,
};

const call = async <T>(cl: Client, method: string, path: string, body?: unknown): Promise<T> => {
  const r = await cl.request<T>(method, path, body);
  assert.ok(r.status < 300, `${method} ${path}: ${r.status} ${JSON.stringify(r.body)}`);
  return r.body;
};

/** Every row a refused submit could have left behind, in a comparable form. */
async function tables(db: Kysely<DB>) {
  const all = async (table: keyof DB, cols: string[]) =>
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    (await (db as Kysely<any>).selectFrom(table).select(cols).orderBy('id').execute()) as unknown[];
  return {
    jobs: await all('jobs', ['id', 'state']),
    disks: await all('disks', ['id', 'state', 'pool_id']),
    pools: await all('pools', ['id', 'state', 'dedup_last_run_at']),
    volumes: await all('volumes', ['id', 'state']),
    snapshots: await all('snapshots', ['id', 'state']),
    exports: await all('exports', ['id', 'state']),
    targets: await all('iscsi_targets', ['id']),
    sessions: await all('replication_sessions', ['id', 'status']),
    mounts: (await db.selectFrom('volume_mounts').select(['volume_id', 'state']).execute()) as unknown[],
    attachments: await all('attachments', ['id', 'state']),
  };
}

/** Makes every insert into `jobs` fail inside its transaction. */
async function refuseJobs(c: InProcessCairn): Promise<() => Promise<void>> {
  const db = c.app.store.db;
  if (c.app.store.dialect.name === 'sqlite') {
    await sql`CREATE TRIGGER planted_refusal BEFORE INSERT ON jobs BEGIN SELECT RAISE(ABORT, 'planted refusal'); END`.execute(
      db,
    );
    return async () => void (await sql`DROP TRIGGER planted_refusal`.execute(db));
  }
  await sql`CREATE FUNCTION planted_refusal() RETURNS trigger AS $$ BEGIN RAISE EXCEPTION 'planted refusal'; END $$ LANGUAGE plpgsql`.execute(
    db,
  );
  await sql`CREATE TRIGGER planted_refusal BEFORE INSERT ON jobs FOR EACH ROW EXECUTE FUNCTION planted_refusal()`.execute(
    db,
  );
  return async () => {
    await sql`DROP TRIGGER planted_refusal ON jobs`.execute(db);
    await sql`DROP FUNCTION planted_refusal()`.execute(db);
  };
}

for (const store of testStores())
  test(
    `${store}: a refused job leaves no intent behind, in every service that submits one`,
    { skip },
    async (t) => {
      const c = await startCairn(t, { store });
      const s = c.app.services;
      const [d0, d1, d2, d3] = await makeDisks(c.admin, 4, 512 * MiB);
      const pool = await makePool(c.admin, { name: 'intent', disks: [d0!.id], profile: 'single' });
      const vol = (name: string, type = 'filesystem') =>
        call<{ id: string }>(c.admin, 'POST', 'volumes?wait=60', {
          pool: pool.id,
          name,
          type,
          size: 64 * MiB,
        });
      const fs = await vol('files');
      const spare = await vol('spare');
      const lun = await vol('disk', 'lun');
      const snap = await call<{ id: string }>(c.admin, 'POST', `volumes/${fs.id}/snapshots?wait=60`, {
        name: 's1',
      });
      const nbd = await call<{ id: string; state: string }>(
        c.admin,
        'POST',
        `volumes/${lun.id}/exports?wait=60`,
        {
          protocol: 'nbd',
          name: 'intent-disk',
        },
      );
      assert.equal(nbd.state, 'active');
      // A source relationship to a partner that is never called: sync records its session first.
      const repl = new ReplicationStore(c.app.store.db, c.app.store.dialect);
      const partnerId = newId();
      await repl.insertPartner({
        id: partnerId,
        name: 'nowhere',
        url: 'https://127.0.0.1:1',
        fingerprint: 'AA',
        apiKeySealed: 'x',
        remoteName: null,
        remoteVersion: null,
        verifiedAt: null,
        peerPartnerId: null,
        localKeyId: null,
      });
      const relId = newId();
      await repl.insertRelationship({
        id: relId,
        role: 'source',
        state: 'active',
        volumeId: fs.id,
        poolId: pool.id,
        partnerId: partnerId,
        peer: null,
        remotePoolId: 'p',
        remoteVolumeId: 'v',
        remoteVolumeName: 'v',
        replicaRetention: {},
        lastSyncStatus: null,
        lastAttemptSnapshotId: null,
        lastSuccessSnapshotId: null,
        lastSuccessAt: null,
      });
      const poolRecord = await new PoolStore(c.app.store.db, c.app.store.dialect).get(pool.id);

      const before = await tables(c.app.store.db);
      const allow = await refuseJobs(c);
      const refused: [string, () => Promise<unknown>][] = [
        ['disk create', () => s.disks.createVirtual(ADMIN, { size: 512 * MiB })],
        ['disk delete', () => s.disks.delete(ADMIN, d1!.id)],
        [
          'pool create',
          () =>
            s.pools.create(ADMIN, { name: 'other', disks: [d1!.id], spares: [d2!.id], profile: 'single' }),
        ],
        ['pool expand', () => s.pools.expand(ADMIN, pool.id, { disks: [d1!.id, d2!.id] })],
        ['pool replace', () => s.pools.replace(ADMIN, pool.id, { disk: d0!.id, with: d3!.id })],
        ['pool dedup (scheduled)', () => s.pools.dedupScheduled(poolRecord, new Date())],
        [
          'volume create',
          () => s.volumes.create(ADMIN, { pool: pool.id, name: 'new', type: 'filesystem', size: MiB }),
        ],
        ['volume update', () => s.volumes.update(ADMIN, fs.id, { size: 128 * MiB })],
        ['volume delete', () => s.volumes.delete(ADMIN, spare.id, false)],
        ['volume rollback', () => s.volumes.rollback(ADMIN, fs.id, { snapshot: snap.id })],
        ['volume clone', () => s.volumes.clone(ADMIN, fs.id, { name: 'vclone' })],
        ['snapshot create', () => s.snapshots.create(ADMIN, fs.id, { name: 's2' })],
        ['snapshot delete', () => s.snapshots.delete(ADMIN, snap.id)],
        ['snapshot clone', () => s.snapshots.clone(ADMIN, snap.id, { name: 'sclone' })],
        [
          'export create',
          () => s.exports.create(ADMIN, spare.id, { protocol: 'nfs', allowed: ['127.0.0.1'] }),
        ],
        ['export update', () => s.exports.update(ADMIN, nbd.id, { read_only: true })],
        ['export delete', () => s.exports.delete(ADMIN, nbd.id, true)],
        ['target create', () => s.targets.create(ADMIN, { alias: 'refused' })],
        ['replication sync', () => s.relationships.sync(ADMIN, relId)],
        ['attach', () => s.attachments.attach(ADMIN, spare.id, { requester: 'intent-test' })],
      ];
      try {
        for (const [what, f] of refused) {
          await assert.rejects(f(), /planted refusal/, what);
          assert.deepEqual(await tables(c.app.store.db), before, `${what} left rows behind`);
        }
      } finally {
        await allow();
      }
      // The same calls work again once jobs may be recorded (the refusal, not the calls, failed).
      const again = await s.volumes.create(ADMIN, {
        pool: pool.id,
        name: 'new',
        type: 'filesystem',
        size: MiB,
      });
      assert.equal((await c.app.engine.wait(again.job.id, 60_000)).state, 'succeeded');
    },
  );
