// /api/v1/disks: list, read, make and delete virtual disks, rescan block devices.
import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { Services } from '../../../services/index.js';
import { DISK_LIST } from '../../../domain/storage.js';
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
import { Disk, DiskCreate } from '../../../domain/disks.js';

export const diskRoutes: FastifyPluginAsyncTypebox<{ svc: Services }> = async (app, { svc }) => {
  app.addSchema(Disk);

  app.get(
    '/',
    {
      config: { permission: 'disk.read' },
      schema: {
        summary: 'list disks (virtual and physical)',
        querystring: listQuery(DISK_LIST, { wait: Type.Optional(Wait) }),
        response: { 200: Page(Type.Ref('Disk')), ...errorResponses },
      },
    },
    async (req) => svc.disks.list(req.principal, parseList(DISK_LIST, req.query, ['wait'])),
  );
  app.post(
    '/',
    {
      config: { permission: 'disk.write' },
      schema: {
        summary: 'make a virtual disk: a sparse file in the data directory attached as a loop device',
        body: DiskCreate,
        querystring: WaitQuery,
        response: { 201: Type.Ref('Disk'), 202: Type.Ref('Job'), ...errorResponses },
      },
    },
    async (req, reply) => {
      const { job, id: diskId } = await svc.disks.createVirtual(req.principal, req.body);
      return replyJob(reply, svc.jobs, job, req.query.wait, {
        created: true,
        load: () => svc.disks.get(req.principal, diskId),
      });
    },
  );
  app.post(
    '/rescan',
    {
      config: { permission: 'disk.write' },
      schema: {
        summary: 'look for block devices again (lsblk)',
        querystring: WaitQuery,
        response: { 200: Type.Ref('Job'), 202: Type.Ref('Job'), ...errorResponses },
      },
    },
    async (req, reply) => replyJob(reply, svc.jobs, await svc.disks.rescan(req.principal), req.query.wait),
  );
  app.get(
    '/:id',
    {
      config: { permission: 'disk.read' },
      schema: { params: IdParams, response: { 200: Type.Ref('Disk'), ...errorResponses } },
    },
    async (req) => svc.disks.get(req.principal, req.params.id),
  );
  app.delete(
    '/:id',
    {
      config: { permission: 'disk.write' },
      schema: {
        summary: 'delete a virtual disk that no pool uses (detaches the loop device, removes the file)',
        params: IdParams,
        querystring: WaitQuery,
        response: { 204: Type.Null(), 202: Type.Ref('Job'), ...errorResponses },
      },
    },
    async (req, reply) => {
      const job = await svc.disks.delete(req.principal, req.params.id);
      const r = await replyJob(reply, svc.jobs, job, req.query.wait);
      if (reply.statusCode === 200) {
        reply.code(204);
        return null;
      }
      return r;
    },
  );
};
