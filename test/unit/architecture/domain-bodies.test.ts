// A request body that a domain schema already defines is imported, not declared again inline in a
// native route module (the copy would drift from the type the service takes). The reader finds a
// route's body declared with `Type.Object({...})` in the route module itself, inline or as a local
// constant, and names the domain schema with the same fields; it is planted with both forms first,
// then run over src/api/native.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import ts from 'typescript';
import { sourceFiles } from '../../support/source.js';

const isTypeObject = (n: ts.Node): n is ts.CallExpression =>
  ts.isCallExpression(n) && n.expression.getText() === 'Type.Object';

/** The property names of a `Type.Object({...})` call, or null when they cannot all be read. */
function keysOf(call: ts.CallExpression): string[] | null {
  const arg = call.arguments[0];
  if (!arg || !ts.isObjectLiteralExpression(arg)) return null;
  const keys: string[] = [];
  for (const p of arg.properties) {
    if (!(ts.isPropertyAssignment(p) || ts.isShorthandPropertyAssignment(p))) return null;
    keys.push(p.name.getText().replace(/^['"]|['"]$/g, ''));
  }
  return keys.sort();
}

/** Each body schema a route module declares with `Type.Object`: its line and sorted field names. */
export function declaredBodies(text: string): { line: number; keys: string[] }[] {
  const file = ts.createSourceFile('routes.ts', text, ts.ScriptTarget.Latest, true);
  const locals = new Map<string, string[] | null>();
  const bodies: { node: ts.Node; value: ts.Expression }[] = [];
  const visit = (n: ts.Node) => {
    if (
      ts.isVariableDeclaration(n) &&
      ts.isIdentifier(n.name) &&
      n.initializer &&
      isTypeObject(n.initializer)
    )
      locals.set(n.name.text, keysOf(n.initializer));
    if (ts.isPropertyAssignment(n) && n.name.getText() === 'body')
      bodies.push({ node: n, value: n.initializer });
    ts.forEachChild(n, visit);
  };
  visit(file);
  const out: { line: number; keys: string[] }[] = [];
  for (const { node, value } of bodies) {
    const keys = isTypeObject(value)
      ? keysOf(value)
      : ts.isIdentifier(value)
        ? (locals.get(value.text) ?? null)
        : null;
    if (keys) out.push({ line: file.getLineAndCharacterOfPosition(node.getStart()).line + 1, keys });
  }
  return out;
}

/** Every object schema the domain modules export, by its sorted field names. */
async function domainSchemas(): Promise<Map<string, string>> {
  const dir = join(import.meta.dirname, '../../../src/domain');
  const byKeys = new Map<string, string>();
  for (const f of readdirSync(dir).filter((n) => n.endsWith('.js'))) {
    const mod = (await import(join(dir, f))) as Record<string, unknown>;
    for (const [name, v] of Object.entries(mod)) {
      const props = (v as { type?: unknown; properties?: unknown } | null)?.properties;
      if ((v as { type?: unknown } | null)?.type === 'object' && props && typeof props === 'object')
        byKeys.set(Object.keys(props).sort().join(','), `${f.replace(/\.js$/, '.ts')} ${name}`);
    }
  }
  return byKeys;
}

/** The bodies of a route module that restate a domain schema, as `line: schema`. */
const restated = (text: string, domain: Map<string, string>): string[] =>
  declaredBodies(text).flatMap(({ line, keys }) => {
    const same = domain.get(keys.join(','));
    return same ? [`${line}: ${same}`] : [];
  });

test('the body reader finds a domain body declared again, inline or as a local constant', async () => {
  const domain = await domainSchemas();
  assert.ok(domain.has('name,size'), 'DiskCreate is among the domain schemas');
  const inline = `app.post('/', { schema: {\n  body: Type.Object({ size: Type.Integer(), name: Type.Optional(Type.String()) }),\n} }, h);`;
  assert.deepEqual(restated(inline, domain), ['2: disks.ts DiskCreate']);
  const local = `const Body = Type.Object(\n  { name: N, size: S },\n  { additionalProperties: false },\n);\napp.post('/', { schema: { body: Body } }, h);`;
  assert.deepEqual(restated(local, domain), ['5: disks.ts DiskCreate']);
  for (const clean of [
    "import { DiskCreate } from '../../../domain/disks.js';\napp.post('/', { schema: { body: DiskCreate } }, h);",
    "app.post('/', { schema: { body: Type.Object({ size: S, force: F }) } }, h);",
    'const DiskCreate = Type.Object({ ...Other.properties, size: S });\nx({ body: DiskCreate });',
  ])
    assert.deepEqual(restated(clean, domain), [], clean);
});

test('no native route module declares a body a domain schema already defines', async () => {
  const domain = await domainSchemas();
  const found = sourceFiles('src/api/native').flatMap(([f, text]) =>
    restated(text, domain).map((x) => `${f}:${x}`),
  );
  assert.deepEqual(found, []);
});
