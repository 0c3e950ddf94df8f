// Versions of the real parts Cairn drives, read from the programs themselves (cached: they change
// only with a package upgrade). Missing programs report null.
import type { Exec } from './exec.js';

const PROBES: Record<string, { argv: [string, ...string[]]; pattern: RegExp }> = {
  btrfs: { argv: ['btrfs', '--version'], pattern: /v?(\d+(?:\.\d+)+)/ },
  samba: { argv: ['smbd', '--version'], pattern: /Version\s+(\S+)/i },
  ganesha: { argv: ['ganesha.nfsd', '-v'], pattern: /Release\s*=?\s*V?(\d+(?:\.\d+)+)/i },
  tgt: { argv: ['tgtadm', '--version'], pattern: /(\d+(?:\.\d+)+)/ },
  nbdkit: { argv: ['nbdkit', '--version'], pattern: /(\d+(?:\.\d+)+)/ },
  kernel: { argv: ['uname', '-r'], pattern: /(\S+)/ },
};

export type Part = keyof typeof PROBES;

export class PartVersions {
  private cache: Promise<Record<string, string | null>> | null = null;

  constructor(private readonly exec: Exec) {}

  all(): Promise<Record<string, string | null>> {
    this.cache ??= (async () => {
      const out: Record<string, string | null> = {};
      for (const [name, p] of Object.entries(PROBES)) {
        const r = await this.exec({ argv: p.argv, timeoutMs: 5000 }).catch(() => null);
        const m = r ? p.pattern.exec(`${r.stdout}\n${r.stderr}`) : null;
        out[name] = m?.[1] ?? null;
      }
      return out;
    })();
    return this.cache;
  }
}
