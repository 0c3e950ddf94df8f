// Objects named on the command line by id or by name. A name is looked up with the collection's own
// list filter (`?name=…&limit=2`, one indexed query, never every row) and must name exactly one
// object; an unknown or ambiguous name is a clear error that says what to do instead.
import { isId } from '../domain/ids.js';
import type { Client } from './client.js';

/** What to call one object of each collection the CLI resolves (only those with a name filter). */
const NOUNS = {
  pools: 'pool',
  volumes: 'volume',
  snapshots: 'snapshot',
  disks: 'disk',
  hosts: 'host',
  exports: 'export',
  partners: 'partner',
  schedules: 'schedule',
  users: 'user',
  roles: 'role',
  'api-keys': 'API key',
  'notification-channels': 'notification channel',
} as const;
export type Named = keyof typeof NOUNS;

export class NameError extends Error {}

/**
 * The id of the object of `collection` that `ref` names: `ref` itself when it is an id, else the one
 * object whose name is `ref` (a disk also by its device path, /dev/…). `scope` narrows the search
 * with more list filters (a snapshot's name is unique only within its volume: { volume: id }).
 */
export async function resolveId(
  client: Client,
  collection: Named,
  ref: string,
  scope: Record<string, string> = {},
): Promise<string> {
  if (isId(ref)) return ref;
  const noun = NOUNS[collection];
  const field = collection === 'disks' && ref.startsWith('/') ? 'path' : 'name';
  const q = new URLSearchParams({ ...scope, [field]: ref, limit: '2' });
  const page = await client.get<{ items: { id: string }[]; total: number }>(`${collection}?${q}`);
  if (page.total === 1 && page.items[0]) return page.items[0].id;
  const within = Object.keys(scope).length ? ' there' : '';
  if (page.total === 0) throw new NameError(`no ${noun} is named "${ref}"${within} (and it is not an id)`);
  throw new NameError(
    `${page.total} ${noun}s are named "${ref}"${within}: give the id (cairn ${collection} list --filter ${field}=${ref})`,
  );
}

/** resolveId for each of a comma-separated list (`--disks d1,d2`). */
export async function resolveIds(client: Client, collection: Named, refs: string[]): Promise<string[]> {
  const out: string[] = [];
  for (const r of refs) out.push(await resolveId(client, collection, r));
  return out;
}
