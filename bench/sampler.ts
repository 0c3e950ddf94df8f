// Cost of sampling: CPU time of real sampling rounds (node and disks from /proc and /sys, 1,000
// volume rows, 10 pools, batch insert into SQLite in one transaction, alert evaluation) against the
// default 10 s interval. The budget is 2 % of one core. Run: node build/bench/sampler.js [volumes]
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { openStore } from '../src/store/db.js';
import { migrate } from '../src/store/migrations/index.js';
import { StatsStore } from '../src/store/stats.js';
import { AlertStore } from '../src/store/alerts.js';
import { NotificationStore } from '../src/store/notifications.js';
import { ProcFs } from '../src/system/procfs/index.js';
import { Sampler } from '../src/monitor/sampler.js';
import { AlertEvaluator } from '../src/monitor/alerts.js';
import { Notifier } from '../src/monitor/notifier.js';
import { DEFAULT_INTERVAL_MS, DEFAULT_RETENTION, type MonitorSources } from '../src/domain/monitor.js';

const VOLUMES = Number(process.argv[2] ?? 1000);
const ROUNDS = 30;

const dir = mkdtempSync(join(tmpdir(), 'cairn-bench-'));
const store = await openStore(join(dir, 'cairn.db'));
await migrate(store.db, store.dialect);
const logger = pino({ level: 'silent' });
const stats = new StatsStore(store.db, store.dialect);
const alerts = new AlertStore(store.db, store.dialect);
await alerts.ensureRules(new Date().toISOString());
const notifier = new Notifier({
  store: new NotificationStore(store.db, store.dialect),
  now: Date.now,
  backoffBaseMs: 1000,
  systemName: async () => 'bench',
  logger,
});

let tick = 0;
const pools = Array.from({ length: 10 }, (_, i) => ({ id: `pool-${i}`, name: `pool${i}` }));
const sources: MonitorSources = {
  pools: {
    pools: async () =>
      pools.map((p) => ({
        ...p,
        sizeBytes: 1e12,
        usedBytes: 4e11 + tick,
        freeBytes: 6e11 - tick,
        health: 'online' as const,
      })),
  },
  volumes: {
    volumes: async () =>
      Array.from({ length: VOLUMES }, (_, i) => ({
        id: `volume-${i}`,
        name: `vol${i}`,
        poolId: pools[i % pools.length]!.id,
        sizeBytes: 1e10,
        usedBytes: 1e9 + i + tick,
        exclusiveBytes: 5e8 + i,
        snapshotBytes: 1e8,
        snapshotCount: i % 20,
        snapshotLimit: 100,
      })),
  },
};
// A fake clock one interval per round, so every round writes new points like the real timer.
let now = Date.now();
const evaluator = new AlertEvaluator({
  store: alerts,
  notifier,
  sources: () => sources,
  certificateValidTo: () => null,
  now: () => now,
  logger,
});
const sampler = new Sampler({
  procfs: new ProcFs(),
  stats,
  sources: () => sources,
  nodeId: 'bench-node',
  nodeName: () => 'bench',
  now: () => now,
  logger,
  onRound: (r) => evaluator.evaluate(r),
});

await sampler.sample(); // warm-up (first rates, prepared statements)
const cpu0 = process.cpuUsage();
const wall0 = process.hrtime.bigint();
let points = 0;
for (let i = 0; i < ROUNDS; i++) {
  tick++;
  now += DEFAULT_INTERVAL_MS;
  points += (await sampler.sample())!.points;
}
const cpu = process.cpuUsage(cpu0);
const wallMs = Number(process.hrtime.bigint() - wall0) / 1e6;
const cpuMsPerRound = (cpu.user + cpu.system) / 1000 / ROUNDS;
const pct = (100 * cpuMsPerRound) / DEFAULT_INTERVAL_MS;
const r0 = Date.now();
await stats.rollup(now + 3_600_000, DEFAULT_RETENTION);
const rollupMs = Date.now() - r0;

console.log(
  `volumes: ${VOLUMES}, pools: ${pools.length}, rounds: ${ROUNDS}, points per round: ${points / ROUNDS}`,
);
console.log(
  `wall per round: ${(wallMs / ROUNDS).toFixed(1)} ms, CPU per round: ${cpuMsPerRound.toFixed(1)} ms`,
);
console.log(
  `CPU share of one core at the ${DEFAULT_INTERVAL_MS / 1000} s interval: ${pct.toFixed(3)} % (budget 2 %) ${pct <= 2 ? 'OK' : 'OVER BUDGET'}`,
);
console.log(`hourly rollup of ${ROUNDS + 1} rounds: ${rollupMs} ms (once an hour)`);
await sampler.stop();
await store.close();
rmSync(dir, { recursive: true, force: true });
if (pct > 2) process.exitCode = 1;
