// /health (public), /system, /system/certificate (public: clients pin it before they trust it).
import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { Services } from '../../../services/index.js';
import { errorResponses } from '../common.js';
import { openApiFor } from '../../openapi.js';
import { CairnError } from '../../../domain/errors.js';
import { NAME_PATTERN } from '../../../domain/names.js';
import { Maintenance, maintenanceRoutes } from './maintenance.js';

const SystemInfo = Type.Object({
  name: Type.String(),
  version: Type.String(),
  hostname: Type.String(),
  uptime_seconds: Type.Integer(),
  started_at: Type.String(),
  time_zone: Type.String(),
  time: Type.String(),
  database: Type.String(),
  node_version: Type.String(),
  os_name: Type.String({ description: 'the distribution, from /etc/os-release NAME' }),
  os_version: Type.String({ description: 'the distribution version, from /etc/os-release VERSION_ID' }),
  maintenance: Type.Optional(Maintenance),
});

export const systemRoutes: FastifyPluginAsyncTypebox<{ svc: Services }> = async (app, { svc }) => {
  await app.register(maintenanceRoutes, { svc });
  app.get(
    '/health',
    {
      config: { public: true },
      schema: {
        summary: 'liveness and readiness (no credentials)',
        response: {
          200: Type.Object({
            status: Type.String(),
            live: Type.Boolean(),
            ready: Type.Boolean(),
            checks: Type.Record(Type.String(), Type.Unknown()),
            version: Type.String(),
          }),
          503: Type.Object({
            status: Type.String(),
            live: Type.Boolean(),
            ready: Type.Boolean(),
            checks: Type.Record(Type.String(), Type.Unknown()),
            version: Type.String(),
          }),
        },
      },
    },
    async (_req, reply) => {
      const h = await svc.system.health();
      reply.code(h.ready ? 200 : 503);
      return h;
    },
  );
  app.get(
    '/system',
    {
      config: { permission: 'system.read' },
      schema: { summary: 'who this system is', response: { 200: SystemInfo, ...errorResponses } },
    },
    async () => ({ ...(await svc.system.info()), maintenance: svc.maintenance.get() }),
  );
  app.patch(
    '/system',
    {
      config: { permission: 'system.write' },
      schema: {
        summary: 'rename the system',
        body: Type.Object({ name: Type.String({ pattern: NAME_PATTERN }) }, { additionalProperties: false }),
        response: { 200: SystemInfo, ...errorResponses },
      },
    },
    async (req) => svc.system.rename(req.body.name),
  );
  app.get(
    '/system/certificate',
    {
      config: { public: true },
      schema: {
        summary: 'the HTTPS certificate and its SHA-256 fingerprint, for pinning',
        response: {
          200: Type.Object({
            fingerprint_sha256: Type.String(),
            subject: Type.String(),
            valid_to: Type.String(),
            self_signed: Type.Boolean(),
            pem: Type.String(),
          }),
          404: Type.Ref('Error'),
        },
      },
    },
    async () => {
      if (!svc.system.certificate)
        throw new (await import('../../../domain/errors.js')).CairnError('NOT_FOUND', {
          method: 'GET',
          url: '/system/certificate (plain HTTP)',
        });
      return svc.system.certificate;
    },
  );
  app.get('/openapi.json', { config: { public: true }, schema: { hide: true } }, async () =>
    openApiFor(app, (r) => r.dialect === null),
  );
  app.get(
    '/dialects/:name/openapi.json',
    {
      config: { public: true },
      schema: { hide: true, params: Type.Object({ name: Type.String({ pattern: '^[a-z0-9-]{1,32}$' }) }) },
    },
    async (req) => {
      const name = req.params.name;
      const ownDoor = app.dialectDocs.get(name);
      if (ownDoor) return ownDoor();
      if (!app.cairnRoutes.some((r) => r.dialect === name))
        throw new CairnError('NOT_FOUND', { method: 'GET', url: req.url });
      return openApiFor(app, (r) => r.dialect === name, `Cairn: ${name} dialect`);
    },
  );
};
