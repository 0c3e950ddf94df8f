// /v1/osd-snapshot: create (a read-only snapshot, or a writable one when `readonly` is false),
// enumerate by volume and label, and restore a volume to a snapshot.
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { finished } from '../../jobs.js';
import type { OsdContext } from '../context.js';
import { randomBytes } from 'node:crypto';
import { cairnName, labelFilters } from '../map.js';
import { IdParam, SnapCreateRequest, SnapEnumerateQuery } from '../schemas.js';
import { embedded, parseLabels, repeated } from '../reply.js';

export async function osdSnapshotRoutes(app: FastifyInstance, x: OsdContext): Promise<void> {
  const r = app.withTypeProvider<TypeBoxTypeProvider>();
  const { svc, cfg } = x;

  r.post(
    '/v1/osd-snapshot',
    { config: cfg('snapshot.write'), schema: { body: SnapCreateRequest } },
    async (req) =>
      embedded(
        req,
        async () => {
          const p = req.principal;
          const v = await x.mustVolume(p, req.body.id);
          const name = req.body.locator?.name || undefined;
          const labels = req.body.locator?.volume_labels;
          const { id, job } = await svc.snapshots.create(p, v.id, {
            // Absent is read-only (the seed's example, Portworx's default); an explicit false asks
            // for a writable one (OpenStorage's driver test harness).
            ...(req.body.readonly === false ? { writable: true } : {}),
            ...(name ? { name: cairnName(name, randomBytes(4).toString('hex')), display_name: name } : {}),
            ...(labels ? { labels } : {}),
          });
          await finished(svc, job);
          return { id };
        },
        'snap',
      ),
  );

  r.get(
    '/v1/osd-snapshot',
    { config: cfg('snapshot.read'), schema: { querystring: SnapEnumerateQuery } },
    async (req) => {
      const p = req.principal;
      const want = labelFilters(parseLabels('Label', req.query.Label));
      const ids = repeated(req.query.VolumeID);
      const volumes = ids.length ? await Promise.all(ids.map((id) => x.mustVolume(p, id))) : [undefined];
      const out = [];
      for (const v of volumes)
        for (const s of await x.allSnapshots(p, v?.id, want)) out.push(await x.snapshotOut(p, s));
      return out;
    },
  );

  r.post(
    '/v1/osd-snapshot/restore/:id',
    {
      config: cfg('volume.write'),
      schema: {
        params: IdParam,
        querystring: Type.Object({ SnapID: Type.String({ minLength: 1 }) }, { additionalProperties: false }),
      },
    },
    async (req) =>
      embedded(
        req,
        async () => {
          const p = req.principal;
          const v = await x.mustVolume(p, req.params.id);
          await finished(svc, await svc.volumes.rollback(p, v.id, { snapshot: req.query.SnapID }));
          return {};
        },
        'flat',
      ),
  );
}
