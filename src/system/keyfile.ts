// A random key kept in a file of mode 0600, made once (never replaced: `wx`).
import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs';

/** The key in `file` (base64), made with `bytes` random bytes if the file does not exist yet. */
export function readOrCreateKey(file: string, bytes: number): Buffer {
  if (!existsSync(file))
    writeFileSync(file, randomBytes(bytes).toString('base64'), { mode: 0o600, flag: 'wx' });
  chmodSync(file, 0o600);
  const key = Buffer.from(readFileSync(file, 'utf8').trim(), 'base64');
  if (key.length !== bytes) throw new Error(`${file} does not hold a ${bytes * 8}-bit key`);
  return key;
}
