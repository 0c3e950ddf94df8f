// Reads the signatures on a block device with wipefs --no-act (never writes). Erasing signatures
// stays with the btrfs adapter (wipefs -a on a pool's devices).
import type { Exec } from '../exec.js';
import type { JobLog } from '../../domain/job-log.js';
import type { SignatureProbe } from '../../domain/disks.js';
import { parseWipefsJson, wipefsFailure, wipefsProbeArgv } from './parse.js';

export * from './parse.js';

export class Wipefs {
  constructor(private readonly exec: Exec) {}

  /** The device's signature types, or why they could not be read (a failure is an answer here). */
  async probe(device: string, log?: JobLog): Promise<SignatureProbe> {
    const r = await this.exec({ argv: wipefsProbeArgv(device), timeoutMs: 60_000, log }).catch(
      (e: unknown) => ({ exitCode: -1, stdout: '', stderr: e instanceof Error ? e.message : String(e) }),
    );
    if (r.exitCode !== 0) return wipefsFailure(r.stderr, r.exitCode);
    try {
      return { types: parseWipefsJson(r.stdout) };
    } catch {
      return { error: 'wipefs printed something other than JSON' };
    }
  }
}
