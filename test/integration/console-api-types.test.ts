// The console's typed API client is generated from the API document cairnd serves: this test builds
// that document in process, generates the types again (openapi-typescript, the console's own
// dependency) and fails when they differ from console/src/api/schema.d.ts, so a changed route or
// field breaks the console at compile time instead of in a browser. Regenerate with
// `npm --prefix console run api-types` (which runs this test with CAIRN_UPDATE_API_TYPES=1).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { startCairn, REPO } from '../support/cairn.js';

const TYPES = join(REPO, 'console/src/api/schema.d.ts');

interface OpenApiTs {
  default: (doc: unknown) => Promise<unknown>;
  astToString: (ast: unknown) => string;
  COMMENT_HEADER: string;
}

test('the console API types are those of the API document cairnd serves', async (t) => {
  const c = await startCairn(t);
  const doc = await c.anonymous.get<object>('/api/v1/openapi.json');
  const entry = join(REPO, 'console/node_modules/openapi-typescript/dist/index.mjs');
  const ots = (await import(pathToFileURL(entry).href)) as OpenApiTs;
  const generated = `${ots.COMMENT_HEADER}${ots.astToString(await ots.default(doc))}`;
  if (process.env.CAIRN_UPDATE_API_TYPES === '1') writeFileSync(TYPES, generated);
  assert.ok(
    readFileSync(TYPES, 'utf8') === generated,
    'console/src/api/schema.d.ts is out of date: run `npm --prefix console run api-types`, then fix the console where it no longer compiles',
  );
});
