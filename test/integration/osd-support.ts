// Shared set-up for the OpenStorage (OSD) dialect on real storage: Cairn with the osd dialect on a
// free loopback port and a unix socket, two virtual disks in a pool, and requests exactly as
// OpenStorage's Go client builds them (api/client/request.go: every request carries
// `Content-Type: application/json` and a `Date`, bodies are encoding/json of the api structs,
// query labels are JSON objects, the path is /v1/<resource>/<instance>).
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { request as httpRequest } from 'node:http';
import { startCairn, freePort, type InProcessCairn } from '../support/cairn.js';
import { tempDir, type T } from '../support/real.js';

export const MiB = 1024 * 1024;

export interface OsdReply {
  status: number;
  text: string;
  json: unknown;
}

export interface OsdTarget {
  host?: string;
  port?: number;
  socketPath?: string;
}

/** One request as OpenStorage's Go client sends it (api/client/request.go, Request.Do). */
export function osd(
  to: OsdTarget,
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<OsdReply> {
  const payload = body === undefined ? '' : JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      {
        ...(to.socketPath ? { socketPath: to.socketPath } : { host: to.host, port: to.port }),
        method,
        path,
        headers: {
          'content-type': 'application/json',
          date: new Date().toString(),
          'user-agent': 'Go-http-client/1.1',
          'content-length': String(Buffer.byteLength(payload)),
          ...headers,
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let json: unknown;
          try {
            json = JSON.parse(text);
          } catch {
            json = undefined;
          }
          resolve({ status: res.statusCode ?? 0, text, json });
        });
      },
    );
    req.on('error', reject);
    req.end(payload);
  });
}

/** The Go client's `Unmarshal`: a 2xx body as JSON, else the body text as the error. */
export function ok<V = Record<string, unknown>>(r: OsdReply, what: string): V {
  assert.ok(r.status >= 200 && r.status <= 206, `${what}: HTTP ${r.status} ${r.text}`);
  return r.json as V;
}

/** A change's answer with no `volume_response.error` (what the Go client checks). */
export function noError(r: OsdReply, what: string): Record<string, unknown> {
  const b = ok(r, what);
  const vr = (b.volume_response ??
    (b.volume_create_response as { volume_response?: unknown })?.volume_response ??
    b) as {
    error?: string;
  };
  assert.equal(vr.error ?? '', '', `${what}: ${r.text}`);
  return b;
}

export interface OsdRig {
  c: InProcessCairn;
  tcp: OsdTarget;
  unix: OsdTarget;
  pool: string;
  /** CAIRN_MOUNT_ROOTS: where OSD mounts may go. */
  mountRoot: string;
}

/** Cairn serving the osd dialect (a free port, a socket in a temp dir) and one pool of two disks. */
export async function osdRig(t: T, extraEnv: Record<string, string> = {}): Promise<OsdRig> {
  const port = await freePort();
  const socketPath = join(tempDir(t, 'cairn-osd-'), 'osd.sock');
  const mountRoot = tempDir(t, 'cairn-osd-mnt-');
  const c = await startCairn(t, {
    env: {
      CAIRN_DIALECTS: 'osd',
      CAIRN_OSD_LISTEN: `127.0.0.1:${port}`,
      CAIRN_OSD_SOCKET: socketPath,
      CAIRN_MOUNT_ROOTS: mountRoot,
      ...extraEnv,
    },
  });
  const disks: string[] = [];
  for (let i = 0; i < 2; i++)
    disks.push((await c.admin.request<{ id: string }>('POST', 'disks?wait=60', { size: 768 * MiB })).body.id);
  await c.admin.change('POST', 'pools', { name: 'osd', disks, profile: 'single' });
  const pools = await c.admin.get<{ items: { id: string }[] }>('pools');
  return { c, tcp: { host: '127.0.0.1', port }, unix: { socketPath }, pool: pools.items[0]!.id, mountRoot };
}
