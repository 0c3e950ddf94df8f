// Replication benchmark (run as root): two in-process Cairn systems with HTTPS and real pools.
// Prints (1) throughput of a full session through Cairn against a local `btrfs send | btrfs receive`
// pipe of the same snapshot into the same target pool (ratio, aim >= 0.9), and (2) the bytes an
// incremental session sent against the bytes changed (ratio, aim <= 1.1).
// Usage: node build/bench/replication.js [MiB=256] [rounds=3]  (bounded: no round starts after 90 s)
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { open, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { execFile as execFileCb, spawn } from 'node:child_process';
import { promisify } from 'node:util';
import http from 'node:http';
import https from 'node:https';
import {
  MiB,
  call,
  partner,
  side,
  volume,
  type SessionWire,
  type Side,
} from '../test/integration/replication-support.js';
import { benchRun } from './support.js';
import { DEFAULT_INTERVAL_MS } from '../src/domain/monitor.js';

const total = Number(process.argv[2] ?? 256) * MiB;
const rounds = Number(process.argv[3] ?? 3);
const ROUND_BUDGET_MS = 90_000;
const { t, cleanup } = benchRun();

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

/**
 * The transport alone: the same stream through Node over HTTPS on loopback (a bare https server
 * piping into btrfs receive, in this process like the two Cairn systems), with the target's own
 * certificate; seconds. What Cairn adds beyond this is its own cost.
 */
async function httpsRelay(snapshot: string, dir: string, tlsDir: string): Promise<number> {
  const server = https.createServer({
    cert: readFileSync(join(tlsDir, 'cert.pem')),
    key: readFileSync(join(tlsDir, 'key.pem')),
  });
  server.on('request', (req: http.IncomingMessage, res: http.ServerResponse) => {
    const recv = spawn('btrfs', ['receive', '-e', dir], { stdio: ['pipe', 'ignore', 'inherit'] });
    req.pipe(recv.stdin);
    recv.on('exit', (c) => res.end(String(c)));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as { port: number }).port;
  try {
    const t0 = process.hrtime.bigint();
    const send = spawn('btrfs', ['send', '-q', snapshot], { stdio: ['ignore', 'pipe', 'inherit'] });
    const answer = await new Promise<string>((resolve, reject) => {
      const req = https.request(
        { host: '127.0.0.1', port, method: 'POST', path: '/', rejectUnauthorized: false, agent: false },
        (res) => {
          let body = '';
          res.on('data', (c: Buffer) => (body += c.toString()));
          res.on('end', () => resolve(body));
        },
      );
      req.on('error', reject);
      send.stdout.pipe(req);
    });
    if (answer !== '0') throw new Error(`relay receive exit ${answer}`);
    return Number(process.hrtime.bigint() - t0) / 1e9;
  } finally {
    server.close();
  }
}

// Never a blocking child here: both Cairn systems run in this process and would stall meanwhile
// (their partner connections were reset).
const run = promisify(execFileCb);

/** Deletes a received baseline and waits for btrfs to free its extents before the next run. */
async function dropBaseline(scratch: string, id: string): Promise<void> {
  await run('btrfs', ['subvolume', 'delete', join(scratch, id)]);
  await run('btrfs', ['subvolume', 'sync', scratch]);
  await run('sync');
}

const median = (xs: number[]) => {
  const s = [...xs].sort((x, y) => x - y);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};

/** Deletes a round's relationship with its replica `name` on `b`, and waits for btrfs to free it. */
async function dropReplica(a: Side, b: Side, relId: string, name: string): Promise<void> {
  await a.c.admin.request('DELETE', `relationships/${relId}`);
  for (let i = 0; i < 300; i++) {
    const left = await b.c.admin.get<{ total: number }>(`volumes?name=${name}`);
    if (left.total === 0) break;
    await new Promise((r) => setTimeout(r, 200));
  }
  await run('btrfs', ['subvolume', 'sync', join(b.c.dataDir, 'pools', b.pool.id)]);
  await run('sync');
}

async function main() {
  const began = Date.now();
  const a = await side(t, total * 3 + 1024 * MiB);
  const b = await side(t, total * 3 + 1024 * MiB);
  const pb = await partner(a, b, 'b');
  const v = await volume(a, 'bench', total * 2);
  const files = 8;
  for (let i = 0; i < files; i++) await writeRandom(join(v.path, `f${i}.bin`), total / files);
  await run('sync');

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
  await dropBaseline(scratch, snap.id);

  // Rounds of (bare relay, full Cairn session), interleaved so that load from elsewhere on the
  // machine falls on both alike; each side's median is compared. A round's replica is deleted (and
  // btrfs's cleaner waited for) before the next, as the relay's baseline is.
  const relayRuns: number[] = [];
  const cairnRuns: number[] = [];
  let rel = { id: '' };
  let full = { bytes_sent: 0 };
  // Bounded: no round starts after ROUND_BUDGET_MS (the first always runs).
  for (let round = 0; round < rounds && (round === 0 || Date.now() - began < ROUND_BUDGET_MS); round++) {
    relayRuns.push(await httpsRelay(snap.path, scratch, join(b.c.dataDir, 'tls')));
    await dropBaseline(scratch, snap.id);
    if (rel.id) await dropReplica(a, b, rel.id, `bench-${round - 1}`);
    rel = await call<{ id: string }>(a.c.admin, 'POST', 'relationships', {
      volume: v.id,
      partner: pb.id,
      target_pool: b.pool.id,
      target_volume_name: `bench-${round}`,
    });
    const s = await call<SessionWire & { started_at: string; ended_at: string }>(
      a.c.admin,
      'POST',
      `relationships/${rel.id}/sync?wait=3600`,
    );
    if (s.status !== 'COMPLETED') throw new Error(`session ${s.status}: ${s.message}`);
    full = s;
    cairnRuns.push((Date.parse(s.ended_at) - Date.parse(s.started_at)) / 1000);
  }
  const relaySeconds = median(relayRuns);
  const cairnSeconds = median(cairnRuns);

  // Incremental: rewrite 1/16 of one file in place, and add a new file of the same size.
  const changed = total / 32;
  const f = await open(join(v.path, 'f0.bin'), 'r+');
  await f.write(randomBytes(changed), 0, changed, 0);
  await f.close();
  writeFileSync(join(v.path, 'new.bin'), randomBytes(changed));
  await run('sync');
  const inc = await call<SessionWire>(a.c.admin, 'POST', `relationships/${rel.id}/sync?wait=3600`);

  const mb = (n: number) => (n / MiB).toFixed(0);
  const pipeRate = total / pipeSeconds;
  const cairnRate = total / cairnSeconds;
  const list = (xs: number[]) => xs.map((x) => x.toFixed(2)).join(', ');
  console.log(
    `data: ${mb(total)} MiB of random bytes in ${files} files; ${relayRuns.length} rounds, medians below`,
  );
  console.log(`rounds: bare relay ${list(relayRuns)} s; Cairn ${list(cairnRuns)} s`);
  console.log(
    `full: local send|receive ${pipeSeconds.toFixed(2)} s (${mb(pipeRate)} MiB/s); ` +
      `through Cairn ${cairnSeconds.toFixed(2)} s (${mb(cairnRate)} MiB/s, ${mb(full.bytes_sent)} MiB on the wire)`,
  );
  console.log(`throughput ratio (Cairn / local pipe): ${(cairnRate / pipeRate).toFixed(2)}  (aim >= 0.9)`);
  console.log(
    `transport alone (bare Node HTTPS relay, same process): ${relaySeconds.toFixed(2)} s, ` +
      `ratio to local pipe ${(pipeSeconds / relaySeconds).toFixed(2)}`,
  );
  // Both systems run with their default monitoring (sampler, pool watcher) unless the environment
  // turns it down: the ratio that says what Cairn, monitoring included, costs over the transport.
  const monitoring =
    `sampler every ${process.env.CAIRN_STATS_INTERVAL_MS ?? DEFAULT_INTERVAL_MS} ms, ` +
    `pool watcher every ${process.env.CAIRN_POOL_CHECK_MS ?? '5000'} ms`;
  console.log(
    `Cairn with monitoring (${monitoring}) ${cairnSeconds.toFixed(2)} s / bare relay ${relaySeconds.toFixed(2)} s: ` +
      `ratio ${(relaySeconds / cairnSeconds).toFixed(2)}  (aim >= 0.9)`,
  );
  console.log(
    `incremental: changed ${mb(2 * changed)} MiB, sent ${mb(inc.bytes_sent)} MiB; ` +
      `ratio ${(inc.bytes_sent / (2 * changed)).toFixed(3)}  (aim <= 1.1)`,
  );
  const load = (await readFile('/proc/loadavg', 'utf8')).split(' ').slice(0, 3).join(' ');
  console.log(`bench took ${((Date.now() - began) / 1000).toFixed(0)} s; load average now ${load}`);
}

main()
  .catch((e: unknown) => {
    console.error(e);
    process.exitCode = 1;
  })
  .finally(async () => {
    await cleanup();
  });
