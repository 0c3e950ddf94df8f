// Helpers for the disk and pool tests: make virtual disks and pools through the API, write files
// of random bytes and check them by SHA-256.
import { createHash, randomBytes } from 'node:crypto';
import { readFile, writeFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Client } from '../../src/cli/client.js';

export const MiB = 1024 * 1024;

export interface DiskWire {
  id: string;
  name: string;
  state: string;
  path: string | null;
  size: number;
  pool_id: string | null;
  kind: string;
}

export interface PoolWire {
  id: string;
  name: string;
  state: string;
  health: string;
  health_reason: string | null;
  profile: string;
  metadata_profile: string;
  compression: string;
  sync: string;
  mount_path: string;
  disks: { id: string; devid: number | null; path: string | null; state: string }[];
  spares: { id: string }[];
  size: number;
  used: number;
  free: number;
  capacity: null | {
    raw_size: number;
    data: { profile: string; used: number };
    metadata: { profile: string };
    compression: { logical_bytes: number; stored_bytes: number; ratio: number | null } | null;
  };
  health_detail: null | {
    devices: { devid: number; missing: boolean; error_total: number }[];
    reasons: string[];
  };
}

export async function makeDisks(c: Client, n: number, size = 512 * MiB): Promise<DiskWire[]> {
  const out: DiskWire[] = [];
  for (let i = 0; i < n; i++) {
    const r = await c.request<DiskWire>('POST', 'disks?wait=60', { size });
    if (r.status !== 201) throw new Error(`disk create answered ${r.status}`);
    out.push(r.body);
  }
  return out;
}

export async function makePool(c: Client, body: Record<string, unknown>): Promise<PoolWire> {
  const r = await c.request<PoolWire>('POST', 'pools?wait=120', body);
  if (r.status !== 201) throw new Error(`pool create answered ${r.status}: ${JSON.stringify(r.body)}`);
  return r.body;
}

export interface PoolSpec {
  /** How many virtual disks to make for the pool (default 1) and their size (default 768 MiB). */
  disks?: number;
  diskSize?: number;
  name?: string;
  profile?: string;
  [field: string]: unknown;
}

export interface VolumeSpec {
  name: string;
  type?: 'filesystem' | 'lun';
  size?: number;
  [field: string]: unknown;
}

/** A volume as the native API answers it, the fields the tests read. */
export interface VolumeWire {
  id: string;
  name: string;
  type: string;
  state: string;
  path: string;
  pool: string;
  size: number;
}

/**
 * What most integration tests need first, in one call: virtual disks, a pool over them and the
 * given volumes on it, each online (64 MiB filesystems unless said otherwise).
 */
export async function poolWithVolumes(
  c: Client,
  volumes: VolumeSpec[] = [],
  spec: PoolSpec = {},
): Promise<{ pool: PoolWire; disks: DiskWire[]; volumes: VolumeWire[] }> {
  const { disks: n = 1, diskSize = 768 * MiB, ...poolBody } = spec;
  const disks = await makeDisks(c, n, diskSize);
  const pool = await makePool(c, {
    name: 'p1',
    profile: n > 1 ? 'raid1' : 'single',
    ...poolBody,
    disks: disks.map((d) => d.id),
  });
  const made: VolumeWire[] = [];
  for (const v of volumes) {
    const r = await c.request<VolumeWire>('POST', 'volumes?wait=60', {
      pool: pool.id,
      type: 'filesystem',
      size: 64 * MiB,
      ...v,
    });
    if (r.status !== 201 || r.body.state !== 'online')
      throw new Error(`volume ${v.name} answered ${r.status}: ${JSON.stringify(r.body)}`);
    made.push(r.body);
  }
  return { pool, disks, volumes: made };
}

const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

/** Writes `count` files of random bytes (and one of zeros, which compresses) under dir; returns name → sha256. */
export async function writeFiles(dir: string, count: number, bytes: number): Promise<Map<string, string>> {
  const sums = new Map<string, string>();
  for (let i = 0; i < count; i++) {
    const b = randomBytes(bytes);
    await writeFile(join(dir, `f${i}.bin`), b);
    sums.set(`f${i}.bin`, sha(b));
  }
  const z = Buffer.alloc(bytes);
  await writeFile(join(dir, 'zeros.bin'), z);
  sums.set('zeros.bin', sha(z));
  return sums;
}

/** Reads every file back and compares its SHA-256; returns how many were checked. */
export async function checkFiles(dir: string, sums: Map<string, string>): Promise<number> {
  let n = 0;
  for (const [name, want] of sums) {
    const got = sha(await readFile(join(dir, name)));
    if (got !== want) throw new Error(`${name}: sha256 ${got} != ${want}`);
    n++;
  }
  const listed = await readdir(dir);
  for (const name of sums.keys()) if (!listed.includes(name)) throw new Error(`${name} missing`);
  return n;
}

export async function poolGet(c: Client, id: string): Promise<PoolWire> {
  return c.get<PoolWire>(`pools/${id}`);
}

/** Byte offset of `needle` in a (large) file, read in chunks; -1 when absent. */
export async function findInFile(path: string, needle: Buffer): Promise<number> {
  const { open } = await import('node:fs/promises');
  const f = await open(path, 'r');
  try {
    const chunk = 64 * MiB;
    const buf = Buffer.alloc(chunk + needle.length);
    for (let pos = 0; ; pos += chunk) {
      const { bytesRead } = await f.read(buf, 0, buf.length, pos);
      if (bytesRead < needle.length) return -1;
      const i = buf.subarray(0, bytesRead).indexOf(needle);
      if (i >= 0) return pos + i;
    }
  } finally {
    await f.close();
  }
}

/** Overwrites `bytes` bytes at `offset` in a file with zeros (a silent corruption under btrfs). */
export async function zeroAt(path: string, offset: number, bytes: number): Promise<void> {
  const { open } = await import('node:fs/promises');
  const f = await open(path, 'r+');
  try {
    await f.write(Buffer.alloc(bytes), 0, bytes, offset);
    await f.sync();
  } finally {
    await f.close();
  }
}
