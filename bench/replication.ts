// Replication benchmark (run as root): two in-process Cairn systems with HTTPS and real pools.
// Prints (1) throughput of a full session through Cairn against a local `btrfs send | btrfs receive`
// pipe of the same snapshot into the same target pool (ratio, aim >= 0.9), and (2) the bytes an
// incremental session sent against the bytes changed (ratio, aim <= 1.1).
// Usage: node build/bench/replication.js [MiB=1024]
import { randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { join } from 'node:path';
import { execFileSync, spawn } from 'node:child_process';
import {
  MiB,
  call,
  partner,
  side,
  volume,
  type SessionWire,
} from '../test/integration/replication-support.js';

const total = Number(process.argv[2] ?? 1024) * MiB;
const afters: (() => unknown)[] = [];
const t = { after: (f: () => unknown) => void afters.push(f) };

async function writeRandom(file: string, bytes: number): Promise<void> {
  const f = await open(file, 'w');
  const chunk = randomBytes(8 * MiB);
  for (let n = 0; n < bytes; n += chunk.length) await f.write(chunk, 0, Math.min(chunk.length, bytes - n));
  await f.close();
}

/** `btrfs send snap | btrfs receive dir`, both as children joined by a kernel pipe; seconds. */
function localPipe(snapshot: string, dir: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const t0 = process.hrtime.bigint();
    const recv = spawn('btrfs', ['receive', '-e', dir], { stdio: ['pipe', 'ignore', 'inherit'] });
    const send = spawn('btrfs', ['send', '-q', snapshot], { stdio: ['ignore', recv.stdin, 'inherit'] });
    send.on('exit', (c) => c !== 0 && reject(new Error(`send exit ${c}`)));
    recv.on('exit', (c) =>
      c === 0 ? resolve(Number(process.hrtime.bigint() - t0) / 1e9) : reject(new Error(`receive exit ${c}`)),
    );
  });
}

async function main() {
  const a = await side(t, total * 3 + 1024 * MiB);
  const b = await side(t, total * 3 + 1024 * MiB);
  const pb = await partner(a, b, 'b');
  const v = await volume(a, 'bench', total * 2);
  const files = 8;
  for (let i = 0; i < files; i++) await writeRandom(join(v.path, `f${i}.bin`), total / files);
  execFileSync('sync');

  // Local pipe of a snapshot of the same data into a scratch directory of the target pool.
  const snap = await call<{ id: string; path: string }>(
    a.c.admin,
    'POST',
    `volumes/${v.id}/snapshots?wait=60`,
    {
      name: 'bench-local',
    },
  );
  const scratch = join(b.c.dataDir, 'pools', b.pool.id, 'bench-local');
  mkdirSync(scratch);
  const pipeSeconds = await localPipe(snap.path, scratch);
  execFileSync('btrfs', ['subvolume', 'delete', join(scratch, snap.id)], { stdio: 'ignore' });
  // The cleaner frees the baseline's extents in the background: let it finish before Cairn's run.
  execFileSync('btrfs', ['subvolume', 'sync', scratch], { stdio: 'ignore' });
  execFileSync('sync');

  const rel = await call<{ id: string }>(a.c.admin, 'POST', 'relationships', {
    volume: v.id,
    partner: pb.id,
    target_pool: b.pool.id,
  });
  const full = await call<SessionWire & { rate: number; started_at: string; ended_at: string }>(
    a.c.admin,
    'POST',
    `relationships/${rel.id}/sync?wait=3600`,
  );
  const cairnSeconds = (Date.parse(full.ended_at) - Date.parse(full.started_at)) / 1000;

  // Incremental: rewrite 1/16 of one file in place, and add a new file of the same size.
  const changed = total / 32;
  const f = await open(join(v.path, 'f0.bin'), 'r+');
  await f.write(randomBytes(changed), 0, changed, 0);
  await f.close();
  writeFileSync(join(v.path, 'new.bin'), randomBytes(changed));
  execFileSync('sync');
  const inc = await call<SessionWire>(a.c.admin, 'POST', `relationships/${rel.id}/sync?wait=3600`);

  const mb = (n: number) => (n / MiB).toFixed(0);
  const pipeRate = total / pipeSeconds;
  const cairnRate = total / cairnSeconds;
  console.log(`data: ${mb(total)} MiB of random bytes in ${files} files`);
  console.log(
    `full: local send|receive ${pipeSeconds.toFixed(2)} s (${mb(pipeRate)} MiB/s); ` +
      `through Cairn ${cairnSeconds.toFixed(2)} s (${mb(cairnRate)} MiB/s, ${mb(full.bytes_sent)} MiB on the wire)`,
  );
  console.log(`throughput ratio (Cairn / local pipe): ${(cairnRate / pipeRate).toFixed(2)}  (aim >= 0.9)`);
  console.log(
    `incremental: changed ${mb(2 * changed)} MiB, sent ${mb(inc.bytes_sent)} MiB; ` +
      `ratio ${(inc.bytes_sent / (2 * changed)).toFixed(3)}  (aim <= 1.1)`,
  );
}

main()
  .catch((e: unknown) => {
    console.error(e);
    process.exitCode = 1;
  })
  .finally(async () => {
    for (const f of afters.reverse()) await Promise.resolve(f()).catch(() => undefined);
  });
