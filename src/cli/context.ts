// What every CLI command gets: the configured client, output mode, and helpers to print results.
import { readFileSync, existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import type { Command } from 'commander';
import { Client, type ClientOptions } from './client.js';
import { printJson, printObject, printTable, progressBar } from './output.js';
import { resolveId, resolveIds, type Named } from './resolve.js';

export interface GlobalOptions {
  url?: string;
  user?: string;
  password?: string;
  apiKey?: string;
  fingerprint?: string;
  insecure?: boolean;
  json?: boolean;
  config?: string;
}

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

/** Reads ~/.config/cairn/cli.json (or --config): { url, user, password, api_key, fingerprint }. */
function fileConfig(path?: string): Partial<ClientOptions> {
  const p = path ?? join(homedir(), '.config', 'cairn', 'cli.json');
  if (!existsSync(p)) return {};
  const c = JSON.parse(readFileSync(p, 'utf8')) as Record<string, string>;
  return { url: c.url, user: c.user, password: c.password, apiKey: c.api_key, fingerprint: c.fingerprint };
}

/** A secret the user named by environment variable (--api-key-env, --chap-secret-env), so it stays off the command line. */
export const secretFromEnv = (name: string): string | undefined => process.env[name] || undefined;

/** The CLI's environment, for commands that read several secrets from it (SMB passwords). */
export const cliEnv = (): NodeJS.ProcessEnv => process.env;

export function makeContext(cmd: Command): CliContext {
  const g = cmd.optsWithGlobals<GlobalOptions>();
  const env = process.env;
  const file = fileConfig(g.config ?? env.CAIRN_CLI_CONFIG);
  const password = g.password ?? env.CAIRN_PASSWORD ?? file.password;
  const opts: ClientOptions = {
    url: g.url ?? env.CAIRN_URL ?? file.url ?? 'https://localhost:8900',
    user: g.user ?? env.CAIRN_USER ?? file.user ?? (password ? 'admin' : undefined),
    password,
    apiKey: g.apiKey ?? env.CAIRN_API_KEY ?? file.apiKey,
    fingerprint: g.fingerprint ?? env.CAIRN_FINGERPRINT ?? file.fingerprint,
    insecure: g.insecure ?? env.CAIRN_INSECURE === '1',
  };
  const client = new Client(opts);
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
