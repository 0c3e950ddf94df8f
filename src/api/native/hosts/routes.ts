// /api/v1/hosts: initiators with IQNs, addresses and CHAP (secrets accepted, never returned).
import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { Services } from '../../../services/index.js';
import { IdParams, Page, errorResponses, listQuery, parseList } from '../common.js';
import { HOST_LIST, Host, HostCreate, HostUpdate } from '../../../domain/hosts.js';

const CascadeQuery = Type.Object(
  { cascade: Type.Optional(Type.Boolean({ description: 'also remove the exports that map the host' })) },
  { additionalProperties: false },
);

export const hostRoutes: FastifyPluginAsyncTypebox<{ svc: Services }> = async (app, { svc }) => {
  app.addSchema(Host);
  app.get(
    '/',
    {
      config: { permission: 'host.read' },
      schema: {
        summary: 'list hosts',
        querystring: listQuery(HOST_LIST),
        response: { 200: Page(Type.Ref('Host')), ...errorResponses },
      },
    },
    async (req) => svc.hosts.list(parseList(HOST_LIST, req.query)),
  );
  app.post(
    '/',
    {
      config: { permission: 'host.write' },
      schema: {
        summary: 'create a host',
        body: HostCreate,
        response: { 201: Type.Ref('Host'), ...errorResponses },
      },
    },
    async (req, reply) => {
      reply.code(201);
      return svc.hosts.create(req.body);
    },
  );
  app.get(
    '/:id',
    {
      config: { permission: 'host.read' },
      schema: { params: IdParams, response: { 200: Type.Ref('Host'), ...errorResponses } },
    },
    async (req) => svc.hosts.get(req.params.id),
  );
  app.patch(
    '/:id',
    {
      config: { permission: 'host.write' },
      schema: {
        summary: 'change a host; mapped exports are re-applied',
        params: IdParams,
        body: HostUpdate,
        response: { 200: Type.Ref('Host'), ...errorResponses },
      },
    },
    async (req) => svc.hosts.update(req.params.id, req.body),
  );
  app.delete(
    '/:id',
    {
      config: { permission: 'host.write' },
      schema: {
        params: IdParams,
        querystring: CascadeQuery,
        response: { 204: Type.Null(), ...errorResponses },
      },
    },
    async (req, reply) => {
      await svc.hosts.delete(req.params.id, req.query.cascade ?? false);
      reply.code(204);
      return null;
    },
  );
};
