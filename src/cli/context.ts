// What every CLI command gets: the configured client (src/cli/config.ts), output mode, and helpers
// to print results.
import type { Command } from 'commander';
import { Client } from './client.js';
import { clientOptions, type GlobalOptions } from './config.js';
import { printJson, printObject, printTable, progressBar } from './output.js';
import { resolveId, resolveIds, type Named } from './resolve.js';

export interface CliContext {
  client: Client;
  json: boolean;
  /** Prints a list page: JSON as is, or a table of `columns`. */
  list(
    page: { items: Record<string, unknown>[]; total: number; next_cursor?: string | null },
    columns: string[],
  ): void;
  show(o: unknown): void;
  /** Runs a change, following its job with a progress bar, and prints the result. */
  change(method: string, path: string, body?: unknown): Promise<void>;
  /** The id of an object given by id or by its unique name (see resolve.ts). */
  id(collection: Named, ref: string, scope?: Record<string, string>): Promise<string>;
  /** The ids of a comma-separated list of ids or names. */
  ids(collection: Named, refs: string): Promise<string[]>;
}

export function makeContext(cmd: Command): CliContext {
  const g = cmd.optsWithGlobals<GlobalOptions>();
  const client = new Client(clientOptions(g));
  const json = Boolean(g.json);
  const show = (o: unknown) =>
    json || typeof o !== 'object' || o === null ? printJson(o) : printObject(o as Record<string, unknown>);
  return {
    client,
    json,
    show,
    list(page, columns) {
      if (json) return printJson(page);
      printTable(page.items, columns);
      process.stdout.write(
        `(${page.items.length} of ${page.total}${page.next_cursor ? `; next: --cursor ${page.next_cursor}` : ''})\n`,
      );
    },
    id: (collection, ref, scope) => resolveId(client, collection, ref, scope),
    ids: (collection, refs) =>
      resolveIds(
        client,
        collection,
        refs
          .split(',')
          .map((s) => s.trim())
          .filter(Boolean),
      ),
    async change(method, path, body) {
      const result = await client.change(method, path, body, json ? undefined : progressBar());
      if (!json && process.stderr.isTTY) process.stderr.write('\n');
      if (result !== undefined) show(result);
    },
  };
}

/** Adds the shared list options (--limit, --offset, --cursor, --sort, --filter k=v) to a command. */
export function withListOptions(c: Command): Command {
  return c
    .option('--limit <n>', 'page size')
    .option('--offset <n>', 'skip this many')
    .option('--cursor <c>', 'next_cursor of the previous page')
    .option('--sort <fields>', 'e.g. name,-created_at')
    .option('--filter <k=v...>', 'filters, e.g. state=running kind__in=pool.create,pool.scrub');
}

export function listQueryString(o: {
  limit?: string;
  offset?: string;
  cursor?: string;
  sort?: string;
  filter?: string[];
  /** `key` or `key=value`, each one a `label=` parameter (lists of volumes and snapshots). */
  label?: string[];
}): string {
  const q = new URLSearchParams();
  if (o.limit) q.set('limit', o.limit);
  if (o.offset) q.set('offset', o.offset);
  if (o.cursor) q.set('cursor', o.cursor);
  if (o.sort) q.set('sort', o.sort);
  for (const f of o.filter ?? []) {
    const i = f.indexOf('=');
    if (i > 0) q.set(f.slice(0, i), f.slice(i + 1));
  }
  for (const l of o.label ?? []) q.append('label', l);
  const s = q.toString();
  return s ? `?${s}` : '';
}
