// The HTTPS client to a partner Cairn (replication): the certificate is pinned by SHA-256
// fingerprint and checked on 'secureConnect' before a byte of the request is sent; the partner's
// API key is the credential. JSON calls, and one streaming upload (a btrfs send stream) with a
// byte-count trailer.
import https from 'node:https';
import http from 'node:http';
import tls, { type TLSSocket } from 'node:tls';
import { isIP } from 'node:net';
import { CairnError } from '../../domain/errors.js';

export interface PartnerEndpoint {
  url: string;
  fingerprint: string;
  apiKey: string;
  /** Instead of the key: a whole Authorization value (HTTP Basic while adding a partner by login). */
  authorization?: string;
}

/**
 * Trust on first use: the SHA-256 fingerprint of the certificate `url` presents (no request is
 * sent). Every later call pins it, so a different certificate afterwards is refused. Also says
 * from which local address the partner was reached (the address it can most likely reach back).
 */
export async function fetchFingerprint(
  url: string,
  timeoutMs = 15_000,
): Promise<{ fingerprint: string; localAddress: string | null }> {
  const u = new URL(url);
  const host = u.hostname.replace(/^\[|\]$/g, '');
  return new Promise((resolve, reject) => {
    const fail = (reason: string) => {
      sock.destroy();
      reject(new CairnError('PARTNER_UNREACHABLE', { url, reason }));
    };
    const sock = tls.connect({
      host,
      port: Number(u.port || 443),
      rejectUnauthorized: false,
      ...(isIP(host) ? {} : { servername: host }),
    });
    sock.setTimeout(timeoutMs, () => fail(`no TLS handshake within ${timeoutMs} ms`));
    sock.once('error', (e: Error & { code?: string }) => fail(e.code ?? e.message));
    sock.once('secureConnect', () => {
      const f = sock.getPeerCertificate()?.fingerprint256;
      const localAddress = sock.localAddress ?? null;
      sock.end();
      if (f) resolve({ fingerprint: formatFingerprint(f), localAddress });
      else fail('no certificate presented');
    });
  });
}

export const normFingerprint = (f: string) => f.replace(/:/g, '').toUpperCase();
/** Colon-separated upper-case hex, as Node and openssl print it. */
export const formatFingerprint = (f: string) =>
  normFingerprint(f)
    .replace(/(..)(?!$)/g, '$1:')
    .toUpperCase();

interface Answer {
  status: number;
  body: unknown;
}

/** The trailer that carries how many bytes the sender wrote, so a cut stream is never taken as whole. */
export const BYTES_TRAILER = 'x-cairn-stream-bytes';

/** How long a partner may take to answer once it has the whole stream. */
const ANSWER_AFTER_STREAM_MS = 30 * 60_000;

export class PartnerClient {
  constructor(
    private readonly ep: PartnerEndpoint,
    private readonly timeoutMs = 30_000,
  ) {}

  private open(
    method: string,
    path: string,
    headers: Record<string, string>,
    signal: AbortSignal | undefined,
    onAnswer: (a: Answer) => void,
    onError: (e: CairnError) => void,
    /** Idle time after which the call is given up (0: never), and what the error then says. */
    idle: { ms: number; reason: string } = {
      ms: this.timeoutMs,
      reason: `no answer within ${this.timeoutMs} ms`,
    },
  ): http.ClientRequest {
    const url = new URL(path, this.ep.url);
    if (url.protocol !== 'https:')
      throw new CairnError('PARTNER_UNREACHABLE', {
        url: this.ep.url,
        reason: 'partners are reached over https only',
      });
    const pinned = normFingerprint(this.ep.fingerprint);
    const req = https.request(url, {
      method,
      headers: {
        accept: 'application/json',
        authorization: this.ep.authorization ?? `Bearer ${this.ep.apiKey}`,
        ...headers,
      },
      rejectUnauthorized: false,
      agent: false,
      ...(signal ? { signal } : {}),
    });
    let failed = false;
    const fail = (e: CairnError) => {
      if (failed) return;
      failed = true;
      onError(e);
    };
    req.on('socket', (sock) =>
      sock.once('secureConnect', () => {
        const actual = (sock as TLSSocket).getPeerCertificate()?.fingerprint256 ?? '';
        if (normFingerprint(actual) !== pinned) {
          fail(
            new CairnError('PARTNER_CERTIFICATE_MISMATCH', {
              url: this.ep.url,
              actual: actual || 'none',
              expected: formatFingerprint(this.ep.fingerprint),
            }),
          );
          req.destroy();
        }
      }),
    );
    req.on('error', (e: Error & { code?: string }) =>
      fail(
        new CairnError(e.name === 'AbortError' ? 'REPLICATION_STREAM_BROKEN' : 'PARTNER_UNREACHABLE', {
          url: this.ep.url,
          reason: e.name === 'AbortError' ? 'cancelled' : (e.code ?? e.message),
        }),
      ),
    );
    req.setTimeout(idle.ms, () => {
      fail(new CairnError('PARTNER_UNREACHABLE', { url: this.ep.url, reason: idle.reason }));
      req.destroy();
    });
    req.on('response', (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('error', () =>
        fail(new CairnError('PARTNER_UNREACHABLE', { url: this.ep.url, reason: 'answer cut' })),
      );
      res.on('end', () => {
        if (failed) return;
        const text = Buffer.concat(chunks).toString('utf8');
        let body: unknown = text;
        try {
          body = text ? JSON.parse(text) : null;
        } catch {
          /* not JSON: keep the text */
        }
        onAnswer({ status: res.statusCode ?? 0, body });
      });
    });
    return req;
  }

  /** A JSON call; 4xx/5xx answers become PARTNER_UNAUTHORIZED (401/403) or PARTNER_ERROR. */
  async json<T>(method: string, path: string, body?: unknown, signal?: AbortSignal): Promise<T> {
    const a = await new Promise<Answer>((resolve, reject) => {
      const payload = body === undefined ? undefined : JSON.stringify(body);
      const req = this.open(
        method,
        path,
        payload ? { 'content-type': 'application/json' } : {},
        signal,
        resolve,
        reject,
      );
      req.end(payload);
    });
    return this.check<T>(a);
  }

  private check<T>(a: Answer): T {
    if (a.status < 400) return a.body as T;
    const err = (a.body as { error?: { code?: string; message?: string; details?: Record<string, unknown> } })
      ?.error;
    if (a.status === 401 || a.status === 403)
      throw new CairnError('PARTNER_UNAUTHORIZED', {
        url: this.ep.url,
        reason: err?.message ?? `HTTP ${a.status}`,
      });
    // The partner's own replication codes mean the same here (e.g. a missing incremental base).
    if (err?.code === 'REPLICATION_PARENT_MISSING' || err?.code === 'RELATIONSHIP_PROMOTED')
      throw new CairnError(err.code, { ...(err.details ?? {}), id: err.details?.id, reason: err.message });
    throw new CairnError('PARTNER_ERROR', {
      url: this.ep.url,
      status: a.status,
      code: err?.code ?? '',
      reason: err?.message ?? String(a.body).slice(0, 200),
      remote: err ?? null,
    });
  }

  /**
   * Streams `source` as the body of a POST (chunked), then a trailer with the byte count; resolves
   * with the partner's JSON answer. Aborting `signal` (or `source` failing) destroys the request, so
   * the partner sees a cut stream, never an end.
   */
  async upload<T>(
    path: string,
    source: NodeJS.ReadableStream,
    o: {
      signal?: AbortSignal;
      onBytes?: (total: number) => void;
      beforeEnd?: () => Promise<void>;
      /** Cut the upload when the connection has been idle this long (the partner stopped reading). */
      stallMs?: number;
    },
  ): Promise<T & { bytes: number }> {
    let bytes = 0;
    const a = await new Promise<Answer>((resolve, reject) => {
      const req = this.open(
        'POST',
        path,
        { 'content-type': 'application/octet-stream', trailer: BYTES_TRAILER },
        o.signal,
        resolve,
        (e) => {
          (source as NodeJS.ReadableStream & { destroy?: () => void }).destroy?.();
          reject(e);
        },
        o.stallMs
          ? { ms: o.stallMs, reason: `the stream stalled: no progress for ${o.stallMs} ms` }
          : { ms: 0, reason: '' },
      );
      // Flowing, paused on back-pressure and resumed on 'drain', as pipe() does: no promise and no
      // listener pair per chunk (an async iterator made both for every 64 KiB the sender read).
      // Resolves true when the source ended, false when the request went first (the outer promise
      // is then settled by its error; the source is destroyed, so btrfs send stops too).
      const src = source as NodeJS.ReadableStream & { destroy?: () => void };
      const pump = new Promise<boolean>((resolve, reject) => {
        const stop = () => {
          src.removeListener('data', onData);
          src.destroy?.();
          resolve(false);
        };
        const onData = (chunk: Buffer) => {
          bytes += chunk.length;
          o.onBytes?.(bytes);
          if (req.destroyed) return stop();
          if (!req.write(chunk)) src.pause();
        };
        req.on('drain', () => src.resume());
        req.once('close', stop);
        src.on('data', onData);
        src.once('end', () => resolve(true));
        src.once('error', reject);
      });
      pump
        .then(async (whole) => {
          if (!whole) return;
          // The sender must have finished cleanly (btrfs send exit 0) before the stream is declared whole.
          await o.beforeEnd?.();
          req.addTrailers({ [BYTES_TRAILER]: String(bytes) });
          req.end();
          // The whole stream is out; the partner now finishes receiving, records, applies retention.
          if (o.stallMs) req.setTimeout(Math.max(o.stallMs, ANSWER_AFTER_STREAM_MS));
        })
        .catch((e: unknown) => {
          req.destroy();
          reject(e);
        });
    });
    return { ...this.check<T>(a), bytes };
  }
}
