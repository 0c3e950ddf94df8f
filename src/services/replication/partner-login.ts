// Adding a partner from a user name and password (as vSnap does) instead of a key and a pin:
// 1. trust on first use: take the fingerprint of the certificate the partner presents now;
// 2. over that pinned connection, log in with HTTP Basic and create an API key there for this system;
// 3. store the partner as usual (the key sealed, verified again). The password is used for these two
//    calls only: never stored, never logged. If anything after step 2 fails, the key is deleted there.
import { isIP } from 'node:net';
import { CairnError } from '../../domain/errors.js';
import { PartnerClient, fetchFingerprint } from './partner-client.js';
import type { PartnerService } from './partners.js';
import type { PartnerWire } from './wire.js';

export interface PartnerLogin {
  /** Host name or IP address of the partner's API. */
  address: string;
  port: number;
  user: string;
  password: string;
  /** The partner entry's name; by default the address and port. */
  name?: string;
  /** Names the key on the partner (which system it is for). */
  keyName: string;
}

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

export async function addPartnerByLogin(partners: PartnerService, i: PartnerLogin): Promise<PartnerWire> {
  const url = partnerUrl(i.address, i.port);
  const fingerprint = await fetchFingerprint(url);
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
  try {
    return await partners.create({
      name: i.name ?? loginPartnerName(i.address, i.port),
      url,
      api_key: key.key,
      fingerprint_sha256: fingerprint,
    });
  } catch (e) {
    // Nothing stored here: leave no key behind there either.
    await asUser.json('DELETE', `/api/v1/api-keys/${encodeURIComponent(key.id)}`).catch(() => undefined);
    throw e;
  }
}
