// Moves the SQLite store's WAL checkpoints off the main thread (see checkpoint-worker.ts for why).
// If the worker cannot start or ends early, the main connection checkpoints by itself again, as
// SQLite does by default, so the log never grows without bound.
import { Worker } from 'node:worker_threads';
import { once } from 'node:events';
import type Database from 'better-sqlite3';

/** SQLite's default: a commit that leaves the log above this many pages checkpoints it. */
const AUTO_CHECKPOINT_PAGES = 1000;

/** Pages in the log, and of them those now in the database file; busy is 1 if it could not finish. */
export interface CheckpointResult {
  busy: number;
  log: number;
  checkpointed: number;
}

export interface Checkpointer {
  /** Asks the worker for a checkpoint now; resolves with SQLite's answer to it. */
  now(): Promise<CheckpointResult>;
  /** Stops the worker (the main connection's close makes the last checkpoint). */
  close(): Promise<void>;
  readonly worker: Worker;
}

export function startCheckpointer(
  sqlite: Database.Database,
  file: string,
  o: { everyMs?: number; onFailure?: (err: unknown) => void } = {},
): Checkpointer {
  const everyMs = o.everyMs ?? 1000;
  const worker = new Worker(new URL('./checkpoint-worker.js', import.meta.url), {
    workerData: { file, everyMs },
  });
  // An idle cairnd (or a test) ends when its own work is done; the worker never holds it.
  worker.unref();
  sqlite.pragma('wal_autocheckpoint = 0');
  let closing = false;
  let ended: Promise<void> | null = null;
  const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
  let failed = false;
  // A worker that throws reports 'error' and then 'exit': one failure.
  const fallBack = (err?: unknown) => {
    if (closing || failed || !sqlite.open) return;
    failed = true;
    sqlite.pragma(`wal_autocheckpoint = ${AUTO_CHECKPOINT_PAGES}`);
    o.onFailure?.(err ?? new Error('the checkpoint worker ended'));
  };
  worker.on('error', fallBack);
  worker.on('exit', () => fallBack());
  return {
    worker,
    now: async () => {
      worker.postMessage('checkpoint');
      const [m] = (await once(worker, 'message')) as [{ result: CheckpointResult }];
      return m.result;
    },
    // Once, however often called: the worker's 'exit' comes only once.
    close: () =>
      (ended ??= (async () => {
        closing = true;
        worker.postMessage('close');
        // A worker that does not end by itself is stopped; the database's close still checkpoints.
        const t = setTimeout(() => void worker.terminate(), 5000);
        await exited;
        clearTimeout(t);
      })()),
  };
}
