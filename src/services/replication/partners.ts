// Partners: other Cairn systems this one replicates to. Adding one verifies it at once: the pinned
// certificate must match and the partner must accept its API key. The key is sealed at rest.
import { CairnError, type FieldProblem } from '../../domain/errors.js';
import { newId, nowIso } from '../../domain/ids.js';
import type { ListParams, Page } from '../../domain/list.js';
import { isValidName } from '../../domain/names.js';
import type { ProtectionDeps } from './deps.js';
import { PartnerClient, formatFingerprint, normFingerprint } from '../../system/partner/index.js';
import { partnerWire, type PartnerWire } from './wire.js';
import type { PartnerCreate, PartnerUpdate } from '../../domain/replication.js';
import { addPartnerByLogin, type PartnerLogin } from './partner-login.js';
import { clientFor } from './deps.js';

/**
 * The kinds of object a partner maps between its ids and its dialect sequence numbers, and how the
 * partner API's `table` parameter names each (a wire name kept for partners already deployed).
 */
export const REMOTE_ID_WIRE = { pool: 'pools', volume: 'volumes', snapshot: 'snapshots' } as const;
export type RemoteIdKind = keyof typeof REMOTE_ID_WIRE;
export const REMOTE_ID_TABLES = Object.values(REMOTE_ID_WIRE);
export type RemoteIdTable = (typeof REMOTE_ID_WIRE)[RemoteIdKind];
export const remoteIdKind = (table: RemoteIdTable): RemoteIdKind =>
  (Object.keys(REMOTE_ID_WIRE) as RemoteIdKind[]).find((k) => REMOTE_ID_WIRE[k] === table)!;

function partnerProblems(i: PartnerUpdate): FieldProblem[] {
  const out: FieldProblem[] = [];
  if (i.name !== undefined && !isValidName(i.name))
    out.push({ field: 'name', code: 'BAD_NAME', message: '1-64 letters, digits, . _ -' });
  if (i.url !== undefined) {
    let u: URL | null = null;
    try {
      u = new URL(i.url);
    } catch {
      /* reported below */
    }
    if (!u || u.protocol !== 'https:' || u.pathname.replace(/\/$/, '') !== '' || u.username || u.search)
      out.push({ field: 'url', code: 'BAD_URL', message: 'an https://host[:port] URL without a path' });
  }
  if (i.fingerprint_sha256 !== undefined && !/^[0-9A-Fa-f]{64}$/.test(normFingerprint(i.fingerprint_sha256)))
    out.push({
      field: 'fingerprint_sha256',
      code: 'BAD_FINGERPRINT',
      message: '32 bytes of SHA-256 in hex, with or without colons',
    });
  return out;
}

export class PartnerService {
  /** partner/table/id → seq on that partner. A row's seq never changes, so this never goes stale. */
  private readonly seqCache = new Map<string, number>();

  constructor(private readonly d: ProtectionDeps) {}

  /** This system as a partner sees it (for partnerships made both ways). */
  get self() {
    return this.d.self;
  }

  /** Adds a partner from an admin's user name and password there (see partner-login.ts). */
  addByLogin(input: PartnerLogin): Promise<PartnerWire> {
    return addPartnerByLogin(this, input);
  }

  /**
   * The partner's sequence numbers (what its API dialects show as ids) of some of its rows, or with
   * `seq`, the row with that number. Unknown ids are left out. Dialects need them to show and
   * accept the partner's ids as the partner's own dialect shows them.
   */
  async remoteSeqs(
    partnerId: string,
    kind: RemoteIdKind,
    q: { ids?: string[]; seq?: number },
  ): Promise<{ id: string; seq: number }[]> {
    const table = REMOTE_ID_WIRE[kind];
    const key = (id: string) => `${partnerId}/${table}/${id}`;
    const cached = (q.ids ?? []).filter((id) => this.seqCache.has(key(id)));
    const ask = (q.ids ?? []).filter((id) => !this.seqCache.has(key(id)));
    const out = cached.map((id) => ({ id, seq: this.seqCache.get(key(id))! }));
    if (ask.length === 0 && q.seq === undefined && q.ids) return out;
    const params = new URLSearchParams({ table });
    if (ask.length) params.set('ids', ask.join(','));
    if (q.seq !== undefined) params.set('seq', String(q.seq));
    const client = await clientFor(this.d, partnerId, 15_000);
    const got = await client.json<{ items: { id: string; seq: number }[] }>(
      'GET',
      `/api/v1/replication/ids?${params.toString()}`,
    );
    for (const r of got.items) this.seqCache.set(key(r.id), r.seq);
    return [...out, ...got.items];
  }

  /**
   * The partner's pool a replica goes to: the one numbered `seq` there, else (none asked) its first
   * pool, the lowest number. VALIDATION_FAILED when the partner has no such pool.
   */
  async remotePool(partnerId: string, seq?: number): Promise<string> {
    const pools = await this.remoteSeqs(partnerId, 'pool', seq !== undefined ? { seq } : {});
    const pool = pools.sort((x, y) => x.seq - y.seq)[0];
    if (!pool)
      throw new CairnError('VALIDATION_FAILED', {
        summary: 'remote_pool_id: no such pool on the partner',
        problems: [{ field: 'remote_pool_id', code: 'NOT_FOUND', message: 'no such pool on the partner' }],
      });
    return pool.id;
  }

  /** Calls the partner's /api/v1/system with the pinned certificate and the key; throws why not. */
  private async verify(url: string, fingerprint: string, apiKey: string) {
    const c = new PartnerClient({ url, fingerprint, apiKey }, 15_000);
    return c.json<{ name: string; version: string }>('GET', '/api/v1/system');
  }

  async create(input: PartnerCreate): Promise<PartnerWire> {
    CairnError.assertNoProblems(partnerProblems(input));
    const url = new URL(input.url).origin;
    const fingerprint = formatFingerprint(input.fingerprint_sha256);
    const info = await this.verify(url, fingerprint, input.api_key);
    const id = newId();
    await this.d.store.insertPartner({
      id,
      name: input.name,
      url,
      fingerprint,
      apiKeySealed: await this.d.sealer.seal(input.api_key),
      remoteName: info.name ?? null,
      remoteVersion: info.version ?? null,
      verifiedAt: nowIso(),
      peerPartnerId: null,
      localKeyId: null,
    });
    return this.get(id);
  }

  async get(id: string): Promise<PartnerWire> {
    return partnerWire(await this.d.store.getPartner(id));
  }

  list(params: ListParams): Promise<Page<PartnerWire>> {
    return this.d.store.listPartners(params, partnerWire);
  }

  /** Rename, or replace the key / pin (verified again before it is stored). */
  async update(id: string, input: PartnerUpdate): Promise<PartnerWire> {
    CairnError.assertNoProblems(partnerProblems(input));
    const p = await this.d.store.getPartner(id);
    const patch: Record<string, string> = {};
    if (input.name !== undefined) patch.name = input.name;
    if (input.url !== undefined || input.api_key !== undefined || input.fingerprint_sha256 !== undefined) {
      const url = input.url ? new URL(input.url).origin : p.url;
      const fingerprint = input.fingerprint_sha256
        ? formatFingerprint(input.fingerprint_sha256)
        : p.fingerprint;
      const apiKey = input.api_key ?? (await this.d.sealer.open(p.apiKeySealed));
      const info = await this.verify(url, fingerprint, apiKey);
      Object.assign(patch, {
        url,
        fingerprint,
        api_key_sealed: await this.d.sealer.seal(apiKey),
        remote_name: info.name,
        remote_version: info.version,
        verified_at: nowIso(),
      });
    }
    await this.d.store.updatePartner(id, patch);
    return this.get(id);
  }

  /** Checks the partner again (certificate and key) and records when. */
  async check(id: string): Promise<PartnerWire> {
    const p = await this.d.store.getPartner(id);
    const info = await this.verify(p.url, p.fingerprint, await this.d.sealer.open(p.apiKeySealed));
    await this.d.store.updatePartner(id, {
      remoteName: info.name,
      remoteVersion: info.version,
      verifiedAt: nowIso(),
    });
    return this.get(id);
  }

  /**
   * Deletes the partner entry. With `revokeKey` (a partnership made by login, which made the key),
   * the key is deleted on the partner too, as far as the partner can be reached: an unreachable
   * partner does not keep the entry here. A partnership made both ways also goes on the partner
   * (refused while the partner's relationships use it) with the key this system made for it.
   */
  async delete(id: string, opts: { revokeKey?: boolean } = {}): Promise<void> {
    const p = await this.d.store.getPartner(id);
    const rels = await this.d.store.idsOfPartner(id);
    if (rels.length) throw new CairnError('PARTNER_IN_USE', { id, relationships: rels.join(', ') });
    if (p.peerPartnerId) await this.deletePeer(p, p.peerPartnerId);
    if (p.localKeyId)
      await this.d.self
        .deleteKey(p.localKeyId)
        .catch((e: unknown) =>
          this.d.logger.warn({ err: e, partner: id }, 'could not delete the key made for the partner'),
        );
    if (opts.revokeKey) {
      const apiKey = await this.d.sealer.open(p.apiKeySealed);
      const keyId = /^cairn_([0-9a-f-]{36})_/.exec(apiKey)?.[1];
      if (keyId)
        await new PartnerClient({ url: p.url, fingerprint: p.fingerprint, apiKey }, 15_000)
          .json('DELETE', `/api/v1/api-keys/${keyId}`)
          .catch((e: unknown) =>
            this.d.logger.warn(
              { err: e, partner: id },
              'could not delete this system\u2019s key on the partner',
            ),
          );
    }
    await this.d.store.deletePartner(id);
  }

  /** Records the partner's entry for this system and the key made for it (a partnership both ways). */
  async recordPeer(id: string, peerPartnerId: string, localKeyId: string): Promise<void> {
    await this.d.store.updatePartner(id, { peerPartnerId: peerPartnerId, localKeyId: localKeyId });
  }

  /**
   * Removes the partner's entry for this system. Refused, with nothing changed here, while the
   * partner's relationships use it; an unreachable partner (or one that no longer has the entry)
   * does not keep the partnership here.
   */
  private async deletePeer(p: { id: string }, peerId: string): Promise<void> {
    const client = await clientFor(this.d, p.id, 15_000);
    try {
      await client.json('DELETE', `/api/v1/partners/${encodeURIComponent(peerId)}`);
    } catch (e) {
      // The partner's own error code, as its answer carried it.
      const theirs = e instanceof CairnError && e.code === 'PARTNER_ERROR' ? e.details : null;
      if (theirs?.code === 'PARTNER_IN_USE') {
        const remote = theirs.remote as { details?: { relationships?: string } } | null;
        throw new CairnError('PARTNER_IN_USE', {
          id: p.id,
          relationships: `${remote?.details?.relationships ?? '?'} (on the partner)`,
        });
      }
      if (theirs?.code === 'PARTNER_NOT_FOUND') return;
      this.d.logger.warn({ err: e, partner: p.id }, 'could not remove this system from the partner');
    }
  }
}
