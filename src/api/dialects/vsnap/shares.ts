// vSnap shares, hosts and LUN mapping (seed 001 §8.8–8.10, §9, §10). A vSnap share is Cairn's NFS
// or SMB export of a filesystem volume; mapping a lun to a host is an iSCSI export whose ACL is
// that host. Ids are the rows' seq.
import { Type, type Static } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { typed } from '../../typed.js';
import { CairnError } from '../../../domain/errors.js';
import type { ExportRecord, Host } from '../../../domain/exports.js';
import type { Filter } from '../../../domain/list.js';
import type { Principal } from '../../../domain/permissions.js';
import type { Services } from '../../../services/index.js';
import { StringEnum } from '../../native/common.js';
import { allPages, finished } from '../jobs.js';
import { epoch } from './map.js';
import { cfg, IdParam } from './helpers.js';
import { vsnapIds, SEQ_PATTERN } from './ids.js';

const eq = (field: string, column: string, value: string): Filter => ({ field, column, op: 'eq', value });
const SeqParam = SEQ_PATTERN;
/** vSnap's "all" hosts: every IPv4 and IPv6 address. */
const ALL = ['0.0.0.0/0', '::/0'];

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
type ShareInput = Static<typeof ShareBody>;

export async function shareRoutes(plain: FastifyInstance, svc: Services): Promise<void> {
  const app = typed(plain);
  const ids = vsnapIds(svc);
  const seq = async (table: 'volume' | 'export' | 'host', id: string) => (await ids.toVsnap(table, id)) ?? '';
  const idOf = (table: 'volume' | 'export' | 'host', vsnapId: string) => ids.toCairn(table, vsnapId);
  const exportsOf = (p: Principal, volumeId: string, protocols: string[]) =>
    allPages((offset, limit) =>
      svc.exports.forVolume(p, volumeId, {
        limit,
        offset,
        cursor: null,
        sort: [],
        filters: [{ field: 'protocol', column: 'protocol', op: 'in', value: protocols }],
      }),
    );
  const shareOf = async (p: Principal, volumeId: string) => (await exportsOf(p, volumeId, ['nfs', 'smb']))[0];

  const share = async (e: ExportRecord, detail: boolean) => ({
    id: await seq('export', e.id),
    name: e.export_name,
    vol_id: await seq('volume', e.volume_id),
    share_type: e.protocol,
    ...(detail
      ? {
          share_options: {
            read_only: e.read_only,
            allowed_hosts: e.allowed.join(',') === ALL.join(',') ? ['all'] : e.allowed,
          },
          uri: e.uri,
        }
      : {}),
    time_created: epoch(e.created_at),
    time_updated: epoch(e.updated_at),
  });

  /** vSnap's allowed_hosts as Cairn's allowed list ('all' is every address). */
  const allowedOf = (b: ShareInput) => {
    const hosts = b.share_options?.allowed_hosts ?? [];
    const named = hosts.filter((x) => x !== 'all' && !/^[0-9a-fA-F.:/]+$/.test(x));
    if (named.length)
      throw new CairnError('VALIDATION_FAILED', {
        summary: `share_options.allowed_hosts: host names (${named.join(', ')}) are not resolved; give addresses or networks`,
      });
    return hosts.includes('all') ? ALL : hosts;
  };
  const createShare = async (p: Principal, volumeId: string, b: ShareInput) => {
    const { id, job } = await svc.exports.create(p, volumeId, {
      protocol: b.share_type,
      allowed: allowedOf(b),
      read_only: b.share_options?.read_only ?? false,
      // vSnap's NFS shares serve backup proxies that write as root, and the seed has no squash
      // option: squashed, root could not write into the volume (root's, 0755) at all.
      ...(b.share_type === 'nfs' ? { root_squash: false } : {}),
    });
    await finished(svc, job);
    return share(await svc.exports.get(p, id), true);
  };
  /**
   * The share changes in place (its id stays; a change that fails leaves it as it was). Another
   * share_type is another export: the new one is made first, then the old one goes.
   */
  const updateShare = async (p: Principal, volumeId: string, b: ShareInput) => {
    const old = await shareOf(p, volumeId);
    if (!old) return createShare(p, volumeId, b);
    if (old.protocol !== b.share_type) {
      const made = await createShare(p, volumeId, b);
      await finished(svc, await svc.exports.delete(p, old.id, true));
      return made;
    }
    const job = await svc.exports.update(p, old.id, {
      allowed: allowedOf(b),
      read_only: b.share_options?.read_only ?? false,
    });
    await finished(svc, job);
    return share(await svc.exports.get(p, old.id), true);
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
      if (await shareOf(req.principal, volumeId))
        throw new CairnError('VOLUME_ALREADY_SHARED', { volume: volumeId, protocol: 'nfs or smb' });
      return createShare(req.principal, volumeId, req.body);
    },
  );
  app.put(
    '/volume/:id/share',
    {
      config: cfg('export.write'),
      schema: { summary: 'Update share in place (its id stays)', params: IdParam, body: ShareBody },
    },
    async (req) => updateShare(req.principal, await idOf('volume', req.params.id), req.body),
  );
  app.delete(
    '/volume/:id/share',
    { config: cfg('export.write'), schema: { summary: 'Delete share of volume', params: IdParam } },
    async (req) => {
      const volumeId = await idOf('volume', req.params.id);
      const old = await shareOf(req.principal, volumeId);
      if (!old) throw new CairnError('VOLUME_NOT_SHARED', { volume: req.params.id });
      await finished(svc, await svc.exports.delete(req.principal, old.id, true));
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
      if (q.id) return share(await svc.exports.get(req.principal, await idOf('export', q.id)), true);
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
      for (const e of all) shares.push(await share(e, false));
      return { shares, total: shares.length };
    },
  );
  app.get(
    '/share/:id',
    { config: cfg('export.read'), schema: { summary: 'Get share details', params: IdParam } },
    async (req) => share(await svc.exports.get(req.principal, await idOf('export', req.params.id)), true),
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
    for (const exportId of await svc.exports.mappedBy(hostId)) {
      const e = await svc.exports.get(p, exportId).catch(() => null);
      if (e?.protocol === 'iscsi')
        out.push({ lun: String(e.options.lun ?? 1), vol_id: await seq('volume', e.volume_id) });
    }
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
      const id = await idOf('host', req.params.id);
      for (const exportId of await svc.exports.mappedBy(id))
        await finished(svc, await svc.exports.delete(req.principal, exportId, true));
      await svc.hosts.delete(id, true);
      return {};
    },
  );

  const map = async (p: Principal, hostId: string, volSeq: string) => {
    const volumeId = await idOf('volume', volSeq);
    const existing = (await exportsOf(p, volumeId, ['iscsi'])).find((e) => e.hosts.includes(hostId));
    const e =
      existing ??
      (await (async () => {
        const { id, job } = await svc.exports.create(p, volumeId, { protocol: 'iscsi', hosts: [hostId] });
        await finished(svc, job);
        return svc.exports.get(p, id);
      })());
    return { vol_id: volSeq, lun: String(e.options.lun ?? 1), target: e.export_name, uri: e.uri };
  };
  const unmap = async (p: Principal, hostId: string, volSeq: string) => {
    const volumeId = await idOf('volume', volSeq);
    const mapped = (await exportsOf(p, volumeId, ['iscsi'])).filter((x) => x.hosts.includes(hostId));
    if (!mapped.length)
      throw new CairnError('VOLUME_NOT_MAPPED', {
        volume: volSeq,
        host: (await seq('host', hostId)) || hostId,
      });
    for (const e of mapped) await finished(svc, await svc.exports.delete(p, e.id, true));
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
  const all = await allPages((offset, limit) =>
    svc.exports.forVolume(p, volumeId, { limit, offset, cursor: null, sort: [], filters: [] }),
  );
  const shareRow = all.find((e) => e.protocol === 'nfs' || e.protocol === 'smb');
  const hostIds = [...new Set(all.filter((e) => e.protocol === 'iscsi').flatMap((e) => e.hosts))];
  const seqs = await svc.ids.seqsOf('host', hostIds);
  return {
    share_id: shareRow ? await vsnapIds(svc).toVsnap('export', shareRow.id) : null,
    host_ids: hostIds.map((h) => String(seqs.get(h) ?? '')),
  };
}
