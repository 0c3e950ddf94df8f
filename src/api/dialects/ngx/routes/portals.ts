// NGX portal groups (seed 002 "Portal Group"), read-only: one per address of an interface that
// carries iSCSI (the network settings) and tgtd listens on, and "all". Cairn's targets answer on
// every iSCSI portal, so a target's group is one that covers them all.
import type { FastifyInstance } from 'fastify';
import { CairnError } from '../../../../domain/errors.js';
import { cfg, param, typed, type Ngx } from '../helpers.js';
import { portalAddress, portalId } from '../map.js';

export interface Portal {
  id: string;
  portal_name: string;
  listen_ips: string[];
}

/**
 * The portal groups: "all" first, then one per iSCSI address. When tgtd listens on one address
 * only, that address is every portal there is: "all" is it, and no other address is a portal.
 */
export async function portals(ngx: Ngx): Promise<Portal[]> {
  const only = ngx.svc.targets.listenAddress();
  const addrs = (await ngx.svc.network.list())
    .filter((n) => n.services.includes('iscsi'))
    .flatMap((n) => [...n.ip4_addrs, ...n.ip6_addrs])
    .filter((a) => only === null || a === only);
  return [
    { id: portalId('all'), portal_name: 'all', listen_ips: only ? [only] : ['0.0.0.0', '::'] },
    ...addrs.map((a) => ({ id: portalId(a), portal_name: a, listen_ips: [a] })),
  ];
}

/** Whether a target may be given this group: Cairn's targets answer on every iSCSI portal. */
export const everyPortal = (p: Portal, groups: readonly Portal[]): boolean =>
  p.portal_name === 'all' || groups[0]!.listen_ips.every((ip) => p.listen_ips.includes(ip));

/** The portal group of an NGX id, or NETWORK_NOT_FOUND. */
export async function portal(ngx: Ngx, id: string): Promise<Portal> {
  const all = await portals(ngx);
  const addr = portalAddress(
    id,
    all.map((p) => p.portal_name),
  );
  const found = all.find((p) => p.portal_name === addr);
  if (!found) throw new CairnError('NETWORK_NOT_FOUND', { id });
  return found;
}

export async function portalRoutes(app: FastifyInstance, ngx: Ngx): Promise<void> {
  const t = typed(app);
  const out = async (p: Portal) => ({ ...p, owner: await ngx.owner() });
  t.get(
    '/portal_group',
    { config: cfg('system.read'), schema: { summary: 'List portal groups' } },
    async () =>
      Promise.all(
        (await portals(ngx)).map(async (p) => ({
          id: p.id,
          portal_name: p.portal_name,
          owner: await ngx.owner(),
        })),
      ),
  );
  t.get(
    '/portal_group/list',
    { config: cfg('system.read'), schema: { summary: 'Portal group detail list' } },
    async () => Promise.all((await portals(ngx)).map(out)),
  );
  t.get(
    '/portal_group/:id',
    { config: cfg('system.read'), schema: { summary: 'Portal group detail', params: param('id') } },
    async (req) => out(await portal(ngx, req.params.id)),
  );
}
