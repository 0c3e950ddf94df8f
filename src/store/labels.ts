// Labels of volumes and snapshots: one row per key in volume_labels / snapshot_labels, read a page
// at a time, changed by merge patch, and matched in SQL by `?label=` filters (key, value index).
import { sql, type Kysely, type RawBuilder, type SqlBool } from 'kysely';
import type { DB } from './schema.js';
import type { LabelFilter, Labels, MapPatch } from '../domain/labels.js';

export type LabelTable = 'volume_labels' | 'snapshot_labels';

/** Sets and removes keys of one object's labels (in the caller's transaction when given one). */
export async function patchLabels(
  db: Kysely<DB>,
  table: LabelTable,
  objectId: string,
  patch: MapPatch,
): Promise<void> {
  const keys = Object.keys(patch);
  if (!keys.length) return;
  await db.deleteFrom(table).where('object_id', '=', objectId).where('key', 'in', keys).execute();
  const rows = Object.entries(patch)
    .filter((e): e is [string, string] => e[1] !== null)
    .map(([key, value]) => ({ object_id: objectId, key, value }));
  if (rows.length) await db.insertInto(table).values(rows).execute();
}

/** The labels of each object of a page (objects without labels get `{}`). */
export async function labelsOf(
  db: Kysely<DB>,
  table: LabelTable,
  ids: string[],
): Promise<Map<string, Labels>> {
  const out = new Map<string, Labels>(ids.map((id) => [id, {}]));
  if (!ids.length) return out;
  const rows = await db
    .selectFrom(table)
    .select(['object_id', 'key', 'value'])
    .where('object_id', 'in', [...new Set(ids)])
    .orderBy('object_id')
    .orderBy('key')
    .execute();
  for (const r of rows) out.get(r.object_id)![r.key] = r.value;
  return out;
}

/** Below this many matches the most selective filter's ids drive the list query. */
const DRIVE_LIMIT = 10_000;

const countMatches = async (db: Kysely<DB>, table: LabelTable, f: LabelFilter): Promise<number> => {
  let q = db
    .selectFrom(table)
    .select((eb) => eb.fn.countAll<number | string>().as('n'))
    .where('key', '=', f.key);
  if (f.value !== undefined) q = q.where('value', '=', f.value);
  return Number((await q.executeTakeFirstOrThrow()).n);
};

/**
 * The SQL conditions of a list's label filters (all must hold), chosen from how many objects each
 * filter matches (counted on the (key, value) index): the most selective one, when it matches few
 * objects, yields the ids that drive the query (`id IN (…)`); the others, or all when every filter
 * matches many, are checked row by row on the primary key (object_id, key), so a page in the
 * list's order stops once it is full instead of fetching and sorting every match. A filter
 * nothing matches gives `1 = 0` at once. Either way the filtering is SQL on indexes.
 */
export async function labelConditions(
  db: Kysely<DB>,
  table: LabelTable,
  idColumn: string,
  filters: readonly LabelFilter[],
): Promise<RawBuilder<SqlBool>[]> {
  if (!filters.length) return [];
  const counts = await Promise.all(filters.map((f) => countMatches(db, table, f)));
  const least = Math.min(...counts);
  if (least === 0) return [sql<SqlBool>`1 = 0`];
  const drive = least <= DRIVE_LIMIT ? counts.indexOf(least) : -1;
  return filters.map((f, i) => {
    const value = f.value === undefined ? sql`` : sql` and value = ${f.value}`;
    return i === drive
      ? sql<SqlBool>`${sql.ref(idColumn)} in (select object_id from ${sql.table(table)} where key = ${f.key}${value})`
      : sql<SqlBool>`exists (select 1 from ${sql.table(table)} where object_id = ${sql.ref(idColumn)} and key = ${f.key}${value})`;
  });
}
