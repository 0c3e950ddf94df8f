// Benchmark (issue 5): snapshot creation through the API (?wait) against raw
// `btrfs subvolume snapshot -r` on the same pool (p50/p99 and their ratio), and the time to fetch
// one page of snapshots at 1,000 and at 10,000 real snapshots. Run as root after a build:
//   node build/bench/snapshots.js
//   (BENCH_SAMPLES=200, BENCH_TOTALS=1000,10000, BENCH_CONCURRENCY=6, BENCH_VOLUMES=10)
import { writeFile } from 'node:fs/promises';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { startCairn } from '../test/support/cairn.js';
import { attach, testPool, MiB } from '../test/integration/volumes-pool.js';
import { execDirect, execWith, run, type Exec } from '../src/system/exec.js';
import { Launcher } from '../src/system/launcher.js';
import { runtimeConfig } from '../src/daemon/config.js';
import type { Volume } from '../src/domain/volumes.js';
import { benchRun } from './support.js';

const SAMPLES = Number(process.env.BENCH_SAMPLES ?? 200);
const TOTALS = (process.env.BENCH_TOTALS ?? '1000,10000').split(',').map(Number);
// Requests in flight while filling: snapshot creation holds only shared locks on the pool and the
// volume, so jobs run side by side and the API's own work overlaps the kernel's (btrfs still makes
// one snapshot at a time in the pool's snapshots/ directory).
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 6);
// The fill goes round-robin over this many volumes of the pool. With quotas on, the kernel's cost of
// a snapshot grows with the snapshots already sharing the volume's tree blocks (qgroup accounting
// walks their back references): filling one volume fell from 7.7 a second below 1,000 snapshots to
// 3.6 at 2,000, the btrfs process spending its time in the kernel, and 10,000 would take hours.
const VOLUMES = Number(process.env.BENCH_VOLUMES ?? 10);

const { t, cleanup } = benchRun();
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
  const vols = [v];
  for (let i = 1; i < VOLUMES; i++) {
    const o = (
      await c.admin.request<Volume>('POST', 'volumes?wait=60', {
        pool: pool.id,
        name: `bench-${i}`,
        type: 'filesystem',
        size: 256 * MiB,
        snapshot_limit: max,
      })
    ).body;
    await writeFile(join(o.path, 'f.bin'), randomBytes(4 * MiB));
    vols.push(o);
  }
  const rawDir = join(pool.mountPath, 'bench-raw');
  mkdirSync(rawDir);
  const snap = (name: string) => c.admin.request('POST', `volumes/${v.id}/snapshots?wait=60`, { name });
  let n = 0;
  for (let i = 0; i < 20; i++) await snap(`warm-${n++}`);

  // 1. creation: API (?wait) and the raw tool, interleaved so both see the same pool state. The raw
  // tool is started the way Cairn starts programs, by the launcher (vfork from a small helper,
  // src/system/launcher.ts), so the ratio is Cairn's own cost over the tool's.
  // A launcher of the bench's own, opened as the composition root opens Cairn's (same setting).
  const launcher = Launcher.open({ enabled: runtimeConfig(process.env).launcher });
  const exec = execWith(launcher);
  const api: number[] = [];
  const rawLaunched: number[] = [];
  let r = 0;
  const raw = async (how: Exec, into: number[]) => {
    const t0 = performance.now();
    await run(how, {
      argv: ['btrfs', 'subvolume', 'snapshot', '-r', v.path, join(rawDir, `r${r++}`)],
      timeoutMs: 60_000,
    });
    into.push(performance.now() - t0);
  };
  for (let i = 0; i < SAMPLES; i++) {
    const t0 = performance.now();
    await snap(`api-${n++}`);
    api.push(performance.now() - t0);
    await raw(exec, rawLaunched);
  }
  // 1b. the raw tool started by Node's child_process (a fork of this process, which hosts Cairn)
  // against the launcher, interleaved: what the way of starting a program costs. Kept apart from
  // the comparison above because every fork of this process also slows the Cairn in it.
  const rawNode: number[] = [];
  const rawLaunched2: number[] = [];
  for (let i = 0; i < SAMPLES; i++) {
    await raw(execDirect, rawNode);
    await raw(exec, rawLaunched2);
  }
  const row = (label: string, xs: number[]) =>
    console.log(`  ${label.padEnd(52)} p50 ${ms(pct(xs, 50))}  p99 ${ms(pct(xs, 99))}`);
  const ratio = (label: string, xs: number[], ys: number[]) =>
    console.log(
      `  ${label.padEnd(52)} p50 ${(pct(xs, 50) / pct(ys, 50)).toFixed(2)}  p99 ${(pct(xs, 99) / pct(ys, 99)).toFixed(2)}`,
    );
  console.log(
    `snapshot creation, ${SAMPLES} samples each, interleaved, same pool and volume (Cairn starts programs by: ${launcher.mode})`,
  );
  row('API POST /volumes/{id}/snapshots?wait=60', api);
  row('raw btrfs subvolume snapshot -r (launcher)', rawLaunched);
  ratio('ratio API/raw', api, rawLaunched);
  console.log(`the raw tool by child_process against the launcher, ${SAMPLES} samples each, interleaved`);
  row('raw btrfs subvolume snapshot -r (child_process)', rawNode);
  row('raw btrfs subvolume snapshot -r (launcher)', rawLaunched2);
  ratio('ratio child_process/launcher', rawNode, rawLaunched2);

  // 2. one page of snapshots at growing totals (all real btrfs snapshots made through the API)
  for (const total of TOTALS) {
    const fillStart = performance.now();
    const before = n;
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        while (n < total) {
          const k = n++;
          await c.admin.request('POST', `volumes/${vols[k % vols.length]!.id}/snapshots?wait=60`, {
            name: `fill-${k}`,
          });
        }
      }),
    );
    const fillMs = performance.now() - fillStart;
    // Pages are timed on a settled pool: the size refresh that follows a burst of snapshots runs
    // now instead of during the measurement.
    await c.app.services.volumes.maintain(pool.id);
    const cnt = (await c.admin.get<{ total: number }>(`snapshots?limit=1`)).total;
    if (cnt !== n) throw new Error(`expected ${n} snapshots, the API lists ${cnt}`);
    const inVolume = (await c.admin.get<{ total: number }>(`volumes/${v.id}/snapshots?limit=1`)).total;
    // The second page (a list of 100 or fewer has none: then that line is left out).
    const next = async (path: string) => {
      const cursor = (await c.admin.get<{ next_cursor: string | null }>(path)).next_cursor;
      return cursor ? `${path}&cursor=${cursor}` : null;
    };
    const pages = (
      [
        [
          'volume bench, first page, sort -created_at',
          `volumes/${v.id}/snapshots?limit=100&sort=-created_at`,
        ],
        [
          'volume bench, next page by cursor',
          await next(`volumes/${v.id}/snapshots?limit=100&sort=-created_at`),
        ],
        ['system-wide, first page, sort -created_at', `snapshots?limit=100&sort=-created_at`],
        ['system-wide, next page by cursor', await next(`snapshots?limit=100&sort=-created_at`)],
        ['system-wide, name__contains, sort name', `snapshots?limit=100&sort=name&name__contains=fill`],
      ] as [string, string | null][]
    ).filter((p): p is [string, string] => p[1] !== null);
    const times = pages.map(() => [] as number[]);
    for (let i = 0; i < 50; i++)
      for (const [j, [, path]] of pages.entries()) {
        const t0 = performance.now();
        await c.admin.get(path);
        times[j]!.push(performance.now() - t0);
      }
    const rate = ((n - before) / fillMs) * 1000;
    console.log(
      `one page of 100 at ${cnt} snapshots in the pool, ${inVolume} of them of volume bench ` +
        `(filled in ${(fillMs / 1000).toFixed(1)} s, ${rate.toFixed(1)}/s, ${CONCURRENCY} in flight over ` +
        `${vols.length} volumes), median of 50:`,
    );
    for (const [j, [label]] of pages.entries())
      console.log(`  ${label.padEnd(44)} ${ms(pct(times[j]!, 50))}`);
  }
}

try {
  await main();
} finally {
  await cleanup();
}
