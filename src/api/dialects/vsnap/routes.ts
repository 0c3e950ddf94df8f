// The IBM vSnap REST API (seed 001) at /api/…: HTTP Basic, `{"error":{"type","message"}}`, numeric
// string ids. Translates to Cairn's services and back; no storage decisions here.
import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { typed } from '../../typed.js';
import { hostname } from 'node:os';
import { CairnError } from '../../../domain/errors.js';
import { DEFAULT_DEDUP_SCHEDULE } from '../../../domain/pools.js';
import type { Principal } from '../../../domain/permissions.js';
import type { Services } from '../../../services/index.js';
import { toErrorReply } from '../../server.js';
import { CAIRN_VERSION } from '../../../services/system.js';
import { allPages, finished } from '../jobs.js';
import { vsnapErrorType } from './errors.js';
import {
  disk,
  INIT_STATUS,
  networkInterface,
  poolDetail,
  poolProfile,
  poolSummary,
  POOL_TYPE_TO_PROFILE,
  type VsnapPoolType,
} from './map.js';
import { volumeRoutes } from './volumes.js';
import { shareRoutes } from './shares.js';
import { vsnapReplicationRoutes } from './replication.js';
import { vsnapIds } from './ids.js';
import { StringEnum } from '../../native/common.js';

import { cfg, IdParam } from './helpers.js';
export { DIALECT } from './helpers.js';
const bool = Type.Boolean();

export async function vsnapRoutes(plain: FastifyInstance, svc: Services): Promise<void> {
  const app = typed(plain);
  // vSnap clients read errors as {error:{type,message}} (HTTP Basic only: the listener's auth, index.ts).
  app.setErrorHandler((err, req, reply) => {
    const r = toErrorReply(err, req.id);
    if (r.internal) req.log.error({ err }, 'unexpected error');
    const e = (r.body as { error: { code: string; message: string } }).error;
    void reply.code(r.status).send({ error: { type: vsnapErrorType(e.code, r.status), message: e.message } });
  });
  app.setNotFoundHandler((req, reply) => {
    void reply.code(404).send({
      error: { type: 'NotFoundError', message: `no such endpoint: ${req.method} ${req.url.split('?')[0]}` },
    });
  });

  const ids = vsnapIds(svc);
  const poolSeqId = (vsnapId: string) => ids.toCairn('pool', vsnapId);
  const poolOut = async (p: Principal, id: string) => {
    const pool = await svc.pools.get(p, id);
    return poolDetail(pool, (await ids.toVsnap('pool', id))!);
  };
  // ---- 2. System
  const systemInfo = async () => {
    const v = Object.fromEntries((await svc.versions.all()).map((x) => [x.name, x.version]));
    const info = await svc.system.info();
    const init = await svc.system.initialization();
    return {
      fqdn: hostname(),
      hostname: hostname(),
      id: await svc.system.systemId(),
      init_status: INIT_STATUS[await svc.initialization.status()],
      multipool: init?.multipool ?? false,
      api_version: '1.0',
      nfs_version: v['nfs-ganesha'] ?? null,
      samba_version: v.samba ?? null,
      tgt_version: v.tgt ?? null,
      nbdkit_version: v.nbdkit ?? null,
      btrfs_version: v['btrfs-progs'] ?? null,
      zfs_version: null,
      // Cairn serves its API from Node.js itself: there is no nginx or uwsgi to report.
      nginx_version: null,
      uwsgi_version: null,
      node_version: process.versions.node,
      os_name: info.os_name,
      os_version: info.os_version,
      vsnap_version: CAIRN_VERSION,
    };
  };
  app.get('/system', { config: cfg('system.read'), schema: { summary: 'Get system info' } }, async () =>
    systemInfo(),
  );
  app.post(
    '/system',
    {
      config: cfg('pool.write'),
      schema: {
        summary: 'Initialize system: creates a pool from every unused disk unless skip_pool',
        body: Type.Object(
          {
            action: Type.Literal('init'),
            async: Type.Optional(bool),
            multipool: Type.Optional(bool),
            skip_pool: Type.Optional(bool),
          },
          { additionalProperties: false },
        ),
      },
    },
    async (req) => {
      const b = req.body;
      const job = await svc.initialization.initialize(req.principal, {
        multipool: b.multipool ?? false,
        skipPool: b.skip_pool ?? false,
      });
      if (job && !b.async) await finished(svc, job);
      return systemInfo();
    },
  );

  // ---- 3. Users
  app.get('/user', { config: cfg('user.read'), schema: { summary: 'Get users' } }, async () => {
    const users = await allPages((offset, limit) =>
      svc.auth.listUsers({ limit, offset, cursor: null, sort: [], filters: [] }),
    );
    const seqs = await svc.ids.seqsOf(
      'user',
      users.map((u) => u.id),
    );
    return {
      total: users.length,
      users: users.map((u) => ({
        gid: String(1000 + (seqs.get(u.id) ?? 0)),
        name: u.name,
        role: u.role === 'admin' ? 'vsnap_admin' : u.role,
        uid: String(1000 + (seqs.get(u.id) ?? 0)),
      })),
    };
  });

  // ---- 4. Networks, 5. Targets
  app.get(
    '/network',
    { config: cfg('system.read'), schema: { summary: 'Get network interfaces' } },
    async () => {
      const networks = (await svc.network.list()).map(networkInterface);
      return { networks, total: networks.length };
    },
  );
  app.put(
    '/network/:id',
    {
      config: cfg('system.write'),
      schema: {
        summary: 'Set network interface services',
        params: Type.Object({ id: Type.String({ maxLength: 64 }) }, { additionalProperties: false }),
        body: Type.Object(
          { services: Type.Array(Type.String({ maxLength: 16 }), { minItems: 1, maxItems: 10 }) },
          { additionalProperties: false },
        ),
      },
    },
    async (req) => networkInterface(await svc.network.setServices(req.params.id, req.body.services)),
  );
  app.get('/target', { config: cfg('export.read'), schema: { summary: 'Get target ports' } }, async () => {
    const targets = [{ type: 'iqn', wwn: await svc.system.nodeIqn() }];
    return { targets, total: targets.length };
  });

  // ---- 6. Disks
  app.get(
    '/disk',
    {
      config: cfg('disk.read'),
      schema: {
        summary: 'Get disks (used_as=unused for candidates)',
        querystring: Type.Object(
          { used_as: Type.Optional(Type.String({ maxLength: 16 })) },
          { additionalProperties: false },
        ),
      },
    },
    async (req) => {
      const usedAs = req.query.used_as;
      const filters =
        usedAs === 'unused' ? [{ field: 'state', column: 'state', op: 'eq' as const, value: 'unused' }] : [];
      const disks = (
        await allPages((offset, limit) =>
          svc.disks.list(req.principal, { limit, offset, cursor: null, sort: [], filters }),
        )
      )
        .map(disk)
        .filter((d) => !usedAs || d.used_as === usedAs);
      return { disks, total: disks.length };
    },
  );
  app.post(
    '/disk',
    {
      config: cfg('disk.write'),
      schema: {
        summary: 'Rescan disks',
        body: Type.Object({ action: Type.Literal('rescan') }, { additionalProperties: false }),
      },
    },
    async (req) => {
      await finished(svc, await svc.disks.rescan(req.principal));
      return {};
    },
  );

  // ---- 7. Pools
  const PoolCreate = Type.Object(
    {
      name: Type.String({ minLength: 1, maxLength: 256 }),
      disk_list: Type.Optional(Type.Array(Type.String({ maxLength: 64 }), { maxItems: 256 })),
      pool_type: StringEnum(Object.keys(POOL_TYPE_TO_PROFILE) as VsnapPoolType[]),
      compression: Type.Optional(bool),
      deduplication: Type.Optional(bool),
      syncwrite: Type.Optional(bool),
    },
    { additionalProperties: false },
  );
  app.post(
    '/pool',
    { config: cfg('pool.write'), schema: { summary: 'Create pool', body: PoolCreate } },
    async (req) => {
      const b = req.body;
      const disks = b.disk_list?.length ? b.disk_list : await svc.disks.candidates(req.principal);
      const { job, id } = await svc.pools.create(req.principal, {
        name: b.name,
        disks,
        profile: poolProfile(b.pool_type, disks.length),
        compression: b.compression === false ? 'none' : 'zstd',
        sync: b.syncwrite === false ? 'standard' : 'always',
        // Translation only: vSnap's compression and syncwrite are on unless turned off (zstd is
        // Cairn's compression; sync writes are its `always` policy); vSnap's inline dedup is
        // Cairn's default dedup schedule. Choosing raid5/raid6 in the vSnap API is the explicit
        // choice the write-hole warning asks for.
        acknowledge_raid56_write_hole: b.pool_type !== 'raid0',
        ...(b.deduplication ? { dedup_schedule: DEFAULT_DEDUP_SCHEDULE } : {}),
      });
      await finished(svc, job);
      return poolOut(req.principal, id);
    },
  );
  app.get(
    '/pool',
    {
      config: cfg('pool.read'),
      schema: {
        summary: 'List pools, or one by ?id= or ?name=',
        querystring: Type.Object(
          {
            id: Type.Optional(Type.String({ pattern: '^[0-9]{1,18}$' })),
            name: Type.Optional(Type.String({ maxLength: 256 })),
          },
          { additionalProperties: false },
        ),
      },
    },
    async (req) => {
      const q = req.query;
      if (q.id) return poolOut(req.principal, await poolSeqId(q.id));
      const pools = await allPages((offset, limit) =>
        svc.pools.list(req.principal, {
          limit,
          offset,
          cursor: null,
          sort: [],
          filters: q.name ? [{ field: 'name', column: 'name', op: 'eq', value: q.name }] : [],
        }),
      );
      if (q.name) {
        if (!pools[0]) throw new CairnError('POOL_NOT_FOUND', { id: q.name });
        return poolOut(req.principal, pools[0].id);
      }
      const seqs = await svc.ids.seqsOf(
        'pool',
        pools.map((p) => p.id),
      );
      return { pools: pools.map((p) => poolSummary(p, seqs.get(p.id)!)), total: pools.length };
    },
  );
  app.get(
    '/pool/:id',
    { config: cfg('pool.read'), schema: { summary: 'Get pool details', params: IdParam } },
    async (req) => poolOut(req.principal, await poolSeqId(req.params.id)),
  );
  app.put(
    '/pool/:id',
    {
      config: cfg('pool.write'),
      schema: {
        summary: 'Modify pool properties',
        params: IdParam,
        body: Type.Object(
          {
            name: Type.Optional(Type.String({ minLength: 1, maxLength: 256 })),
            compression: Type.Optional(bool),
            deduplication: Type.Optional(bool),
            syncwrite: Type.Optional(bool),
          },
          { additionalProperties: false },
        ),
      },
    },
    async (req) => {
      const id = await poolSeqId(req.params.id);
      const b = req.body;
      const patch = {
        ...(b.name !== undefined ? { name: b.name } : {}),
        ...(b.compression !== undefined
          ? { compression: b.compression ? ('zstd' as const) : ('none' as const) }
          : {}),
        ...(b.syncwrite !== undefined
          ? { sync: b.syncwrite ? ('always' as const) : ('standard' as const) }
          : {}),
        ...(b.deduplication !== undefined
          ? { dedup_schedule: b.deduplication ? DEFAULT_DEDUP_SCHEDULE : null }
          : {}),
      };
      if (Object.keys(patch).length) await finished(svc, await svc.pools.update(req.principal, id, patch));
      return poolOut(req.principal, id);
    },
  );
  app.post(
    '/pool/:id',
    {
      config: cfg('pool.write'),
      schema: {
        summary: 'Expand; add or remove log, cache or spare disks',
        params: IdParam,
        body: Type.Object(
          {
            action: StringEnum([
              'expand',
              'addlog',
              'removelog',
              'addcache',
              'removecache',
              'addspare',
              'removespare',
            ]),
            disk_list: Type.Optional(Type.Array(Type.String({ maxLength: 64 }), { maxItems: 256 })),
            disk: Type.Optional(Type.String({ maxLength: 64 })),
          },
          { additionalProperties: false },
        ),
      },
    },
    async (req) => {
      const id = await poolSeqId(req.params.id);
      const b = req.body;
      switch (b.action) {
        case 'expand': {
          const disks = b.disk_list?.length ? b.disk_list : await svc.disks.candidates(req.principal);
          await finished(svc, await svc.pools.expand(req.principal, id, { disks }));
          break;
        }
        case 'addlog':
        case 'removelog':
          svc.pools.unsupported('log devices');
          break;
        case 'addcache':
        case 'removecache':
          svc.pools.unsupported('cache devices');
          break;
        case 'addspare':
          await svc.pools.addSpares(req.principal, id, b.disk_list ?? []);
          break;
        case 'removespare':
          for (const d of b.disk_list ?? []) await svc.pools.removeSpare(req.principal, id, d);
          break;
      }
      return poolOut(req.principal, id);
    },
  );
  app.delete(
    '/pool/:id',
    { config: cfg('pool.write'), schema: { summary: 'Delete pool and everything in it', params: IdParam } },
    async (req) => {
      // vSnap deletes a pool with its volumes, snapshots, clones and shares.
      await finished(svc, await svc.pools.delete(req.principal, await poolSeqId(req.params.id), true));
      return {};
    },
  );

  await volumeRoutes(app, svc);
  await shareRoutes(app, svc);
  await vsnapReplicationRoutes(app, svc);
}
