// Benchmark (issue 5): snapshot creation through the API (?wait) against raw
// `btrfs subvolume snapshot -r` on the same pool (p50/p99 and their ratio), and the time to fetch
// one page of snapshots at 1,000 and at 10,000 real snapshots. Run as root after a build:
//   node build/bench/snapshots.js   (BENCH_SAMPLES=200, BENCH_TOTALS=1000,10000, BENCH_CONCURRENCY=6)
import { writeFile } from 'node:fs/promises';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { startCairn } from '../test/support/cairn.js';
import { attach, testPool, MiB } from '../test/integration/volumes-pool.js';
import { exec, run } from '../src/system/exec.js';
import type { Volume } from '../src/domain/volumes.js';

const SAMPLES = Number(process.env.BENCH_SAMPLES ?? 200);
const TOTALS = (process.env.BENCH_TOTALS ?? '1000,10000').split(',').map(Number);
// Requests in flight while filling: snapshot creation holds only shared locks on the pool and the
// volume, so jobs run side by side and the API's own work overlaps the kernel's (btrfs still makes
// one snapshot at a time in the pool's snapshots/ directory).
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 6);

const hooks: (() => unknown)[] = [];
const t = { after: (fn: () => unknown) => void hooks.push(fn) };
const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]!;
};
const ms = (x: number) => `${x.toFixed(2)} ms`;

async function main() {
  const c = await startCairn(t, { store: 'sqlite' });
  const pool = await testPool(t, c, 16 * 1024 ** 3);
  attach(c, pool);
  const max = Math.max(...TOTALS);
  const v = (
    await c.admin.request<Volume>('POST', 'volumes?wait=60', {
      pool: pool.id,
      name: 'bench',
      type: 'filesystem',
      size: 1024 * MiB,
      snapshot_limit: max + SAMPLES + 100,
    })
  ).body;
  for (let i = 0; i < 16; i++) await writeFile(join(v.path, `f${i}.bin`), randomBytes(4 * MiB));
  const rawDir = join(pool.mountPath, 'bench-raw');
  mkdirSync(rawDir);
  const snap = (name: string) => c.admin.request('POST', `volumes/${v.id}/snapshots?wait=60`, { name });
  let n = 0;
  for (let i = 0; i < 20; i++) await snap(`warm-${n++}`);

  // 1. creation: API (?wait) and raw btrfs, interleaved so both see the same pool state
  const api: number[] = [];
  const raw: number[] = [];
  for (let i = 0; i < SAMPLES; i++) {
    let t0 = performance.now();
    await snap(`api-${n++}`);
    api.push(performance.now() - t0);
    t0 = performance.now();
    await run(exec, {
      argv: ['btrfs', 'subvolume', 'snapshot', '-r', v.path, join(rawDir, `r${i}`)],
      timeoutMs: 60_000,
    });
    raw.push(performance.now() - t0);
  }
  console.log(`snapshot creation, ${SAMPLES} samples each, interleaved, same pool and volume`);
  console.log(`  API POST /volumes/{id}/snapshots?wait=60  p50 ${ms(pct(api, 50))}  p99 ${ms(pct(api, 99))}`);
  console.log(`  raw btrfs subvolume snapshot -r           p50 ${ms(pct(raw, 50))}  p99 ${ms(pct(raw, 99))}`);
  console.log(
    `  ratio API/raw                             p50 ${(pct(api, 50) / pct(raw, 50)).toFixed(2)}  p99 ${(pct(api, 99) / pct(raw, 99)).toFixed(2)}`,
  );

  // 2. one page of snapshots at growing totals (all real btrfs snapshots made through the API)
  for (const total of TOTALS) {
    const fillStart = performance.now();
    const before = n;
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        while (n < total) await snap(`fill-${n++}`);
      }),
    );
    const fillMs = performance.now() - fillStart;
    // Pages are timed on a settled pool: the size refresh that follows a burst of snapshots runs
    // now instead of during the measurement.
    await c.app.services.volumes.maintain(pool.id);
    const cnt = (await c.admin.get<{ total: number }>(`volumes/${v.id}/snapshots?limit=1`)).total;
    if (cnt !== n) throw new Error(`expected ${n} snapshots, the API lists ${cnt}`);
    const first: number[] = [];
    const deep: number[] = [];
    const sysWide: number[] = [];
    const firstPage = await c.admin.get<{ next_cursor: string }>(
      `volumes/${v.id}/snapshots?limit=100&sort=-created_at`,
    );
    for (let i = 0; i < 50; i++) {
      let t0 = performance.now();
      await c.admin.get(`volumes/${v.id}/snapshots?limit=100&sort=-created_at`);
      first.push(performance.now() - t0);
      t0 = performance.now();
      await c.admin.get(
        `volumes/${v.id}/snapshots?limit=100&sort=-created_at&cursor=${firstPage.next_cursor}`,
      );
      deep.push(performance.now() - t0);
      t0 = performance.now();
      await c.admin.get(`snapshots?limit=100&sort=name&name__contains=fill`);
      sysWide.push(performance.now() - t0);
    }
    const rate = ((n - before) / fillMs) * 1000;
    console.log(
      `one page of 100 at ${cnt} snapshots (filled in ${(fillMs / 1000).toFixed(1)} s, ${rate.toFixed(1)}/s with ${CONCURRENCY} in flight), median of 50:`,
    );
    console.log(`  first page, sort -created_at        ${ms(pct(first, 50))}`);
    console.log(`  next page by cursor                 ${ms(pct(deep, 50))}`);
    console.log(`  system-wide, name__contains, sort   ${ms(pct(sysWide, 50))}`);
  }
}

try {
  await main();
} finally {
  for (const h of hooks.reverse()) await Promise.resolve(h()).catch((e: unknown) => console.error(e));
}
