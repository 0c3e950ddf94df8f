// Reading the source tree for the architecture tests (layers, one door, configuration).
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { REPO } from './cairn.js';

/** Every .ts file under src/ as [path relative to the repository, text], in a stable order. */
export function sourceFiles(dir = 'src'): [string, string][] {
  const out: [string, string][] = [];
  const walk = (d: string) => {
    for (const name of readdirSync(d).sort()) {
      const p = join(d, name);
      if (statSync(p).isDirectory()) walk(p);
      else if (p.endsWith('.ts')) out.push([relative(REPO, p), readFileSync(p, 'utf8')]);
    }
  };
  walk(join(REPO, dir));
  return out;
}
