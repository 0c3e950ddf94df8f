// vSnap volumes and snapshots (seed 001 §8.1–8.7, §11): numeric ids from seq, sizes as strings,
// synchronous answers. Shares, hosts and replication are in their own files.
import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { typed } from '../../typed.js';
import { CairnError } from '../../../domain/errors.js';
import type { Principal } from '../../../domain/permissions.js';
import type { Volume, Snapshot } from '../../../domain/volumes.js';
import type { Filter } from '../../../domain/list.js';
import type { Services } from '../../../services/index.js';
import { StringEnum } from '../../native/common.js';
import { allPages, finished } from '../jobs.js';
import { epoch, str } from './map.js';
import { volumeExports } from './shares.js';
import { vsnapIds } from './ids.js';

import { cfg, IdParam } from './helpers.js';

const SizeString = Type.Union([Type.String({ pattern: '^[0-9]{1,19}$' }), Type.Integer({ minimum: 0 })]);
const eq = (field: string, column: string, value: string): Filter => ({ field, column, op: 'eq', value });

export async function volumeRoutes(plain: FastifyInstance, svc: Services): Promise<void> {
  const app = typed(plain);
  const ids = vsnapIds(svc);
  const seqOf = ids.toVsnap;
  const idOf = (kind: 'volume' | 'snapshot' | 'pool', vsnapId: string) => ids.toCairn(kind, vsnapId);

  const volumeSummary = async (v: Volume) => ({
    id: await seqOf('volume', v.id),
    name: v.name,
    volume_type: v.parent ? 'filebackedlun' : v.type,
    is_clone: v.origin_snapshot !== null,
    pool_id: await seqOf('pool', v.pool),
    size_total: str(v.size),
    size_free: str(Math.max(0, v.size - v.used)),
    size_used: str(v.used),
    time_created: epoch(v.created_at),
    time_updated: epoch(v.updated_at),
  });
  const volumeDetail = async (p: Principal, v: Volume) => {
    const pool = await svc.pools.get(p, v.pool);
    const { share_id, host_ids } = await volumeExports(svc, p, v.id);
    return {
      ...(await volumeSummary(v)),
      serial: v.id,
      pool_name: pool.name,
      parent_id: await seqOf('volume', v.parent),
      parent_path: v.parent_path,
      snapshot_id: await seqOf('snapshot', v.origin_snapshot),
      share_id,
      host_ids,
    };
  };
  const snapshotSummary = async (s: Snapshot) => ({
    id: await seqOf('snapshot', s.id),
    name: s.name,
    parent_id: await seqOf('volume', s.volume),
    time_created: epoch(s.created_at),
    time_updated: epoch(s.created_at),
  });
  const snapshotDetail = async (p: Principal, s: Snapshot) => {
    const [vol, pool] = await Promise.all([
      svc.volumes.get(p, s.volume).catch(() => null),
      svc.pools.get(p, s.pool).catch(() => null),
    ]);
    return {
      ...(await snapshotSummary(s)),
      parent_name: vol?.name ?? null,
      pool_id: await seqOf('pool', s.pool),
      pool_name: pool?.name ?? null,
      has_clones: s.clone_count > 0,
      size_used: str(s.exclusive),
      size_referenced: str(s.referenced),
      // btrfs generations are not exposed per snapshot here; the creation time orders versions.
      version_id: String(Date.parse(s.created_at)),
    };
  };
  const volumeOut = async (p: Principal, id: string) => volumeDetail(p, await svc.volumes.get(p, id));
  const snapshotOut = async (p: Principal, id: string) => snapshotDetail(p, await svc.snapshots.get(p, id));

  // ---- 8.1 Create volume (or clone from a snapshot)
  const VolumeCreate = Type.Object(
    {
      name: Type.String({ minLength: 1, maxLength: 64 }),
      volume_type: Type.Optional(StringEnum(['filesystem', 'lun', 'filebackedlun'])),
      pool_id: Type.Optional(Type.String({ pattern: '^[0-9]{1,18}$' })),
      size_total: Type.Optional(SizeString),
      size_block: Type.Optional(SizeString),
      snapshot_id: Type.Optional(Type.String({ pattern: '^[0-9]{1,18}$' })),
      parent_id: Type.Optional(Type.String({ maxLength: 20 })),
      parent_path: Type.Optional(Type.String({ maxLength: 4096 })),
    },
    { additionalProperties: false },
  );
  app.post(
    '/volume',
    {
      config: cfg('volume.write'),
      schema: { summary: 'Create volume, or clone one from a snapshot', body: VolumeCreate },
    },
    async (req) => {
      const b = req.body;
      if (b.snapshot_id) {
        const { id, job } = await svc.snapshots.clone(req.principal, await idOf('snapshot', b.snapshot_id), {
          name: b.name,
        });
        await finished(svc, job);
        return volumeOut(req.principal, id);
      }
      if (b.volume_type === 'filebackedlun') {
        // A lun whose data is a file in a filesystem volume; a missing file is made sparse.
        const problems = [];
        if (!b.parent_id)
          problems.push({ field: 'parent_id', code: 'REQUIRED', message: 'parent_id is required' });
        if (!b.parent_path)
          problems.push({ field: 'parent_path', code: 'REQUIRED', message: 'parent_path is required' });
        CairnError.assertNoProblems(problems);
        const parent = await svc.volumes.get(req.principal, await idOf('volume', b.parent_id!));
        // Without size_total the volume service gives a file-backed lun its default size.
        const { id, job } = await svc.volumes.create(req.principal, {
          pool: parent.pool,
          name: b.name,
          type: 'lun',
          ...(b.size_total !== undefined ? { size: Number(b.size_total) } : {}),
          parent: parent.id,
          parent_path: b.parent_path!,
        });
        await finished(svc, job);
        return volumeOut(req.principal, id);
      }
      const problems = [];
      if (!b.volume_type)
        problems.push({
          field: 'volume_type',
          code: 'REQUIRED',
          message: 'volume_type (or snapshot_id to clone) is required',
        });
      if (!b.pool_id) problems.push({ field: 'pool_id', code: 'REQUIRED', message: 'pool_id is required' });
      if (b.volume_type === 'lun' && b.size_total === undefined)
        problems.push({ field: 'size_total', code: 'REQUIRED', message: 'size_total is required for a lun' });
      CairnError.assertNoProblems(problems);
      // A filesystem without size_total is limited only by its pool, as in vSnap: the volume
      // service sizes a filesystem volume created without a size to its pool.
      const { id, job } = await svc.volumes.create(req.principal, {
        pool: await idOf('pool', b.pool_id!),
        name: b.name,
        type: b.volume_type as 'filesystem' | 'lun',
        ...(b.size_total !== undefined ? { size: Number(b.size_total) } : {}),
        ...(b.volume_type === 'lun' && b.size_block !== undefined
          ? { block_size: Number(b.size_block) }
          : {}),
      });
      await finished(svc, job);
      return volumeOut(req.principal, id);
    },
  );

  // ---- 8.2, 8.3 List volumes / get one
  app.get(
    '/volume',
    {
      config: cfg('volume.read'),
      schema: {
        summary: 'List volumes, or one by ?id= or ?name=',
        querystring: Type.Object(
          {
            id: Type.Optional(Type.String({ pattern: '^[0-9]{1,18}$' })),
            name: Type.Optional(Type.String({ maxLength: 64 })),
          },
          { additionalProperties: false },
        ),
      },
    },
    async (req) => {
      const q = req.query;
      if (q.id) return volumeOut(req.principal, await idOf('volume', q.id));
      const vols = await allPages((offset, limit) =>
        svc.volumes.list(req.principal, {
          limit,
          offset,
          cursor: null,
          sort: [],
          filters: q.name ? [eq('name', 'name', q.name)] : [],
        }),
      );
      if (q.name) {
        if (!vols[0]) throw new CairnError('VOLUME_NOT_FOUND', { id: q.name });
        return volumeDetail(req.principal, vols[0]);
      }
      const volumes = [];
      for (const v of vols) volumes.push(await volumeSummary(v));
      return { volumes, total: volumes.length };
    },
  );
  app.get(
    '/volume/:id',
    { config: cfg('volume.read'), schema: { summary: 'Get volume details', params: IdParam } },
    async (req) => volumeOut(req.principal, await idOf('volume', req.params.id)),
  );

  // ---- 8.5 Delete volume: with its snapshots, shares and mappings, unless a snapshot has clones
  app.delete(
    '/volume/:id',
    {
      config: cfg('volume.write'),
      schema: { summary: 'Delete volume with its snapshots, shares and host mappings', params: IdParam },
    },
    async (req) => {
      const id = await idOf('volume', req.params.id);
      await finished(svc, await svc.volumes.deleteUnlessCloned(req.principal, id));
      return {};
    },
  );

  // ---- 8.6, 8.7 Snapshots of a volume
  app.post(
    '/volume/:id/snapshot',
    {
      config: cfg('snapshot.write'),
      schema: {
        summary: 'Create snapshot of volume',
        params: IdParam,
        body: Type.Object(
          { name: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })) },
          { additionalProperties: false },
        ),
      },
    },
    async (req) => {
      const volumeId = await idOf('volume', req.params.id);
      const { id, job } = await svc.snapshots.create(req.principal, volumeId, req.body);
      await finished(svc, job);
      return snapshotOut(req.principal, id);
    },
  );
  const listSnapshots = async (p: Principal, volumeId?: string, name?: string) => {
    const snaps = await allPages((offset, limit) =>
      svc.snapshots.list(
        p,
        { limit, offset, cursor: null, sort: [], filters: name ? [eq('name', 'name', name)] : [] },
        volumeId,
      ),
    );
    const snapshots = [];
    for (const s of snaps) snapshots.push(await snapshotSummary(s));
    return { snapshots, total: snapshots.length };
  };
  app.get(
    '/volume/:id/snapshot',
    { config: cfg('snapshot.read'), schema: { summary: 'List snapshots of volume', params: IdParam } },
    async (req) => listSnapshots(req.principal, await idOf('volume', req.params.id)),
  );

  // ---- 11. Snapshots across volumes
  app.get(
    '/snapshot',
    {
      config: cfg('snapshot.read'),
      schema: {
        summary: 'List snapshots, or one by ?id= or ?name=',
        querystring: Type.Object(
          {
            id: Type.Optional(Type.String({ pattern: '^[0-9]{1,18}$' })),
            name: Type.Optional(Type.String({ maxLength: 64 })),
          },
          { additionalProperties: false },
        ),
      },
    },
    async (req) => {
      const q = req.query;
      if (q.id) return snapshotOut(req.principal, await idOf('snapshot', q.id));
      if (q.name) {
        const page = await svc.snapshots.list(req.principal, {
          limit: 1,
          offset: 0,
          cursor: null,
          sort: [],
          filters: [eq('name', 'name', q.name)],
        });
        if (!page.items[0]) throw new CairnError('SNAPSHOT_NOT_FOUND', { id: q.name });
        return snapshotDetail(req.principal, page.items[0]);
      }
      return listSnapshots(req.principal);
    },
  );
  app.get(
    '/snapshot/:id',
    { config: cfg('snapshot.read'), schema: { summary: 'Get snapshot details', params: IdParam } },
    async (req) => snapshotOut(req.principal, await idOf('snapshot', req.params.id)),
  );
  app.delete(
    '/snapshot/:id',
    {
      config: cfg('snapshot.write'),
      schema: { summary: 'Delete snapshot (refused while it has clones)', params: IdParam },
    },
    async (req) => {
      await finished(svc, await svc.snapshots.delete(req.principal, await idOf('snapshot', req.params.id)));
      return {};
    },
  );
}
