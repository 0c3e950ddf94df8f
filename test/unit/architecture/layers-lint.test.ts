// The layer rules of eslint.config.js catch a wrong import in every folder: one planted bad
// import per rule must give a no-restricted-imports error.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { ESLint } from 'eslint';
import { REPO } from '../../support/cairn.js';

const PLANTED: [file: string, code: string][] = [
  ['src/domain/x.ts', "import { a } from '../store/db.js';"],
  ['src/system/x.ts', "import { a } from '../services/jobs.js';"],
  ['src/system/btrfs/x.ts', "import { a } from 'node:child_process';"],
  ['src/store/x.ts', "import { a } from '../services/jobs.js';"],
  ['src/jobs/x.ts', "import { a } from '../services/jobs.js';"],
  ['src/services/x.ts', "import { a } from '../api/server.js';"],
  ['src/services/pools/x.ts', "import { a } from '../../areas/storage.js';"],
  ['src/monitor/x.ts', "import { a } from '../api/server.js';"],
  ['src/auth/x.ts', "import { a } from '../api/server.js';"],
  ['src/areas/x.ts', "import { a } from '../cli/main.js';"],
  ['src/api/native/x.ts', "import { a } from '../../store/db.js';"],
  ['src/api/dialects/vsnap/x.ts', "import { a } from '../../../system/exec.js';"],
  ['src/cli/x.ts', "import { a } from '../services/jobs.js';"],
  ['src/cli/commands/x.ts', "import { a } from '../../store/db.js';"],
];

test('every layer rule refuses a planted bad import', async () => {
  const eslint = new ESLint({ cwd: REPO, overrideConfigFile: join(REPO, 'eslint.config.js') });
  const missed: string[] = [];
  for (const [file, code] of PLANTED) {
    const [r] = await eslint.lintText(`${code}\nexport const b = a;\n`, { filePath: join(REPO, file) });
    if (!r?.messages.some((m) => m.ruleId === 'no-restricted-imports')) missed.push(`${file}: ${code}`);
  }
  assert.deepEqual(missed, []);
});

test('a good import passes (the rules are not simply refusing everything)', async () => {
  const eslint = new ESLint({ cwd: REPO, overrideConfigFile: join(REPO, 'eslint.config.js') });
  const [r] = await eslint.lintText("import { a } from '../domain/errors.js';\nexport const b = a;\n", {
    filePath: join(REPO, 'src/services/x.ts'),
  });
  assert.deepEqual(
    r?.messages.filter((m) => m.ruleId === 'no-restricted-imports'),
    [],
  );
});
