// Adding a partner from a user name and password (as vSnap does) instead of a key and a pin:
// 1. trust on first use: take the fingerprint of the certificate the partner presents now;
// 2. over that pinned connection, log in with HTTP Basic and create an API key there for this system;
// 3. store the partner as usual (the key sealed, verified again);
// 4. with `back` (vSnap's partnership is both ways): make a key here for the partner and add this
//    system as a partner there, with that key and this system's certificate; the partner verifies it
//    by calling back at once.
// The password is used for these calls only: never stored, never logged. If a step fails, what the
// earlier ones made is removed, here and there.
import { isIP } from 'node:net';
import { CairnError } from '../../domain/errors.js';
import type { Principal } from '../../domain/permissions.js';
import { PartnerClient, fetchFingerprint } from '../../system/partner/index.js';
import type { PartnerWire } from './wire.js';
import type { ProtectionDeps } from './deps.js';

/** What a login needs of the partner book (PartnerService): declared here, so the two do not import each other. */
export interface PartnerBook {
  readonly self: ProtectionDeps['self'];
  create(input: {
    name: string;
    url: string;
    api_key: string;
    fingerprint_sha256: string;
  }): Promise<PartnerWire>;
  get(id: string): Promise<PartnerWire>;
  delete(id: string, opts?: { revokeKey?: boolean }): Promise<void>;
  recordPeer(id: string, peerPartnerId: string, localKeyId: string): Promise<void>;
}

export interface PartnerLogin {
  /** Host name or IP address of the partner's API. */
  address: string;
  /** The partner's API port; DEFAULT_PARTNER_PORT when absent. */
  port?: number | undefined;
  user: string;
  password: string;
  /** The partner entry's name; by default the address and port. */
  name?: string;
  /** Also add this system as the partner's partner. */
  back?: {
    /** Where the partner reaches this system; by default the address this system reached it from. */
    address: string | null;
    /** This system's API port for the partner; by default `receivedOn`, else DEFAULT_PARTNER_PORT. */
    port?: number | undefined;
    /** The local port the request asking for the partnership came in on (this API's port), if known. */
    receivedOn?: number | undefined;
    /** Who makes the key here for the partner (a user). */
    principal: Principal;
  };
}

/** A partner's API port when none is given: cairnd's default listener (and vSnap's API port). */
export const DEFAULT_PARTNER_PORT = 8900;

/**
 * The name of the key made on the partner for this system: `partner-` with the first 12 letters
 * and digits of this system's id and the time in base 36 (a key per partnership made).
 */
export const keyNameThere = (systemId: string, now: number): string =>
  `partner-${systemId.replace(/[^A-Za-z0-9]/g, '').slice(0, 12)}-${now.toString(36)}`;

/** The name of the key made here for the partner: `partner-of-` its address and port. */
export const keyNameHere = (address: string, port: number): string =>
  `partner-of-${address.replace(/[^A-Za-z0-9._-]/g, '-')}-${port}`.slice(0, 64);

const HOST_RE = /^(?=.{1,253}$)[A-Za-z0-9](?:[A-Za-z0-9-]{0,62})(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,62}))*\.?$/;

/** The partner's https origin from an address and port; VALIDATION_FAILED for anything else. */
export function partnerUrl(address: string, port: number): string {
  const problems = [];
  if (!isIP(address) && !HOST_RE.test(address))
    problems.push({ field: 'address', code: 'BAD_ADDRESS', message: 'a host name or an IP address' });
  if (!Number.isInteger(port) || port < 1 || port > 65535)
    problems.push({ field: 'port', code: 'BAD_PORT', message: 'a TCP port, 1-65535' });
  CairnError.assertNoProblems(problems);
  return `https://${isIP(address) === 6 ? `[${address}]` : address}:${port}`;
}

/** A partner entry name from an address and port (names allow letters, digits, . _ -). */
export const loginPartnerName = (address: string, port: number) =>
  `${address.replace(/[^A-Za-z0-9._-]/g, '-')}-${port}`.slice(0, 64);

/** A login with the defaults filled in: both ports and the names of the keys it makes. Pure. */
export function loginWithDefaults(login: PartnerLogin, systemId: string, now: number) {
  const port = login.port || DEFAULT_PARTNER_PORT;
  return {
    ...login,
    port,
    keyName: keyNameThere(systemId, now),
    back: login.back && {
      address: login.back.address,
      port: login.back.port || login.back.receivedOn || DEFAULT_PARTNER_PORT,
      principal: login.back.principal,
      keyName: keyNameHere(login.address, port),
    },
  };
}

export async function addPartnerByLogin(partners: PartnerBook, login: PartnerLogin): Promise<PartnerWire> {
  const i = loginWithDefaults(login, await partners.self.systemId(), Date.now());
  const url = partnerUrl(i.address, i.port);
  // A bad address of this system is refused before anything is made anywhere.
  if (i.back?.address) partnerUrl(i.back.address, i.back.port);
  const seen = await fetchFingerprint(url);
  const fingerprint = seen.fingerprint;
  const basic = `Basic ${Buffer.from(`${i.user}:${i.password}`).toString('base64')}`;
  const asUser = new PartnerClient({ url, fingerprint, apiKey: '', authorization: basic }, 15_000);
  const key = await asUser
    .json<{ id: string; key: string }>('POST', '/api/v1/api-keys', { name: i.keyName })
    .catch((e: unknown) => {
      if (e instanceof CairnError && e.code === 'PARTNER_UNAUTHORIZED')
        throw new CairnError('PARTNER_LOGIN_FAILED', {
          url,
          user: i.user,
          reason: String(e.details.reason ?? 'refused'),
        });
      throw e;
    });
  // Nothing stored here: leave no key behind there either.
  const dropKeyThere = () =>
    asUser.json('DELETE', `/api/v1/api-keys/${encodeURIComponent(key.id)}`).catch(() => undefined);
  let added: PartnerWire;
  try {
    added = await partners.create({
      name: i.name ?? loginPartnerName(i.address, i.port),
      url,
      api_key: key.key,
      fingerprint_sha256: fingerprint,
    });
  } catch (e) {
    await dropKeyThere();
    throw e;
  }
  // Both ways only where the partner can be given a key and can pin this system: a user's request
  // (keys cannot make keys) to a system that serves HTTPS. Otherwise the partnership is one-way.
  if (!i.back || i.back.principal.kind === 'apikey' || !partners.self.fingerprint()) return added;
  try {
    await addBack(partners, asUser, added.id, url, {
      ...i.back,
      address: i.back.address ?? seen.localAddress,
    });
    return await partners.get(added.id);
  } catch (e) {
    await partners.delete(added.id).catch(() => undefined);
    await dropKeyThere();
    throw e;
  }
}

/**
 * Adds this system on the partner: a key made here for it, this system's certificate pinned there.
 * The partner calls back to verify both before it answers. Undoes its own steps if one fails.
 */
async function addBack(
  partners: PartnerBook,
  asUser: PartnerClient,
  partnerId: string,
  partnerUrlSeen: string,
  back: { address: string | null; port: number; principal: Principal; keyName: string },
): Promise<void> {
  const self = partners.self;
  const fingerprint = self.fingerprint()!;
  if (!back.address)
    throw new CairnError('PARTNER_CALLBACK_FAILED', {
      partner: partnerUrlSeen,
      url: 'an unknown address',
      reason: 'no address of this system is known: give local_addr',
    });
  const myUrl = partnerUrl(back.address, back.port);
  const key = await self.createKey(back.principal, back.keyName);
  let peerId: string | null = null;
  try {
    const peer = await asUser
      .json<{ id: string }>('POST', '/api/v1/partners', {
        name: loginPartnerName(back.address, back.port),
        url: myUrl,
        api_key: key.key,
        fingerprint_sha256: fingerprint,
      })
      .catch((e: unknown) => {
        // The partner's own words where it answered (e.g. that it cannot reach this system).
        const reason =
          e instanceof CairnError
            ? e.code === 'PARTNER_ERROR'
              ? `${String(e.details.code)}: ${String(e.details.reason)}`
              : `${e.code}: ${e.message}`
            : String(e);
        throw new CairnError('PARTNER_CALLBACK_FAILED', { partner: partnerUrlSeen, url: myUrl, reason });
      });
    peerId = peer.id;
    await partners.recordPeer(partnerId, peer.id, key.id);
  } catch (e) {
    if (peerId)
      await asUser.json('DELETE', `/api/v1/partners/${encodeURIComponent(peerId)}`).catch(() => undefined);
    await self.deleteKey(key.id).catch(() => undefined);
    throw e;
  }
}
