// /v1/cluster (api/server/cluster.go) as a one-node cluster with this machine's real figures,
// alerts from Cairn's alerts, and the Portworx extras of seed 000: /statslive, /statshistory,
// /v1/osd-volumes/alerts.
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { release } from 'node:os';
import { CairnError } from '../../../../domain/errors.js';
import type { Alert } from '../../../../domain/monitor.js';
import type { Principal } from '../../../../domain/permissions.js';
import { allPages } from '../../jobs.js';
import { notFound, params, type OsdContext } from '../context.js';
import {
  alertNumber,
  historyRows,
  osdAlert,
  osdCluster,
  osdNode,
  osdStats,
  OSD_API_VERSION,
  resourceOf,
  RESOURCE,
  STATUS,
  type NodeFacts,
} from '../map.js';
import { IdParam } from '../schemas.js';
import { sendText } from '../reply.js';

/** Go's api.TimeLayout, the alerts' `timestart`/`timeend`: `Jan 2 15:04:05 UTC 2006`. */
const parseGoTime = (s: string): number =>
  Date.parse(s.replace(/^(\w+ \d+) (\S+) UTC (\d+)$/, '$1 $3 $2 UTC'));

export async function osdClusterRoutes(app: FastifyInstance, x: OsdContext): Promise<void> {
  const r = app.withTypeProvider<TypeBoxTypeProvider>();
  const { svc, cfg } = x;

  const facts = async (p: Principal): Promise<NodeFacts> => {
    const nodeId = await x.nodeId();
    const [info, clusterId, live, pools, versions, nics, volumes] = await Promise.all([
      svc.system.info(),
      svc.system.systemId(),
      svc.monitor.live(p, 'node', nodeId).catch(notFound),
      allPages((offset, limit) => svc.pools.list(p, params([], limit, offset))),
      svc.versions.all(),
      svc.network.list(),
      x.allVolumes(p),
    ]);
    const m = live?.metrics ?? {};
    const ip = nics.find((n) => n.name !== 'lo' && n.ip4_addrs.length)?.ip4_addrs[0] ?? '127.0.0.1';
    return {
      nodeId,
      clusterId,
      hostname: info.hostname,
      ip,
      maintenance: svc.maintenance.enabled,
      cpuPercent: (m.cpu_busy_ratio ?? 0) * 100,
      memTotal: m.memory_total_bytes ?? 0,
      memFree: m.memory_available_bytes ?? 0,
      load1: m.load1 ?? 0,
      startTime: info.started_at,
      now: info.time,
      osName: `${info.os_name} ${info.os_version}`.trim(),
      kernel: versions.find((v) => v.name === 'kernel')?.version ?? release(),
      version: info.version,
      pools: pools.map((pool) => ({
        id: pool.id,
        name: pool.name,
        size: pool.size,
        used: pool.used,
        devices: pool.disks.map((d) => d.path ?? d.name),
        online: pool.state === 'ready',
      })),
      allocated: volumes.reduce((s, v) => s + v.size, 0),
    };
  };

  const versions = async () => [OSD_API_VERSION];
  r.get('/cluster/versions', { config: cfg('system.read') }, versions);
  r.get('/v1/cluster/versions', { config: cfg('system.read') }, versions);
  r.get('/v1/cluster/enumerate', { config: cfg('system.read') }, async (req) =>
    osdCluster(await facts(req.principal)),
  );
  r.get(
    '/v1/cluster/inspect/:id',
    { config: cfg('system.read'), schema: { params: IdParam } },
    async (req) => {
      const f = await facts(req.principal);
      // This node answers to its id and its hostname; there are no others.
      if (req.params.id !== f.nodeId && req.params.id !== f.hostname)
        throw new CairnError('NOT_FOUND', { method: 'node', url: req.params.id });
      return osdNode(f);
    },
  );
  const status = async (req: { principal: Principal }) =>
    (await facts(req.principal)).maintenance ? STATUS.MAINTENANCE : STATUS.OK;
  r.get('/v1/cluster/nodestatus', { config: cfg('system.read') }, status);
  r.get('/v1/cluster/status', { config: cfg('system.read') }, status);
  r.get('/v1/cluster/nodehealth', { config: cfg('system.read') }, async (req, reply) => {
    const s = await status(req);
    if (s !== STATUS.OK) return sendText(reply, 503, 'Node status not OK (STATUS_MAINTENANCE)');
    return reply.type('text/plain; charset=utf-8').send('Node status OK\n');
  });
  r.get(
    '/v1/cluster/peerstatus',
    {
      config: cfg('system.read'),
      schema: {
        querystring: Type.Object({ name: Type.String({ minLength: 1 }) }, { additionalProperties: false }),
      },
    },
    async (req) => ({ [await x.nodeId()]: await status(req) }),
  );

  // ---- maintenance mode (seed 000: GET /entermaintenance, GET /exitmaintenance), also as PUTs.
  const maintenance = (enabled: boolean) => async (req: FastifyRequest) => {
    await svc.maintenance.set(req.principal, enabled);
    return {
      Status: enabled ? 'Enter maintenance mode.' : 'Exit maintenance mode.',
      Version: OSD_API_VERSION,
    };
  };
  for (const [path, on] of [
    ['/entermaintenance', true],
    ['/exitmaintenance', false],
  ] as const) {
    r.get(path, { config: cfg('system.write') }, maintenance(on));
    r.put(path, { config: cfg('system.write') }, maintenance(on));
  }

  // ---- alerts
  const alerts = async (p: Principal) =>
    allPages((offset, limit) => svc.monitor.listAlerts(p, params([], limit, offset)));
  const ResourceParam = Type.Object(
    { resource: Type.String({ minLength: 1 }) },
    { additionalProperties: false },
  );
  const resource = (s: string): number => {
    const n = resourceOf(s);
    if (n === undefined)
      throw new CairnError('VALIDATION_FAILED', { summary: `resource: unknown ResourceType ${s}` });
    return n;
  };
  r.get(
    '/v1/cluster/alerts/:resource',
    {
      config: cfg('alert.read'),
      schema: {
        params: ResourceParam,
        querystring: Type.Object(
          { timestart: Type.Optional(Type.String()), timeend: Type.Optional(Type.String()) },
          { additionalProperties: false },
        ),
      },
    },
    async (req) => {
      const want = resource(req.params.resource);
      const from = req.query.timestart ? parseGoTime(req.query.timestart) : -Infinity;
      const to = req.query.timeend ? parseGoTime(req.query.timeend) : Infinity;
      if (Number.isNaN(from) || Number.isNaN(to))
        throw new CairnError('VALIDATION_FAILED', {
          summary: 'timestart/timeend: like "Jan 2 15:04:05 UTC 2006"',
        });
      const list = (await alerts(req.principal))
        .map(osdAlert)
        .filter((a) => want === RESOURCE.NONE || a.resource === want)
        .filter((a) => {
          const t = (a.timestamp?.seconds ?? 0) * 1000;
          return t >= from && t <= to;
        });
      return { alert: list };
    },
  );
  const byNumber = async (p: Principal, n: string): Promise<Alert> => {
    const a = (await alerts(p)).find((x) => String(alertNumber(x.id)) === n);
    if (!a) throw new CairnError('ALERT_NOT_FOUND', { id: n });
    return a;
  };
  const AlertParams = Type.Object(
    { resource: Type.String({ minLength: 1 }), id: Type.String({ pattern: '^[0-9]{1,20}$' }) },
    { additionalProperties: false },
  );
  // OpenStorage's "clear" is Cairn's acknowledge: the alert stays in the history.
  r.put(
    '/v1/cluster/alerts/:resource/:id',
    { config: cfg('alert.write'), schema: { params: AlertParams } },
    async (req) => {
      resource(req.params.resource);
      const a = await byNumber(req.principal, req.params.id);
      if (a.state === 'raised') await svc.monitor.acknowledge(req.principal, a.id);
      return 'Successfully cleared Alert';
    },
  );
  r.get('/v1/osd-volumes/alerts', { config: cfg('alert.read') }, async (req) => ({
    alert: (await alerts(req.principal)).map(osdAlert).filter((a) => a.resource === RESOURCE.VOLUME),
  }));

  // ---- seed 000: live and historical volume statistics
  const StatsQuery = Type.Object(
    { volumeid: Type.String({ minLength: 1 }), stattype: Type.Optional(Type.String()) },
    { additionalProperties: false },
  );
  r.get('/statslive', { config: cfg('stats.read'), schema: { querystring: StatsQuery } }, async (req) => {
    const p = req.principal;
    const v = await x.mustVolume(p, req.query.volumeid);
    const live = await svc.monitor.live(p, 'volume', v.id).catch(notFound);
    return osdStats(live?.metrics ?? {}, v.used, live?.interval_ms ?? 0);
  });
  r.get('/statshistory', { config: cfg('stats.read'), schema: { querystring: StatsQuery } }, async (req) => {
    const p = req.principal;
    const v = await x.mustVolume(p, req.query.volumeid);
    const now = Date.now();
    // The buckets the seed describes: 23 hours, 31 days, 12 months, from Cairn's rollups.
    const bucket = async (resolution: 'hour' | 'day' | 'month', spanMs: number) => {
      const h = await svc.monitor
        .history(p, 'volume', v.id, {
          resolution,
          from: new Date(now - spanMs).toISOString(),
          to: new Date(now).toISOString(),
        })
        .catch(notFound);
      return h ? historyRows(h.series) : [];
    };
    const HOUR = 3_600_000;
    return {
      volumeid: v.id,
      Hourly: await bucket('hour', 23 * HOUR),
      Daily: await bucket('day', 31 * 24 * HOUR),
      Monthly: await bucket('month', 366 * 24 * HOUR),
    };
  });
}
