// vSnap partners, relationships and sessions (seed 001 §12–14) over Cairn's replication services.
// Partner and relationship ids are 32 hex digits (the uuid without dashes, as vSnap shows them);
// session ids are numbers, as in the seed. The partner's own pool, volume and snapshot ids are its
// sequence numbers, asked of the partner (partners.remoteSeqs).
import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { typed } from '../../typed.js';
import { CairnError } from '../../../domain/errors.js';
import type { Principal } from '../../../domain/permissions.js';
import type { Services } from '../../../services/index.js';
import type { RemoteIdKind } from '../../../services/replication/partners.js';
import type { PartnerWire, RelationshipWire, SessionWire } from '../../../services/replication/wire.js';
import { allPages } from '../jobs.js';
import { vsnapIds } from './ids.js';
import { epoch, str } from './map.js';
import { cfg, IdParam } from './helpers.js';

const HEX_PATTERN = '^[0-9a-fA-F]{32}$';
/** In a path: the 32 hex digits vSnap shows, or the same uuid with its dashes (as Cairn shows it). */
const HexParam = Type.Object(
  {
    id: Type.String({
      pattern:
        '^([0-9a-fA-F]{32}|[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12})$',
      description: 'vSnap id: 32 hex digits (or the dashed uuid)',
    }),
  },
  { additionalProperties: false },
);
const SeqString = Type.String({ pattern: '^[0-9]{1,18}$' });
/** vSnap sends optional parameters as null; ports come as numbers or numeric strings. */
const Port = Type.Optional(
  Type.Union([
    Type.Integer({ minimum: 1, maximum: 65535 }),
    Type.String({ pattern: '^[0-9]{1,5}$' }),
    Type.Null(),
  ]),
);
const NullableString = (max: number) =>
  Type.Optional(Type.Union([Type.String({ maxLength: max }), Type.Null()]));

export const hex = (uuid: string | null): string | null => (uuid ? uuid.replace(/-/g, '') : null);
export const uuidOf = (h: string): string => {
  const x = h.toLowerCase().replace(/-/g, '');
  return `${x.slice(0, 8)}-${x.slice(8, 12)}-${x.slice(12, 16)}-${x.slice(16, 20)}-${x.slice(20)}`;
};
/** vSnap knows PENDING, ACTIVE, COMPLETED and FAILED; a cancelled session is FAILED "Canceled". */
const vsnapStatus = (s: string | null): string | null => (s === 'CANCELLED' ? 'FAILED' : s);

export async function vsnapReplicationRoutes(plain: FastifyInstance, svc: Services): Promise<void> {
  const app = typed(plain);
  const ids = vsnapIds(svc);

  // The partner's number of its own row, or null when it is unknown or cannot be asked now.
  const remoteSeq = async (partner: string | null, kind: RemoteIdKind, id: string | null) => {
    if (!partner || !id) return null;
    const got = await svc.partners.remoteSeqs(partner, kind, { ids: [id] }).catch(() => []);
    const seq = got.find((r) => r.id === id)?.seq;
    return seq === undefined ? null : String(seq);
  };

  // ---- 12. Partners
  const partnerOut = (p: PartnerWire) => {
    const u = new URL(p.url);
    return {
      id: hex(p.id),
      address: u.hostname.replace(/^\[|\]$/g, ''),
      api_port: u.port || '443',
      // Cairn replicates over HTTPS on the API port; there is no SSH channel to report.
      ssh_port: null,
      time_created: epoch(p.created_at),
      time_updated: epoch(p.updated_at),
    };
  };
  const partnerId = async (h: string) => (await svc.partners.get(uuidOf(h))).id;

  app.post(
    '/partner',
    {
      config: cfg('partner.write'),
      schema: {
        summary: 'Add partner system (logs in there and creates an API key for this system)',
        body: Type.Object(
          {
            remote_addr: Type.String({ minLength: 1, maxLength: 253 }),
            remote_user: Type.String({ minLength: 1, maxLength: 64 }),
            remote_pass: Type.String({ minLength: 1, maxLength: 256 }),
            local_addr: NullableString(253),
            local_api_port: Port,
            remote_api_port: Port,
            local_ssh_port: Port,
            remote_ssh_port: Port,
          },
          { additionalProperties: false },
        ),
      },
    },
    async (req) => {
      const b = req.body;
      // The SSH ports are accepted and not needed: replication goes over HTTPS on the API port. The
      // partnership is made both ways: the partner reaches this system at local_addr (by default
      // the address this system reached it from) on local_api_port (by default the port this
      // request came in on). The partner service names the keys and fills in the default ports.
      // Ajv's coercion also turns a JSON null port into "0": that too means "not given".
      const portOf = (x: string | number | null | undefined) => Number(x) || undefined;
      const p = await svc.partners.addByLogin({
        address: b.remote_addr,
        port: portOf(b.remote_api_port),
        user: b.remote_user,
        password: b.remote_pass,
        back: {
          // Fastify's Ajv coerces a JSON null to "" for a nullable string: both mean "not given".
          address: b.local_addr || null,
          port: portOf(b.local_api_port),
          receivedOn: req.socket.localPort,
          principal: req.principal,
        },
      });
      return partnerOut(p);
    },
  );
  app.get(
    '/partner',
    { config: cfg('partner.read'), schema: { summary: 'Get list of partners' } },
    async () => {
      const partners = (
        await allPages((offset, limit) =>
          svc.partners.list({ limit, offset, cursor: null, sort: [], filters: [] }),
        )
      ).map(partnerOut);
      return { partners, total: partners.length };
    },
  );
  app.get(
    '/partner/:id',
    { config: cfg('partner.read'), schema: { summary: 'Get partner details', params: HexParam } },
    async (req) => partnerOut(await svc.partners.get(uuidOf(req.params.id))),
  );
  app.delete(
    '/partner/:id',
    {
      config: cfg('partner.write'),
      schema: {
        summary: 'Remove partner system and its key there (refused while relationships use it)',
        params: HexParam,
      },
    },
    async (req) => {
      // Removing a vSnap partnership ends it on both sides: the key the partner issued goes too.
      await svc.partners.delete(await partnerId(req.params.id), { revokeKey: true });
      return {};
    },
  );

  // ---- 13. Relationships
  const relationshipOut = async (p: Principal, r: RelationshipWire) => {
    const vol = r.volume ? await svc.volumes.get(p, r.volume).catch(() => null) : null;
    return {
      id: hex(r.id),
      local_pool_id: await ids.toVsnap('pool', r.pool),
      local_role: r.role === 'source' ? 'primary' : 'replica',
      local_vol_id: await ids.toVsnap('volume', r.volume),
      local_vol_name: vol?.name ?? null,
      // The replica side knows its source only as the key that sends to it: no partner entry here.
      partner_id: hex(r.partner),
      remote_pool_id: await remoteSeq(r.partner, 'pool', r.remote_pool),
      remote_vol_id: await remoteSeq(r.partner, 'volume', r.remote_volume),
      remote_vol_name: r.remote_volume_name,
      last_sync_status: vsnapStatus(r.last_sync_status),
      last_attempt_snap_id: await ids.toVsnap('snapshot', r.last_attempt_snapshot),
      last_success_snap_id: await ids.toVsnap('snapshot', r.last_success_snapshot),
      time_created: epoch(r.created_at),
      time_updated: epoch(r.updated_at),
    };
  };
  const relationshipsOf = async (p: Principal, volumeId?: string) => {
    const rels = await allPages((offset, limit) =>
      svc.relationships.list(p, {
        limit,
        offset,
        cursor: null,
        sort: [],
        filters: volumeId ? [{ field: 'volume', column: 'volume_id', op: 'eq', value: volumeId }] : [],
      }),
    );
    const relationships = [];
    for (const r of rels) relationships.push(await relationshipOut(p, r));
    return { relationships, total: relationships.length };
  };

  app.post(
    '/volume/:id/relationship',
    {
      config: cfg('relationship.write'),
      schema: {
        summary: 'Create relationship for volume',
        params: IdParam,
        body: Type.Object(
          {
            partner_id: Type.String({ pattern: HEX_PATTERN }),
            remote_pool_id: Type.Optional(Type.Union([SeqString, Type.Null()])),
            remote_vol_name: Type.Optional(
              Type.Union([Type.String({ minLength: 1, maxLength: 64 }), Type.Null()]),
            ),
            reuse: Type.Optional(Type.Boolean()),
          },
          { additionalProperties: false },
        ),
      },
    },
    async (req) => {
      const b = req.body;
      const volume = await ids.toCairn('volume', req.params.id);
      const partner = await partnerId(b.partner_id);
      // Without remote_pool_id, the partner service chooses (vSnap chooses one itself too).
      const pool = await svc.partners.remotePool(
        partner,
        b.remote_pool_id ? Number(b.remote_pool_id) : undefined,
      );
      const r = await svc.relationships.create(req.principal, {
        volume,
        partner,
        target_pool: pool,
        ...(b.remote_vol_name ? { target_volume_name: b.remote_vol_name } : {}),
        // reuse: the partner's volume of that name (one kept by preserve_replica) becomes the replica.
        ...(b.reuse ? { reuse: true } : {}),
      });
      return relationshipOut(req.principal, r);
    },
  );
  app.get(
    '/volume/:id/relationship',
    {
      config: cfg('relationship.read'),
      schema: { summary: 'Get relationships of a volume', params: IdParam },
    },
    async (req) => relationshipsOf(req.principal, await ids.toCairn('volume', req.params.id)),
  );
  app.get(
    '/relationship',
    {
      config: cfg('relationship.read'),
      schema: {
        summary: 'Get relationships: all, of a volume by ?vol_name=, or one by ?id=',
        querystring: Type.Object(
          {
            id: Type.Optional(Type.String({ pattern: HEX_PATTERN })),
            vol_name: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
          },
          { additionalProperties: false },
        ),
      },
    },
    async (req) => {
      const q = req.query;
      if (q.id)
        return relationshipOut(req.principal, await svc.relationships.get(req.principal, uuidOf(q.id)));
      if (q.vol_name) {
        const vols = await svc.volumes.list(req.principal, {
          limit: 1,
          offset: 0,
          cursor: null,
          sort: [],
          filters: [{ field: 'name', column: 'name', op: 'eq', value: q.vol_name }],
        });
        if (!vols.items[0]) throw new CairnError('VOLUME_NOT_FOUND', { id: q.vol_name });
        return relationshipsOf(req.principal, vols.items[0].id);
      }
      return relationshipsOf(req.principal);
    },
  );
  app.get(
    '/relationship/:id',
    { config: cfg('relationship.read'), schema: { summary: 'Get relationship details', params: HexParam } },
    async (req) =>
      relationshipOut(req.principal, await svc.relationships.get(req.principal, uuidOf(req.params.id))),
  );
  app.delete(
    '/relationship/:id',
    {
      config: cfg('relationship.write'),
      schema: {
        summary: 'Remove relationship; the replica volume too unless preserve_replica',
        params: HexParam,
        querystring: Type.Object(
          { preserve_replica: Type.Optional(Type.String({ pattern: '^(1|0|true|false)$' })) },
          { additionalProperties: false },
        ),
      },
    },
    async (req) => {
      const q = req.query;
      const preserve = q.preserve_replica === 'true' || q.preserve_replica === '1';
      await svc.relationships.delete(req.principal, uuidOf(req.params.id), preserve);
      return {};
    },
  );

  // ---- 14. Sessions
  const sessionOut = async (p: Principal, s: SessionWire) => {
    const rel = await svc.relationships.get(p, s.relationship).catch(() => null);
    const partner = rel?.partner ? await svc.partners.get(rel.partner).catch(() => null) : null;
    const job = s.job ? await svc.jobs.get(s.job).catch(() => null) : null;
    const remoteName = (job?.args as { remoteSnapshotName?: string } | undefined)?.remoteSnapshotName;
    const cancelled = s.status === 'CANCELLED';
    return {
      id: await ids.toVsnap('replication_session', s.id),
      rel_id: hex(s.relationship),
      local_snap_id: await ids.toVsnap('snapshot', s.snapshot),
      // The copy on the partner has the same id there; its number is the partner's.
      remote_snap_id:
        s.direction === 'send' ? await remoteSeq(rel?.partner ?? null, 'snapshot', s.remote_snapshot) : null,
      local_snap_name: s.snapshot_name,
      remote_snap_name: remoteName ?? s.snapshot_name,
      repl_address: partner ? new URL(partner.url).hostname.replace(/^\[|\]$/g, '') : null,
      size_sent: s.status === 'PENDING' ? null : str(s.bytes_sent),
      status: vsnapStatus(s.status),
      time_queued: epoch(s.created_at),
      time_started: epoch(s.started_at),
      time_ended: epoch(s.ended_at),
      message: cancelled ? 'Canceled' : s.message,
    };
  };
  const sessionId = async (req: { params: { id: string } }) =>
    ids.toCairn('replication_session', req.params.id);

  app.post(
    '/relationship/:id/session',
    {
      config: cfg('relationship.write'),
      // Both parameters are optional: a POST without a body starts a session of a new snapshot.
      preValidation: async (req) => {
        if (req.body === undefined || req.body === null) req.body = {};
      },
      schema: {
        summary: 'Start replication session (of a new snapshot, or of snap_id)',
        params: HexParam,
        body: Type.Object(
          {
            snap_id: Type.Optional(Type.Union([SeqString, Type.Null()])),
            remote_snap_name: Type.Optional(
              Type.Union([Type.String({ minLength: 1, maxLength: 64 }), Type.Null()]),
            ),
          },
          { additionalProperties: false },
        ),
      },
    },
    async (req) => {
      const b = req.body;
      const { session } = await svc.relationships.sync(req.principal, uuidOf(req.params.id), {
        ...(b.snap_id ? { snapshot: await ids.toCairn('snapshot', b.snap_id) } : {}),
        ...(b.remote_snap_name ? { remote_snapshot_name: b.remote_snap_name } : {}),
      });
      return sessionOut(req.principal, session);
    },
  );
  app.get(
    '/session',
    { config: cfg('session.read'), schema: { summary: 'Get list of sessions' } },
    async (req) => {
      const all = await allPages((offset, limit) =>
        svc.sessions.list(req.principal, { limit, offset, cursor: null, sort: [], filters: [] }),
      );
      const sessions = [];
      for (const s of all) sessions.push(await sessionOut(req.principal, s));
      return { sessions, total: sessions.length };
    },
  );
  app.get(
    '/session/:id',
    { config: cfg('session.read'), schema: { summary: 'Get session details', params: IdParam } },
    async (req) => sessionOut(req.principal, await svc.sessions.get(req.principal, await sessionId(req))),
  );
  app.post(
    '/session/:id',
    {
      config: cfg('session.write'),
      schema: {
        summary: 'Cancel session',
        params: IdParam,
        body: Type.Object({ action: Type.Literal('cancel') }, { additionalProperties: false }),
      },
    },
    async (req) => sessionOut(req.principal, await svc.sessions.cancel(req.principal, await sessionId(req))),
  );
}
