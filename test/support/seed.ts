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

/** One operation of a document written as "Title / Method: X / URL: … / Example Request Body …" (NGX). */
export interface OperationExample {
  /** "Group: Title", e.g. "Auth Group: Create" */
  section: string;
  method: string;
  /** The path after the host, e.g. `/api/v2/auth_group/{id}` */
  path: string;
  body: unknown;
  response: unknown;
}

/**
 * The JSON value at the start of `s` (an object, an array, or a JSON string holding one, as some
 * examples are written), read up to its end; trailing commas before `}`/`]` are dropped.
 */
function leadingJson(s: string): unknown {
  const t = s.trimStart();
  const open = t[0];
  if (open !== '{' && open !== '[' && open !== '"') return undefined;
  let depth = 0;
  let inString = false;
  for (let i = 0; i < t.length; i++) {
    const ch = t[i];
    if (inString) {
      if (ch === '\\') i++;
      else if (ch === '"') {
        inString = false;
        // A JSON string written over several lines: its text, unescaped, is the example.
        if (open === '"') return leadingJson(t.slice(1, i).replace(/\\(["\\])/g, '$1'));
      }
      continue;
    }
    if (ch === '"') inString = true;
    else if (ch === '{' || ch === '[') depth++;
    else if (ch === '}' || ch === ']') {
      depth--;
      if (depth === 0) return parseJson(t.slice(0, i + 1).replace(/,(\s*[}\]])/g, '$1'));
    }
  }
  return undefined;
}

/** Every operation of an operation-style document (method, path, example body and answer). */
export function operationExamples(text: string, groups: readonly string[]): OperationExample[] {
  const lines = text.split('\n');
  const out: OperationExample[] = [];
  let group = '';
  for (let i = 0; i < lines.length; i++) {
    if (groups.includes(lines[i]!.trim()) && lines[i + 2]?.startsWith('Method:')) group = lines[i]!.trim();
    const m = /^Method: (GET|POST|PUT|PATCH|DELETE)$/.exec(lines[i]!);
    const u = /^URL: https:\/\/<storage-host>(\S+)$/.exec(lines[i + 1] ?? '');
    if (!m || !u) continue;
    const end = lines.findIndex((l, j) => j > i + 1 && /^Method: /.test(l));
    const block = lines.slice(i + 2, end < 0 ? undefined : end - 1).join('\n');
    const after = (label: string) => {
      const k = block.indexOf(`\n${label}\n`);
      return k < 0 ? undefined : leadingJson(block.slice(k + label.length + 2));
    };
    out.push({
      section: `${group}: ${lines[i - 1]!.trim()}`,
      method: m[1]!,
      path: u[1]!,
      body: after('Example Request Body'),
      response: after('Example Success Response'),
    });
  }
  return out;
}
