// NGX snapshots (seed 002 "Snapshot"): create, list by volume, detail, delete, delete all, clone,
// restore (a rollback), and the per-volume snapshot schedule (a native snapshot schedule whose
// retention keeps the last `keep_max`, with the cron's plain-language description).
import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { CairnError } from '../../../../domain/errors.js';
import type { Principal } from '../../../../domain/permissions.js';
import type { Snapshot, Volume } from '../../../../domain/volumes.js';
import { all, cfg, eq, HexId, idOf, Owner, param, typed, type Ngx } from '../helpers.js';
import { ngxId, snapshotDetail } from '../map.js';

const SnapName = Type.String({ minLength: 1, maxLength: 64, pattern: '^[A-Za-z0-9_-]+$' });
const VolQuery = Type.Object({ vol_id: Type.Optional(HexId) }, { additionalProperties: false });
const ScheduleBody = Type.Object(
  {
    cron_time: Type.String({ minLength: 9, maxLength: 100, pattern: '^[0-9*,/ -]+$' }),
    keep_max: Type.Integer({ minimum: 1, maximum: 512 }),
    owner: Type.Optional(Owner),
  },
  { additionalProperties: false },
);
const volType = (v: Volume) => (v.type === 'lun' ? 'lun' : 'share');

export async function snapshotRoutes(app: FastifyInstance, ngx: Ngx): Promise<void> {
  const t = typed(app);
  const { svc } = ngx;
  const SnapParam = param('snap_id');
  const VolParam = param('vol_id');

  const volumeOf = (p: Principal, ngxVolId: string) => svc.volumes.get(p, idOf('volume', ngxVolId));
  const detail = async (p: Principal, s: Snapshot, vol?: Volume) => {
    const v = vol ?? (await svc.volumes.get(p, s.volume));
    const names = await ngx.poolNames(p);
    return snapshotDetail(s, v.name, names.get(s.pool) ?? '');
  };
  /** The snapshots of one volume, or of every volume the key sees, with their volumes. */
  const snapshotsOf = async (p: Principal, volNgxId: string | undefined) => {
    const volumeId = volNgxId ? idOf('volume', volNgxId) : undefined;
    const vols = volumeId ? [await svc.volumes.get(p, volumeId)] : await all((q) => svc.volumes.list(p, q));
    const byId = new Map(vols.map((v) => [v.id, v]));
    const snaps = (await all((q) => svc.snapshots.list(p, q, volumeId))).filter((s) => byId.has(s.volume));
    return snaps.map((s) => ({ s, v: byId.get(s.volume)! }));
  };
  const scheduleOf = async (p: Principal, volumeId: string) =>
    (
      await all((q) => svc.schedules.list(p, q), eq('kind', 'snapshot'), eq('target', volumeId, 'target_id'))
    )[0] ?? null;

  t.post(
    '/snapshot',
    {
      config: cfg('snapshot.write'),
      schema: {
        summary: 'Create a snapshot',
        body: Type.Object({ name: SnapName, volume_id: HexId }, { additionalProperties: false }),
      },
    },
    async (req) => {
      const p = req.principal;
      const v = await volumeOf(p, req.body.volume_id);
      const { id, job } = await svc.snapshots.create(p, v.id, { name: req.body.name });
      await ngx.done(job);
      const s = await svc.snapshots.get(p, id);
      return { ...(await detail(p, s, v)), snap_vol: `${v.name}@${s.name}` };
    },
  );

  t.get(
    '/snapshot',
    { config: cfg('snapshot.read'), schema: { summary: 'List snapshots', querystring: VolQuery } },
    async (req) => {
      const p = req.principal;
      const names = await ngx.poolNames(p);
      const out = { luns: [] as object[], shares: [] as object[] };
      for (const { s, v } of await snapshotsOf(p, req.query.vol_id)) {
        const base = {
          snap_id: ngxId('snapshot', s.id),
          pool_name: names.get(s.pool) ?? '',
          snap_name: s.name,
        };
        if (v.type === 'lun') out.luns.push({ ...base, lun_name: v.name });
        else out.shares.push({ ...base, share_name: v.name });
      }
      return out;
    },
  );
  t.get(
    '/snapshot/list',
    { config: cfg('snapshot.read'), schema: { summary: 'Snapshot detail list', querystring: VolQuery } },
    async (req) => {
      const p = req.principal;
      const out = { shares: [] as object[], luns: [] as object[] };
      for (const { s, v } of await snapshotsOf(p, req.query.vol_id))
        (v.type === 'lun' ? out.luns : out.shares).push(await detail(p, s, v));
      return out;
    },
  );
  t.get(
    '/snapshot/:snap_id',
    { config: cfg('snapshot.read'), schema: { summary: 'Snapshot detail', params: SnapParam } },
    async (req) =>
      detail(req.principal, await svc.snapshots.get(req.principal, idOf('snapshot', req.params.snap_id))),
  );
  t.delete(
    '/snapshot/:snap_id',
    { config: cfg('snapshot.write'), schema: { summary: 'Delete a snapshot', params: SnapParam } },
    async (req) => {
      await ngx.done(await svc.snapshots.delete(req.principal, idOf('snapshot', req.params.snap_id)));
      return { success: true };
    },
  );
  t.delete(
    '/snapshot/all/:vol_id',
    {
      config: cfg('snapshot.write'),
      schema: { summary: 'Delete all snapshots of a volume', params: VolParam },
    },
    async (req) => {
      const p = req.principal;
      const v = await volumeOf(p, req.params.vol_id);
      await ngx.done(await svc.snapshots.deleteAll(p, v.id));
      // Snapshots with clones (or held by replication) stay: say which.
      const left = await all((q) => svc.snapshots.list(p, q, v.id));
      return {
        success: true,
        warning: left.length ? `kept (clones or holds): ${left.map((s) => s.name).join(', ')}` : '',
      };
    },
  );
  t.post(
    '/snapshot/clone/:snap_id',
    {
      config: cfg('volume.write'),
      schema: {
        summary: 'Clone a snapshot into a new volume',
        params: SnapParam,
        body: Type.Object({ name: SnapName }, { additionalProperties: false }),
      },
    },
    async (req) => {
      const { id, job } = await svc.snapshots.clone(req.principal, idOf('snapshot', req.params.snap_id), {
        name: req.body.name,
      });
      await ngx.done(job);
      return { success: true, vol_id: ngxId('volume', id) };
    },
  );
  t.post(
    '/snapshot/restore/:snap_id',
    { config: cfg('volume.write'), schema: { summary: 'Restore a volume to a snapshot', params: SnapParam } },
    async (req) => {
      const p = req.principal;
      const s = await svc.snapshots.get(p, idOf('snapshot', req.params.snap_id));
      await ngx.done(await svc.volumes.rollback(p, s.volume, { snapshot: s.id }));
      return { success: true };
    },
  );

  // ---- the per-volume schedule
  const scheduleOut = async (p: Principal, v: Volume) => {
    const s = await scheduleOf(p, v.id);
    if (!s) throw new CairnError('SCHEDULE_NOT_FOUND', { id: `snapshot schedule of volume ${v.name}` });
    return {
      c_time: s.cron,
      h_read: s.description,
      id: ngxId('schedule', s.id),
      keep_max: s.retention?.keep_last ?? 0,
      owner: await ngx.owner(),
      vol_id: ngxId('volume', v.id),
      vol_type: volType(v),
    };
  };
  t.get(
    '/snapshot/schedule/:vol_id',
    { config: cfg('schedule.read'), schema: { summary: 'Snapshot schedule of a volume', params: VolParam } },
    async (req) => scheduleOut(req.principal, await volumeOf(req.principal, req.params.vol_id)),
  );
  t.post(
    '/snapshot/schedule/:vol_id',
    {
      config: cfg('schedule.write'),
      schema: { summary: 'Set the snapshot schedule of a volume', params: VolParam, body: ScheduleBody },
    },
    async (req) => {
      const p = req.principal;
      const v = await volumeOf(p, req.params.vol_id);
      const setting = { cron: req.body.cron_time, retention: { keep_last: req.body.keep_max } };
      // One schedule per volume, as NGX has it: setting it again changes it.
      const old = await scheduleOf(p, v.id);
      const s = old
        ? await svc.schedules.update(p, old.id, setting)
        : await svc.schedules.create(p, {
            name: `ngx-${v.id.slice(0, 8)}`,
            kind: 'snapshot',
            target: v.id,
            ...setting,
          });
      return { h_read: s.description, success: true };
    },
  );
  t.delete(
    '/snapshot/schedule/:vol_id',
    {
      config: cfg('schedule.write'),
      schema: { summary: 'Remove the snapshot schedule of a volume', params: VolParam },
    },
    async (req) => {
      const p = req.principal;
      const v = await volumeOf(p, req.params.vol_id);
      const s = await scheduleOf(p, v.id);
      if (s) await svc.schedules.delete(p, s.id);
      return {};
    },
  );
}
