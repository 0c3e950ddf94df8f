// Benchmark: GET throughput of a real cairnd (HTTPS, SQLite) fresh, and again after it has served
// a bounded run of mixed requests like a fuzzer's (wrong passwords for other users and from another
// address, bad bodies, unknown routes, changes that write the audit trail, log and list reads).
// A request's cost must not depend on the daemon's history: the bench prints req/s and p99 both
// times and their ratio, and one GET /api/v1/logs fresh and aged. Run as root after a build:
//   node build/bench/throughput.js
//   (BENCH_CLIENTS=50, BENCH_SECONDS=10, BENCH_AGE_REQUESTS=50000)
import { Agent, request } from 'node:https';
import { performance } from 'node:perf_hooks';
import { startCairnProcess, ADMIN_PASSWORD } from '../test/support/cairn.js';
import { benchRun } from './support.js';

const CLIENTS = Number(process.env.BENCH_CLIENTS ?? 50);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const AGE_REQUESTS = Number(process.env.BENCH_AGE_REQUESTS ?? 50_000);

const { t, cleanup } = benchRun();
const basic = (u: string, p: string) => `Basic ${Buffer.from(`${u}:${p}`).toString('base64')}`;

interface Req {
  method: string;
  path: string;
  auth?: string;
  body?: string;
  localAddress?: string;
}

function call(agent: Agent, port: number, r: Req): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port,
        method: r.method,
        path: r.path,
        agent,
        rejectUnauthorized: false,
        ...(r.localAddress ? { localAddress: r.localAddress } : {}),
        headers: {
          ...(r.auth ? { authorization: r.auth } : {}),
          ...(r.body ? { 'content-type': 'application/json' } : {}),
        },
      },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      },
    );
    req.on('error', reject);
    req.end(r.body);
  });
}

/** CLIENTS loops of GETs for SECONDS: req/s, p50, p99, and the statuses seen. */
async function load(port: number, paths: string[]) {
  const agent = new Agent({ keepAlive: true, maxSockets: CLIENTS });
  const auth = basic('admin', ADMIN_PASSWORD);
  const lat: number[] = [];
  const statuses = new Map<number, number>();
  const end = performance.now() + SECONDS * 1000;
  let i = 0;
  await Promise.all(
    Array.from({ length: CLIENTS }, async () => {
      while (performance.now() < end) {
        const path = paths[i++ % paths.length]!;
        const t0 = performance.now();
        const s = await call(agent, port, { method: 'GET', path, auth });
        lat.push(performance.now() - t0);
        statuses.set(s, (statuses.get(s) ?? 0) + 1);
      }
    }),
  );
  agent.destroy();
  lat.sort((a, b) => a - b);
  return {
    rps: lat.length / SECONDS,
    p50: lat[Math.floor(lat.length * 0.5)]!,
    p99: lat[Math.floor(lat.length * 0.99)]!,
    statuses: Object.fromEntries(statuses),
  };
}

/** AGE_REQUESTS mixed requests, 20 in flight. */
async function age(port: number) {
  const agent = new Agent({ keepAlive: true, maxSockets: 20 });
  const admin = basic('admin', ADMIN_PASSWORD);
  const mix: ((n: number) => Req)[] = [
    (n) => ({ method: 'GET', path: '/api/v1/system', auth: basic('fuzz', `wrong-${n}`) }),
    (n) => ({ method: 'GET', path: '/api/v1/pools', auth: basic(`nobody${n % 97}`, 'x') }),
    (n) => ({
      method: 'GET',
      path: '/api/v1/volumes',
      auth: basic('admin', `guess-${n}`),
      localAddress: '127.0.0.2',
    }),
    (n) => ({ method: 'POST', path: '/api/v1/volumes', auth: admin, body: JSON.stringify({ bogus: n }) }),
    (n) => ({ method: 'POST', path: '/api/v1/pools', auth: admin, body: '{"name": 1' + String(n) }),
    (n) => ({ method: 'GET', path: `/api/v1/volumes/${n}`, auth: admin }),
    (n) => ({ method: 'GET', path: `/api/v1/nothing/${n}`, auth: admin }),
    () => ({ method: 'GET', path: '/api/v1/logs?limit=50', auth: admin }),
    () => ({ method: 'GET', path: '/api/v1/audit?sort=-at&limit=20', auth: admin }),
    (n) => ({ method: 'GET', path: `/api/v1/jobs?sort=-created_at&offset=${n % 50}`, auth: admin }),
    (n) => ({ method: 'DELETE', path: `/api/v1/snapshots/${n}`, auth: admin }),
    () => ({ method: 'GET', path: '/api/v1/system' }),
  ];
  let next = 0;
  const t0 = performance.now();
  const perKind = mix.map(() => ({ n: 0, ms: 0 }));
  await Promise.all(
    Array.from({ length: 20 }, async () => {
      while (next < AGE_REQUESTS) {
        const n = next++;
        const s = performance.now();
        await call(agent, port, mix[n % mix.length]!(n));
        perKind[n % mix.length]!.n += 1;
        perKind[n % mix.length]!.ms += performance.now() - s;
      }
    }),
  );
  agent.destroy();
  if (process.env.BENCH_VERBOSE)
    console.log('mean ms per kind of aging request:', perKind.map((k) => (k.ms / k.n).toFixed(1)).join(' '));
  return (performance.now() - t0) / 1000;
}

async function oneLogs(port: number) {
  const agent = new Agent({ keepAlive: true });
  const auth = basic('admin', ADMIN_PASSWORD);
  const times: number[] = [];
  for (let i = 0; i < 21; i++) {
    const t0 = performance.now();
    await call(agent, port, { method: 'GET', path: '/api/v1/logs?limit=50', auth });
    times.push(performance.now() - t0);
  }
  agent.destroy();
  return times.sort((a, b) => a - b)[10]!;
}

async function main() {
  const c = await startCairnProcess(t, { store: 'sqlite' });
  await c.admin.request('POST', 'users', { name: 'fuzz', password: 'fuzz-password', role: 'viewer' });
  const paths = ['/api/v1/system', '/api/v1/pools', '/api/v1/volumes', '/api/v1/jobs', '/api/v1/alerts'];
  const fresh = await load(c.port, paths);
  const logsFresh = await oneLogs(c.port);
  const ageSeconds = await age(c.port);
  const audit = await c.admin.get<{ total: number }>('audit?limit=1');
  const aged = await load(c.port, paths);
  const logsAged = await oneLogs(c.port);
  const f = (x: number) => x.toFixed(1);
  console.log(`GET throughput, ${CLIENTS} clients, ${SECONDS} s each, routes: ${paths.join(' ')}`);
  console.log(
    `fresh: ${f(fresh.rps)} req/s, p50 ${f(fresh.p50)} ms, p99 ${f(fresh.p99)} ms ${JSON.stringify(fresh.statuses)}`,
  );
  console.log(
    `aged by ${AGE_REQUESTS} mixed requests (${f(ageSeconds)} s, audit rows ${audit.total}): ` +
      `${f(aged.rps)} req/s, p50 ${f(aged.p50)} ms, p99 ${f(aged.p99)} ms ${JSON.stringify(aged.statuses)}`,
  );
  console.log(`aged/fresh req/s ratio: ${(aged.rps / fresh.rps).toFixed(2)}`);
  console.log(`GET /api/v1/logs?limit=50 median: fresh ${f(logsFresh)} ms, aged ${f(logsAged)} ms`);
}

main()
  .catch((e: unknown) => {
    console.error(e);
    process.exitCode = 1;
  })
  .finally(() => cleanup());
