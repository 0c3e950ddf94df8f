// What the NGX route modules share: route config, NGX ids read back, waiting for
// jobs within the SDK's request timeout, and whole-collection reads of native lists.
import { Type } from '@sinclair/typebox';
import { CairnError, type ErrorCode } from '../../../domain/errors.js';
import type { Filter, ListParams, Page } from '../../../domain/list.js';
import { secondsUntil, type Job, type JobView } from '../../../domain/job.js';
import type { Principal } from '../../../domain/permissions.js';
import type { Volume } from '../../../domain/volumes.js';
import type { Services } from '../../../services/index.js';
import { allPages, finished } from '../jobs.js';
import { cairnId, NGX_ID_PATTERN, type NgxKind } from './map.js';

export const DIALECT = 'ngx';
/** NGX's SDK gives up on a request after 60 s: answer before it does. */
export const REQUEST_BUDGET_MS = 50_000;

export const cfg = (permission: string) => ({ permission, dialect: DIALECT });
export { typed, type TypedApp as Typed } from '../../typed.js';

export const HexId = Type.String({ pattern: NGX_ID_PATTERN, description: '1-40 hexadecimal characters' });
export const param = <K extends string>(name: K) =>
  Type.Object({ [name]: HexId } as Record<K, typeof HexId>, { additionalProperties: false });
export const Owner = Type.String({ maxLength: 64, description: 'the controller; Cairn has one' });
export const Name = Type.String({ minLength: 1, maxLength: 64, pattern: '^[A-Za-z0-9_-]+$' });

const NOT_FOUND: Record<NgxKind, ErrorCode> = {
  pool: 'POOL_NOT_FOUND',
  volume: 'VOLUME_NOT_FOUND',
  snapshot: 'SNAPSHOT_NOT_FOUND',
  host: 'HOST_NOT_FOUND',
  export: 'EXPORT_NOT_FOUND',
  target: 'TARGET_NOT_FOUND',
  schedule: 'SCHEDULE_NOT_FOUND',
  iqn: 'INITIATOR_NOT_FOUND',
  portal: 'NETWORK_NOT_FOUND',
};

/** The Cairn id behind an NGX id of a kind, or that kind's not-found error. */
export function idOf(kind: NgxKind, ngx: string): string {
  const id = cairnId(kind, ngx);
  if (!id) throw new CairnError(NOT_FOUND[kind], { id: ngx });
  return id;
}

/** An equality filter on a native list: the wire field and its column (see the list's spec). */
export const eq = (field: string, value: string | string[], column = field): Filter => ({
  field,
  column,
  op: Array.isArray(value) ? 'in' : 'eq',
  value,
});
export const filterBy = (...filters: Filter[]): ListParams => ({
  limit: 1000,
  offset: 0,
  cursor: null,
  sort: [],
  filters,
});
/** Every row of a native list (NGX answers whole collections). */
export const all = <T>(fetch: (params: ListParams) => Promise<Page<T>>, ...filters: Filter[]) =>
  allPages((offset, limit) => fetch({ ...filterBy(...filters), offset, limit }));

export interface Ngx {
  svc: Services;
  /**
   * Waits for a job, within the SDK's timeout counted from `since` (the request's start for a
   * request that runs several jobs); a job still running then answers 725, which the SDK retries.
   */
  done(job: Job, since?: number): Promise<JobView>;
  /** The controller name NGX calls `owner` (Cairn is one controller). */
  owner(): Promise<string>;
  /** Pool id → name, for the answers that carry `pool_name`. */
  poolNames(p: Principal): Promise<Map<string, string>>;
  /** The pool id of an NGX pool name. */
  poolByName(p: Principal, name: string): Promise<string>;
  /** A volume's metadata bag (settings Cairn keeps for the product and does not act on). */
  metadata(v: Volume): Record<string, string>;
}

export function ngxContext(svc: Services): Ngx {
  let owner: string | null = null;
  const poolNames = async (p: Principal) =>
    new Map((await all((q) => svc.pools.list(p, q))).map((x) => [x.id, x.name]));
  return {
    svc,
    done: (job, since = Date.now()) => finished(svc, job, secondsUntil(since + REQUEST_BUDGET_MS)),
    async owner() {
      owner ??= `${(await svc.system.systemId()).slice(0, 8).toUpperCase()}_A`;
      return owner;
    },
    poolNames,
    async poolByName(p, name) {
      const pool = (await all((q) => svc.pools.list(p, q), eq('name', name)))[0];
      if (!pool) throw new CairnError('POOL_NOT_FOUND', { id: name });
      return pool.id;
    },
    metadata: (v) =>
      'metadata' in v && v.metadata && typeof v.metadata === 'object' ? { ...v.metadata } : {},
  };
}
