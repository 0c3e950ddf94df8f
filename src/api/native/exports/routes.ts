// /api/v1/exports and /api/v1/volumes/:id/exports: iSCSI, NFS, SMB and NBD exports of volumes.
import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { Services } from '../../../services/index.js';
import { IdParams, Page, Wait, errorResponses, listQuery, parseList, replyJob } from '../common.js';
import { EXPORT_LIST } from '../../../domain/exports.js';
import { exportView } from '../../../services/exports/service.js';

const Export = Type.Object(
  {
    id: Type.String(),
    volume_id: Type.String(),
    pool_id: Type.String(),
    protocol: Type.String(),
    state: Type.String({ description: 'creating, active, deleting, failed' }),
    read_only: Type.Boolean(),
    hosts: Type.Array(Type.String()),
    allowed: Type.Array(Type.String()),
    name: Type.String({ description: 'target IQN (iscsi), path (nfs), share (smb), export name (nbd)' }),
    uri: Type.String({ description: 'what a standard client connects to' }),
    options: Type.Record(Type.String(), Type.Unknown()),
    error: Type.Union([Type.String(), Type.Null()]),
    created_at: Type.String(),
    updated_at: Type.String(),
  },
  { $id: 'Export' },
);
const ExportCreate = Type.Object(
  {
    protocol: Type.Union([
      Type.Literal('iscsi'),
      Type.Literal('nfs'),
      Type.Literal('smb'),
      Type.Literal('nbd'),
    ]),
    hosts: Type.Optional(
      Type.Array(Type.String({ minLength: 1, maxLength: 64 }), { maxItems: 256, description: 'host ids' }),
    ),
    allowed: Type.Optional(
      Type.Array(Type.String({ minLength: 1, maxLength: 64 }), {
        maxItems: 256,
        description: 'addresses or networks',
      }),
    ),
    read_only: Type.Optional(Type.Boolean()),
    root_squash: Type.Optional(Type.Boolean({ description: 'nfs; default true' })),
    versions: Type.Optional(
      Type.Array(Type.Union([Type.Literal(3), Type.Literal(4)]), {
        minItems: 1,
        maxItems: 2,
        description: 'nfs; default [3, 4]',
      }),
    ),
    users: Type.Optional(
      Type.Array(
        Type.Object(
          {
            name: Type.String({ minLength: 1, maxLength: 32 }),
            password: Type.String({ minLength: 1, maxLength: 128 }),
          },
          { additionalProperties: false },
        ),
        { maxItems: 64, description: 'smb share users; passwords go to Samba and are not kept' },
      ),
    ),
    guest: Type.Optional(Type.Boolean({ description: 'smb; default false' })),
    lun: Type.Optional(
      Type.Integer({ minimum: 1, maximum: 255, description: 'iscsi LUN number; default 1' }),
    ),
    target_iqn: Type.Optional(
      Type.String({ maxLength: 223, description: 'iscsi; default generated from the system name' }),
    ),
    block_size: Type.Optional(
      Type.Union([Type.Literal(512), Type.Literal(4096)], { description: 'iscsi logical block size' }),
    ),
    name: Type.Optional(
      Type.String({ maxLength: 64, description: 'smb share or nbd export name; default the volume name' }),
    ),
    tls: Type.Optional(Type.Boolean({ description: 'nbd: require TLS (needs a configured certificate)' })),
  },
  { additionalProperties: false },
);
/** The settings an in-place update may change; protocol, name, LUN, IQN, block size and TLS stay. */
const ExportUpdate = Type.Partial(
  Type.Composite([
    Type.Pick(ExportCreate, ['hosts', 'allowed', 'read_only', 'root_squash', 'versions', 'guest']),
    Type.Object({
      users: Type.Array(
        Type.Object(
          {
            name: Type.String({ minLength: 1, maxLength: 32 }),
            password: Type.Optional(Type.String({ minLength: 1, maxLength: 128 })),
          },
          { additionalProperties: false },
        ),
        {
          maxItems: 64,
          description: 'smb: the share users from now on; a listed user without a password keeps theirs',
        },
      ),
    }),
  ]),
  { additionalProperties: false, minProperties: 1 },
);
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
      return { ...page, items: page.items.map(exportView) };
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
      return { ...page, items: page.items.map(exportView) };
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
