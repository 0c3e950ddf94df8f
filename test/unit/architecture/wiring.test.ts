// The composition root (src/app.ts, src/areas.ts, src/areas/) constructs and connects, and decides
// nothing: no settings or environment read there, no ids made, no late binding through a
// `let x = null`, no `!` or casts to reach a service that may be missing (each area is handed,
// typed, what it needs). The patterns are tried on planted lines of the kind they forbid.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { sourceFiles } from '../../support/source.js';

const FORBIDDEN: [what: string, pattern: RegExp][] = [
  ['a non-null assertion', /[\w)\]]!(?!=)/],
  ['a cast', /\bas\s+(?!const\b)[\w{[(]/],
  ['a late binding', /\blet\s+\w+(\s*:[^=;]+)?=\s*null\b/],
  ['a settings read or write', /\bsettings\s*\.\s*(get|set)\s*(<[^>]*>)?\s*\(/],
  ['an id made', /\bnewId\s*\(/],
  ['the environment', /\bprocess\s*\.\s*env\b/],
  ['services so far, untyped', /Partial<Services>|\bsofar\b/],
];

/** The code without comments, imports and re-exports (`import { A as B }` is no cast). */
function code(text: string): string {
  return text
    .replace(/\/\*[\s\S]*?\*\//g, '')
    .replace(/(^|\s)\/\/.*$/gm, '$1')
    .replace(/^\s*(import|export)\s[^;]*?\sfrom\s+'[^']+';/gm, '');
}

const problems = (text: string): string[] =>
  FORBIDDEN.filter(([, p]) => p.test(code(text))).map(([what]) => what);

const WIRING = (f: string) => f === 'src/app.ts' || f === 'src/areas.ts' || f.startsWith('src/areas/');

test('the wiring constructs and connects only', () => {
  const found = sourceFiles()
    .filter(([f]) => WIRING(f))
    .flatMap(([f, text]) => problems(text).map((p) => `${f}: ${p}`));
  assert.deepEqual(found, []);
});

test('each pattern catches what it forbids, and passes plain wiring', () => {
  const planted: [string, string][] = [
    ['const system = sofar.system!;', 'a non-null assertion'],
    ['const v = (sofar as { volumes?: V }).volumes;', 'a cast'],
    ['return s as NonNullable<Services[K]>;', 'a cast'],
    ['let service: MonitorService | null = null;', 'a late binding'],
    ["const ms = await settings.get('monitor.interval_ms', 10);", 'a settings read or write'],
    ["await settings.set('monitor.node_id', id);", 'a settings read or write'],
    ['nodeId = newId();', 'an id made'],
    ['const d = process.env.CAIRN_DIALECTS;', 'the environment'],
    ['export async function f(ctx: C, sofar: Partial<Services>) {}', 'services so far, untyped'],
  ];
  for (const [line, what] of planted) assert.ok(problems(line).includes(what), `${what}: ${line}`);
  const plain = [
    "import { Partner as PartnerSchema, partnerRoutes } from '../api/native/partners/routes.js';",
    'if (!ready && a !== b) await x.start(); // a comment saying as much as it likes!',
    "const kinds = ['a', 'b'] as const;",
    'const volumes = new Replaceable<VolumeAccess>(needs.volumes);',
  ].join('\n');
  assert.deepEqual(problems(plain), []);
});
