// Benchmark: pool create+mount through the API (?wait) against raw mkfs.btrfs + mount on the same
// loop devices, and scrub throughput through Cairn against raw `btrfs scrub start -B` on the same
// data. Prints the medians and the ratios. Run as root: node build/bench/pools.js
import { execFileSync } from 'node:child_process';
import { mkdirSync, rmdirSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { startCairn } from '../test/support/cairn.js';

const MiB = 1024 * 1024;
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const DATA_MIB = Number(process.env.BENCH_DATA_MIB ?? 1024);

const sh = (argv: string[]) =>
  execFileSync(argv[0]!, argv.slice(1), { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const time = async (fn: () => Promise<unknown> | unknown) => {
  const t0 = process.hrtime.bigint();
  await fn();
  return Number(process.hrtime.bigint() - t0) / 1e6;
};

async function main(): Promise<void> {
  const cleanups: (() => unknown)[] = [];
  const t = { after: (fn: () => unknown) => void cleanups.push(fn) };
  try {
    const c = await startCairn(t);
    const api = c.admin;
    const disks: { id: string; path: string }[] = [];
    for (let i = 0; i < 2; i++)
      disks.push(
        (await api.request<{ id: string; path: string }>('POST', 'disks?wait=60', { size: 4096 * MiB })).body,
      );
    const devs = disks.map((d) => d.path);
    const body = { name: 'bench', disks: disks.map((d) => d.id), profile: 'raid1', compression: 'zstd' };

    // 1. create + mount
    const viaApi: number[] = [];
    const raw: number[] = [];
    const rawMnt = join(c.dataDir, 'raw-mnt');
    mkdirSync(rawMnt);
    for (let i = 0; i < ROUNDS; i++) {
      let id = '';
      viaApi.push(
        await time(async () => {
          const r = await api.request<{ id: string }>('POST', 'pools?wait=120', body);
          if (r.status !== 201) throw new Error(`pool create answered ${r.status}`);
          id = r.body.id;
        }),
      );
      await api.request('DELETE', `pools/${id}?wait=120`);
      raw.push(
        await time(() => {
          sh(['mkfs.btrfs', '-f', '-d', 'raid1', '-m', 'raid1', ...devs]);
          sh(['mount', '-o', 'compress=zstd:3', devs[0]!, rawMnt]);
        }),
      );
      sh(['umount', rawMnt]);
      sh(['wipefs', '-a', ...devs]);
    }
    rmdirSync(rawMnt);
    const a = median(viaApi);
    const b = median(raw);
    process.stdout.write(
      `pool create+mount (raid1, 2 x 4 GiB loop devices, ${ROUNDS} rounds, median):\n` +
        `  through the API (?wait): ${a.toFixed(0)} ms\n  raw mkfs.btrfs + mount:  ${b.toFixed(0)} ms\n  ratio API/raw: ${(a / b).toFixed(2)}\n`,
    );

    // 2. scrub throughput on the same data
    const pool = (
      await api.request<{ id: string; mount_path: string }>('POST', 'pools?wait=120', {
        ...body,
        compression: 'none',
      })
    ).body;
    const chunk = randomBytes(64 * MiB);
    for (let i = 0; i < DATA_MIB / 64; i++)
      writeFileSync(
        join(pool.mount_path, `d${i}`),
        chunk.map((x, j) => x ^ ((i + j) % 251)),
      );
    sh(['sync', '-f', pool.mount_path]);
    const cairnRates: number[] = [];
    const rawRates: number[] = [];
    for (let i = 0; i < Math.max(3, Math.floor(ROUNDS / 2)); i++) {
      let bytes = 0;
      const ms = await time(async () => {
        const r = await api.request<{ state: string; result: { bytes_scrubbed: number } }>(
          'POST',
          `pools/${pool.id}/scrub?wait=600`,
        );
        if (r.body.state !== 'succeeded') throw new Error('scrub failed');
        bytes = r.body.result.bytes_scrubbed;
      });
      cairnRates.push(bytes / MiB / (ms / 1000));
      const rawMs = await time(() => sh(['btrfs', 'scrub', 'start', '-B', pool.mount_path]));
      rawRates.push(bytes / MiB / (rawMs / 1000));
    }
    const cr = median(cairnRates);
    const rr = median(rawRates);
    process.stdout.write(
      `scrub of ${DATA_MIB} MiB data on raid1 (both copies read; median):\n` +
        `  through Cairn (job, ?wait): ${cr.toFixed(0)} MiB/s\n  raw btrfs scrub start -B:   ${rr.toFixed(0)} MiB/s\n  ratio Cairn/raw: ${(cr / rr).toFixed(2)}\n`,
    );
    await api.request('DELETE', `pools/${pool.id}?wait=120`);
    for (const d of disks) await api.request('DELETE', `disks/${d.id}?wait=60`);
  } finally {
    for (const fn of cleanups.reverse()) await fn();
  }
}

main().then(
  () => process.exit(0),
  (e: unknown) => {
    process.stderr.write(`bench failed: ${e instanceof Error ? e.stack : String(e)}\n`);
    process.exit(1);
  },
);
