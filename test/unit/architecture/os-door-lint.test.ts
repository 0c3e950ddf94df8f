// The door to the OS is a lint rule: outside src/system/ a planted filesystem write, socket, HTTP
// client, mail transport, child_process import, process.kill or fetch fails the build; reads of
// files and node:net's address checks stay allowed, and src/system/ may do all of it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { ESLint } from 'eslint';
import { REPO } from '../../support/cairn.js';

const lint = async (file: string, code: string) => {
  const eslint = new ESLint({ cwd: REPO, overrideConfigFile: join(REPO, 'eslint.config.js') });
  const [r] = await eslint.lintText(`${code}\n`, { filePath: join(REPO, file) });
  return (r?.messages ?? []).map((m) => m.ruleId);
};

const PLANTED: [file: string, code: string, rule: string][] = [
  [
    'src/services/x.ts',
    "import { mkdir } from 'node:fs/promises';\nexport const b = mkdir;",
    'no-restricted-imports',
  ],
  [
    'src/areas/x.ts',
    "import { writeFileSync } from 'node:fs';\nexport const b = writeFileSync;",
    'no-restricted-imports',
  ],
  ['src/daemon/x.ts', "import fs from 'node:fs';\nexport const b = fs;", 'no-restricted-imports'],
  [
    'src/auth/x.ts',
    "import * as fsp from 'node:fs/promises';\nexport const b = fsp;",
    'no-restricted-imports',
  ],
  ['src/app.ts', "import { rmSync } from 'fs';\nexport const b = rmSync;", 'no-restricted-imports'],
  ['src/monitor/x.ts', "import https from 'node:https';\nexport const b = https;", 'no-restricted-imports'],
  [
    'src/api/native/x.ts',
    "import { connect } from 'node:net';\nexport const b = connect;",
    'no-restricted-imports',
  ],
  [
    'src/store/x.ts',
    "import nodemailer from 'nodemailer';\nexport const b = nodemailer;",
    'no-restricted-imports',
  ],
  [
    'src/jobs/x.ts',
    "import { spawn } from 'node:child_process';\nexport const b = spawn;",
    'no-restricted-imports',
  ],
  ['src/services/pools/x.ts', 'export const b = () => process.kill(1, 0);', 'no-restricted-properties'],
  ['src/monitor/x.ts', "export const b = () => fetch('https://example.org');", 'no-restricted-globals'],
  [
    'src/cli/client.ts',
    "import { mkdir } from 'node:fs/promises';\nexport const b = mkdir;",
    'no-restricted-imports',
  ],
];

test('every OS action planted outside src/system/ is refused by lint', async () => {
  const missed: string[] = [];
  for (const [file, code, rule] of PLANTED)
    if (!(await lint(file, code)).includes(rule)) missed.push(`${file}: ${code.split('\n')[0]}`);
  assert.deepEqual(missed, []);
});

test('reads, address checks and src/system/ itself pass', async () => {
  const ok: [string, string][] = [
    [
      'src/services/x.ts',
      "import { readFileSync } from 'node:fs';\nimport { isIP } from 'node:net';\nexport const b = [readFileSync, isIP];",
    ],
    [
      'src/system/x.ts',
      "import { mkdir } from 'node:fs/promises';\nimport https from 'node:https';\nexport const b = () => [mkdir, https, process.kill(1, 0), fetch];",
    ],
    ['src/cli/client.ts', "import https from 'node:https';\nexport const b = https;"],
  ];
  for (const [file, code] of ok) {
    const rules = await lint(file, code);
    assert.deepEqual(
      rules.filter((r) => /no-restricted/.test(r ?? '')),
      [],
      `${file}: ${rules.join(', ')}`,
    );
  }
});
