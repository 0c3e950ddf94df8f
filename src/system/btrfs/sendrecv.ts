// The btrfs adapter's stream part: send hands back the byte stream of a read-only snapshot (full
// or incremental), receive consumes one into a directory. Never writes the database or decides policy.
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { spawnStream, type Streaming } from '../exec.js';
import type { JobLog } from '../../domain/job-log.js';
import { nullLog } from '../../domain/job-log.js';
import { receiveArgv, sendArgv } from './argv.js';
import { btrfsError } from './errors.js';

export type SpawnStream = typeof spawnStream;

/** A stream has no natural bound on its duration; a day is the "nothing may hang forever" limit. */
const STREAM_TIMEOUT_MS = 24 * 3600_000;

export interface SendStream {
  stdout: NodeJS.ReadableStream;
  /** Resolves when btrfs send exited 0; rejects with the classified error otherwise. */
  done: Promise<void>;
  kill(): void;
}

export class SendReceive {
  constructor(private readonly spawn: SpawnStream = spawnStream) {}

  /** Starts `btrfs send` of `snapshot` (incremental from `parent` when given). */
  send(snapshot: string, parent: string | null, o: { log?: JobLog; signal?: AbortSignal } = {}): SendStream {
    const argv = sendArgv(snapshot, parent);
    const s: Streaming = this.spawn({
      argv: [...argv],
      timeoutMs: STREAM_TIMEOUT_MS,
      log: o.log ?? nullLog,
      ...(o.signal ? { signal: o.signal } : {}),
    });
    const done = s.done.then((r) => {
      if (r.exitCode !== 0) throw btrfsError({ family: 'stream', operation: 'send', argv }, r);
    });
    return { stdout: s.stdout, done, kill: () => s.kill() };
  }

  /** Runs `btrfs receive` into `dir` with `input` as its stream; resolves when it exited 0. */
  async receive(
    dir: string,
    input: NodeJS.ReadableStream,
    o: { log?: JobLog; signal?: AbortSignal } = {},
  ): Promise<void> {
    const argv = receiveArgv(dir);
    const s = this.spawn({
      argv: [...argv],
      timeoutMs: STREAM_TIMEOUT_MS,
      log: o.log ?? nullLog,
      stdin: input,
      ...(o.signal ? { signal: o.signal } : {}),
    });
    s.stdout.resume();
    const r = await s.done;
    if (r.exitCode !== 0) throw btrfsError({ family: 'stream', operation: 'receive', argv }, r);
  }

  async entries(dir: string): Promise<string[]> {
    return readdir(dir).catch(() => []);
  }

  path(dir: string, name: string): string {
    return join(dir, name);
  }
}
