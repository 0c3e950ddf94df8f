// /api/v1/volumes: list, create, show, update, delete and rollback. Thin: one service call each.
import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { Services } from '../../../services/index.js';
import { VOLUME_LIST } from '../../../domain/volumes.js';
import { labelFilters } from '../../../domain/labels.js';
import { IdParams, Page, WaitQuery, errorResponses, listQuery, parseList, replyJob } from '../common.js';
import { DeleteQuery, LabelQuery, Rollback, VolumeCreate, VolumeUpdate } from './schemas.js';
import { CloneCreate } from '../snapshots/schemas.js';

const Changed = { 200: Type.Ref('Volume'), 202: Type.Ref('Job'), ...errorResponses };

export const volumeRoutes: FastifyPluginAsyncTypebox<{ svc: Services }> = async (app, { svc }) => {
  app.get(
    '/',
    {
      config: { permission: 'volume.read' },
      schema: {
        summary: 'list volumes (filters: name=, display_name=, pool=, label=key[=value] repeatable …)',
        querystring: listQuery(VOLUME_LIST, LabelQuery),
        response: { 200: Page(Type.Ref('Volume')), ...errorResponses },
      },
    },
    async (req) =>
      svc.volumes.list(
        req.principal,
        parseList(VOLUME_LIST, req.query, ['label']),
        labelFilters(req.query.label),
      ),
  );
  app.post(
    '/',
    {
      config: { permission: 'volume.write' },
      schema: {
        summary: 'create a filesystem or lun volume in a pool',
        body: VolumeCreate,
        querystring: WaitQuery,
        response: { 201: Type.Ref('Volume'), 202: Type.Ref('Job'), ...errorResponses },
      },
    },
    async (req, reply) => {
      const r = await svc.volumes.create(req.principal, req.body);
      return replyJob(reply, svc.jobs, r.job, req.query.wait, {
        created: true,
        load: () => svc.volumes.get(req.principal, r.id),
      });
    },
  );
  app.get(
    '/:id',
    {
      config: { permission: 'volume.read' },
      schema: { params: IdParams, response: { 200: Type.Ref('Volume'), ...errorResponses } },
    },
    async (req) => svc.volumes.get(req.principal, req.params.id),
  );
  app.patch(
    '/:id',
    {
      config: { permission: 'volume.write' },
      schema: {
        summary:
          'rename, resize (grow; shrink rules), change compression or the snapshot limit (a job); ' +
          'display name, labels and metadata alone change at once (200)',
        params: IdParams,
        body: VolumeUpdate,
        querystring: WaitQuery,
        response: Changed,
      },
    },
    async (req, reply) => {
      const { display_name, labels, metadata, ...rest } = req.body;
      // Display name, labels and metadata alone are recorded at once: 200 with the volume, no job.
      if (Object.values(rest).every((x) => x === undefined))
        return svc.volumes.setAttributes(req.principal, req.params.id, { display_name, labels, metadata });
      const job = await svc.volumes.update(req.principal, req.params.id, req.body);
      return replyJob(reply, svc.jobs, job, req.query.wait, {
        load: () => svc.volumes.get(req.principal, req.params.id),
      });
    },
  );
  app.delete(
    '/:id',
    {
      config: { permission: 'volume.write' },
      schema: {
        summary: 'delete a volume and its snapshots; refused while exported or cloned unless cascade=true',
        params: IdParams,
        querystring: DeleteQuery,
        response: { 204: Type.Null(), 202: Type.Ref('Job'), ...errorResponses },
      },
    },
    async (req, reply) => {
      const q = req.query;
      const job = await svc.volumes.delete(req.principal, req.params.id, q.cascade ?? false);
      const out = await replyJob(reply, svc.jobs, job, q.wait);
      if (reply.statusCode !== 202) {
        reply.code(204);
        return null;
      }
      return out;
    },
  );
  app.post(
    '/:id/rollback',
    {
      config: { permission: 'volume.write' },
      schema: {
        summary: 'roll the volume back to one of its snapshots (an atomic swap)',
        params: IdParams,
        body: Rollback,
        querystring: WaitQuery,
        response: Changed,
      },
    },
    async (req, reply) => {
      const job = await svc.volumes.rollback(req.principal, req.params.id, req.body);
      return replyJob(reply, svc.jobs, job, req.query.wait, {
        load: () => svc.volumes.get(req.principal, req.params.id),
      });
    },
  );
  app.post(
    '/:id/clone',
    {
      config: { permission: 'volume.write' },
      schema: {
        summary: 'make a new writable volume from the live volume as it is now (one btrfs snapshot)',
        params: IdParams,
        body: CloneCreate,
        querystring: WaitQuery,
        response: { 201: Type.Ref('Volume'), 202: Type.Ref('Job'), ...errorResponses },
      },
    },
    async (req, reply) => {
      const r = await svc.volumes.clone(req.principal, req.params.id, req.body);
      return replyJob(reply, svc.jobs, r.job, req.query.wait, {
        created: true,
        load: () => svc.volumes.get(req.principal, r.id),
      });
    },
  );
};
