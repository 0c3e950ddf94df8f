// /api/v1/relationships: source volume → pool on a partner; sync now, promote, reverse, delete.
import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { Services } from '../../../services/index.js';
import { RELATIONSHIP_LIST } from '../../../domain/protection.js';
import { NAME_PATTERN } from '../../../domain/names.js';
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
import { Retention } from '../schedules/schemas.js';

const S = Type.String();
const N = Type.Union([Type.String(), Type.Null()]);
export const Relationship = Type.Object(
  {
    id: S,
    role: Type.Union([Type.Literal('source'), Type.Literal('replica')]),
    state: Type.Union([Type.Literal('active'), Type.Literal('promoted'), Type.Literal('reversed')]),
    volume: N,
    pool: S,
    partner: N,
    peer: Type.Union([
      Type.String({ description: 'replica side: who sends (the key of the partner)' }),
      Type.Null(),
    ]),
    remote_pool: N,
    remote_volume: N,
    remote_volume_name: N,
    replica_retention: Retention,
    last_sync_status: N,
    last_attempt_snapshot: N,
    last_success_snapshot: Type.Union([Type.String({ description: 'the incremental base' }), Type.Null()]),
    last_success_at: N,
    created_at: S,
    updated_at: S,
  },
  { $id: 'Relationship' },
);

export const Session = Type.Object(
  {
    id: S,
    relationship: S,
    direction: Type.Union([Type.Literal('send'), Type.Literal('receive')]),
    status: Type.Union(['PENDING', 'ACTIVE', 'COMPLETED', 'FAILED', 'CANCELLED'].map((s) => Type.Literal(s))),
    job: N,
    snapshot: N,
    snapshot_name: N,
    parent_snapshot: Type.Union([
      Type.String({ description: 'the incremental base; null for a full stream' }),
      Type.Null(),
    ]),
    remote_snapshot: N,
    bytes_sent: Type.Integer(),
    rate: Type.Integer({ description: 'bytes per second' }),
    progress: Type.Number(),
    message: N,
    started_at: N,
    ended_at: N,
    created_at: S,
  },
  { $id: 'Session' },
);

const RelationshipCreate = Type.Object(
  {
    volume: Type.String({ minLength: 1, maxLength: 64 }),
    partner: Type.String({ minLength: 1, maxLength: 64 }),
    target_pool: Type.String({ minLength: 1, maxLength: 64, description: 'a pool id on the partner' }),
    target_volume_name: Type.Optional(Type.String({ pattern: NAME_PATTERN })),
    replica_retention: Type.Optional(Retention),
    reuse: Type.Optional(
      Type.Boolean({
        description:
          'take the partner’s existing volume named target_volume_name as the replica (e.g. one kept by preserve_replica)',
      }),
    ),
  },
  { additionalProperties: false },
);
const RelationshipUpdate = Type.Object(
  {
    target_volume_name: Type.Optional(Type.String({ pattern: NAME_PATTERN })),
    replica_retention: Type.Optional(Retention),
  },
  { additionalProperties: false, minProperties: 1 },
);
const Reverse = Type.Object(
  {
    partner: Type.String({
      minLength: 1,
      maxLength: 64,
      description: 'this system’s partner entry for the original source',
    }),
    target_pool: Type.String({ minLength: 1, maxLength: 64 }),
    target_volume_name: Type.Optional(Type.String({ pattern: NAME_PATTERN })),
  },
  { additionalProperties: false },
);

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
        body: Reverse,
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
