// Shared set-up for vSnap tests on real storage: Cairn with its export daemons on free ports, two
// virtual disks in a vSnap pool, and requests in vSnap's shape (HTTP Basic, `{"error":{…}}`).
import assert from 'node:assert/strict';
import https from 'node:https';
import type { TLSSocket } from 'node:tls';
import { startCairn, ADMIN_PASSWORD, type InProcessCairn } from '../support/cairn.js';
import { exportPortEnv } from '../support/export-ports.js';

const MiB = 1024 * 1024;

export interface R {
  status: number;
  body: Record<string, unknown>;
}
/** A vSnap request as `auth` (admin by default); over HTTPS with the certificate pinned for { tls: true }. */
export async function vsnap(
  c: InProcessCairn,
  method: string,
  path: string,
  body?: unknown,
  auth = `admin:${ADMIN_PASSWORD}`,
): Promise<R> {
  const headers = {
    authorization: `Basic ${Buffer.from(auth).toString('base64')}`,
    ...(body === undefined ? {} : { 'content-type': 'application/json' }),
  };
  const payload = body === undefined ? undefined : JSON.stringify(body);
  if (c.fingerprint) return pinned(c, method, path, headers, payload);
  const res = await fetch(`${c.url}${path}`, {
    method,
    headers,
    ...(payload === undefined ? {} : { body: payload }),
  });
  const text = await res.text();
  return { status: res.status, body: text ? (JSON.parse(text) as Record<string, unknown>) : {} };
}

/** HTTPS to an instance started with { tls: true }, its self-signed certificate pinned. */
function pinned(
  c: InProcessCairn,
  method: string,
  path: string,
  headers: Record<string, string>,
  payload: string | undefined,
): Promise<R> {
  return new Promise((resolve, reject) => {
    const req = https.request(new URL(path, c.url), {
      method,
      headers,
      rejectUnauthorized: false,
      agent: false,
    });
    req.on('socket', (s) =>
      s.once('secureConnect', () => {
        if ((s as TLSSocket).getPeerCertificate().fingerprint256 !== c.fingerprint)
          req.destroy(new Error('certificate mismatch'));
      }),
    );
    req.on('error', reject);
    req.on('response', (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (d: Buffer) => chunks.push(d));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        resolve({
          status: res.statusCode ?? 0,
          body: text ? (JSON.parse(text) as Record<string, unknown>) : {},
        });
      });
    });
    req.end(payload);
  });
}
export const ok = (r: R, what: string) => {
  assert.equal(r.status, 200, `${what}: ${JSON.stringify(r.body)}`);
  return r.body;
};
export const vsnapError = (r: R, status: number, type: string, message: RegExp) => {
  assert.equal(r.status, status, JSON.stringify(r.body));
  const e = r.body.error as { type: string; message: string };
  assert.equal(e.type, type, JSON.stringify(r.body));
  assert.match(e.message, message);
};

/** Points the export daemons at free ports on the loopback (read when Cairn starts). */
export async function freeExportPorts(): Promise<void> {
  Object.assign(process.env, await exportPortEnv());
}

/** Cairn with its export daemons on free ports, four virtual disks and a vSnap pool. */
export async function vsnapRig(t: Parameters<typeof startCairn>[0]) {
  await freeExportPorts();
  const c = await startCairn(t);
  for (let i = 0; i < 2; i++) await c.admin.request('POST', 'disks?wait=60', { size: 768 * MiB });
  const pool = ok(
    await vsnap(c, 'POST', '/api/pool', {
      name: 'p1',
      disk_list: [],
      pool_type: 'raid0',
      compression: false,
    }),
    'pool',
  );
  return { c, pool: String(pool.id) };
}
