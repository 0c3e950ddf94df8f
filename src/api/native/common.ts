// Schemas and helpers every native route shares: the error body, list queries built from a
// ListSpec, pages, `?wait=` and the 202-or-result reply for job-backed changes.
import { Type, type TSchema, type TObject, type TProperties } from '@sinclair/typebox';
import type { FastifyReply } from 'fastify';
import { ERRORS, CairnError } from '../../domain/errors.js';
import {
  listParamNames,
  MAX_PAGE_SIZE,
  parseListQuery,
  type ListParams,
  type ListSpec,
} from '../../domain/list.js';
import type { Job, JobView } from '../../domain/job.js';
import type { JobsService } from '../../services/jobs.js';
import { Id, StringEnum } from '../../domain/wire.js';

export const ErrorBody = Type.Object(
  {
    error: Type.Object({
      code: Type.String({ description: 'stable error code, see docs/errors.md' }),
      message: Type.String(),
      details: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
      hint: Type.Optional(Type.String()),
      request_id: Type.Optional(Type.String()),
    }),
  },
  { $id: 'Error', description: 'every native error has this shape' },
);

export const errorResponses = {
  400: Type.Ref('Error'),
  401: Type.Ref('Error'),
  403: Type.Ref('Error'),
  404: Type.Ref('Error'),
  409: Type.Ref('Error'),
  422: Type.Ref('Error'),
};

export { Id, StringEnum };
export const IdParams = Type.Object({ id: Id }, { additionalProperties: false });

export const WAIT_MAX_SECONDS = 3600;
export const Wait = Type.Integer({
  minimum: 0,
  maximum: WAIT_MAX_SECONDS,
  description: 'seconds to wait for the job; when it finishes in time the answer is the result, not the job',
});
export const WaitQuery = Type.Object({ wait: Type.Optional(Wait) }, { additionalProperties: false });

// The job's schema is the domain's (its `Static<>` is the JobView the services answer).
export { JobView as JobSchema } from '../../domain/job.js';

/** Paging and sort, the parameters every list takes. */
const paging = (spec: ListSpec) => ({
  limit: Type.Optional(
    Type.Integer({
      minimum: 1,
      maximum: MAX_PAGE_SIZE,
      description: `page size, at most ${MAX_PAGE_SIZE}`,
    }),
  ),
  offset: Type.Optional(Type.Integer({ minimum: 0 })),
  cursor: Type.Optional(Type.String({ description: 'next_cursor of the previous page' })),
  sort: Type.Optional(
    Type.String({
      description: `comma-separated fields, - for descending; sortable: ${Object.entries(spec.fields)
        .filter(([, f]) => f.sortable)
        .map(([n]) => n)
        .join(', ')}`,
    }),
  ),
});
type Paging = ReturnType<typeof paging>;

/**
 * The query-string schema of a list: paging, sort, `extra`, and one parameter per filter and
 * operator. Its static type names paging, sort and `extra`; `parseList` reads the filters.
 */
export function listQuery(spec: ListSpec): TObject<Paging>;
export function listQuery<E extends TProperties>(spec: ListSpec, extra: E): TObject<Paging & E>;
export function listQuery(spec: ListSpec, extra: TProperties = {}): TObject {
  const props: TProperties = { ...paging(spec), ...extra };
  for (const p of listParamNames(spec))
    props[p.name] = Type.Optional(
      Type.String({ description: p.op === 'in' ? 'comma-separated values' : `filter: ${p.op}` }),
    );
  return Type.Object(props, { additionalProperties: false });
}

export const parseList = (spec: ListSpec, q: unknown, extra: readonly string[] = []): ListParams =>
  parseListQuery(spec, (q ?? {}) as Record<string, unknown>, extra);

export const Page = <T extends TSchema>(item: T) =>
  Type.Object({
    items: Type.Array(item),
    total: Type.Integer(),
    limit: Type.Integer(),
    offset: Type.Integer(),
    next_cursor: Type.Union([Type.String(), Type.Null()]),
  });

/**
 * Answers a change backed by a job: 202 with the job and a Location, or (when it finished within
 * `wait` seconds) 201/200 with the object `load` returns. A job that failed answers its error.
 */
export async function replyJob(
  reply: FastifyReply,
  jobs: JobsService,
  job: Job,
  wait: number | undefined,
  opts: { created?: boolean; load?: (job: JobView) => Promise<unknown> } = {},
): Promise<unknown> {
  const done = wait ? await jobs.wait(job.id, wait) : jobs.view(job);
  if (done.state === 'succeeded') {
    reply.code(opts.created ? 201 : 200);
    return opts.load ? opts.load(done) : done;
  }
  if (done.state === 'failed' || done.state === 'cancelled') {
    const e = done.error;
    const known = e && e.code in ERRORS ? (e.code as keyof typeof ERRORS) : null;
    // A job that failed on the machine is not a server bug from the client's view: 422 with the cause.
    if (!known || ERRORS[known].status >= 500)
      throw new CairnError('JOB_FAILED', {
        id: done.id,
        job_id: done.id,
        reason: e?.message ?? 'unknown',
        cause: e,
      });
    throw new CairnError(known, { ...(e?.details ?? {}), job_id: done.id }, e?.message);
  }
  reply.code(202).header('location', `/api/v1/jobs/${done.id}`);
  return done;
}
