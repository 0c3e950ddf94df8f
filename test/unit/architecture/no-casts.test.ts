// Routes are typed from their schemas (Fastify's TypeBox type provider): a request's body, query
// or params is never cast to a type, which would let a handler believe a shape the schema does
// not check; and the principal is non-null after authentication (`req.principal`), so nothing
// asserts it with `!`. Each reader is planted with every form first, then run over src/.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { sourceFiles } from '../../support/source.js';

const CAST_RE =
  /\b(?:req|request)\s*\.\s*(?:body|query|params)\s*(?:\?\?\s*\{\s*\}\s*)?\)?\s+as\s|<[^<>()]+>\s*\(?\s*(?:req|request)\s*\.\s*(?:body|query|params)\b/g;
/** `principal!` (but not `principal !== x`), however the principal is reached. */
const PRINCIPAL_BANG_RE = /\bprincipal\s*!(?!=)/g;

/** Each match of `re` in a source text, as `line: text`. */
function matches(re: RegExp, text: string): string[] {
  const out: string[] = [];
  for (const m of text.matchAll(re)) {
    const line = text.slice(0, m.index).split('\n').length;
    out.push(`${line}: ${m[0].replace(/\s+/g, ' ').trim()}`);
  }
  return out;
}

/** Each cast of a request's body, query or params in a source text. */
export const requestCasts = (text: string): string[] => matches(CAST_RE, text);
/** Each non-null assertion of a principal in a source text. */
export const principalAssertions = (text: string): string[] => matches(PRINCIPAL_BANG_RE, text);

test('the cast reader finds every planted form of a request cast', () => {
  const planted = [
    'const b = req.body as { name: string };',
    'svc.x((req.params as { id: string }).id);',
    'const q = request.query as Query;',
    'f(req.query\n  as never);',
    'const p = (req.params) as P;',
    'const c = <Body>req.body;',
    'const b = (req.body ?? {}) as { name?: string };',
  ];
  for (const text of planted) assert.equal(requestCasts(text).length, 1, text);
  assert.deepEqual(requestCasts('x\ny = req.body as T;'), ['2: req.body as']);
});

test('the cast reader passes typed reads', () => {
  const clean = [
    'const { name } = req.body;',
    'svc.volumes.get(req.principal, req.params.id);',
    'replyJob(reply, svc.jobs, job, req.query.wait);',
    'const alias = req.bodyAs;',
    "const s = 'as' + req.body.as;",
  ];
  for (const text of clean) assert.deepEqual(requestCasts(text), [], text);
});

test('no route in src/ casts a request body, query or params', () => {
  const found = sourceFiles().flatMap(([f, text]) => requestCasts(text).map((c) => `${f}:${c}`));
  assert.deepEqual(found, []);
});

test('the principal reader finds every planted non-null assertion', () => {
  const planted = [
    'svc.volumes.get(req.principal!, id);',
    'export const P = (req: FastifyRequest): Principal => req.principal!;',
    'const who = request.principal !.userName;',
    'f(this.principal!)',
  ];
  for (const text of planted) assert.equal(principalAssertions(text).length, 1, text);
  for (const text of [
    'svc.volumes.get(req.principal, id);',
    'if (req.principal !== null) f();',
    'if (a.principal != b) f();',
    'const ok = !req.principal;',
  ])
    assert.deepEqual(principalAssertions(text), [], text);
});

test('no module in src/ asserts a principal non-null', () => {
  const found = sourceFiles().flatMap(([f, text]) => principalAssertions(text).map((c) => `${f}:${c}`));
  assert.deepEqual(found, []);
});
