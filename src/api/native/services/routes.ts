// /api/v1/services: the supervised daemons (state, PID, restarts, last error) and admin controls.
import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { Services } from '../../../services/index.js';
import { errorResponses } from '../common.js';

const Daemon = Type.Object(
  {
    name: Type.String(),
    state: Type.String({ description: 'stopped, starting, running, backoff, stopping, failed, external' }),
    pid: Type.Union([Type.Integer(), Type.Null()]),
    restarts: Type.Integer(),
    last_error: Type.Union([Type.String(), Type.Null()]),
    started_at: Type.Union([Type.String(), Type.Null()]),
  },
  { $id: 'Service' },
);
const NameParams = Type.Object(
  { name: Type.String({ pattern: '^[a-z][a-z0-9-]{0,80}$' }) },
  { additionalProperties: false },
);

export const serviceRoutes: FastifyPluginAsyncTypebox<{ svc: Services }> = async (app, { svc }) => {
  app.addSchema(Daemon);
  app.get(
    '/',
    {
      config: { permission: 'service.read' },
      schema: {
        summary: 'the daemons Cairn supervises',
        response: { 200: Type.Object({ items: Type.Array(Type.Ref('Service')) }), ...errorResponses },
      },
    },
    async () => ({ items: svc.daemons.list() }),
  );
  app.get(
    '/:name',
    {
      config: { permission: 'service.read' },
      schema: { params: NameParams, response: { 200: Type.Ref('Service'), ...errorResponses } },
    },
    async (req) => svc.daemons.get(req.params.name),
  );
  for (const action of ['start', 'stop', 'restart'] as const)
    app.post(
      `/:name/${action}`,
      {
        config: { permission: 'service.write' },
        schema: {
          summary: `${action} a daemon`,
          params: NameParams,
          response: { 200: Type.Ref('Service'), ...errorResponses },
        },
      },
      async (req) => svc.daemons[action](req.params.name),
    );
};
