// The store's WAL checkpoints run in a worker thread: the main connection never checkpoints by
// itself while the worker lives, the worker's checkpoints land the logged pages in the database file,
// and a worker that dies hands checkpointing back to the main connection.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { once } from 'node:events';
import Database from 'better-sqlite3';
import { startCheckpointer } from '../../../src/store/checkpointer.js';

function freshDb(t: { after: (f: () => void) => void }) {
  const dir = mkdtempSync(join(tmpdir(), 'cairn-ckpt-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const file = join(dir, 'cairn.db');
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.exec('create table t (id integer primary key, v blob)');
  return { db, file };
}

/** About 3,000 pages of 4 KiB, in 100 commits (each would have checkpointed past 1,000 by default). */
function write(db: Database.Database) {
  const ins = db.prepare('insert into t (v) values (?)');
  const batch = db.transaction(() => {
    for (let i = 0; i < 15; i++) ins.run(Buffer.alloc(8000, i));
  });
  for (let i = 0; i < 100; i++) batch();
}

const MiB = 1024 * 1024;
const autoPages = (db: Database.Database) => db.pragma('wal_autocheckpoint', { simple: true });

test('commits leave checkpoints to the worker, whose checkpoint lands every page in the file', async (t) => {
  const { db, file } = freshDb(t);
  const c = startCheckpointer(db, file, { everyMs: 3_600_000 });
  t.after(() => db.close());
  t.after(() => c.close());
  assert.equal(autoPages(db), 0);
  write(db);
  assert.ok(statSync(file).size < MiB, `no commit checkpointed: the file is ${statSync(file).size} bytes`);
  assert.ok(statSync(`${file}-wal`).size > 10 * MiB);
  const r = await c.now();
  assert.equal(r.busy, 0);
  assert.ok(r.log > 2500, `log of ${r.log} pages`);
  assert.equal(r.checkpointed, r.log);
  assert.ok(statSync(file).size > 10 * MiB);
  assert.deepEqual(db.prepare('select count(*) as n from t').get(), { n: 1500 });
});

test('the worker checkpoints on its timer', async (t) => {
  const { db, file } = freshDb(t);
  const c = startCheckpointer(db, file, { everyMs: 50 });
  t.after(() => db.close());
  t.after(() => c.close());
  write(db);
  const until = Date.now() + 10_000;
  while (statSync(file).size < 10 * MiB && Date.now() < until) await new Promise((r) => setTimeout(r, 20));
  assert.ok(statSync(file).size > 10 * MiB, 'the timer checkpointed the log into the file');
});

test('a worker that ends early hands checkpoints back to the main connection; a closed one does not', async (t) => {
  const { db, file } = freshDb(t);
  t.after(() => db.close());
  const failures: unknown[] = [];
  const c = startCheckpointer(db, file, { everyMs: 3_600_000, onFailure: (e) => failures.push(e) });
  const exited = once(c.worker, 'exit');
  await c.worker.terminate();
  await exited;
  assert.equal(autoPages(db), 1000);
  assert.equal(failures.length, 1, 'the failure is reported once');
  write(db);
  assert.ok(statSync(file).size > 10 * MiB, 'the main connection checkpointed by itself');

  const d = startCheckpointer(db, file, { everyMs: 3_600_000, onFailure: (e) => failures.push(e) });
  assert.equal(autoPages(db), 0);
  await d.close();
  assert.equal(autoPages(db), 0, 'closing the store stops checkpoints on purpose');
  assert.equal(failures.length, 1, 'a close is no failure');
});

test('closing twice, or after the worker ended, returns', async (t) => {
  const { db, file } = freshDb(t);
  t.after(() => db.close());
  const c = startCheckpointer(db, file, { everyMs: 3_600_000 });
  await c.close();
  await c.close();
  const d = startCheckpointer(db, file, { everyMs: 3_600_000 });
  const exited = once(d.worker, 'exit');
  await d.worker.terminate();
  await exited;
  await d.close();
});

test('a worker that cannot open the store reports it, and the main connection checkpoints', async (t) => {
  const { db, file } = freshDb(t);
  t.after(() => db.close());
  const failures: unknown[] = [];
  const c = startCheckpointer(db, `${file}.missing`, { onFailure: (e) => failures.push(e) });
  c.worker.ref(); // the test waits for it; cairnd never does
  // Not events.once: it would reject with the worker's 'error', which the checkpointer handles.
  await new Promise((resolve) => c.worker.once('exit', resolve));
  assert.equal(autoPages(db), 1000);
  assert.equal(failures.length, 1);
  // The worker's SqliteError arrives as the structured clone of it: its code survives.
  assert.equal((failures[0] as { code?: string }).code, 'SQLITE_CANTOPEN');
});
