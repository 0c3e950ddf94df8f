// NGX status family and network info (seed 002 "Status", "Network"): live figures from the
// monitor's sampler, pools, daemons and system; what Cairn has no part for is reported absent.
import type { FastifyInstance } from 'fastify';
import type { Principal } from '../../../../domain/permissions.js';
import { DEFAULT_SNAPSHOT_LIMIT } from '../../../../domain/volumes.js';
import { CAIRN_VERSION } from '../../../../services/system.js';
import { all, cfg, eq, typed, type Ngx } from '../helpers.js';
import { capacityInfo, integrity, ngxId, POOL_STATUS, protocolUsage, uptimeText } from '../map.js';
import { poolFigures } from './pools.js';

/** Daemons behind NGX's service words. */
const SERVICE_DAEMON: Record<string, string> = { nfs: 'ganesha', cifs: 'smbd', san: 'tgtd' };

export async function statusRoutes(app: FastifyInstance, ngx: Ngx): Promise<void> {
  const t = typed(app);
  const { svc } = ngx;
  const read = (summary: string) => ({ config: cfg('stats.read'), schema: { summary } });

  /** Sum of a per-second metric over every disk the caller may see (what the pools' devices do). */
  const diskRates = async (p: Principal, metrics: [string, string]) => {
    const out = [0, 0];
    for (const o of svc.monitor.objects(p, 'disk')) {
      const live = await svc.monitor.live(p, 'disk', o.id).catch(() => null);
      metrics.forEach((m, i) => (out[i]! += live?.metrics[m] ?? 0));
    }
    const [read, write] = out.map((x) => Math.round(x)) as [number, number];
    return { read, total: read + write, write };
  };
  t.get('/status/bandwidth', read('Bandwidth (bytes/s)'), async (req) =>
    diskRates(req.principal, ['read_bytes_per_second', 'written_bytes_per_second']),
  );
  t.get('/status/iops', read('IOPS'), async (req) =>
    diskRates(req.principal, ['reads_per_second', 'writes_per_second']),
  );
  // Cairn keeps no DRAM cache tier of its own (the kernel's page cache is not one): nothing to report.
  t.get('/status/cache', read('Cache (absent)'), async () => ({}));

  t.get('/status/capacity', read('Capacity per pool'), async (req) => {
    const out: Record<string, unknown> = {};
    for (const x of await all((q) => svc.pools.list(req.principal, q))) {
      const pool = await svc.pools.get(req.principal, x.id);
      const c = await poolFigures(ngx, req.principal, pool);
      out[pool.name] = { info: capacityInfo(c), protocol_usage: protocolUsage(c) };
    }
    return out;
  });

  // One controller: connected, the master, its own only peer.
  t.get('/status/cluster', read('Cluster'), async () => ({
    connected: 1,
    interconnects: { ethernet: 1, hbactive: 0, hbdrive: 0, serial: 0 },
    peers: [{ id: await ngx.owner() }],
    status: 'Master',
  }));

  t.get('/status/cpu', read('CPU'), async (req) => {
    const node = svc.monitor.objects(req.principal, 'node')[0];
    const live = node ? await svc.monitor.live(req.principal, 'node', node.id).catch(() => null) : null;
    const m = live?.metrics ?? {};
    const busy = Math.round((m.cpu_busy_ratio ?? 0) * 100);
    let average = busy;
    if (node) {
      const h = await svc.monitor
        .history(req.principal, 'node', node.id, { metrics: 'cpu_busy_ratio' })
        .catch(() => null);
      const pts = h?.series[0]?.points ?? [];
      const vals = pts.map((x) => x.avg);
      if (vals.length) average = Math.round((vals.reduce((s, v) => s + v, 0) / vals.length) * 100);
    }
    return {
      average_utilization: average,
      cpu_idle: String(100 - busy),
      current_utilization: busy,
      load_15_min: (m.load15 ?? 0).toFixed(2),
      load_1_min: (m.load1 ?? 0).toFixed(2),
      load_5_min: (m.load5 ?? 0).toFixed(2),
    };
  });

  // The node's own disks are its one enclosure; Cairn has no NVMe enclosure.
  t.get('/status/enclosures', read('Enclosures'), async () => [
    { model: 'Cairn', no: 1, owner: '0', serial: await svc.system.systemId() },
  ]);

  // No license: every feature Cairn has is on, those it lacks (flash tier and cache, S3,
  // metro clustering, encryption) off; no capacity limit and no expiry.
  t.get('/status/license', read('License'), async () => ({
    autosnapshot: 1,
    clone: 1,
    datareduce: 1,
    encryption: 0,
    expire_time: 0,
    flashcache: 0,
    flashtier: 0,
    hdd_capacity: '0',
    metroscale: 0,
    none_vendor_drive: 1,
    replication: 1,
    s3: '0',
    snapshot: 1,
    software_update: 0,
    ssd_capacity: '0',
    start_time: 0,
  }));

  t.get('/status/overloaded_volumes', read('Volumes near their size'), async (req) => {
    const alerts = await all(
      (q) => svc.monitor.listAlerts(req.principal, q),
      eq('rule', 'volume_capacity'),
      // open alerts: raised, or acknowledged and not cleared yet
      eq('state', ['raised', 'acknowledged']),
    );
    const names = await ngx.poolNames(req.principal);
    const vols = [];
    for (const a of alerts) {
      const v = await svc.volumes.get(req.principal, a.object_id).catch(() => null);
      if (!v) continue;
      vols.push({
        pool_name: names.get(v.pool) ?? '',
        vol_id: ngxId('volume', v.id),
        vol_name: v.name,
        vol_size: v.size,
        vol_type: v.type === 'lun' ? 'lun' : 'share',
        vol_used: v.used,
      });
    }
    return { last_check_time: Date.now() / 1000, overloaded_volumes: vols };
  });

  t.get('/status/pools', read('Pool health'), async (req) => {
    const owner = await ngx.owner();
    return Promise.all(
      (await all((q) => svc.pools.list(req.principal, q))).map(async (pool) => {
        const scrub = await svc.pools.scrubStatus(req.principal, pool.id).catch(() => null);
        return {
          integrity: integrity(pool, scrub?.running ?? false),
          owner,
          pool_id: ngxId('pool', pool.id),
          pool_name: pool.name,
          status: POOL_STATUS[pool.health] ?? 'UNAVAIL',
        };
      }),
    );
  });

  t.get('/status/services', read('Services'), async () => {
    const daemons = (await svc.monitor.statusServices()).services;
    const on = (name: string) => (daemons.some((d) => d.name === name && d.running) ? 1 : 0);
    const channels = await all((q) => svc.monitor.listChannels(q));
    return {
      callhome: 0,
      cifs: on(SERVICE_DAEMON.cifs!),
      mail_alert: channels.some((c) => c.type === 'email' && c.enabled) ? 1 : 0,
      nfs: on(SERVICE_DAEMON.nfs!),
      ntp: 0,
      remote_help: 0,
      replication: 1,
      s3: 0,
      san: on(SERVICE_DAEMON.san!),
      snmp: 0,
      snmp_trap: 0,
      syslog: 0,
    };
  });

  t.get('/status/system_info', read('System info'), async (req) => {
    const p = req.principal;
    const info = await svc.system.info();
    const [users, hosts, luns, fs, snaps, exports] = await Promise.all([
      svc.auth.listUsers({ limit: 1, offset: 0, cursor: null, sort: [], filters: [] }),
      all((q) => svc.hosts.list(q)),
      svc.volumes.list(p, { limit: 1, offset: 0, cursor: null, sort: [], filters: [eq('type', 'lun')] }),
      all((q) => svc.volumes.list(p, q), eq('type', 'filesystem')),
      svc.snapshots.list(p, { limit: 1, offset: 0, cursor: null, sort: [], filters: [] }),
      all((q) => svc.exports.list(p, q)),
    ]);
    const tag = (await ngx.owner()).replace(/_A$/, '');
    const shared = new Set(
      exports.filter((e) => e.protocol === 'nfs' || e.protocol === 'smb').map((e) => e.volumeId),
    );
    return {
      user_count: users.total,
      dramcachesize: '0GB',
      scsi_initiators: hosts.reduce((s, h) => s + h.iqns.length, 0),
      used_lun: new Set(exports.filter((e) => e.protocol === 'iscsi').map((e) => e.volumeId)).size,
      shares: fs.filter((v) => shared.has(v.id)).length,
      maxlun: '255',
      product: 'Cairn',
      controller_type: '1',
      app_version: CAIRN_VERSION,
      luns: luns.total,
      date: new Date().toString(),
      uptime: uptimeText(info.uptime_seconds),
      service_tag: tag,
      maxsnap: String(DEFAULT_SNAPSHOT_LIMIT),
      fc_initiators: 0,
      snapshot_count: String(snaps.total),
      os_version: info.os_version,
    };
  });

  t.get('/network/info', { config: cfg('system.read'), schema: { summary: 'Network info' } }, async () =>
    (await svc.network.list()).map((n) => ({
      name: n.name,
      mac: n.hw_addr,
      ipv4: n.ip4_addrs,
      ipv6: n.ip6_addrs,
      services: n.services,
    })),
  );
}
