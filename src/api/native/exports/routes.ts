// /api/v1/exports and /api/v1/volumes/:id/exports: iSCSI, NFS, SMB and NBD exports of volumes.
import { mapPage } from '../../../domain/list.js';
import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { Services } from '../../../services/index.js';
import { IdParams, Page, Wait, errorResponses, listQuery, parseList, replyJob } from '../common.js';
import { EXPORT_LIST, Export, ExportCreate, ExportUpdate } from '../../../domain/exports.js';
import { exportView } from '../../../services/exports/service.js';

const DeleteQuery = Type.Object(
  {
    wait: Type.Optional(Wait),
    force: Type.Optional(Type.Boolean({ description: 'remove even while clients are connected' })),
  },
  { additionalProperties: false },
);

export const exportRoutes: FastifyPluginAsyncTypebox<{ svc: Services }> = async (app, { svc }) => {
  app.addSchema(Export);
  const load = (exportId: string) => async () => exportView(await svc.exports.load(exportId));

  app.get(
    '/api/v1/exports',
    {
      config: { permission: 'export.read' },
      schema: {
        summary: 'list exports',
        querystring: listQuery(EXPORT_LIST),
        response: { 200: Page(Type.Ref('Export')), ...errorResponses },
      },
    },
    async (req) => {
      const page = await svc.exports.list(req.principal, parseList(EXPORT_LIST, req.query));
      return mapPage(page, exportView);
    },
  );
  app.get(
    '/api/v1/exports/:id',
    {
      config: { permission: 'export.read' },
      schema: { params: IdParams, response: { 200: Type.Ref('Export'), ...errorResponses } },
    },
    async (req) => exportView(await svc.exports.get(req.principal, req.params.id)),
  );
  app.patch(
    '/api/v1/exports/:id',
    {
      config: { permission: 'export.write' },
      schema: {
        summary:
          'change an export in place (the id and the name stay; a failed change keeps the old settings)',
        params: IdParams,
        body: ExportUpdate,
        querystring: Type.Object({ wait: Type.Optional(Wait) }, { additionalProperties: false }),
        response: { 200: Type.Ref('Export'), 202: Type.Ref('Job'), ...errorResponses },
      },
    },
    async (req, reply) => {
      const job = await svc.exports.update(req.principal, req.params.id, req.body);
      return replyJob(reply, svc.jobs, job, req.query.wait, { load: load(req.params.id) });
    },
  );
  app.delete(
    '/api/v1/exports/:id',
    {
      config: { permission: 'export.write' },
      schema: {
        summary: 'remove an export',
        params: IdParams,
        querystring: DeleteQuery,
        response: { 200: Type.Unknown(), 202: Type.Ref('Job'), ...errorResponses },
      },
    },
    async (req, reply) => {
      const q = req.query;
      const job = await svc.exports.delete(req.principal, req.params.id, q.force ?? false);
      const r = await replyJob(reply, svc.jobs, job, q.wait);
      if (reply.statusCode === 200) {
        reply.code(204);
        return null;
      }
      return r;
    },
  );
  app.get(
    '/api/v1/volumes/:id/exports',
    {
      config: { permission: 'export.read' },
      schema: {
        summary: "a volume's exports",
        params: IdParams,
        querystring: listQuery(EXPORT_LIST),
        response: { 200: Page(Type.Ref('Export')), ...errorResponses },
      },
    },
    async (req) => {
      const page = await svc.exports.forVolume(
        req.principal,
        req.params.id,
        parseList(EXPORT_LIST, req.query),
      );
      return mapPage(page, exportView);
    },
  );
  app.post(
    '/api/v1/volumes/:id/exports',
    {
      config: { permission: 'export.write' },
      schema: {
        summary: 'export a volume over iSCSI, NFS, SMB or NBD',
        params: IdParams,
        body: ExportCreate,
        querystring: Type.Object({ wait: Type.Optional(Wait) }, { additionalProperties: false }),
        response: { 201: Type.Ref('Export'), 202: Type.Ref('Job'), ...errorResponses },
      },
    },
    async (req, reply) => {
      const { job, id: exportId } = await svc.exports.create(req.principal, req.params.id, req.body);
      return replyJob(reply, svc.jobs, job, req.query.wait, {
        created: true,
        load: load(exportId),
      });
    },
  );
};
