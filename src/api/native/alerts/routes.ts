// /alerts (raised → acknowledged → cleared, with the shared list filters) and /alert-rules
// (thresholds and enabling).
import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { Services } from '../../../services/index.js';
import { IdParams, Page, errorResponses, listQuery, parseList } from '../common.js';
import { ALERT_LIST } from '../../../domain/monitor.js';

const Alert = Type.Object(
  {
    id: Type.String(),
    rule: Type.String(),
    object_type: Type.String(),
    object_id: Type.String(),
    pool_id: Type.Union([Type.String(), Type.Null()]),
    severity: Type.String({ description: 'info, warning, error or critical' }),
    state: Type.String({ description: 'raised, acknowledged or cleared' }),
    message: Type.String(),
    details: Type.Record(Type.String(), Type.Unknown()),
    count: Type.Integer({ description: 'how many times the condition was seen while open' }),
    raised_at: Type.String(),
    last_seen_at: Type.String(),
    acknowledged_at: Type.Union([Type.String(), Type.Null()]),
    acknowledged_by: Type.Union([Type.String(), Type.Null()]),
    cleared_at: Type.Union([Type.String(), Type.Null()]),
  },
  { $id: 'Alert' },
);
const Rule = Type.Object(
  {
    id: Type.String(),
    name: Type.String(),
    description: Type.String(),
    enabled: Type.Boolean(),
    params: Type.Record(Type.String(), Type.Number()),
    updated_at: Type.String(),
  },
  { $id: 'AlertRule' },
);
const RuleUpdate = Type.Object(
  {
    enabled: Type.Optional(Type.Boolean()),
    params: Type.Optional(
      Type.Record(Type.String({ pattern: '^[a-z_]{1,40}$' }), Type.Number(), {
        description: 'thresholds to change, e.g. {"warn_percent": 70}',
      }),
    ),
  },
  { additionalProperties: false, minProperties: 1 },
);

export const alertRoutes: FastifyPluginAsyncTypebox<{ svc: Services }> = async (app, { svc }) => {
  app.addSchema(Alert);
  app.addSchema(Rule);
  app.get(
    '/alerts',
    {
      config: { permission: 'alert.read' },
      schema: {
        summary: 'alerts, open and cleared',
        querystring: listQuery(ALERT_LIST),
        response: { 200: Page(Type.Ref('Alert')), ...errorResponses },
      },
    },
    async (req) => svc.monitor.listAlerts(req.principal, parseList(ALERT_LIST, req.query)),
  );
  app.get(
    '/alerts/:id',
    {
      config: { permission: 'alert.read' },
      schema: {
        summary: 'one alert',
        params: IdParams,
        response: { 200: Type.Ref('Alert'), ...errorResponses },
      },
    },
    async (req) => svc.monitor.getAlert(req.principal, req.params.id),
  );
  app.post(
    '/alerts/:id/acknowledge',
    {
      config: { permission: 'alert.write' },
      schema: {
        summary: 'acknowledge an alert (it still clears by itself when the condition ends)',
        params: IdParams,
        response: { 200: Type.Ref('Alert'), ...errorResponses },
      },
    },
    async (req) => svc.monitor.acknowledge(req.principal, req.params.id),
  );
  app.get(
    '/alert-rules',
    {
      config: { permission: 'alert.read' },
      schema: {
        summary: 'alert rules and their thresholds',
        response: { 200: Type.Object({ items: Type.Array(Type.Ref('AlertRule')) }), ...errorResponses },
      },
    },
    async () => ({ items: await svc.monitor.rules() }),
  );
  app.patch(
    '/alert-rules/:id',
    {
      config: { permission: 'alert.write' },
      schema: {
        summary: 'change thresholds or enable/disable a rule (disabling clears its open alerts)',
        params: IdParams,
        body: RuleUpdate,
        response: { 200: Type.Ref('AlertRule'), ...errorResponses },
      },
    },
    async (req) => svc.monitor.updateRule(req.params.id, req.body),
  );
};
