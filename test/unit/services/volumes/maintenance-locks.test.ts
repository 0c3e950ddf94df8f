// The volumes' size and qgroup pass of a pool runs under the engine's locks: never while a job holds
// the pool exclusively (delete, expand, replace, convert…), holding the pool shared and its
// qgroups exclusively while it runs, and letting go of them afterwards.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { pino } from 'pino';
import { openStore } from '../../../../src/store/db.js';
import { migrate } from '../../../../src/store/migrations/index.js';
import { JobStore } from '../../../../src/store/jobs.js';
import { VolumeStore } from '../../../../src/store/volumes.js';
import { SnapshotStore } from '../../../../src/store/snapshots.js';
import { JobEngine } from '../../../../src/jobs/engine.js';
import { exclusive } from '../../../../src/domain/job.js';
import { Subvolumes } from '../../../../src/system/btrfs/index.js';
import { makePaths } from '../../../../src/system/paths.js';
import { exec } from '../../../../src/system/exec.js';
import { PoolMaintenance } from '../../../../src/services/volumes/maintenance.js';
import { tempDir } from '../../../support/real.js';

/** A pass's first look at the pool: records which locks are held then, finds no pool mounted. */
class Observed extends Subvolumes {
  readonly seen: { pool?: string; qgroups?: string }[] = [];
  constructor(private readonly engine: JobEngine) {
    super(exec);
  }
  override async isSubvolume(): Promise<boolean> {
    this.seen.push({
      ...this.engine.locks.heldKeys().reduce((o, k) => ({ ...o, [k.key.split(':')[0]!]: k.mode }), {}),
    });
    return false;
  }
}

const tick = () => new Promise((r) => setImmediate(r));

test('a maintenance pass waits for a job holding the pool and runs under the pool lock', async (t) => {
  const dir = tempDir(t);
  const store = await openStore(join(dir, 'cairn.db'));
  t.after(() => store.close());
  await migrate(store.db, store.dialect);
  const logger = pino({ level: 'silent' });
  const engine = new JobEngine(new JobStore(store.db, store.dialect), logger);
  const sys = new Observed(engine);
  const m = new PoolMaintenance(
    new VolumeStore(store.db, store.dialect),
    new SnapshotStore(store.db, store.dialect),
    sys,
    makePaths(dir),
    logger,
    engine,
  );
  t.after(() => m.stop());

  // A pool job (as pool.delete would) holds the pool exclusively: the pass does not start.
  assert.equal(await engine.locks.acquire('pool-job', [exclusive('pool:p1')]), true);
  let done = false;
  const pass = m.run('p1').then((r) => ((done = true), r));
  for (let i = 0; i < 5; i++) await tick();
  assert.deepEqual(sys.seen, []);
  assert.equal(done, false);

  engine.locks.release('pool-job');
  assert.deepEqual(await pass, { refreshed: 0, limitsCleared: 0, staleLeft: 0 });
  assert.deepEqual(sys.seen, [{ pool: 'shared', qgroups: 'exclusive' }]);
  assert.deepEqual(engine.locks.heldKeys(), []);

  // Another pool's job does not hold this pool's pass back.
  assert.equal(await engine.locks.acquire('other-pool-job', [exclusive('pool:p2')]), true);
  await m.run('p1');
  assert.equal(sys.seen.length, 2);
  engine.locks.release('other-pool-job');
});
