// /alerts (raised → acknowledged → cleared, with the shared list filters) and /alert-rules
// (thresholds and enabling).
import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { Services } from '../../../services/index.js';
import { IdParams, Page, errorResponses, listQuery, parseList } from '../common.js';
import { ALERT_LIST, Alert, AlertRule, AlertRuleUpdate } from '../../../domain/monitor.js';

export const alertRoutes: FastifyPluginAsyncTypebox<{ svc: Services }> = async (app, { svc }) => {
  app.addSchema(Alert);
  app.addSchema(AlertRule);
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
        body: AlertRuleUpdate,
        response: { 200: Type.Ref('AlertRule'), ...errorResponses },
      },
    },
    async (req) => svc.monitor.updateRule(req.params.id, req.body),
  );
};
