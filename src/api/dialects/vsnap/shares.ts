// vSnap shares, hosts and LUN mapping (seed 001 §8.8–8.10, §9, §10). A vSnap share is Cairn's NFS
// or SMB export of a filesystem volume; mapping a lun to a host is an iSCSI export whose ACL is
// that host. Ids are the rows' seq.
import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { typed } from '../../typed.js';
import { CairnError } from '../../../domain/errors.js';
import type { ExportRecord, Host } from '../../../domain/exports.js';
import type { Filter } from '../../../domain/list.js';
import type { Principal } from '../../../domain/permissions.js';
import type { Services } from '../../../services/index.js';
import { StringEnum } from '../../native/common.js';
import { allPages, finished } from '../jobs.js';
import { epoch, lunOf, share, shareDetails, shareSettings } from './map.js';
import { inVsnapIds } from './errors.js';
import { cfg, IdParam } from './helpers.js';
import { vsnapIds, SEQ_PATTERN } from './ids.js';

const eq = (field: string, column: string, value: string): Filter => ({ field, column, op: 'eq', value });
const SeqParam = SEQ_PATTERN;

const ShareBody = Type.Object(
  {
    share_type: StringEnum(['nfs', 'smb'] as const),
    share_options: Type.Optional(
      Type.Object(
        {
          read_only: Type.Optional(Type.Boolean()),
          allowed_hosts: Type.Optional(
            Type.Array(Type.String({ minLength: 1, maxLength: 64 }), { maxItems: 256 }),
          ),
        },
        { additionalProperties: false },
      ),
    ),
  },
  { additionalProperties: false },
);

export async function shareRoutes(plain: FastifyInstance, svc: Services): Promise<void> {
  const app = typed(plain);
  const ids = vsnapIds(svc);
  const seq = async (kind: 'volume' | 'export' | 'host', id: string) => (await ids.toVsnap(kind, id)) ?? '';
  const idOf = (kind: 'volume' | 'export' | 'host', vsnapId: string) => ids.toCairn(kind, vsnapId);
  const shareOut = async (e: ExportRecord) =>
    share(await seq('export', e.id), await seq('volume', e.volumeId), e);
  const shareDetail = async (e: ExportRecord) => {
    const { time_created, time_updated, ...head } = await shareOut(e);
    return { ...head, ...shareDetails(e), time_created, time_updated };
  };

  // ---- 8.8, 8.9, 9.3: the share of a volume
  app.post(
    '/volume/:id/share',
    {
      config: cfg('export.write'),
      schema: { summary: 'Create share of volume', params: IdParam, body: ShareBody },
    },
    async (req) => {
      const volumeId = await idOf('volume', req.params.id);
      return shareDetail(await svc.shares.create(req.principal, volumeId, shareSettings(req.body)));
    },
  );
  app.put(
    '/volume/:id/share',
    {
      config: cfg('export.write'),
      schema: { summary: 'Update share in place (its id stays)', params: IdParam, body: ShareBody },
    },
    async (req) =>
      shareDetail(
        await svc.shares.put(req.principal, await idOf('volume', req.params.id), shareSettings(req.body)),
      ),
  );
  app.delete(
    '/volume/:id/share',
    { config: cfg('export.write'), schema: { summary: 'Delete share of volume', params: IdParam } },
    async (req) => {
      const volumeId = await idOf('volume', req.params.id);
      await svc.shares.delete(req.principal, volumeId).catch(inVsnapIds({ volume: req.params.id }));
      return {};
    },
  );

  // ---- 9. Shares
  app.get(
    '/share',
    {
      config: cfg('export.read'),
      schema: {
        summary: 'List shares, or one by ?id=',
        querystring: Type.Object(
          { id: Type.Optional(Type.String({ pattern: SeqParam })) },
          { additionalProperties: false },
        ),
      },
    },
    async (req) => {
      const q = req.query;
      if (q.id) return shareDetail(await svc.exports.get(req.principal, await idOf('export', q.id)));
      const all = await allPages((offset, limit) =>
        svc.exports.list(req.principal, {
          limit,
          offset,
          cursor: null,
          sort: [],
          filters: [{ field: 'protocol', column: 'protocol', op: 'in', value: ['nfs', 'smb'] }],
        }),
      );
      const shares = [];
      for (const e of all) shares.push(await shareOut(e));
      return { shares, total: shares.length };
    },
  );
  app.get(
    '/share/:id',
    { config: cfg('export.read'), schema: { summary: 'Get share details', params: IdParam } },
    async (req) => shareDetail(await svc.exports.get(req.principal, await idOf('export', req.params.id))),
  );
  app.delete(
    '/share/:id',
    { config: cfg('export.write'), schema: { summary: 'Delete share', params: IdParam } },
    async (req) => {
      await finished(svc, await svc.exports.delete(req.principal, await idOf('export', req.params.id), true));
      return {};
    },
  );

  // ---- 10. Hosts, and mapping luns to them (one iSCSI export per volume and host)
  const mappedLuns = async (p: Principal, hostId: string) => {
    const out: { lun: string; vol_id: string }[] = [];
    for (const e of await svc.shares.lunsOf(p, hostId))
      out.push({ lun: lunOf(e), vol_id: await seq('volume', e.volumeId) });
    return out;
  };
  const host = async (p: Principal, x: Host, detail: boolean) => ({
    id: await seq('host', x.id),
    name: x.name,
    iqns: x.iqns,
    ...(detail ? { mapped_luns: await mappedLuns(p, x.id) } : {}),
    time_created: epoch(x.created_at),
    time_updated: epoch(x.updated_at),
  });
  const HostBody = Type.Object(
    {
      name: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
      iqns: Type.Optional(Type.Array(Type.String({ maxLength: 223 }), { maxItems: 64 })),
    },
    { additionalProperties: false },
  );
  app.post(
    '/host',
    { config: cfg('host.write'), schema: { summary: 'Create host', body: HostBody } },
    async (req) => {
      const b = req.body;
      if (!b.name) throw new CairnError('VALIDATION_FAILED', { summary: 'name: required' });
      return host(req.principal, await svc.hosts.create({ name: b.name, iqns: b.iqns ?? [] }), true);
    },
  );
  app.get(
    '/host',
    {
      config: cfg('host.read'),
      schema: {
        summary: 'List hosts, or one by ?id= or ?name=',
        querystring: Type.Object(
          {
            id: Type.Optional(Type.String({ pattern: SeqParam })),
            name: Type.Optional(Type.String({ maxLength: 64 })),
          },
          { additionalProperties: false },
        ),
      },
    },
    async (req) => {
      const q = req.query;
      if (q.id) return host(req.principal, await svc.hosts.get(await idOf('host', q.id)), true);
      const all = await allPages((offset, limit) =>
        svc.hosts.list({
          limit,
          offset,
          cursor: null,
          sort: [],
          filters: q.name ? [eq('name', 'name', q.name)] : [],
        }),
      );
      if (q.name) {
        if (!all[0]) throw new CairnError('HOST_NOT_FOUND', { id: q.name });
        return host(req.principal, all[0], true);
      }
      const hosts = [];
      for (const x of all) hosts.push(await host(req.principal, x, false));
      return { hosts, total: String(hosts.length) };
    },
  );
  app.get(
    '/host/:id',
    { config: cfg('host.read'), schema: { summary: 'Get host details', params: IdParam } },
    async (req) => host(req.principal, await svc.hosts.get(await idOf('host', req.params.id)), true),
  );
  app.put(
    '/host/:id',
    {
      config: cfg('host.write'),
      schema: {
        summary: 'Update host: name and/or the whole initiator list',
        params: IdParam,
        body: HostBody,
      },
    },
    async (req) => {
      const id = await idOf('host', req.params.id);
      const b = req.body;
      return host(
        req.principal,
        await svc.hosts.update(id, {
          ...(b.name !== undefined ? { name: b.name } : {}),
          ...(b.iqns !== undefined ? { iqns: b.iqns } : {}),
        }),
        true,
      );
    },
  );
  app.delete(
    '/host/:id',
    {
      config: cfg('host.write'),
      schema: { summary: 'Delete host (its lun mappings go with it)', params: IdParam },
    },
    async (req) => {
      // The host's lun mappings go with it (the host service's cascade).
      await svc.hosts.delete(await idOf('host', req.params.id), true);
      return {};
    },
  );

  const map = async (p: Principal, hostId: string, volSeq: string) => {
    const e = await svc.shares.map(p, await idOf('volume', volSeq), hostId);
    return { vol_id: volSeq, lun: lunOf(e), target: e.exportName, uri: e.uri };
  };
  const unmap = async (p: Principal, hostId: string, volSeq: string) => {
    await svc.shares
      .unmap(p, await idOf('volume', volSeq), hostId)
      .catch(inVsnapIds({ volume: volSeq, host: await seq('host', hostId) }));
    return {};
  };
  app.post(
    '/volume/:id/map',
    {
      config: cfg('export.write'),
      schema: {
        summary: 'Map volume to host',
        params: IdParam,
        body: Type.Object({ host_id: Type.String({ pattern: SeqParam }) }, { additionalProperties: false }),
      },
    },
    async (req) => map(req.principal, await idOf('host', req.body.host_id), req.params.id),
  );
  app.post(
    '/host/:id',
    {
      config: cfg('export.write'),
      schema: {
        summary: 'Map or unmap a volume',
        params: IdParam,
        body: Type.Object(
          { action: StringEnum(['map', 'unmap']), vol_id: Type.String({ pattern: SeqParam }) },
          { additionalProperties: false },
        ),
      },
    },
    async (req) => {
      const hostId = await idOf('host', req.params.id);
      const b = req.body;
      return b.action === 'map'
        ? map(req.principal, hostId, b.vol_id)
        : unmap(req.principal, hostId, b.vol_id);
    },
  );
}

/** What the vSnap volume shows of its exports: its share and the hosts it is mapped to. */
export async function volumeExports(
  svc: Services,
  p: Principal,
  volumeId: string,
): Promise<{ share_id: string | null; host_ids: string[] }> {
  const { share, hosts } = await svc.shares.sharing(p, volumeId);
  const seqs = await svc.ids.seqsOf('host', hosts);
  return {
    share_id: share ? await vsnapIds(svc).toVsnap('export', share.id) : null,
    host_ids: hosts.map((h) => String(seqs.get(h) ?? '')),
  };
}
