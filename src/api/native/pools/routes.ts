// /api/v1/pools: create, list, read, change, delete pools; expand, remove, replace, convert,
// spares, scrub and dedup. Every change is a job (202, or the result with ?wait=).
import { Type } from '@sinclair/typebox';
import type { FastifyReply } from 'fastify';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { Services } from '../../../services/index.js';
import type { Job } from '../../../domain/job.js';
import type { Principal } from '../../../domain/permissions.js';
import { POOL_LIST } from '../../../domain/storage.js';
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
import {
  DeleteQuery,
  DiskParams,
  Pool,
  PoolConvert,
  PoolCreate,
  PoolExpand,
  PoolReplace,
  PoolSpares,
  PoolUpdate,
  ScrubResult,
} from './schemas.js';

/** What the pool helpers read of a request: `?wait=` and the caller. */
type Req = { query: { wait?: number }; principal: Principal };

export const poolRoutes: FastifyPluginAsyncTypebox<{ svc: Services }> = async (app, { svc }) => {
  app.addSchema(ScrubResult);
  app.addSchema(Pool);
  /** A job-backed change whose result is the pool. */
  const poolJob = (req: Req, reply: FastifyReply, job: Job, id: string, created = false) =>
    replyJob(reply, svc.jobs, job, req.query.wait, { created, load: () => svc.pools.get(req.principal, id) });
  const change = { 200: Type.Ref('Pool'), 202: Type.Ref('Job'), ...errorResponses };
  const jobResult = { 200: Type.Ref('Job'), 202: Type.Ref('Job'), ...errorResponses };

  app.get(
    '/',
    {
      config: { permission: 'pool.read' },
      schema: {
        summary: 'list pools (size/used/free from statfs; health as last observed by the watcher)',
        querystring: listQuery(POOL_LIST, { wait: Type.Optional(Wait) }),
        response: { 200: Page(Type.Ref('Pool')), ...errorResponses },
      },
    },
    async (req) => svc.pools.list(req.principal, parseList(POOL_LIST, req.query, ['wait'])),
  );
  app.post(
    '/',
    {
      config: { permission: 'pool.write' },
      schema: {
        summary: 'create a btrfs pool from unused disks and mount it',
        body: PoolCreate,
        querystring: WaitQuery,
        response: { 201: Type.Ref('Pool'), 202: Type.Ref('Job'), ...errorResponses },
      },
    },
    async (req, reply) => {
      const { log_devices, cache_devices, ...input } = req.body;
      if (log_devices?.length) svc.pools.unsupported('log devices');
      if (cache_devices?.length) svc.pools.unsupported('cache devices');
      const { job, id } = await svc.pools.create(req.principal, input);
      return poolJob(req, reply, job, id, true);
    },
  );
  app.get(
    '/:id',
    {
      config: { permission: 'pool.read' },
      schema: {
        summary: 'a pool with live health and capacity measured from btrfs',
        params: IdParams,
        response: { 200: Type.Ref('Pool'), ...errorResponses },
      },
    },
    async (req) => svc.pools.get(req.principal, req.params.id),
  );
  app.patch(
    '/:id',
    {
      config: { permission: 'pool.write' },
      schema: {
        summary: 'rename, change compression or sync policy (remounts)',
        params: IdParams,
        body: PoolUpdate,
        querystring: WaitQuery,
        response: change,
      },
    },
    async (req, reply) =>
      poolJob(req, reply, await svc.pools.update(req.principal, req.params.id, req.body), req.params.id),
  );
  app.delete(
    '/:id',
    {
      config: { permission: 'pool.write' },
      schema: {
        summary: 'unmount, wipe and free the disks; refused while it holds volumes unless force=true',
        params: IdParams,
        querystring: DeleteQuery,
        response: { 204: Type.Null(), 202: Type.Ref('Job'), ...errorResponses },
      },
    },
    async (req, reply) => {
      const job = await svc.pools.delete(req.principal, req.params.id, req.query.force === true);
      const r = await replyJob(reply, svc.jobs, job, req.query.wait);
      if (reply.statusCode === 200) {
        reply.code(204);
        return null;
      }
      return r;
    },
  );

  app.post(
    '/:id/disks',
    {
      config: { permission: 'pool.write' },
      schema: {
        summary: 'expand: add disks, optionally balance',
        params: IdParams,
        body: PoolExpand,
        querystring: WaitQuery,
        response: change,
      },
    },
    async (req, reply) =>
      poolJob(req, reply, await svc.pools.expand(req.principal, req.params.id, req.body), req.params.id),
  );
  app.delete(
    '/:id/disks/:diskId',
    {
      config: { permission: 'pool.write' },
      schema: {
        summary:
          'remove a disk after checking the others can hold the data (422 POOL_SPACE_INSUFFICIENT otherwise)',
        params: DiskParams,
        querystring: WaitQuery,
        response: change,
      },
    },
    async (req, reply) =>
      poolJob(
        req,
        reply,
        await svc.pools.removeDisk(req.principal, req.params.id, req.params.diskId),
        req.params.id,
      ),
  );
  app.post(
    '/:id/replace',
    {
      config: { permission: 'pool.write' },
      schema: {
        summary: 'replace a disk with an unused disk or a spare (btrfs replace)',
        params: IdParams,
        body: PoolReplace,
        querystring: WaitQuery,
        response: change,
      },
    },
    async (req, reply) =>
      poolJob(req, reply, await svc.pools.replace(req.principal, req.params.id, req.body), req.params.id),
  );
  app.post(
    '/:id/convert',
    {
      config: { permission: 'pool.write' },
      schema: {
        summary: 'convert the data/metadata profiles (balance with convert filters)',
        params: IdParams,
        body: PoolConvert,
        querystring: WaitQuery,
        response: change,
      },
    },
    async (req, reply) =>
      poolJob(req, reply, await svc.pools.convert(req.principal, req.params.id, req.body), req.params.id),
  );
  app.post(
    '/:id/spares',
    {
      config: { permission: 'pool.write' },
      schema: {
        summary: 'assign spare disks',
        params: IdParams,
        body: PoolSpares,
        response: { 200: Type.Ref('Pool'), ...errorResponses },
      },
    },
    async (req) => svc.pools.addSpares(req.principal, req.params.id, req.body.disks),
  );
  app.delete(
    '/:id/spares/:diskId',
    {
      config: { permission: 'pool.write' },
      schema: {
        summary: 'unassign a spare',
        params: DiskParams,
        response: { 200: Type.Ref('Pool'), ...errorResponses },
      },
    },
    async (req) => svc.pools.removeSpare(req.principal, req.params.id, req.params.diskId),
  );
  app.post(
    '/:id/scrub',
    {
      config: { permission: 'pool.write' },
      schema: {
        summary: 'scrub: verify checksums, repair from good copies',
        params: IdParams,
        querystring: WaitQuery,
        response: jobResult,
      },
    },
    async (req, reply) =>
      replyJob(reply, svc.jobs, await svc.pools.scrub(req.principal, req.params.id), req.query.wait, {
        load: (j) => svc.jobs.get(j.id),
      }),
  );
  app.get(
    '/:id/scrub',
    {
      config: { permission: 'pool.read' },
      schema: {
        summary: 'the running scrub (live counters) and the last finished one',
        params: IdParams,
        response: {
          200: Type.Object({
            running: Type.Boolean(),
            job_id: Type.Union([Type.String(), Type.Null()]),
            progress: Type.Union([Type.Number(), Type.Null()]),
            live: Type.Union([Type.Record(Type.String(), Type.Integer()), Type.Null()]),
            last: Type.Union([Type.Ref('ScrubResult'), Type.Null()]),
          }),
          ...errorResponses,
        },
      },
    },
    async (req) => svc.pools.scrubStatus(req.principal, req.params.id),
  );
  app.post(
    '/:id/scrub/cancel',
    {
      config: { permission: 'pool.write' },
      schema: {
        summary: 'cancel the running scrub',
        params: IdParams,
        response: { 200: Type.Ref('Job'), ...errorResponses },
      },
    },
    async (req) => svc.jobs.view(await svc.pools.cancelScrub(req.principal, req.params.id)),
  );
  app.post(
    '/:id/dedup',
    {
      config: { permission: 'pool.write' },
      schema: {
        summary: 'deduplicate extents with duperemove; the result says how many bytes it freed',
        params: IdParams,
        querystring: WaitQuery,
        response: jobResult,
      },
    },
    async (req, reply) =>
      replyJob(reply, svc.jobs, await svc.pools.dedup(req.principal, req.params.id), req.query.wait, {
        load: (j) => svc.jobs.get(j.id),
      }),
  );
  for (const [path, feature] of [
    ['/:id/log-devices', 'log devices'],
    ['/:id/cache-devices', 'cache devices'],
  ] as const)
    app.post(
      path,
      {
        config: { permission: 'pool.write' },
        schema: {
          summary: `${feature}: not on btrfs (always 422)`,
          params: IdParams,
          response: { ...errorResponses },
        },
      },
      async () => svc.pools.unsupported(feature),
    );
};
