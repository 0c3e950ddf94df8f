// /api/v1/disks: list, read, make and delete virtual disks, rescan block devices.
import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsync } from 'fastify';
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
import { Disk, DiskCreate } from './schemas.js';

export const diskRoutes: FastifyPluginAsync<{ svc: Services }> = async (app, { svc }) => {
  app.addSchema(Disk);
  const id = (req: { params: unknown }) => (req.params as { id: string }).id;
  const wait = (req: { query: unknown }) => (req.query as { wait?: number }).wait;

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
    async (req) => svc.disks.list(req.principal!, parseList(DISK_LIST, req.query, ['wait'])),
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
      const { job, id: diskId } = await svc.disks.createVirtual(
        req.principal!,
        req.body as { size: number; name?: string },
      );
      return replyJob(reply, svc.jobs, job, wait(req), {
        created: true,
        load: () => svc.disks.get(req.principal!, diskId),
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
    async (req, reply) => replyJob(reply, svc.jobs, await svc.disks.rescan(req.principal!), wait(req)),
  );
  app.get(
    '/:id',
    {
      config: { permission: 'disk.read' },
      schema: { params: IdParams, response: { 200: Type.Ref('Disk'), ...errorResponses } },
    },
    async (req) => svc.disks.get(req.principal!, id(req)),
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
      const job = await svc.disks.delete(req.principal!, id(req));
      const r = await replyJob(reply, svc.jobs, job, wait(req));
      if (reply.statusCode === 200) {
        reply.code(204);
        return null;
      }
      return r;
    },
  );
};
