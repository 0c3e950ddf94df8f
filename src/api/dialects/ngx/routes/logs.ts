// NGX logs (seed 002 "Log"): alerts, the audit trail and system events, with NGX's
// `filter[…][]`, `sort[]`, `order`, `limit` and `page` turned into the native lists' filters, which
// page, sort and filter in the database.
import { Type, type TSchema } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { parseListQuery } from '../../../../domain/list.js';
import { AUDIT_LIST } from '../../../../domain/list-specs.js';
import { foldLogParams } from '../../../../domain/monitor.js';
import { CairnError } from '../../../../domain/errors.js';
import { StringEnum } from '../../../native/common.js';
import { cfg, typed, type Ngx } from '../helpers.js';
import {
  eventTime,
  logNumber,
  logTime,
  nativeLogQuery,
  NGX_TYPE,
  readLogQuery,
  type LogKind,
} from '../map.js';

const Strings = Type.Union([Type.String({ maxLength: 200 }), Type.Array(Type.String({ maxLength: 200 }))]);
const paging = {
  'sort[]': Type.Optional(Strings),
  order: Type.Optional(StringEnum(['asc', 'desc'])),
  limit: Type.Optional(Type.Integer({ minimum: 0, maximum: 1000 })),
  page: Type.Optional(Type.Integer({ minimum: 1 })),
  'filter[time][]': Type.Optional(Strings),
};
const query = (filters: Record<string, TSchema>) =>
  Type.Object({ ...paging, ...filters }, { additionalProperties: false });
const one = Type.Optional(Type.String({ maxLength: 200 }));

export async function logRoutes(app: FastifyInstance, ngx: Ngx): Promise<void> {
  const t = typed(app);
  const { svc } = ngx;
  const native = (kind: LogKind, raw: Record<string, unknown>) => nativeLogQuery(kind, readLogQuery(raw));

  t.get(
    '/log/alert',
    {
      config: cfg('alert.read'),
      schema: { summary: 'Alert log', querystring: query({ 'filter[type][]': Type.Optional(Strings) }) },
    },
    async (req) => {
      const page = await svc.monitor.listLog(req.principal, {
        ...native('alert', req.query),
        source: 'alert',
      });
      return page.items.map((a) => ({
        description: a.message,
        event_id: a.id,
        id: logNumber(a.id),
        notify: null,
        time: logTime(a.at),
        type: NGX_TYPE[a.severity] ?? a.severity.toUpperCase(),
      }));
    },
  );

  t.get(
    '/log/audit',
    {
      config: cfg('audit.read'),
      schema: {
        summary: 'Audit log',
        querystring: query({
          'filter[user]': one,
          'filter[host]': one,
          'filter[agent]': one,
          'filter[description]': one,
        }),
      },
    },
    async (req) => {
      const f = foldLogParams(native('audit', req.query), 'at');
      CairnError.assertNoProblems(f.problems);
      const page = await svc.audit.list(parseListQuery(AUDIT_LIST, f.query));
      return page.items.map((e) => ({
        agent: e.actor_kind,
        description: `${e.method} ${e.url} → ${e.status}${e.error_code ? ` ${e.error_code}` : ''}`,
        id: logNumber(e.id),
        rhost: e.source,
        time: logTime(e.at),
        user: e.actor,
      }));
    },
  );

  t.get(
    '/log/system_event',
    {
      config: cfg('event.read'),
      schema: {
        summary: 'System event log',
        querystring: query({ 'filter[function]': one, 'filter[action]': one, 'filter[sensor]': one }),
      },
    },
    async (req) => {
      const page = await svc.monitor.listEvents(req.principal, native('system_event', req.query));
      return page.items.map((e) => ({
        action: e.message,
        function: e.type,
        id: logNumber(e.id),
        sensor: e.object_type ? `${e.object_type} ${e.object_id ?? ''}`.trim() : 'system',
        time: eventTime(e.at),
      }));
    },
  );
}
