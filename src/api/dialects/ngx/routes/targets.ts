// NGX iSCSI targets (seed 002 "ISCSI Target"): Cairn's native targets. Made empty, renamed (the
// alias), their auth group (the hosts allowed in) changed and LUNs added and removed live. The
// seed and NGX's SDK use both `/target/iscsi/…` and `/iscsi_target/…`: every route answers on both.
// Fibre Channel: Cairn has none; its lists are empty and its writes refused.
import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { CairnError } from '../../../../domain/errors.js';
import type { Principal } from '../../../../domain/permissions.js';
import type { Target } from '../../../../domain/targets.js';
import { all, cfg, HexId, idOf, Name, Owner, param, REQUEST_BUDGET_MS, typed, type Ngx } from '../helpers.js';
import { DEFAULT_AUTH_GROUP, ngxId, portalId, scsiLunId } from '../map.js';
import { everyPortal, portal, portals } from './portals.js';

const LunIds = Type.Array(HexId, { maxItems: 255 });
const AuthGroupId = Type.String({ minLength: 1, maxLength: 40, pattern: '^[0-9a-fA-F]+$' });
const TargetCreate = Type.Object(
  {
    name: Name,
    auth_group_id: AuthGroupId,
    portal_group_id: HexId,
    owner: Owner,
    lun_ids: Type.Optional(LunIds),
  },
  { additionalProperties: false },
);
const Rename = Type.Object({ name: Name, owner: Owner }, { additionalProperties: false });
const PortalBody = Type.Object({ portal_group_id: HexId, owner: Owner }, { additionalProperties: false });
const AuthBody = Type.Object({ auth_group_id: AuthGroupId, owner: Owner }, { additionalProperties: false });
const LunsBody = Type.Object({ lun_ids: LunIds, owner: Owner }, { additionalProperties: false });
/** Both spellings of every target path. */
const PREFIXES = ['/iscsi_target', '/target/iscsi'];
const ALL_PORTALS = portalId('all');

export async function targetRoutes(app: FastifyInstance, ngx: Ngx): Promise<void> {
  const t = typed(app);
  const { svc } = ngx;
  const IdParam = param('id');
  const TargetParam = param('target_id');

  /** The hosts of an NGX auth group id ("1": none of its own, any initiator). */
  const hostsOf = async (groupId: string): Promise<string[]> => {
    if (groupId === DEFAULT_AUTH_GROUP.group_id) return [];
    const h = await svc.hosts.get(idOf('host', groupId));
    return [h.id];
  };
  /**
   * Cairn's targets answer on every iSCSI portal: a target's group is "all", or the one address
   * group that is every portal (tgtd listening on that address only); a narrower group is refused.
   */
  const checkPortal = async (id: string) => {
    const pg = await portal(ngx, id);
    if (!everyPortal(pg, await portals(ngx)))
      throw new CairnError('VALIDATION_FAILED', {
        summary: `portal_group_id: Cairn's targets answer on every iSCSI portal; use the "all" group ${ALL_PORTALS}`,
      });
  };
  const target = (p: Principal, id: string) => svc.targets.get(p, idOf('target', id));
  const lunsOf = async (p: Principal, tg: Target, only?: Set<string>) => {
    const names = await ngx.poolNames(p);
    const out = [];
    for (const l of tg.luns) {
      if (only && !only.has(l.volumeId)) continue;
      const v = await svc.volumes.get(p, l.volumeId).catch(() => null);
      out.push({
        lun_id: scsiLunId(l.volumeId),
        lun_name: v?.name ?? '',
        lun_number: String(l.lun),
        pool_name: names.get(l.poolId) ?? '',
        vol_id: ngxId('volume', l.volumeId),
      });
    }
    return out;
  };
  const detail = async (p: Principal, tg: Target) => {
    const host = tg.hostIds[0] ? await svc.hosts.get(tg.hostIds[0]).catch(() => null) : null;
    const iqn = tg.iqn;
    return {
      target_iqn: iqn,
      scsi_target_name: tg.alias ?? iqn.split(':').pop() ?? iqn,
      portal_id: ALL_PORTALS,
      iqn_name: iqn.includes(':') ? iqn.slice(0, iqn.indexOf(':')) : iqn,
      portal_name: 'all',
      scsi_id: ngxId('target', tg.id),
      luns: (await lunsOf(p, tg)).map((l) => ({ profile: '-', ...l })),
      group_id: host ? ngxId('host', host.id) : DEFAULT_AUTH_GROUP.group_id,
      owner: await ngx.owner(),
      group_name: host ? host.name : DEFAULT_AUTH_GROUP.group_name,
    };
  };
  const volumesOf = async (p: Principal, lunIds: string[]) => {
    const ids = lunIds.map((x) => idOf('volume', x));
    for (const id of ids) await svc.volumes.get(p, id);
    return ids;
  };
  const targets = (p: Principal) => all((q) => svc.targets.list(p, q));

  for (const base of PREFIXES) {
    t.post(
      base,
      { config: cfg('target.write'), schema: { summary: 'Create an iSCSI target', body: TargetCreate } },
      async (req) => {
        const p = req.principal;
        const b = req.body;
        const since = Date.now();
        await checkPortal(b.portal_group_id);
        const host_ids = await hostsOf(b.auth_group_id);
        const vols = await volumesOf(p, b.lun_ids ?? []);
        // The target and its LUNs, all or none.
        const id = await svc.provisioning.target(p, { alias: b.name, host_ids }, vols, {
          deadline: since + REQUEST_BUDGET_MS,
        });
        return {
          id: ngxId('target', id),
          luns: await lunsOf(p, await svc.targets.get(p, id)),
          success: true,
        };
      },
    );
    t.get(base, { config: cfg('target.read'), schema: { summary: 'List iSCSI targets' } }, async (req) => {
      const owner = await ngx.owner();
      return (await targets(req.principal)).map((tg) => ({
        scsi_target_name: tg.alias ?? tg.iqn.split(':').pop() ?? tg.iqn,
        scsi_id: ngxId('target', tg.id),
        owner,
      }));
    });
    t.get(
      `${base}/list`,
      { config: cfg('target.read'), schema: { summary: 'iSCSI target detail list' } },
      async (req) => Promise.all((await targets(req.principal)).map((tg) => detail(req.principal, tg))),
    );
    t.get(
      `${base}/:id`,
      { config: cfg('target.read'), schema: { summary: 'iSCSI target detail', params: IdParam } },
      async (req) => detail(req.principal, await target(req.principal, req.params.id)),
    );
    t.delete(
      `${base}/:id`,
      { config: cfg('target.write'), schema: { summary: 'Delete an iSCSI target', params: IdParam } },
      async (req) => {
        const tg = await target(req.principal, req.params.id);
        await ngx.done(await svc.targets.delete(req.principal, tg.id, false));
        return { success: true };
      },
    );
    t.patch(
      `${base}/:id`,
      {
        config: cfg('target.write'),
        schema: { summary: 'Rename an iSCSI target', params: IdParam, body: Rename },
      },
      async (req) => {
        const tg = await target(req.principal, req.params.id);
        await ngx.done(await svc.targets.update(req.principal, tg.id, { alias: req.body.name }));
        return { success: true };
      },
    );
    t.patch(
      `${base}/portal_group/:target_id`,
      {
        config: cfg('target.write'),
        schema: { summary: 'Change the portal group', params: TargetParam, body: PortalBody },
      },
      async (req) => {
        await target(req.principal, req.params.target_id);
        await checkPortal(req.body.portal_group_id);
        return { success: true };
      },
    );
    t.patch(
      `${base}/auth_group/:target_id`,
      {
        config: cfg('target.write'),
        schema: { summary: 'Change the auth group', params: TargetParam, body: AuthBody },
      },
      async (req) => {
        const tg = await target(req.principal, req.params.target_id);
        const host_ids = await hostsOf(req.body.auth_group_id);
        await ngx.done(await svc.targets.update(req.principal, tg.id, { host_ids }));
        return { success: true };
      },
    );
    t.put(
      `${base}/lun/:id`,
      {
        config: cfg('target.write'),
        schema: { summary: 'Add LUNs to a target (live)', params: IdParam, body: LunsBody },
      },
      async (req) => {
        const p = req.principal;
        const tg = await target(p, req.params.id);
        const vols = await volumesOf(p, req.body.lun_ids);
        await svc.provisioning.addLuns(p, tg.id, vols, { deadline: Date.now() + REQUEST_BUDGET_MS });
        return { luns: await lunsOf(p, await svc.targets.get(p, tg.id), new Set(vols)), success: true };
      },
    );
    t.patch(
      `${base}/lun/:id`,
      {
        config: cfg('target.write'),
        schema: { summary: 'Remove LUNs from a target (live)', params: IdParam, body: LunsBody },
      },
      async (req) => {
        const p = req.principal;
        const tg = await target(p, req.params.id);
        const vols = new Set(await volumesOf(p, req.body.lun_ids));
        const gone = tg.luns.filter((l) => vols.has(l.volumeId));
        if (gone.length !== vols.size)
          throw new CairnError('VOLUME_NOT_MAPPED', {
            volume: [...vols].find((v) => !gone.some((l) => l.volumeId === v)),
            host: tg.alias ?? tg.iqn,
          });
        const since = Date.now();
        for (const l of gone) await ngx.done(await svc.targets.removeLun(p, tg.id, l.lun), since);
        return { luns: await lunsOf(p, await svc.targets.get(p, tg.id)), success: true };
      },
    );
  }
}
