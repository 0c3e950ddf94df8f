// Routes are typed from their schemas (Fastify's TypeBox type provider): a request's body, query
// or params is never cast to a type, which would let a handler believe a shape the schema does
// not check. The reader is planted with every form of cast first, then run over src/.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { sourceFiles } from '../../support/source.js';

const CAST_RE =
  /\b(?:req|request)\s*\.\s*(?:body|query|params)\s*\)?\s+as\s|<[^<>()]+>\s*\(?\s*(?:req|request)\s*\.\s*(?:body|query|params)\b/g;

/** Each cast of a request's body, query or params in a source text, as `line: text`. */
export function requestCasts(text: string): string[] {
  const out: string[] = [];
  for (const m of text.matchAll(CAST_RE)) {
    const line = text.slice(0, m.index).split('\n').length;
    out.push(`${line}: ${m[0].replace(/\s+/g, ' ').trim()}`);
  }
  return out;
}

test('the cast reader finds every planted form of a request cast', () => {
  const planted = [
    'const b = req.body as { name: string };',
    'svc.x((req.params as { id: string }).id);',
    'const q = request.query as Query;',
    'f(req.query\n  as never);',
    'const p = (req.params) as P;',
    'const c = <Body>req.body;',
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
