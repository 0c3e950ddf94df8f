// Benchmark (issue 16): `docker volume create` + a container's first write into the new volume
// through Cairn's volume plugin, against the same with Docker's built-in `local` driver, on one
// real dockerd (started as the dockerd test starts it), interleaved rounds, medians and their ratio.
// Run as root after a build:
//   node build/bench/docker.js            (BENCH_ROUNDS=5)
import { performance } from 'node:perf_hooks';
import { dockerdRig, lifo } from '../test/integration/docker-support.js';
import { benchRun } from './support.js';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const { t, cleanup } = benchRun();
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const ms = (x: number) => `${x.toFixed(0)} ms`;

interface Round {
  create: number;
  write: number;
}

async function main() {
  const { d, image } = await dockerdRig(lifo(t));
  const made = new Set<string>();
  // Volumes a failed round left behind go before dockerd and Cairn stop.
  t.after(async () => {
    for (const v of made) await d.dockerStatus(['volume', 'rm', '-f', v]);
  });

  let n = 0;
  const round = async (driver: 'cairn' | 'local'): Promise<Round> => {
    const name = `bench-${driver}-${n++}`;
    made.add(name);
    const t0 = performance.now();
    await d.docker([
      'volume',
      'create',
      '-d',
      driver,
      ...(driver === 'cairn' ? ['--opt', 'size=1'] : []),
      name,
    ]);
    const t1 = performance.now();
    // The container's first write: the plugin's Mount (Cairn's attach job) happens here.
    await d.docker([
      'run',
      '--rm',
      '--network',
      'none',
      '--mount',
      `type=volume,source=${name},target=/data`,
      image,
      'sh',
      '-c',
      'echo first > /data/f && dd if=/dev/zero of=/data/z bs=1M count=1 2>/dev/null',
    ]);
    const t2 = performance.now();
    await d.docker(['volume', 'rm', name]);
    made.delete(name);
    return { create: t1 - t0, write: t2 - t1 };
  };

  // One warm-up round each (dockerd activates the plugin and loads the image on first use).
  await round('cairn');
  await round('local');
  const cairn: Round[] = [];
  const local: Round[] = [];
  for (let i = 0; i < ROUNDS; i++) {
    cairn.push(await round('cairn'));
    local.push(await round('local'));
  }
  const show = (what: string, rs: Round[]) => {
    const total = median(rs.map((r) => r.create + r.write));
    console.log(
      `${what}: create + first write median ${ms(total)} (create ${ms(median(rs.map((r) => r.create)))}, ` +
        `run with the first write ${ms(median(rs.map((r) => r.write)))}) over ${ROUNDS} rounds`,
    );
    return total;
  };
  const a = show('cairn plugin', cairn);
  const b = show('local driver', local);
  console.log(`ratio cairn / local: ${(a / b).toFixed(2)}`);
}

main()
  .catch((e: unknown) => {
    console.error(e);
    process.exitCode = 1;
  })
  .finally(() => cleanup());
