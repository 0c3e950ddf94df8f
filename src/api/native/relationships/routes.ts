// /api/v1/relationships: source volume → pool on a partner; sync now, promote, reverse, delete.
import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { Services } from '../../../services/index.js';
import { RELATIONSHIP_LIST } from '../../../domain/protection.js';
import { RelationshipCreate, RelationshipReverse, RelationshipUpdate } from '../../../domain/replication.js';
import {
  IdParams,
  Page,
  Wait,
  WaitQuery,
  errorResponses,
  listQuery,
  parseList,
  replyJob,
} from '../common.js';

export const relationshipRoutes: FastifyPluginAsyncTypebox<{ svc: Services }> = async (app, { svc }) => {
  const ref = Type.Ref('Relationship');
  const sessionRef = Type.Ref('Session');
  app.get(
    '/',
    {
      config: { permission: 'relationship.read' },
      schema: {
        summary: 'list relationships (filter volume=, partner=, role=, state= …)',
        querystring: listQuery(RELATIONSHIP_LIST),
        response: { 200: Page(ref), ...errorResponses },
      },
    },
    async (req) => svc.relationships.list(req.principal, parseList(RELATIONSHIP_LIST, req.query)),
  );
  app.post(
    '/',
    {
      config: { permission: 'relationship.write' },
      schema: { body: RelationshipCreate, response: { 201: ref, ...errorResponses } },
    },
    async (req, reply) => {
      reply.code(201);
      return svc.relationships.create(req.principal, req.body);
    },
  );
  app.get(
    '/:id',
    {
      config: { permission: 'relationship.read' },
      schema: { params: IdParams, response: { 200: ref, ...errorResponses } },
    },
    async (req) => svc.relationships.get(req.principal, req.params.id),
  );
  app.patch(
    '/:id',
    {
      config: { permission: 'relationship.write' },
      schema: { params: IdParams, body: RelationshipUpdate, response: { 200: ref, ...errorResponses } },
    },
    async (req) => svc.relationships.update(req.principal, req.params.id, req.body),
  );
  app.delete(
    '/:id',
    {
      config: { permission: 'relationship.write' },
      schema: {
        summary: 'delete the relationship; the partner deletes its replica unless preserve_replica=true',
        params: IdParams,
        querystring: Type.Object(
          { preserve_replica: Type.Optional(Type.Boolean()) },
          { additionalProperties: false },
        ),
        response: { 204: Type.Null(), ...errorResponses },
      },
    },
    async (req, reply) => {
      const q = req.query;
      await svc.relationships.delete(req.principal, req.params.id, q.preserve_replica ?? false);
      reply.code(204);
      return null;
    },
  );
  app.post(
    '/:id/sync',
    {
      config: { permission: 'relationship.write' },
      schema: {
        summary: 'start a replication session now; ?wait=N answers the finished session',
        params: IdParams,
        querystring: WaitQuery,
        response: { 201: sessionRef, 202: sessionRef, ...errorResponses },
      },
    },
    async (req, reply) => {
      const r = await svc.relationships.sync(req.principal, req.params.id);
      await replyJob(reply, svc.jobs, r.job, req.query.wait, { created: true });
      if (reply.statusCode === 202) reply.header('location', `/api/v1/sessions/${r.session.id}`);
      return svc.sessions.get(req.principal, r.session.id);
    },
  );
  app.post(
    '/:id/promote',
    {
      config: { permission: 'relationship.write' },
      schema: {
        summary: 'failover: make the replica a writable volume (replica side)',
        params: IdParams,
        querystring: WaitQuery,
        response: { 200: ref, 202: Type.Ref('Job'), ...errorResponses },
      },
    },
    async (req, reply) => {
      const job = await svc.relationships.promote(req.principal, req.params.id);
      return replyJob(reply, svc.jobs, job, req.query.wait, {
        load: () => svc.relationships.get(req.principal, req.params.id),
      });
    },
  );
  app.post(
    '/:id/reverse',
    {
      config: { permission: 'relationship.write' },
      schema: {
        summary: 'after promote: replicate the promoted volume back, from the newest common snapshot',
        params: IdParams,
        body: RelationshipReverse,
        querystring: Type.Object({ wait: Type.Optional(Wait) }, { additionalProperties: false }),
        response: {
          201: Type.Object({ relationship: ref, session: sessionRef }),
          202: Type.Object({ relationship: ref, session: sessionRef }),
          ...errorResponses,
        },
      },
    },
    async (req, reply) => {
      const r = await svc.relationships.reverse(req.principal, req.params.id, req.body);
      await replyJob(reply, svc.jobs, r.job, req.query.wait, { created: true });
      return { relationship: r.relationship, session: await svc.sessions.get(req.principal, r.session.id) };
    },
  );
};
