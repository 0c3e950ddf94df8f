// The CLI's one size parser (bytes or binary units) and formatter, and that every size option and
// argument of the command tree goes through it (`volumes create --size 1G` once read "1G" as 1).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Command } from 'commander';
import { formatBytes, parseSize, sizeArg } from '../../../src/cli/sizes.js';
import { buildProgram } from '../../../src/cli/program.js';

const KiB = 1024;
const GiB = 1024 ** 3;

test('parseSize: bytes, K/M/G/T and KiB/MiB/GiB/TiB, any case', () => {
  const cases: [string, number][] = [
    ['4096', 4096],
    ['4096B', 4096],
    ['4K', 4 * KiB],
    ['512M', 512 * KiB * KiB],
    ['512MiB', 512 * KiB * KiB],
    ['1G', GiB],
    ['1g', GiB],
    ['1GiB', GiB],
    ['1Gi', GiB],
    ['1 GiB', GiB],
    ['1.5G', 1.5 * GiB],
    ['2T', 2 * 1024 * GiB],
    ['1TiB', 1024 * GiB],
  ];
  for (const [text, bytes] of cases) assert.equal(parseSize(text), bytes, text);
});

test('parseSize refuses what it cannot read exactly, decimal units included', () => {
  for (const text of ['', 'G', '1GB', '1 kb', '-1', '1X', '1e9', '1,5G', '0x10', '99999999P'])
    assert.throws(() => parseSize(text), /not a size/, text);
});

test('formatBytes prints sizes for people', () => {
  assert.equal(formatBytes(512), '512 B');
  assert.equal(formatBytes(2 * GiB), '2.0 GiB');
  assert.equal(formatBytes(1870823424), '1.7 GiB');
  assert.equal(formatBytes(1536 * KiB), '1.5 MiB');
});

function* commands(c: Command): Generator<Command> {
  yield c;
  for (const s of c.commands) yield* commands(s);
}

test('every size option and argument of the CLI goes through the one parser', () => {
  const sizeish: string[] = [];
  const others: string[] = [];
  for (const c of commands(buildProgram())) {
    for (const o of c.options)
      if (/-size$/.test(o.long ?? '') && (o.required || o.optional))
        (o.parseArg === sizeArg ? sizeish : others).push(`${c.name()} ${o.long}`);
    for (const a of c.registeredArguments)
      if (/size/.test(a.name()))
        (a.parseArg === sizeArg ? sizeish : others).push(`${c.name()} <${a.name()}>`);
  }
  assert.deepEqual(others, []);
  // disks create <size>, volumes create --size/--block-size, volumes update --size
  assert.ok(sizeish.length >= 4, sizeish.join(', '));
});
