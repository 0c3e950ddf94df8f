// Finds the monitor's sources among the services of the areas built before it (pools, disks,
// volumes, exports, replication, daemons), by the method each source interface names, so the
// monitor works with whatever has landed and picks up the rest as areas arrive.
import type { MonitorSources } from '../../domain/monitor.js';

type Bag = Record<string, unknown>;

const hasFn = (o: unknown, fn: string): boolean =>
  typeof o === 'object' && o !== null && typeof (o as Bag)[fn] === 'function';

/** The first object among `candidates` (or their `.monitor` child) that has method `fn`. */
function pick<T>(candidates: unknown[], fn: string): T | undefined {
  for (const c of candidates) {
    if (hasFn(c, fn)) return c as T;
    const child = typeof c === 'object' && c !== null ? (c as Bag).monitor : undefined;
    if (hasFn(child, fn)) return child as T;
  }
  return undefined;
}

export function sourcesFrom(sofar: Bag): MonitorSources {
  const s: MonitorSources = {};
  const disks = pick<MonitorSources['disks']>([sofar.disks, sofar.storage, sofar.pools], 'disks');
  const pools = pick<MonitorSources['pools']>([sofar.pools, sofar.storage], 'pools');
  const volumes = pick<MonitorSources['volumes']>([sofar.volumes], 'volumes');
  const exports = pick<MonitorSources['exports']>([sofar.exports], 'exports');
  const daemons = pick<MonitorSources['daemons']>([sofar.daemons, sofar.exports], 'daemons');
  const replication = pick<MonitorSources['replication']>(
    [sofar.replication, sofar.relationships, sofar.protection],
    'relationships',
  );
  if (disks) s.disks = disks;
  if (pools) s.pools = pools;
  if (volumes) s.volumes = volumes;
  if (exports) s.exports = exports;
  if (daemons) s.daemons = daemons;
  if (replication) s.replication = replication;
  return s;
}
