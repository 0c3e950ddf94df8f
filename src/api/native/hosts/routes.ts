// /api/v1/hosts: initiators with IQNs, addresses and CHAP (secrets accepted, never returned).
import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { Services } from '../../../services/index.js';
import { IdParams, Page, errorResponses, listQuery, parseList } from '../common.js';
import { HOST_LIST } from '../../../domain/exports.js';
import { NAME_PATTERN } from '../../../domain/names.js';

const Host = Type.Object(
  {
    id: Type.String(),
    name: Type.String(),
    iqns: Type.Array(Type.String()),
    initiators: Type.Array(Type.Object({ id: Type.String(), iqn: Type.String() }), {
      description: 'the IQNs, each with an id of its own (an IQN may belong to several hosts)',
    }),
    addresses: Type.Array(Type.String()),
    chap: Type.Union(
      [
        Type.Object({ user: Type.String(), mutual_user: Type.Union([Type.String(), Type.Null()]) }),
        Type.Null(),
      ],
      { description: 'CHAP user names; secrets are never returned' },
    ),
    created_at: Type.String(),
    updated_at: Type.String(),
  },
  { $id: 'Host' },
);
const Chap = Type.Object(
  {
    user: Type.String({ minLength: 1, maxLength: 64 }),
    secret: Type.String({ minLength: 1, maxLength: 256, description: '12 to 16 characters; stored sealed' }),
    mutual_user: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
    mutual_secret: Type.Optional(
      Type.String({ minLength: 1, maxLength: 256, description: 'mutual (target) CHAP' }),
    ),
  },
  { additionalProperties: false },
);
const HostCreate = Type.Object(
  {
    name: Type.String({ pattern: NAME_PATTERN }),
    iqns: Type.Optional(
      Type.Array(Type.String({ maxLength: 223 }), { maxItems: 64, description: 'initiator names' }),
    ),
    addresses: Type.Optional(
      Type.Array(Type.String({ maxLength: 64 }), {
        maxItems: 64,
        description: 'addresses or networks (NFS, SMB, NBD)',
      }),
    ),
    chap: Type.Optional(Type.Union([Chap, Type.Null()])),
  },
  { additionalProperties: false },
);
const HostUpdate = Type.Partial(HostCreate, { additionalProperties: false, minProperties: 1 });
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
