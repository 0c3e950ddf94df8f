// The one list implementation: filters, keyset or offset paging, sort and total count, all in SQL.
// Every collection's store module calls listPage() with its base query and ListSpec.
import { sql, type Expression, type SelectQueryBuilder, type SqlBool, type ExpressionBuilder } from 'kysely';
import { encodeCursor, type CursorValue, type ListParams, type ListSpec, type Page } from '../domain/list.js';
import type { StoreDialect } from './dialect.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyEb = ExpressionBuilder<any, any>;
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyQuery = SelectQueryBuilder<any, any, any>;

function filterExpr(eb: AnyEb, p: ListParams, d: StoreDialect): Expression<SqlBool>[] {
  return p.filters.map((f) => {
    const col = sql.ref(f.column);
    switch (f.op) {
      case 'eq':
        return eb(col, '=', f.value);
      case 'ne':
        return eb(col, '<>', f.value);
      case 'in':
        return eb(col, 'in', f.value as (string | number)[]);
      case 'gt':
        return eb(col, '>', f.value);
      case 'lt':
        return eb(col, '<', f.value);
      case 'gte':
        return eb(col, '>=', f.value);
      case 'lte':
        return eb(col, '<=', f.value);
      case 'contains': {
        const escaped = String(f.value).replace(/[\\%_]/g, (c) => `\\${c}`);
        return sql<SqlBool>`${col} ${sql.raw(d.ilike)} ${'%' + escaped + '%'} escape '\\'`;
      }
    }
  });
}

function sameAs(eb: AnyEb, column: string, v: CursorValue): Expression<SqlBool> {
  return v === null ? eb(sql.ref(column), 'is', null) : eb(sql.ref(column), '=', v);
}

/**
 * Rows that come after value `v` of one sort column in its direction. A column that may be NULL
 * (finished_at, object_type) keeps its NULL rows where the store's plain ORDER BY puts them:
 * first or last depending on the direction and the store (`nullsSortHigh`), so paging by cursor
 * neither loses them nor refuses a cursor whose value is NULL.
 */
function beyond(eb: AnyEb, column: string, desc: boolean, v: CursorValue, d: StoreDialect) {
  const col = sql.ref(column);
  const nullsLast = desc !== d.nullsSortHigh;
  const past = (x: string | number) => eb(col, desc ? '<' : '>', x);
  if (v === null) return nullsLast ? sql<SqlBool>`1 = 0` : eb(col, 'is not', null);
  return nullsLast ? eb.or([past(v), eb(col, 'is', null)]) : past(v);
}

/** Rows after the cursor in the given order: (a,b,tie) > (va,vb,vtie) expanded for mixed directions. */
function afterCursor(
  eb: AnyEb,
  cols: { column: string; desc: boolean }[],
  values: CursorValue[],
  d: StoreDialect,
) {
  const ors: Expression<SqlBool>[] = [];
  for (let i = 0; i < cols.length; i++) {
    const ands: Expression<SqlBool>[] = [];
    for (let j = 0; j < i; j++) ands.push(sameAs(eb, cols[j]!.column, values[j]!));
    ands.push(beyond(eb, cols[i]!.column, cols[i]!.desc, values[i]!, d));
    ors.push(eb.and(ands));
  }
  return eb.or(ors);
}

/**
 * Runs one page of a list. `base` selects the rows (with any fixed scoping `where`s); `toItem`
 * turns a row into its wire shape. The row must include every sort column and the tie breaker.
 */
export async function listPage<O, Row, Item>(
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  base: SelectQueryBuilder<any, any, O>,
  // Every sort and filter column must be one the query selects (a compile error otherwise).
  spec: ListSpec<Extract<keyof NoInfer<O>, string>>,
  params: ListParams,
  dialect: StoreDialect,
  toItem: (row: Row) => Item,
): Promise<Page<Item>> {
  const filtered = base.where((eb) => eb.and(filterExpr(eb, params, dialect)));
  const total = await countOf(filtered);
  const order = orderOf(spec, params);
  const rows = (await pageQuery(filtered, order, params, dialect)
    .limit(params.limit + 1)
    .execute()) as Row[];
  return pageOf(rows, order, params, total, toItem);
}

/**
 * One page over the UNION ALL of several row sources of one shape (the log of events, alerts and
 * audit). Each source is filtered, ordered and cut to the rows the page can need in its own
 * query, on its own indexes, before the union is sorted: the cost follows the page, not the
 * number of rows the sources hold. The total is the sum of the sources' counts.
 */
export async function listUnionPage<Row, Item>(
  sources: AnyQuery[],
  spec: ListSpec,
  params: ListParams,
  dialect: StoreDialect,
  toItem: (row: Row) => Item,
  db: { selectFrom: (q: AliasedAnyQuery) => AnyQuery },
): Promise<Page<Item>> {
  const order = orderOf(spec, params);
  const need = (params.cursor ? 0 : params.offset) + params.limit + 1;
  const filtered = sources.map((src, i) =>
    db
      .selectFrom(src.as(`s${i}`))
      .selectAll()
      .where((eb: AnyEb) => eb.and(filterExpr(eb, params, dialect))),
  );
  let total = 0;
  for (const f of filtered) total += await countOf(f);
  const cut = filtered.map((f) => {
    let q = f;
    if (params.cursor) {
      const values = params.cursor;
      q = q.where((eb: AnyEb) => afterCursor(eb, order, values, dialect));
    }
    for (const o of order) q = q.orderBy(sql.ref(o.column), o.desc ? 'desc' : 'asc');
    return q.limit(need);
  });
  // Each branch is wrapped so that its ORDER BY and LIMIT stay inside it in the union.
  const wrapped = cut.map((q, i) => db.selectFrom(q.as(`c${i}`)).selectAll());
  let union = wrapped[0]!;
  for (const w of wrapped.slice(1)) union = union.unionAll(w);
  const all = db.selectFrom(union.as('u')).selectAll();
  const outer = { ...params, cursor: null, offset: params.cursor ? 0 : params.offset };
  const rows = (await pageQuery(all, order, outer, dialect)
    .limit(params.limit + 1)
    .execute()) as Row[];
  return pageOf(rows, order, params, total, toItem);
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AliasedAnyQuery = ReturnType<SelectQueryBuilder<any, any, any>['as']>;

async function countOf(q: AnyQuery): Promise<number> {
  const countRow = (await q
    .clearSelect()
    .clearOrderBy()
    .select((eb) => eb.fn.countAll().as('n'))
    .executeTakeFirst()) as { n: number | string | bigint } | undefined;
  return Number(countRow?.n ?? 0);
}

/** The page's order: the asked sort, then the tie breaker the way of the main sort key. */
function orderOf(spec: ListSpec, params: ListParams): { column: string; desc: boolean }[] {
  // Ties go the way of the main sort key, so "-at" lists same-millisecond rows newest first too.
  return [
    ...params.sort.map((s) => ({ column: s.column, desc: s.desc })),
    { column: spec.tieBreaker, desc: params.sort[0]?.desc ?? false },
  ];
}

function pageQuery(
  q: AnyQuery,
  order: { column: string; desc: boolean }[],
  params: ListParams,
  dialect: StoreDialect,
): AnyQuery {
  if (params.cursor) {
    const values = params.cursor;
    q = q.where((eb: AnyEb) => afterCursor(eb, order, values, dialect));
  } else if (params.offset > 0) q = q.offset(params.offset);
  for (const o of order) q = q.orderBy(sql.ref(o.column), o.desc ? 'desc' : 'asc');
  return q;
}

function pageOf<Row, Item>(
  rows: Row[],
  order: { column: string; desc: boolean }[],
  params: ListParams,
  total: number,
  toItem: (row: Row) => Item,
): Page<Item> {
  const more = rows.length > params.limit;
  const pageRows = more ? rows.slice(0, params.limit) : rows;
  const last = pageRows[pageRows.length - 1];
  const keyOf = (c: string) =>
    ((last as Record<string, unknown>)[c.includes('.') ? c.split('.').pop()! : c] ?? null) as CursorValue;
  return {
    items: pageRows.map(toItem),
    total,
    limit: params.limit,
    offset: params.cursor ? 0 : params.offset,
    next_cursor: more && last ? encodeCursor(order.map((o) => keyOf(o.column))) : null,
  };
}
