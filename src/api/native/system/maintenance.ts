// /system/maintenance: maintenance mode (schedules and replication paused, new attachments and
// exports refused). Its state is also part of GET /system.
import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { Services } from '../../../services/index.js';
import { errorResponses } from '../common.js';

export const Maintenance = Type.Object({
  enabled: Type.Boolean(),
  since: Type.Union([Type.String(), Type.Null()], { description: 'when it was turned on; null while off' }),
});

export const maintenanceRoutes: FastifyPluginAsyncTypebox<{ svc: Services }> = async (app, { svc }) => {
  app.get(
    '/system/maintenance',
    {
      config: { permission: 'system.read' },
      schema: { summary: 'maintenance mode', response: { 200: Maintenance, ...errorResponses } },
    },
    async () => svc.maintenance.get(),
  );
  app.post(
    '/system/maintenance',
    {
      config: { permission: 'system.write' },
      schema: {
        summary:
          'turn maintenance mode on or off: while on, schedules and replication pause and new attachments and exports are refused (MAINTENANCE_MODE)',
        body: Type.Object({ enabled: Type.Boolean() }, { additionalProperties: false }),
        response: { 200: Maintenance, ...errorResponses },
      },
    },
    async (req) => svc.maintenance.set(req.principal, req.body.enabled),
  );
};
