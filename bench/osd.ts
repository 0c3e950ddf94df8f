// Benchmark (issue 16): an OpenStorage attach + mount of a lun through the OSD dialect (the two
// PUT /v1/osd-volumes/{id} calls OpenStorage's Go client makes) against raw `losetup -f --show`
// + `mount` of the same kind of file on the same pool, interleaved, medians and their ratio.
// Run as root after a build:
//   node build/bench/osd.js            (BENCH_ROUNDS=10)
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { exec, run } from '../src/system/exec.js';
import { sparseFile, tempDir } from '../test/support/real.js';
import { MiB, noError, ok, osd, osdRig } from '../test/integration/osd-support.js';
import { benchRun } from './support.js';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 10);
const { t, cleanup } = benchRun();
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const ms = (x: number) => `${x.toFixed(1)} ms`;

async function main() {
  const roots = tempDir(t, 'cairn-osd-bench-');
  const { c, tcp, pool } = await osdRig(t, { CAIRN_MOUNT_ROOTS: roots });
  const go = (method: string, path: string, body?: unknown) => osd(tcp, method, path, body);
  const id = String(
    noError(
      await go('POST', '/v1/osd-volumes', {
        locator: { name: 'bench' },
        spec: { size: 256 * MiB, format: 2 },
      }),
      'create',
    ).id,
  );
  const osdPath = join(roots, 'osd');
  const action = (o: object) => go('PUT', `/v1/osd-volumes/${id}`, { action: o });

  // The raw side: a sparse file on the same pool, formatted once like the lun.
  const poolMount = (await c.admin.get<{ mount_path: string }>(`pools/${pool}`)).mount_path;
  const img = await sparseFile(join(poolMount, 'bench-raw.img'), 256 * MiB);
  await run(exec, { argv: ['mkfs.ext4', '-q', '-F', img], timeoutMs: 60_000 });
  const rawPath = join(roots, 'raw');
  mkdirSync(rawPath);
  let rawDev: string | null = null;
  t.after(async () => {
    await run(exec, { argv: ['umount', rawPath], timeoutMs: 30_000 }).catch(() => undefined);
    if (rawDev)
      await run(exec, { argv: ['losetup', '-d', rawDev], timeoutMs: 30_000 }).catch(() => undefined);
  });

  const attachMs: number[] = [];
  const osdRound = async () => {
    const t0 = performance.now();
    const attached = ok<{ volume: { device_path?: string } }>(await action({ attach: 2 }), 'attach');
    attachMs.push(performance.now() - t0);
    noError(await action({ mount: 2, mount_path: osdPath }), 'mount');
    const dt = performance.now() - t0;
    if (!attached.volume.device_path) throw new Error('attach gave no device path');
    noError(await action({ mount: 1, mount_path: osdPath }), 'unmount');
    noError(await action({ attach: 1 }), 'detach');
    return dt;
  };
  const rawRound = async () => {
    const t0 = performance.now();
    rawDev = (await run(exec, { argv: ['losetup', '-f', '--show', img], timeoutMs: 30_000 })).stdout.trim();
    await run(exec, { argv: ['mount', rawDev, rawPath], timeoutMs: 30_000 });
    const dt = performance.now() - t0;
    await run(exec, { argv: ['umount', rawPath], timeoutMs: 30_000 });
    await run(exec, { argv: ['losetup', '-d', rawDev], timeoutMs: 30_000 });
    rawDev = null;
    return dt;
  };
  // One round each first: the lun's first mount formats it (ext4), the raw file was formatted above.
  await osdRound();
  await rawRound();
  const osdMs: number[] = [];
  const rawMs: number[] = [];
  for (let i = 0; i < ROUNDS; i++) {
    osdMs.push(await osdRound());
    rawMs.push(await rawRound());
  }
  const a = median(osdMs);
  const b = median(rawMs);
  console.log(`OSD attach + mount (2 PUTs, lun, ext4): median ${ms(a)} over ${ROUNDS} rounds`);
  console.log(`  of which the attach PUT: median ${ms(median(attachMs.slice(1)))}`);
  console.log(`raw losetup -f --show + mount:          median ${ms(b)} over ${ROUNDS} rounds`);
  console.log(`ratio OSD / raw: ${(a / b).toFixed(2)}`);
}

main()
  .catch((e: unknown) => {
    console.error(e);
    process.exitCode = 1;
  })
  .finally(() => cleanup());
