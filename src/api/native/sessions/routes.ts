// /api/v1/sessions (replication sessions: list, show, cancel) and the partner-facing
// /api/v1/replication endpoints (probe, the streaming receive, replica delete).
import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { Services } from '../../../services/index.js';
import { CairnError } from '../../../domain/errors.js';
import { SESSION_LIST } from '../../../domain/protection.js';
import { VOLUME_TYPES } from '../../../domain/volumes.js';
import { Readable } from 'node:stream';
import { REMOTE_ID_TABLES, remoteIdKind } from '../../../services/replication/partners.js';
import { NAME_PATTERN } from '../../../domain/names.js';
import { Retention } from '../../../domain/protection.js';
import { Id, IdParams, Page, errorResponses, listQuery, parseList } from '../common.js';

export const sessionRoutes: FastifyPluginAsyncTypebox<{ svc: Services }> = async (app, { svc }) => {
  const ref = Type.Ref('Session');
  app.get(
    '/',
    {
      config: { permission: 'session.read' },
      schema: {
        summary: 'list replication sessions (filter relationship=, status=, direction= …)',
        querystring: listQuery(SESSION_LIST),
        response: { 200: Page(ref), ...errorResponses },
      },
    },
    async (req) => svc.sessions.list(req.principal, parseList(SESSION_LIST, req.query)),
  );
  app.get(
    '/:id',
    {
      config: { permission: 'session.read' },
      schema: { params: IdParams, response: { 200: ref, ...errorResponses } },
    },
    async (req) => svc.sessions.get(req.principal, req.params.id),
  );
  app.post(
    '/:id/cancel',
    {
      config: { permission: 'session.write' },
      schema: {
        summary: 'cancel a pending or active session; the streams are cut and both sides clean up',
        params: IdParams,
        response: { 200: ref, ...errorResponses },
      },
    },
    async (req) => svc.sessions.cancel(req.principal, req.params.id),
  );
};

const ReceiveQuery = Type.Object(
  {
    relationship: Id,
    pool: Id,
    snapshot: Id,
    snapshot_name: Type.String({ minLength: 1, maxLength: 64 }),
    parent: Type.Optional(Id),
    source_volume: Id,
    volume_name: Type.String({ minLength: 1, maxLength: 64 }),
    volume_type: Type.Union(VOLUME_TYPES.map((t) => Type.Literal(t))),
    volume_size: Type.Integer({ minimum: 1 }),
    block_size: Type.Optional(Type.Integer({ minimum: 512 })),
    retention: Type.Optional(Type.String({ maxLength: 500 })),
  },
  { additionalProperties: false },
);

const ReplicaBody = Type.Object(
  {
    relationship: Id,
    pool: Id,
    source_volume: Id,
    volume_name: Type.String({ pattern: NAME_PATTERN }),
    volume_type: Type.Union(VOLUME_TYPES.map((t) => Type.Literal(t))),
    volume_size: Type.Integer({ minimum: 1 }),
    block_size: Type.Optional(Type.Integer({ minimum: 512 })),
    retention: Type.Optional(Retention),
    reuse: Type.Optional(
      Type.Boolean({ description: 'take the existing volume of that name in the pool as the replica' }),
    ),
  },
  { additionalProperties: false },
);

/** Partner-facing: called by a source Cairn with an API key of this system. */
export const replicationRoutes: FastifyPluginAsyncTypebox<{ svc: Services }> = async (app, { svc }) => {
  // The receive body is a btrfs send stream: hand it over unparsed (no size limit, no buffering).
  app.addContentTypeParser('application/octet-stream', (_req, payload, done) => done(null, payload));
  app.post(
    '/probe',
    {
      // Partner-facing and only useful before a receive, so it needs what receiving needs.
      config: { permission: 'relationship.write' },
      schema: {
        summary: 'which of these snapshots this system has in the pool (to pick the incremental base)',
        body: Type.Object(
          { relationship: Id, pool: Id, candidates: Type.Array(Id, { maxItems: 1000 }) },
          { additionalProperties: false },
        ),
        response: {
          200: Type.Object({
            have: Type.Array(Type.String()),
            state: Type.Union([Type.String(), Type.Null()]),
            volume: Type.Union([Type.String(), Type.Null()]),
          }),
          ...errorResponses,
        },
      },
    },
    async (req) => svc.replicaReceiver.probe(req.principal, req.body),
  );
  app.post(
    '/relationships',
    {
      config: { permission: 'relationship.write' },
      schema: {
        summary:
          'the source made a relationship: make its replica side here (relationship and replica volume)',
        body: ReplicaBody,
        response: {
          200: Type.Object({
            relationship: Type.String(),
            volume: Type.String(),
            volume_name: Type.String(),
            reused: Type.Boolean(),
          }),
          ...errorResponses,
        },
      },
    },
    async (req) => svc.replicaReceiver.prepare(req.principal, req.body),
  );
  app.post(
    '/receive',
    {
      config: { permission: 'relationship.write' },
      schema: {
        summary: 'receive one btrfs send stream (application/octet-stream, chunked, byte-count trailer)',
        querystring: ReceiveQuery,
        response: {
          200: Type.Object({
            session: Type.String(),
            snapshot: Type.String(),
            volume: Type.String(),
            relationship: Type.String(),
            bytes: Type.Integer(),
          }),
          ...errorResponses,
        },
      },
    },
    async (req) => {
      // The octet-stream parser above hands the request itself on: anything else is the wrong type.
      if (!(req.body instanceof Readable)) throw new CairnError('UNSUPPORTED_MEDIA_TYPE', {});
      return svc.replicaReceiver.receive(req.principal, req.query, req.body);
    },
  );
  app.get(
    '/ids',
    {
      // Partner-facing: a partner's API dialects show this system's objects by their numbers here.
      config: { permission: 'pool.read' },
      schema: {
        summary:
          'the sequence numbers (dialect ids) of pools, volumes or snapshots: by ids=, by seq=, or the first 100',
        querystring: Type.Object(
          {
            table: Type.Union(REMOTE_ID_TABLES.map((t) => Type.Literal(t))),
            ids: Type.Optional(Type.String({ pattern: '^[0-9a-f-]{36}(,[0-9a-f-]{36}){0,99}$' })),
            seq: Type.Optional(Type.Integer({ minimum: 1 })),
          },
          { additionalProperties: false },
        ),
        response: {
          200: Type.Object({
            items: Type.Array(Type.Object({ id: Type.String(), seq: Type.Integer() })),
          }),
          ...errorResponses,
        },
      },
    },
    async (req) => {
      const q = req.query;
      const kind = remoteIdKind(q.table);
      const found = new Map<string, number>();
      if (q.ids) for (const [k, v] of await svc.ids.seqsOf(kind, q.ids.split(','))) found.set(k, v);
      if (q.seq !== undefined) {
        const id = await svc.ids.idOf(kind, q.seq);
        if (id) found.set(id, q.seq);
      }
      if (!q.ids && q.seq === undefined)
        for (const [k, v] of await svc.ids.firstSeqs(kind, 100)) found.set(k, v);
      return { items: [...found].map(([id, seq]) => ({ id, seq })) };
    },
  );
  app.delete(
    '/relationships/:id',
    {
      config: { permission: 'relationship.write' },
      schema: {
        summary:
          'the source deleted the relationship: drop the replica side (and its volume unless preserved)',
        params: IdParams,
        querystring: Type.Object(
          { preserve_replica: Type.Optional(Type.Boolean()) },
          { additionalProperties: false },
        ),
        response: { 204: Type.Null(), ...errorResponses },
      },
    },
    async (req, reply) => {
      await svc.relationships.deleteReplica(
        req.principal,
        req.params.id,
        req.query.preserve_replica ?? false,
      );
      reply.code(204);
      return null;
    },
  );
};
