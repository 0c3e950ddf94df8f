// The CLI's HTTP client: HTTPS with certificate pinning by SHA-256 fingerprint (or the system CAs),
// HTTP Basic or a bearer API key, JSON in and out, and waiting on jobs with a progress callback.
import https from 'node:https';
import http from 'node:http';
import type { TLSSocket } from 'node:tls';

export interface ClientOptions {
  url: string;
  user?: string;
  password?: string;
  apiKey?: string;
  /** SHA-256 fingerprint to pin (colon-separated hex); when set, only that certificate is accepted. */
  fingerprint?: string;
  /** Accept any certificate (not recommended; prefer --fingerprint). */
  insecure?: boolean;
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly body: { error?: { code?: string; message?: string; details?: unknown } } | undefined,
    /** "METHOD path" of the request that got this answer, so a failure says which call it was. */
    readonly request = '',
  ) {
    super(body?.error?.message ?? `HTTP ${status}`);
    // The stack of an answer is the socket's, not the caller's: name the request instead.
    if (request) this.stack = `${this.name}: ${this.message}\n    at ${request}`;
  }
  get code(): string {
    return this.body?.error?.code ?? `HTTP_${this.status}`;
  }
}

const norm = (f: string) => f.replace(/:/g, '').toUpperCase();

export class Client {
  constructor(readonly opts: ClientOptions) {}

  async request<T = unknown>(
    method: string,
    path: string,
    body?: unknown,
  ): Promise<{ status: number; body: T; headers: http.IncomingHttpHeaders }> {
    const url = new URL(path.startsWith('/') ? path : `/api/v1/${path}`, this.opts.url);
    const headers: Record<string, string> = { accept: 'application/json' };
    if (this.opts.apiKey) headers.authorization = `Bearer ${this.opts.apiKey}`;
    else if (this.opts.user)
      headers.authorization = `Basic ${Buffer.from(`${this.opts.user}:${this.opts.password ?? ''}`).toString('base64')}`;
    const payload = body === undefined ? undefined : JSON.stringify(body);
    if (payload) headers['content-type'] = 'application/json';
    const isHttps = url.protocol === 'https:';
    const pinned = this.opts.fingerprint ? norm(this.opts.fingerprint) : undefined;
    return new Promise((resolve, reject) => {
      const req = (isHttps ? https : http).request(
        url,
        {
          method,
          headers,
          ...(isHttps
            ? {
                rejectUnauthorized: !(pinned || this.opts.insecure),
                // Pinned: trust exactly that certificate, checked before any byte of the request is sent.
                agent: false,
              }
            : {}),
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => {
            const text = Buffer.concat(chunks).toString('utf8');
            let parsed: unknown = undefined;
            try {
              parsed = text ? JSON.parse(text) : undefined;
            } catch {
              parsed = { error: { message: text } };
            }
            const status = res.statusCode ?? 0;
            if (status >= 400)
              reject(
                new ApiError(status, parsed as ApiError['body'], `${method} ${url.pathname}${url.search}`),
              );
            else resolve({ status, body: parsed as T, headers: res.headers });
          });
        },
      );
      req.on('error', reject);
      if (isHttps && pinned)
        req.on('socket', (sock) =>
          sock.once('secureConnect', () => {
            const cert = (sock as TLSSocket).getPeerCertificate();
            if (!cert || norm(cert.fingerprint256 ?? '') !== pinned)
              req.destroy(
                new Error(
                  `certificate fingerprint ${cert?.fingerprint256} does not match the pinned ${this.opts.fingerprint}`,
                ),
              );
          }),
        );
      if (payload) req.write(payload);
      req.end();
    });
  }

  get<T = unknown>(path: string) {
    return this.request<T>('GET', path).then((r) => r.body);
  }

  /**
   * Sends a change; when the server answers 202 with a job, follows the job (reporting progress)
   * until it finishes, then returns the final body (the object, or the finished job).
   */
  async change<T = unknown>(
    method: string,
    path: string,
    body?: unknown,
    onProgress?: (p: number, title: string) => void,
  ): Promise<T> {
    const sep = path.includes('?') ? '&' : '?';
    const r = await this.request<Record<string, unknown>>(method, `${path}${sep}wait=1`, body);
    if (r.status !== 202) return r.body as T;
    const jobId = String(r.body.id);
    for (;;) {
      const job = await this.get<{
        state: string;
        progress: number;
        title: string;
        error?: { code: string; message: string } | null;
        object_id?: string | null;
      }>(`jobs/${jobId}`);
      onProgress?.(job.progress, job.title);
      if (job.state === 'succeeded') return job as T;
      if (job.state === 'failed' || job.state === 'cancelled')
        throw new ApiError(422, {
          error: {
            code: job.error?.code ?? 'JOB_FAILED',
            message: `job ${jobId} ${job.state}: ${job.error?.message ?? ''}`,
          },
        });
      await new Promise((res) => setTimeout(res, 500));
    }
  }
}
