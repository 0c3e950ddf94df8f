// /api/v1/snapshots and /api/v1/volumes/{id}/snapshots: list, create, show, delete, delete all, clone.
import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { Services } from '../../../services/index.js';
import { SNAPSHOT_LIST } from '../../../domain/volumes.js';
import { labelFilters } from '../../../domain/labels.js';
import { LabelQuery } from '../volumes/schemas.js';
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
import { CloneCreate, SnapshotCreate, SnapshotUpdate } from './schemas.js';

export const snapshotRoutes: FastifyPluginAsyncTypebox<{ svc: Services }> = async (app, { svc }) => {
  const snapshotListQuery = listQuery(SNAPSHOT_LIST, LabelQuery);

  app.get(
    '/snapshots',
    {
      config: { permission: 'snapshot.read' },
      schema: {
        summary:
          'list snapshots across the system (filter volume=, pool=, name=, display_name=, ' +
          'label=key[=value] repeatable, created_at__gte= …)',
        querystring: snapshotListQuery,
        response: { 200: Page(Type.Ref('Snapshot')), ...errorResponses },
      },
    },
    async (req) =>
      svc.snapshots.list(
        req.principal,
        parseList(SNAPSHOT_LIST, req.query, ['label']),
        undefined,
        labelFilters(req.query.label),
      ),
  );
  app.get(
    '/snapshots/:id',
    {
      config: { permission: 'snapshot.read' },
      schema: { params: IdParams, response: { 200: Type.Ref('Snapshot'), ...errorResponses } },
    },
    async (req) => svc.snapshots.get(req.principal, req.params.id),
  );
  app.patch(
    '/snapshots/:id',
    {
      config: { permission: 'snapshot.write' },
      schema: {
        summary: 'change the display name or the labels (merge patch) of a snapshot',
        params: IdParams,
        body: SnapshotUpdate,
        response: { 200: Type.Ref('Snapshot'), ...errorResponses },
      },
    },
    async (req) => svc.snapshots.setAttributes(req.principal, req.params.id, req.body),
  );
  app.delete(
    '/snapshots/:id',
    {
      config: { permission: 'snapshot.write' },
      schema: {
        summary: 'delete a snapshot (refused while it has clones or holds)',
        params: IdParams,
        querystring: WaitQuery,
        response: { 204: Type.Null(), 202: Type.Ref('Job'), ...errorResponses },
      },
    },
    async (req, reply) => {
      const job = await svc.snapshots.delete(req.principal, req.params.id);
      const out = await replyJob(reply, svc.jobs, job, req.query.wait);
      if (reply.statusCode !== 202) {
        reply.code(204);
        return null;
      }
      return out;
    },
  );
  app.post(
    '/snapshots/:id/clone',
    {
      config: { permission: 'volume.write' },
      schema: {
        summary: 'make a new writable volume from the snapshot',
        params: IdParams,
        body: CloneCreate,
        querystring: WaitQuery,
        response: { 201: Type.Ref('Volume'), 202: Type.Ref('Job'), ...errorResponses },
      },
    },
    async (req, reply) => {
      const r = await svc.snapshots.clone(req.principal, req.params.id, req.body);
      return replyJob(reply, svc.jobs, r.job, req.query.wait, {
        created: true,
        load: () => svc.volumes.get(req.principal, r.id),
      });
    },
  );
  app.get(
    '/volumes/:id/snapshots',
    {
      config: { permission: 'snapshot.read' },
      schema: {
        summary: 'the snapshots of one volume',
        params: IdParams,
        querystring: snapshotListQuery,
        response: { 200: Page(Type.Ref('Snapshot')), ...errorResponses },
      },
    },
    async (req) =>
      svc.snapshots.list(
        req.principal,
        parseList(SNAPSHOT_LIST, req.query, ['label']),
        req.params.id,
        labelFilters(req.query.label),
      ),
  );
  app.post(
    '/volumes/:id/snapshots',
    {
      config: { permission: 'snapshot.write' },
      schema: {
        summary: 'take a read-only snapshot of the volume',
        params: IdParams,
        body: Type.Optional(SnapshotCreate),
        querystring: WaitQuery,
        response: { 201: Type.Ref('Snapshot'), 202: Type.Ref('Job'), ...errorResponses },
      },
    },
    async (req, reply) => {
      const r = await svc.snapshots.create(req.principal, req.params.id, req.body ?? {});
      return replyJob(reply, svc.jobs, r.job, req.query.wait, {
        created: true,
        load: () => svc.snapshots.get(req.principal, r.id),
      });
    },
  );
  app.delete(
    '/volumes/:id/snapshots',
    {
      config: { permission: 'snapshot.write' },
      schema: {
        summary: 'delete every snapshot of the volume that has no clones and no holds',
        params: IdParams,
        querystring: Type.Object({ wait: Type.Optional(Wait) }, { additionalProperties: false }),
        response: { 200: Type.Object({ deleted: Type.Integer() }), 202: Type.Ref('Job'), ...errorResponses },
      },
    },
    async (req, reply) => {
      const job = await svc.snapshots.deleteAll(req.principal, req.params.id);
      return replyJob(reply, svc.jobs, job, req.query.wait, {
        load: async (j) => j.result as { deleted: number },
      });
    },
  );
};
