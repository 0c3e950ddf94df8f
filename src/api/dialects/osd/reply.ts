// OpenStorage's answer shapes around a result or an error: the change calls answer HTTP 200 with
// the error inside (`volume_response.error`, as api/server/volume.go does); the other calls
// answer an HTTP error whose body is the error text. Plus the query helpers the routes share.
import type { FastifyReply, FastifyRequest } from 'fastify';
import { CairnError } from '../../../domain/errors.js';
import { toErrorReply } from '../../server.js';
import { osdError } from './errors.js';

/** The error text and status OpenStorage gives for any error (internal ones are logged). */
export function errorOf(req: FastifyRequest, err: unknown): { status: number; text: string } {
  const r = toErrorReply(err, req.id);
  if (r.internal) req.log.error({ err }, 'unexpected error');
  const e = (r.body as { error: { code: string; message: string } }).error;
  return osdError(e.code, r.status, e.message);
}

/** An HTTP error as Go's http.Error writes it: text/plain, the text and a newline. */
export function sendText(reply: FastifyReply, status: number, text: string): FastifyReply {
  return reply
    .code(status)
    .type('text/plain; charset=utf-8')
    .header('x-content-type-options', 'nosniff')
    .send(`${text}\n`);
}

type Shape = 'create' | 'flat' | 'snap';

/**
 * Runs a change and answers in OpenStorage's response shape: `create` VolumeCreateResponse,
 * `flat` VolumeResponse, `snap` SnapCreateResponse; an error goes inside, with HTTP 200.
 */
export async function embedded(
  req: FastifyRequest,
  fn: () => Promise<{ id?: string }>,
  shape: Shape = 'create',
): Promise<unknown> {
  let id: string | undefined;
  let error: string | undefined;
  try {
    id = (await fn()).id;
  } catch (e) {
    error = errorOf(req, e).text;
  }
  const vr = error ? { error } : {};
  if (shape === 'flat') return vr;
  const created = { ...(id ? { id } : {}), volume_response: vr };
  return shape === 'snap' ? { volume_create_response: created } : created;
}

/** `Label` / `ConfigLabel`: a JSON object of strings (OpenStorage's QueryOptionLabel). */
export function parseLabels(name: string, v: string | undefined): Record<string, string> {
  if (v === undefined || v === '') return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(v);
  } catch {
    parsed = undefined;
  }
  if (
    typeof parsed !== 'object' ||
    parsed === null ||
    Array.isArray(parsed) ||
    !Object.values(parsed).every((x) => typeof x === 'string')
  )
    throw new CairnError('VALIDATION_FAILED', {
      summary: `${name}: a JSON object of string values, e.g. {"app":"db"}`,
    });
  return parsed as Record<string, string>;
}

/** A query value the client may repeat. */
export const repeated = (v: string | string[] | undefined): string[] =>
  v === undefined ? [] : Array.isArray(v) ? v : [v];
