// The distribution this machine runs, from /etc/os-release (or /usr/lib/os-release, its fallback
// per os-release(5)). Read once; a machine without either reports plain "Linux".
import { readFile } from 'node:fs/promises';
import { parseOsRelease, type OsRelease } from './parse.js';

export type { OsRelease };

export async function readOsRelease(
  files: readonly string[] = ['/etc/os-release', '/usr/lib/os-release'],
): Promise<OsRelease> {
  for (const f of files) {
    const text = await readFile(f, 'utf8').catch(() => null);
    if (text !== null) return parseOsRelease(text);
  }
  return parseOsRelease('');
}
