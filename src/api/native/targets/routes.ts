// /api/v1/targets: iSCSI targets as objects (IQN, alias, host ACL with CHAP, numbered LUNs of lun
// volumes), all changed live. A target that is the view of an iSCSI export is listed too.
import { mapPage } from '../../../domain/list.js';
import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { Services } from '../../../services/index.js';
import {
  Id,
  IdParams,
  Page,
  Wait,
  WaitQuery,
  errorResponses,
  listQuery,
  parseList,
  replyJob,
} from '../common.js';
import type { Principal } from '../../../domain/permissions.js';
import {
  LUN_MAX,
  LUN_MIN,
  LunAdd,
  TARGET_LIST,
  TargetCreate,
  TargetUpdate,
  TargetView,
} from '../../../domain/targets.js';

const LunParams = Type.Object(
  { id: Id, lun: Type.Integer({ minimum: LUN_MIN, maximum: LUN_MAX }) },
  { additionalProperties: false },
);
const DeleteQuery = Type.Object(
  {
    wait: Type.Optional(Wait),
    force: Type.Optional(
      Type.Boolean({
        description: 'delete even with LUNs mapped or initiators logged in (they are dropped)',
      }),
    ),
  },
  { additionalProperties: false },
);

export const targetRoutes: FastifyPluginAsyncTypebox<{ svc: Services }> = async (app, { svc }) => {
  app.addSchema(TargetView);
  const load = (p: Principal, id: string) => async () => svc.targets.view(await svc.targets.get(p, id));
  const done = { 200: Type.Ref('Target'), 202: Type.Ref('Job'), ...errorResponses };

  app.get(
    '/',
    {
      config: { permission: 'target.read' },
      schema: {
        summary: 'list iSCSI targets',
        querystring: listQuery(TARGET_LIST),
        response: { 200: Page(Type.Ref('Target')), ...errorResponses },
      },
    },
    async (req) => {
      const page = await svc.targets.list(req.principal, parseList(TARGET_LIST, req.query));
      return mapPage(page, (t) => svc.targets.view(t));
    },
  );
  app.post(
    '/',
    {
      config: { permission: 'target.write' },
      schema: {
        summary: 'create an iSCSI target (empty: add LUNs after)',
        body: TargetCreate,
        querystring: WaitQuery,
        response: { 201: Type.Ref('Target'), 202: Type.Ref('Job'), ...errorResponses },
      },
    },
    async (req, reply) => {
      const { job, id } = await svc.targets.create(req.principal, req.body);
      return replyJob(reply, svc.jobs, job, req.query.wait, {
        created: true,
        load: load(req.principal, id),
      });
    },
  );
  app.get(
    '/:id',
    {
      config: { permission: 'target.read' },
      schema: { params: IdParams, response: { 200: Type.Ref('Target'), ...errorResponses } },
    },
    async (req) => svc.targets.view(await svc.targets.get(req.principal, req.params.id)),
  );
  app.patch(
    '/:id',
    {
      config: { permission: 'target.write' },
      schema: {
        summary: 'change the alias or the hosts allowed (live: logged-in initiators stay)',
        params: IdParams,
        body: TargetUpdate,
        querystring: WaitQuery,
        response: done,
      },
    },
    async (req, reply) => {
      const job = await svc.targets.update(req.principal, req.params.id, req.body);
      return replyJob(reply, svc.jobs, job, req.query.wait, { load: load(req.principal, req.params.id) });
    },
  );
  app.delete(
    '/:id',
    {
      config: { permission: 'target.write' },
      schema: {
        summary: 'delete a target (refused while it has LUNs or sessions, unless force)',
        params: IdParams,
        querystring: DeleteQuery,
        response: { 200: Type.Unknown(), 202: Type.Ref('Job'), ...errorResponses },
      },
    },
    async (req, reply) => {
      const job = await svc.targets.delete(req.principal, req.params.id, req.query.force ?? false);
      const r = await replyJob(reply, svc.jobs, job, req.query.wait);
      if (reply.statusCode !== 200) return r;
      reply.code(204);
      return null;
    },
  );
  app.post(
    '/:id/luns',
    {
      config: { permission: 'target.write' },
      schema: {
        summary: 'map a lun volume as a LUN (live: logged-in initiators see it)',
        params: IdParams,
        body: LunAdd,
        querystring: WaitQuery,
        response: { 201: Type.Ref('Target'), 202: Type.Ref('Job'), ...errorResponses },
      },
    },
    async (req, reply) => {
      const { job } = await svc.targets.addLun(req.principal, req.params.id, req.body);
      return replyJob(reply, svc.jobs, job, req.query.wait, {
        created: true,
        load: load(req.principal, req.params.id),
      });
    },
  );
  app.delete(
    '/:id/luns/:lun',
    {
      config: { permission: 'target.write' },
      schema: {
        summary: 'unmap a LUN (live)',
        params: LunParams,
        querystring: WaitQuery,
        response: done,
      },
    },
    async (req, reply) => {
      const job = await svc.targets.removeLun(req.principal, req.params.id, req.params.lun);
      return replyJob(reply, svc.jobs, job, req.query.wait, { load: load(req.principal, req.params.id) });
    },
  );
};
