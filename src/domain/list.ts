// The shared list contract for every collection: paging (limit/offset or cursor), sort=field,-field,
// and filters field=, field__in=, __gt, __lt, __gte, __lte, __ne, __contains. Pure: parsing and
// validation only; src/store/list.ts turns the result into SQL on indexed columns.
import { CairnError, type FieldProblem } from './errors.js';

export type ListFieldType = 'string' | 'integer' | 'time' | 'boolean';
export const FILTER_OPS = ['eq', 'in', 'gt', 'lt', 'gte', 'lte', 'ne', 'contains'] as const;
export type FilterOp = (typeof FILTER_OPS)[number];

export interface ListField<C extends string = string> {
  /**
   * The database column behind the wire name: a column of the rows the store's list query
   * selects (sorted and filtered in SQL). Specs made with listSpec() keep these as literal types,
   * so listPage() refuses at compile time a spec naming a column its query does not select.
   */
  column: C;
  type: ListFieldType;
  sortable?: boolean;
  filterable?: boolean;
}

export interface ListSpec<C extends string = string> {
  fields: Record<string, ListField<C>>;
  /** Default sort, in the `sort=` syntax, e.g. `-created`. */
  defaultSort: string;
  /** The unique column that breaks ties so the order is stable (indexed with the sort columns). */
  tieBreaker: C;
}

/** A list spec with its column names kept as literal types (checked by the store's listPage). */
export const listSpec = <const C extends string>(spec: ListSpec<C>): ListSpec<C> => spec;

export interface Filter {
  field: string;
  column: string;
  op: FilterOp;
  value: string | number | (string | number)[];
}

export interface SortKey {
  field: string;
  column: string;
  desc: boolean;
}

export interface ListParams {
  limit: number;
  offset: number;
  /** The sort values (then the tie breaker) of the last row seen; a sort column may be NULL. */
  cursor: CursorValue[] | null;
  sort: SortKey[];
  filters: Filter[];
}

export interface Page<T> {
  items: T[];
  total: number;
  limit: number;
  offset: number;
  /** Pass as `cursor=` to get the page after this one; null on the last page. */
  next_cursor: string | null;
}

/** The same page with each item mapped (a record to its wire view). */
export function mapPage<T, U>(page: Page<T>, f: (item: T) => U): Page<U> {
  return { ...page, items: page.items.map((item) => f(item)) };
}

export const DEFAULT_PAGE_SIZE = 100;
export const MAX_PAGE_SIZE = 1000;
/** Query parameters that are not filters. Routes may add their own (e.g. `wait`). */
export const PAGING_PARAMS = ['limit', 'offset', 'cursor', 'sort'] as const;

const opsFor = (t: ListFieldType): FilterOp[] =>
  t === 'string'
    ? ['eq', 'in', 'ne', 'contains', 'gt', 'lt', 'gte', 'lte']
    : t === 'boolean'
      ? ['eq', 'ne']
      : ['eq', 'in', 'ne', 'gt', 'lt', 'gte', 'lte'];

/** Every query parameter name the spec accepts (used to build the OpenAPI schema). */
export function listParamNames(spec: ListSpec): { name: string; field: string; op: FilterOp }[] {
  const out: { name: string; field: string; op: FilterOp }[] = [];
  for (const [field, f] of Object.entries(spec.fields)) {
    if (!f.filterable) continue;
    for (const op of opsFor(f.type)) out.push({ name: op === 'eq' ? field : `${field}__${op}`, field, op });
  }
  return out;
}

function coerce(field: string, f: ListField, raw: string, problems: FieldProblem[]): string | number {
  switch (f.type) {
    case 'integer': {
      if (!/^-?\d+$/.test(raw))
        problems.push({ field, code: 'NOT_INTEGER', message: `${raw} is not an integer` });
      return Number(raw);
    }
    case 'boolean': {
      if (!['true', 'false', '1', '0'].includes(raw))
        problems.push({ field, code: 'NOT_BOOLEAN', message: `${raw} is not true or false` });
      return raw === 'true' || raw === '1' ? 1 : 0;
    }
    case 'time': {
      const t = Date.parse(raw);
      if (Number.isNaN(t))
        problems.push({ field, code: 'NOT_TIME', message: `${raw} is not an ISO 8601 time` });
      return Number.isNaN(t) ? raw : new Date(t).toISOString();
    }
    default:
      return raw;
  }
}

/** One value of a cursor: the last row's sort column, which may be NULL (a job not finished yet). */
export type CursorValue = string | number | null;

export function encodeCursor(values: CursorValue[]): string {
  return Buffer.from(JSON.stringify(values)).toString('base64url');
}

function decodeCursor(raw: string, expected: number, problems: FieldProblem[]): CursorValue[] | null {
  try {
    const v: unknown = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8'));
    if (
      Array.isArray(v) &&
      v.length === expected &&
      v.every((x) => x === null || typeof x === 'string' || typeof x === 'number')
    )
      return v as CursorValue[];
  } catch {
    /* fall through to the problem below */
  }
  problems.push({
    field: 'cursor',
    code: 'BAD_CURSOR',
    message: 'cursor is not one this list gave out with this sort',
  });
  return null;
}

/**
 * Validates and parses a query string against a spec. Unknown parameters, unknown sort fields,
 * wrong types and out-of-range paging are all reported at once as VALIDATION_FAILED.
 */
export function parseListQuery(
  spec: ListSpec,
  query: Record<string, unknown>,
  extraParams: readonly string[] = [],
): ListParams {
  const problems: FieldProblem[] = [];
  const str = (k: string): string | undefined => {
    const v = query[k];
    return v === undefined ? undefined : String(v);
  };
  const int = (k: string, def: number, min: number, max: number): number => {
    const raw = str(k);
    if (raw === undefined) return def;
    const n = Number(raw);
    if (!Number.isInteger(n) || n < min || n > max) {
      problems.push({
        field: k,
        code: 'OUT_OF_RANGE',
        message: `${k} must be an integer from ${min} to ${max}`,
      });
      return def;
    }
    return n;
  };
  const limit = int('limit', DEFAULT_PAGE_SIZE, 1, MAX_PAGE_SIZE);
  const offset = int('offset', 0, 0, Number.MAX_SAFE_INTEGER);

  const sort: SortKey[] = [];
  for (const part of (str('sort') ?? spec.defaultSort).split(',').filter(Boolean)) {
    const desc = part.startsWith('-');
    const name = desc ? part.slice(1) : part.replace(/^\+/, '');
    const f = spec.fields[name];
    if (!f || !f.sortable)
      problems.push({ field: 'sort', code: 'UNKNOWN_SORT_FIELD', message: `cannot sort by ${name}` });
    else sort.push({ field: name, column: f.column, desc });
  }

  const byName = new Map(listParamNames(spec).map((p) => [p.name, p]));
  const filters: Filter[] = [];
  for (const [key, rawValue] of Object.entries(query)) {
    if ((PAGING_PARAMS as readonly string[]).includes(key) || extraParams.includes(key)) continue;
    const p = byName.get(key);
    if (!p) {
      problems.push({
        field: key,
        code: 'UNKNOWN_PARAMETER',
        message: `${key} is not a parameter of this list`,
      });
      continue;
    }
    const f = spec.fields[p.field]!;
    const raw = String(rawValue);
    const value =
      p.op === 'in'
        ? raw.split(',').map((x) => coerce(key, f, x, problems))
        : p.op === 'contains'
          ? raw
          : coerce(key, f, raw, problems);
    filters.push({ field: p.field, column: f.column, op: p.op, value });
  }

  const cursorRaw = str('cursor');
  const cursor = cursorRaw === undefined ? null : decodeCursor(cursorRaw, sort.length + 1, problems);
  if (cursorRaw !== undefined && query.offset !== undefined)
    problems.push({ field: 'cursor', code: 'CONFLICT', message: 'use either cursor or offset, not both' });
  CairnError.assertNoProblems(problems);
  return { limit, offset, cursor, sort, filters };
}
