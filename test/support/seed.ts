// Reads the example requests and responses out of a vendor API document kept as test data
// (test/fixtures/seeds/), so the conformance tests drive exactly what the product's documentation shows.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO } from './cairn.js';

export interface SeedExample {
  /** e.g. "7.1. Create pool" */
  section: string;
  method: string;
  /** The path as documented, with placeholders like <id> */
  path: string;
  body: unknown;
  /** The documented response body (first example after "Response"), if any. */
  response: unknown;
}

/** The text of test/fixtures/seeds/<name>.txt (e.g. `vsnap-001`): the repository carries its own fixtures. */
export function seedText(name: string): string {
  return readFileSync(join(REPO, 'test', 'fixtures', 'seeds', `${name}.txt`), 'utf8');
}

const parseJson = (s: string): unknown => {
  try {
    return JSON.parse(s);
  } catch {
    return undefined;
  }
};

/** Every fenced request block (`METHOD /path` + optional JSON), with the section's response. */
export function seedExamples(text: string): SeedExample[] {
  const out: SeedExample[] = [];
  const sections = text.split(/\n(?=\d+\.\d+(?:\.\d+)?\. [A-Z])/);
  for (const sec of sections) {
    const title = /^(\d+\.\d+(?:\.\d+)?\. [^\n]+)/.exec(sec)?.[1];
    if (!title) continue;
    const [reqPart, respPart = ''] = sec.split(/\nResponse\n/);
    const firstResponse = /```\s*\n([\s\S]*?)```/.exec(respPart)?.[1];
    // Some documented answers end an object with a trailing comma (12.1, 11.2 …): a client would
    // get valid JSON, so the example is read without it. Requests stay strict (no client can send them).
    const response = firstResponse
      ? parseJson(firstResponse.trim().replace(/,(\s*[}\]])/g, '$1'))
      : undefined;
    for (const m of reqPart!.matchAll(/```\s*\n([\s\S]*?)```/g)) {
      const block = m[1]!.trim();
      const line = /^(GET|POST|PUT|PATCH|DELETE)\s+(\S+)/.exec(block);
      if (!line) continue;
      // A block of bare request lines documents one request in several forms (`GET /api/pool/<id>`,
      // `GET /api/pool?id=<id>` …): each is an example. Otherwise a JSON body follows the line.
      const forms = block.split('\n').map((l) => /^(GET|POST|PUT|PATCH|DELETE)\s+(\S+)\s*$/.exec(l.trim()));
      if (forms.length > 1 && forms.every((f) => f)) {
        for (const f of forms)
          out.push({ section: title, method: f![1]!, path: f![2]!, body: undefined, response });
        continue;
      }
      const rest = block.slice(line[0].length).trim();
      out.push({
        section: title,
        method: line[1]!,
        path: line[2]!,
        body: rest ? parseJson(rest) : undefined,
        response,
      });
    }
  }
  return out;
}

/** Field names of a documented object that the actual one lacks (top level, and first list item). */
export function missingFields(documented: unknown, actual: unknown, path = ''): string[] {
  if (!documented || typeof documented !== 'object' || Array.isArray(documented)) return [];
  if (!actual || typeof actual !== 'object') return [`${path || '.'} (not an object)`];
  const out: string[] = [];
  for (const [k, v] of Object.entries(documented)) {
    const a = (actual as Record<string, unknown>)[k];
    if (!(k in (actual as object))) {
      out.push(`${path}${k}`);
      continue;
    }
    if (Array.isArray(v) && v[0] && typeof v[0] === 'object' && Array.isArray(a) && a[0])
      out.push(...missingFields(v[0], a[0], `${path}${k}[].`));
  }
  return out;
}
