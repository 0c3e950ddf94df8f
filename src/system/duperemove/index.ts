// Offline extent dedup with duperemove 0.11. Its "net change in shared extents" is not the saving
// (it counts every copy as shared); callers measure the saving with btrfs df before and after.
import { run, type Exec } from '../exec.js';
import type { JobLog } from '../../domain/job-log.js';

export const duperemoveArgv = (dir: string, hashfile: string): [string, ...string[]] => [
  'duperemove',
  '-dr',
  `--hashfile=${hashfile}`,
  dir,
];

/** "Comparison of extent info shows a net change in shared extents of: 201326592" */
export const parseSharedChange = (text: string): number =>
  Number(/net change in shared extents of:\s+(-?\d+)/.exec(text)?.[1] ?? 0);

export class Duperemove {
  constructor(private readonly exec: Exec) {}

  async run(dir: string, hashfile: string, o: { log?: JobLog; signal?: AbortSignal } = {}): Promise<number> {
    const req = {
      argv: duperemoveArgv(dir, hashfile),
      timeoutMs: 24 * 3600_000,
      log: o.log,
      signal: o.signal,
    };
    const r = await this.exec(req);
    // An empty or already-deduplicated tree is not a failure: duperemove exits 1 saying so.
    if (r.exitCode !== 0 && /No dedupe candidates found/i.test(r.stdout + r.stderr)) return 0;
    if (r.exitCode !== 0) await run(async () => r, req);
    return parseSharedChange(r.stdout + r.stderr);
  }
}
