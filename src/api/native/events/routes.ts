// /events (system events other areas record) and /logs (events, alerts and the audit trail in one
// list), with filters on type, severity, object and time, sort, order, limit and page.
import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { Services } from '../../../services/index.js';
import { Page, errorResponses, listQuery } from '../common.js';
import { EVENT_LIST } from '../../../domain/list-specs.js';
import { LOG_LIST, LogEntry } from '../../../domain/monitor.js';
import { Event } from '../../../domain/events.js';

const LogParams = {
  from: Type.Optional(Type.String({ format: 'date-time', description: 'at or after this time' })),
  to: Type.Optional(Type.String({ format: 'date-time', description: 'at or before this time' })),
  order: Type.Optional(
    Type.Union([Type.Literal('asc'), Type.Literal('desc')], { description: 'for the sort fields' }),
  ),
  page: Type.Optional(Type.Integer({ minimum: 1, description: '1-based page of `limit` entries' })),
};

export const eventRoutes: FastifyPluginAsyncTypebox<{ svc: Services }> = async (app, { svc }) => {
  app.get(
    '/events',
    {
      config: { permission: 'event.read' },
      schema: {
        summary: 'system events (disk added, pool degraded, spare took over, job failed, …)',
        querystring: listQuery(EVENT_LIST, LogParams),
        response: { 200: Page(Event), ...errorResponses },
      },
    },
    async (req) => svc.monitor.listEvents(req.principal, req.query),
  );
  app.get(
    '/logs',
    {
      config: { permission: 'event.read' },
      schema: {
        summary: 'one log of events, alerts and (with audit.read) the audit trail',
        querystring: listQuery(LOG_LIST, LogParams),
        response: { 200: Page(LogEntry), ...errorResponses },
      },
    },
    async (req) => svc.monitor.listLog(req.principal, req.query),
  );
};
