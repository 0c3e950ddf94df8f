// /stats: live figures and history (raw points or hour/day/month rollups) per object — the shape of
// Portworx statslive/statshistory — for node, disk, pool, volume and export.
import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { Services } from '../../../services/index.js';
import { Id, errorResponses } from '../common.js';
import { MAX_PAGE_SIZE } from '../../../domain/list.js';
import { RESOLUTIONS, STAT_KINDS } from '../../../domain/monitor.js';

const Kind = Type.Union(
  STAT_KINDS.map((k) => Type.Literal(k)),
  { description: 'node, disk, pool, volume or export' },
);
const Params = Type.Object({ kind: Kind, id: Id }, { additionalProperties: false });
const HistoryParams = {
  from: Type.Optional(
    Type.String({ format: 'date-time', description: 'start (default: an hour before to)' }),
  ),
  to: Type.Optional(Type.String({ format: 'date-time', description: 'end (default: now)' })),
  resolution: Type.Optional(
    Type.Union(
      [...RESOLUTIONS, 'auto' as const].map((r) => Type.Literal(r)),
      {
        description: 'raw points, hour/day/month aggregates, or auto (by range)',
      },
    ),
  ),
  metrics: Type.Optional(Type.String({ description: 'comma-separated metric names (default: all)' })),
  limit: Type.Optional(
    Type.Integer({ minimum: 1, maximum: 100_000, description: 'at most this many points' }),
  ),
};
const Query = Type.Object(
  {
    view: Type.Optional(
      Type.Union([Type.Literal('live'), Type.Literal('history')], { description: 'default live' }),
    ),
    ...HistoryParams,
  },
  { additionalProperties: false },
);

const Live = Type.Object({
  kind: Type.String(),
  id: Type.String(),
  name: Type.String(),
  ts: Type.String(),
  interval_ms: Type.Integer(),
  metrics: Type.Record(Type.String(), Type.Number(), {
    description:
      'metric name (with unit) → value. Volumes: sizes for all; I/O counters (reads_total, writes_total, read_bytes_total, written_bytes_total, io_time_seconds_total, in_flight and their per-second rates) only for a lun attached on this machine, read from its loop device; btrfs keeps no I/O counters per subvolume, so filesystem volumes and unattached luns have none (docs/attachments.md)',
  }),
});
const History = Type.Object({
  kind: Type.String(),
  id: Type.String(),
  resolution: Type.String(),
  from: Type.String(),
  to: Type.String(),
  series: Type.Array(
    Type.Object({
      metric: Type.String(),
      points: Type.Array(
        Type.Object({
          ts: Type.String(),
          min: Type.Number(),
          max: Type.Number(),
          avg: Type.Number(),
          last: Type.Number(),
          count: Type.Integer(),
        }),
      ),
    }),
  ),
});

export const statsRoutes: FastifyPluginAsyncTypebox<{ svc: Services }> = async (app, { svc }) => {
  const cfg = { permission: 'stats.read' };
  app.get(
    '/',
    {
      config: cfg,
      schema: {
        summary: 'objects with live statistics',
        querystring: Type.Object({ kind: Type.Optional(Kind) }, { additionalProperties: false }),
        response: {
          200: Type.Object({
            items: Type.Array(
              Type.Object({ kind: Type.String(), id: Type.String(), name: Type.String(), ts: Type.String() }),
            ),
          }),
          ...errorResponses,
        },
      },
    },
    async (req) => ({
      items: svc.monitor.objects(req.principal, req.query.kind).slice(0, MAX_PAGE_SIZE),
    }),
  );
  app.get(
    '/:kind/:id',
    {
      config: cfg,
      schema: {
        summary: 'statistics of one object: live (default) or history with from, to and resolution',
        params: Params,
        querystring: Query,
        response: { 200: Type.Union([Live, History]), ...errorResponses },
      },
    },
    async (req) => {
      const p = req.params;
      const q = req.query;
      const wantsHistory = q.view === 'history' || (q.view === undefined && (q.from || q.to || q.resolution));
      return wantsHistory
        ? svc.monitor.history(req.principal, p.kind, p.id, q)
        : svc.monitor.live(req.principal, p.kind, p.id);
    },
  );
  app.get(
    '/:kind/:id/live',
    {
      config: cfg,
      schema: {
        summary: 'the latest figures of one object',
        params: Params,
        response: { 200: Live, ...errorResponses },
      },
    },
    async (req) => {
      const p = req.params;
      return svc.monitor.live(req.principal, p.kind, p.id);
    },
  );
  app.get(
    '/:kind/:id/history',
    {
      config: cfg,
      schema: {
        summary: 'history of one object',
        params: Params,
        querystring: Type.Object(HistoryParams, { additionalProperties: false }),
        response: { 200: History, ...errorResponses },
      },
    },
    async (req) => {
      const p = req.params;
      return svc.monitor.history(req.principal, p.kind, p.id, req.query);
    },
  );
};
