// The typed API client: openapi-fetch over the generated schema (schema.d.ts, regenerated from the
// server's own document by `npm run api-types`), with the session's CSRF token on every change and
// one place that notices a session that has ended.
import createClient, { type Middleware } from 'openapi-fetch';
import type { components, paths } from './schema';
import { session } from './session';

export type Schemas = components['schemas'];
export type Job = Schemas['Job'];
export type Pool = Schemas['Pool'];
export type Disk = Schemas['Disk'];
export type Volume = Schemas['Volume'];
export type Snapshot = Schemas['Snapshot'];
export type Export = Schemas['Export'];
export type Alert = Schemas['Alert'];

/** An error answer of the API, in its own words (`message`, `hint`) and code. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly hint?: string,
    readonly details?: unknown,
  ) {
    super(message);
  }
}

const READS = new Set(['GET', 'HEAD', 'OPTIONS']);

const auth: Middleware = {
  onRequest({ request }) {
    request.headers.set('x-requested-with', 'cairn-console');
    const token = session.csrf();
    if (token && !READS.has(request.method)) request.headers.set('x-csrf-token', token);
    return request;
  },
  onResponse({ request, response }) {
    if (response.status === 401 && !request.url.endsWith('/auth/login')) session.expired();
    return response;
  },
};

export const api = createClient<paths>({
  baseUrl: globalThis.location?.origin ?? '',
  credentials: 'same-origin',
});
api.use(auth);

interface Answer<T> {
  data?: T;
  error?: unknown;
  response: Response;
}

/** The answer's body, or an ApiError carrying the API's message and hint. */
export async function must<T>(call: Promise<Answer<T>>): Promise<T> {
  const r = await call;
  if (r.error !== undefined || !r.response.ok) throw toApiError(r.response.status, r.error);
  return r.data as T;
}

export function toApiError(status: number, body: unknown): ApiError {
  const e = (body as { error?: { code?: string; message?: string; hint?: string; details?: unknown } })
    ?.error;
  if (e?.message) return new ApiError(status, e.code ?? 'ERROR', e.message, e.hint, e.details);
  return new ApiError(status, 'HTTP_' + status, `The server answered ${status}`);
}

/**
 * A change that may run as a job: 202 with the job (followed live by the jobs tray), or the result
 * itself when the API finished at once.
 */
export async function change<T>(
  call: Promise<Answer<T | Job>>,
): Promise<{ job: Job | null; result: T | null }> {
  const r = await call;
  if (r.error !== undefined || !r.response.ok) throw toApiError(r.response.status, r.error);
  if (r.response.status === 202) return { job: r.data as Job, result: null };
  return { job: null, result: (r.data ?? null) as T | null };
}
