// Asks each storage part for its version once (`--version` through exec) and caches the answer.
import { parseVersion } from './parse.js';
import type { Exec } from '../exec.js';

const ARGV: Record<string, readonly [string, ...string[]]> = {
  'btrfs-progs': ['btrfs', '--version'],
  tgt: ['tgtd', '--version'],
  'nfs-ganesha': ['ganesha.nfsd', '-v'],
  samba: ['smbd', '--version'],
  nbdkit: ['nbdkit', '--version'],
};

export interface PartVersion {
  name: string;
  version: string | null;
  installed: boolean;
}

export class Versions {
  private cached: Promise<PartVersion[]> | null = null;

  constructor(private readonly exec: Exec) {}

  /** Versions of btrfs-progs, tgt, nfs-ganesha, samba and nbdkit (asked once, then cached). */
  all(): Promise<PartVersion[]> {
    this.cached ??= Promise.all(
      Object.entries(ARGV).map(async ([name, argv]) => {
        try {
          const r = await this.exec({ argv, timeoutMs: 10_000 });
          const version = parseVersion(name, `${r.stdout}\n${r.stderr}`);
          return { name, version, installed: true };
        } catch {
          return { name, version: null, installed: false };
        }
      }),
    );
    return this.cached;
  }
}
