// NGX pools (seed 002 "Pool"): list, detail, detail list and the overview, from Cairn's pools
// with their measured capacity and the volumes living in them.
import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { Principal } from '../../../../domain/permissions.js';
import type { PoolItem } from '../../../../services/pools/wire.js';
import { all, cfg, eq, idOf, typed, type Ngx } from '../helpers.js';
import {
  capacityInfo,
  poolDetail,
  poolSummary,
  protocolUsage,
  RAID_TYPE,
  type CapacityFigures,
} from '../map.js';

/** A pool's figures for NGX's capacity answers: btrfs's, and what its volumes hold and promise. */
export async function poolFigures(ngx: Ngx, p: Principal, pool: PoolItem): Promise<CapacityFigures> {
  const vols = await all((q) => ngx.svc.volumes.list(p, q), eq('pool', pool.id, 'pool_id'));
  const sum = (type: string, f: (v: (typeof vols)[number]) => number) =>
    vols.filter((v) => v.type === type).reduce((s, v) => s + f(v), 0);
  return {
    size: pool.size,
    used: pool.used,
    free: pool.free,
    allocated: pool.capacity?.allocated ?? pool.used,
    compressRatio: pool.capacity?.compression?.ratio ?? null,
    dedupRatio: pool.dedup.ratio,
    iscsi: sum('lun', (v) => v.used),
    shares: sum('filesystem', (v) => v.used),
    // Replicas land in ordinary volumes here; they are counted with their type above.
    replica: 0,
    reserved: sum('lun', (v) => (v.thin ? 0 : v.size)) + sum('filesystem', (v) => v.size),
  };
}

export async function poolRoutes(app: FastifyInstance, ngx: Ngx): Promise<void> {
  const t = typed(app);
  const { svc } = ngx;
  const pools = (p: Principal) => all((q) => svc.pools.list(p, q));
  const detail = async (p: Principal, id: string) => {
    const pool = await svc.pools.get(p, id);
    const scrub = await svc.pools.scrubStatus(p, id).catch(() => null);
    return poolDetail(pool, await ngx.owner(), scrub?.running ?? false);
  };

  t.get('/pool', { config: cfg('pool.read'), schema: { summary: 'List pools' } }, async (req) => {
    const owner = await ngx.owner();
    return (await pools(req.principal)).map((x) => poolSummary(x, owner));
  });
  t.get('/pool/list', { config: cfg('pool.read'), schema: { summary: 'Pool detail list' } }, async (req) =>
    Promise.all((await pools(req.principal)).map((x) => detail(req.principal, x.id))),
  );
  t.get('/pool/overview', { config: cfg('pool.read'), schema: { summary: 'Pool overview' } }, async (req) => {
    const owner = await ngx.owner();
    return Promise.all(
      (await pools(req.principal)).map(async (x) => {
        const pool = await svc.pools.get(req.principal, x.id);
        const c = await poolFigures(ngx, req.principal, pool);
        return {
          blocksize: '4096',
          capacity: { ...capacityInfo(c), flashtier_total: 0, flashtier_used: 0 },
          endurance: 0,
          is_flash: 0,
          optimization: pool.compression !== 'none' || pool.dedup.schedule ? 1 : 0,
          owner,
          pool_name: pool.name,
          protocol_usage: protocolUsage(c),
          raidtype: RAID_TYPE[pool.profile] ?? pool.profile,
        };
      }),
    );
  });
  t.get(
    '/pool/:id',
    {
      config: cfg('pool.read'),
      schema: {
        summary: 'Pool detail',
        params: Type.Object(
          { id: Type.String({ minLength: 1, maxLength: 40 }) },
          { additionalProperties: false },
        ),
      },
    },
    async (req) => detail(req.principal, idOf('pool', req.params.id)),
  );
}
