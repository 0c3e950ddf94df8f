// Runs in a worker thread beside cairnd's main thread: checkpoints the SQLite store's write-ahead
// log on a timer, from its own connection, so the main thread's commits never pay for it. A
// checkpoint copies the logged pages into the database file and fsyncs both; SQLite's automatic one
// runs inside whichever commit crosses 1,000 pages and held that commit 5–14 ms on these VMs.
import { parentPort, workerData } from 'node:worker_threads';
import Database from 'better-sqlite3';

const { file, everyMs } = workerData as { file: string; everyMs: number };
const db = new Database(file, { fileMustExist: true });
// Checkpoints sync the log and the database file as the main connection's NORMAL level expects.
db.pragma('synchronous = NORMAL');
// PASSIVE: copies what no reader still needs and never waits for, or blocks, the main connection.
const checkpoint = () => (db.pragma('wal_checkpoint(PASSIVE)') as unknown[])[0];
const timer = setInterval(checkpoint, everyMs);

parentPort!.on('message', (m: unknown) => {
  if (m === 'checkpoint') parentPort!.postMessage({ result: checkpoint() });
  if (m === 'close') {
    clearInterval(timer);
    db.close();
    parentPort!.close();
  }
});
