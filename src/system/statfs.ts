// Filesystem figures as `df` shows them: one statfs(2) call, no program run.
import { statfs } from 'node:fs/promises';

/** size, used and free bytes of the filesystem mounted at `path`, or null if it cannot be read. */
export async function dfFigures(path: string): Promise<{ size: number; used: number; free: number } | null> {
  const s = await statfs(path).catch(() => null);
  if (!s) return null;
  const size = s.blocks * s.bsize;
  return { size, used: size - s.bfree * s.bsize, free: s.bavail * s.bsize };
}
