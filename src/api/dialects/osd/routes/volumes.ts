// /v1/osd-volumes: create, inspect (by id or name), enumerate, set, delete, versions, stats,
// usedsize and usage, as OpenStorage's REST server answers them (api/server/volume.go).
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { CairnError } from '../../../../domain/errors.js';
import type { Filter } from '../../../../domain/list.js';
import type { Principal } from '../../../../domain/permissions.js';
import type { Volume } from '../../../../domain/volumes.js';
import { finished } from '../../jobs.js';
import { notFound, type OsdContext } from '../context.js';
import { randomBytes } from 'node:crypto';
import {
  cairnName,
  FORMAT_KEY,
  PARENT_KEY,
  labelFilters,
  OSD_API_VERSION,
  osdStats,
  specToCreate,
} from '../map.js';
import { EnumerateQuery, IdParam, StatsQuery, VolumeCreateRequest, VolumeSetRequest } from '../schemas.js';
import { embedded, parseLabels, repeated } from '../reply.js';
import { setVolume } from './set.js';

export async function osdVolumeRoutes(app: FastifyInstance, x: OsdContext): Promise<void> {
  const r = app.withTypeProvider<TypeBoxTypeProvider>();
  const { svc, cfg } = x;

  const versions = async () => [OSD_API_VERSION];
  r.get('/osd-volumes/versions', { config: cfg('volume.read') }, versions);
  r.get('/v1/osd-volumes/versions', { config: cfg('volume.read') }, versions);

  // ---- create: a new volume, or a clone of `source.parent` (a volume or a snapshot)
  r.post(
    '/v1/osd-volumes',
    { config: cfg('volume.write'), schema: { body: VolumeCreateRequest } },
    async (req) =>
      embedded(req, async () => {
        const p = req.principal;
        const b = req.body;
        const name = b.locator.name ?? '';
        if (!name) throw new CairnError('VALIDATION_FAILED', { summary: 'locator.name is required' });
        if (b.source?.parent) return { id: await clone(p, b.source.parent, name) };
        const existing = await x.findVolume(p, name);
        const { input, problems } = specToCreate(b.spec ?? {}, b.locator.volume_labels);
        CairnError.assertNoProblems(problems);
        // OpenStorage's create is idempotent for the same name and size.
        if (existing) {
          if (existing.size === input!.size) return { id: existing.id };
          throw new CairnError('VOLUME_NAME_TAKEN', { name, pool: existing.pool });
        }
        const { id, job } = await svc.volumes.create(p, {
          pool: await x.poolId(p),
          name: cairnName(name, randomBytes(4).toString('hex')),
          display_name: name,
          labels: input!.labels,
          ...(input!.fs ? { metadata: { [FORMAT_KEY]: input!.fs } } : {}),
          type: input!.type,
          size: input!.size,
          ...(input!.block_size ? { block_size: input!.block_size } : {}),
          ...(input!.compression ? { compression: input!.compression } : {}),
        });
        await finished(svc, job);
        return { id };
      }),
  );

  /** `source.parent`: a snapshot (its clone) or a live volume (one writable btrfs snapshot of it). */
  const clone = async (p: Principal, parent: string, name: string): Promise<string> => {
    const input = { name: cairnName(name, randomBytes(4).toString('hex')), display_name: name };
    const snap = await x.findSnapshot(p, parent);
    if (snap) {
      const { id, job } = await svc.snapshots.clone(p, snap.id, input);
      await finished(svc, job);
      return id;
    }
    const src = await x.mustVolume(p, parent);
    const { id, job } = await svc.volumes.clone(p, src.id, input);
    await finished(svc, job);
    // Cairn records no origin for a live clone: the dialect keeps it for `source.parent`.
    await svc.volumes.setAttributes(p, id, { metadata: { [PARENT_KEY]: src.id } });
    return id;
  };

  // ---- inspect: an array of one, or [] for an unknown id (snapshots are volumes here too)
  r.get('/v1/osd-volumes/:id', { config: cfg('volume.read'), schema: { params: IdParam } }, async (req) => {
    const p = req.principal;
    const v = await x.findVolume(p, req.params.id);
    if (v) return [await x.volumeOut(p, v)];
    const s = await x.findSnapshot(p, req.params.id);
    return s ? [await x.snapshotOut(p, s)] : [];
  });

  // ---- enumerate: by Name, Label and ConfigLabel (JSON objects, ANDed), or VolumeID (repeatable)
  r.get(
    '/v1/osd-volumes',
    { config: cfg('volume.read'), schema: { querystring: EnumerateQuery } },
    async (req) => {
      const p = req.principal;
      const q = req.query;
      const ids = repeated(q.VolumeID);
      if (ids.length) {
        const out = [];
        for (const id of ids) {
          const v = await svc.volumes.get(p, id).catch(notFound);
          if (v) out.push(await x.volumeOut(p, v));
          else {
            const s = await x.findSnapshot(p, id);
            if (s) out.push(await x.snapshotOut(p, s));
          }
        }
        return out;
      }
      const want = { ...parseLabels('Label', q.Label), ...parseLabels('ConfigLabel', q.ConfigLabel) };
      // OpenStorage's name is Cairn's display name (the name unless it had to change).
      const filters: Filter[] = q.Name
        ? [{ field: 'display_name', column: 'display_name', op: 'eq', value: q.Name }]
        : [];
      const vols: Volume[] = await x.allVolumes(p, filters, labelFilters(want));
      return Promise.all(vols.map((v) => x.volumeOut(p, v)));
    },
  );

  // ---- set: spec changes (size), labels, and the attach/mount actions
  r.put(
    '/v1/osd-volumes/:id',
    { config: cfg('volume.write'), schema: { params: IdParam, body: VolumeSetRequest } },
    async (req) => setVolume(x, req, req.params.id, req.body),
  );

  // ---- delete: a volume or a snapshot; an unknown id is already gone (OpenStorage: idempotent)
  r.delete('/v1/osd-volumes/:id', { config: cfg('volume.write'), schema: { params: IdParam } }, async (req) =>
    embedded(
      req,
      async () => {
        const p = req.principal;
        const v = await svc.volumes.get(p, req.params.id).catch(notFound);
        if (v) await finished(svc, await svc.volumes.delete(p, v.id, false));
        else {
          const s = await x.findSnapshot(p, req.params.id);
          if (s) await finished(svc, await svc.snapshots.delete(p, s.id));
        }
        return {};
      },
      'flat',
    ),
  );

  // ---- stats, usedsize, usage
  r.get(
    '/v1/osd-volumes/stats/:id',
    { config: cfg('stats.read'), schema: { params: IdParam, querystring: StatsQuery } },
    async (req) => {
      const p = req.principal;
      const v = await x.mustVolume(p, req.params.id);
      const live = await svc.monitor.live(p, 'volume', v.id).catch(notFound);
      return osdStats(live?.metrics ?? {}, v.used, live?.interval_ms ?? 0);
    },
  );
  r.get(
    '/v1/osd-volumes/usedsize/:id',
    { config: cfg('volume.read'), schema: { params: IdParam } },
    async (req) => {
      const v = await x.mustVolume(req.principal, req.params.id);
      return v.used;
    },
  );
  r.get(
    '/v1/osd-volumes/usage/:id',
    { config: cfg('volume.read'), schema: { params: IdParam } },
    async (req) => {
      const v = await x.mustVolume(req.principal, req.params.id);
      return {
        capacity_usage_info: {
          exclusive_bytes: v.exclusive,
          shared_bytes: Math.max(0, v.referenced - v.exclusive),
          total_bytes: v.referenced,
        },
      };
    },
  );
}
