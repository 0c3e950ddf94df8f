// The CLI's configuration: the only CLI module that reads the environment (the CLI is a program
// of its own; cairnd's is src/daemon/config.ts). Flags win over CAIRN_URL, CAIRN_USER, …, which win
// over the config file (~/.config/cairn/cli.json, or --config / CAIRN_CLI_CONFIG).
import { readFileSync, existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import type { ClientOptions } from './client.js';

/** The options every command takes (program.ts declares them). */
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

/** Reads ~/.config/cairn/cli.json (or --config): { url, user, password, api_key, fingerprint }. */
function fileConfig(path?: string): Partial<ClientOptions> {
  const p = path ?? join(homedir(), '.config', 'cairn', 'cli.json');
  if (!existsSync(p)) return {};
  const c = JSON.parse(readFileSync(p, 'utf8')) as Record<string, string>;
  return { url: c.url, user: c.user, password: c.password, apiKey: c.api_key, fingerprint: c.fingerprint };
}

/** Where and as whom the client connects, from the flags, the environment and the config file. */
export function clientOptions(g: GlobalOptions, env: NodeJS.ProcessEnv = process.env): ClientOptions {
  const file = fileConfig(g.config ?? env.CAIRN_CLI_CONFIG);
  const password = g.password ?? env.CAIRN_PASSWORD ?? file.password;
  return {
    url: g.url ?? env.CAIRN_URL ?? file.url ?? 'https://localhost:8900',
    user: g.user ?? env.CAIRN_USER ?? file.user ?? (password ? 'admin' : undefined),
    password,
    apiKey: g.apiKey ?? env.CAIRN_API_KEY ?? file.apiKey,
    fingerprint: g.fingerprint ?? env.CAIRN_FINGERPRINT ?? file.fingerprint,
    insecure: g.insecure ?? env.CAIRN_INSECURE === '1',
  };
}

/** A secret the user named by environment variable (--api-key-env, --chap-secret-env), so it stays off the command line. */
export const secretFromEnv = (name: string): string | undefined => process.env[name] || undefined;

/** The CLI's environment, for commands that read several secrets from it (SMB passwords). */
export const cliEnv = (): NodeJS.ProcessEnv => process.env;
