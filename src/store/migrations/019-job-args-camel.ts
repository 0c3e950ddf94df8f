// Records became camelCase inside Cairn, and four kinds of job carry records in their arguments
// (an export's settings before and after an update, a target's hosts before an update, the LUN a
// target gains or loses). A job the version before left unfinished (pending, or running when
// cairnd stopped) resumes or rolls back after the upgrade with the arguments it was saved with:
// those records' keys are rewritten here, once, so that nothing it restores comes back empty.
// Self-contained on purpose: a migration must not change when the code it would import does.
import type { Kysely } from 'kysely';
import type { StoreDialect } from '../dialect.js';

/** The argument fields that hold a record, by job kind. */
const RECORD_ARGS: Record<string, string[]> = {
  'export.update': ['before', 'after'],
  'target.update': ['before'],
  'target.lun-add': ['lun'],
  'target.lun-remove': ['lun'],
};

const camel = (k: string) => k.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());

/** The object's own keys in camelCase; its values (an export's wire `options` among them) as they are. */
function camelKeys(o: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(o).map(([k, v]) => [camel(k), v]));
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>, _d: StoreDialect): Promise<void> {
  const rows = (await db
    .selectFrom('jobs')
    .select(['id', 'kind', 'args'])
    .where('state', 'in', ['pending', 'running'])
    .where('kind', 'in', Object.keys(RECORD_ARGS))
    .execute()) as { id: string; kind: string; args: string }[];
  for (const r of rows) {
    const args = JSON.parse(r.args) as Record<string, unknown>;
    for (const field of RECORD_ARGS[r.kind] ?? []) {
      const v = args[field];
      if (v && typeof v === 'object' && !Array.isArray(v))
        args[field] = camelKeys(v as Record<string, unknown>);
    }
    await db
      .updateTable('jobs')
      .set({ args: JSON.stringify(args) })
      .where('id', '=', r.id)
      .execute();
  }
}
