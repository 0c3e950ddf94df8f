// Two Cairn systems for replication tests: each in process with its own data directory, HTTPS
// certificate, port, virtual disk and pool; a volume on the source; a partner entry pinning the target.
import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { startCairn, type InProcessCairn } from '../support/cairn.js';
import type { T } from '../support/real.js';
import type { StoreKind } from '../support/stores.js';
import { call } from '../support/api.js';
import { makeDisks, makePool, MiB, type PoolWire } from './storage-support.js';

export { MiB };

export interface Side {
  c: InProcessCairn;
  pool: PoolWire;
}

export { call };

export async function side(t: T, diskBytes = 1536 * MiB, store?: StoreKind): Promise<Side> {
  const c = await startCairn(t, { tls: true, ...(store ? { store } : {}) });
  const [disk] = await makeDisks(c.admin, 1, diskBytes);
  const pool = await makePool(c.admin, { name: 'p1', disks: [disk!.id], profile: 'single' });
  return { c, pool };
}

export interface VolumeWire {
  id: string;
  name: string;
  path: string;
  pool: string;
  state: string;
  snapshot_count: number;
}

export async function volume(s: Side, name: string, size = 1024 * MiB): Promise<VolumeWire> {
  return call<VolumeWire>(s.c.admin, 'POST', 'volumes?wait=60', {
    pool: s.pool.id,
    name,
    type: 'filesystem',
    size,
  });
}

/** A key on `target` for `source` to use, and the partner entry on `source` pinning `target`. */
export async function partner(source: Side, target: Side, name = 'b'): Promise<{ id: string; key: string }> {
  const key = await call<{ key: string }>(target.c.admin, 'POST', 'api-keys', { name: `from-${name}` });
  const p = await call<{ id: string }>(source.c.admin, 'POST', 'partners', {
    name,
    url: target.c.url,
    api_key: key.key,
    fingerprint_sha256: target.c.fingerprint,
  });
  return { id: p.id, key: key.key };
}

export const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

/** name → sha256 of every regular file directly in `dir`. */
export async function sums(dir: string): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for (const n of (await readdir(dir)).sort()) out.set(n, sha(await readFile(join(dir, n))));
  return out;
}

export interface SessionWire {
  id: string;
  status: string;
  bytes_sent: number;
  parent_snapshot: string | null;
  snapshot: string | null;
  message: string | null;
  direction: string;
}
