// Daemon PID records and /proc/<pid>/stat start times (what tells a predecessor's daemon from a
// recycled PID), on captured and made-up input; and the record ↔ /proc match on this test process.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parsePidRecord, parseStartTime } from '../../../src/system/process/parse.js';
import { Processes } from '../../../src/system/process/index.js';

const fixture = (n: string) => readFileSync(join('test/fixtures/process', n), 'utf8');

test('start time is field 22, counted after the last parenthesis of the command name', () => {
  assert.equal(parseStartTime(fixture('stat-odd-comm.txt')), 987654);
  const init = parseStartTime(fixture('stat-init.txt'));
  assert.ok(init !== null && init >= 0);
  assert.equal(parseStartTime(''), null);
  assert.equal(parseStartTime('12 (x) Z 1 2 3'), null, 'a zombie has nothing left to stop');
});

test('PID records: JSON with start time and program; an old bare PID; junk is no record', () => {
  assert.deepEqual(parsePidRecord('{"pid":321,"start":99,"program":"rpcbind"}\n'), {
    pid: 321,
    start: 99,
    program: 'rpcbind',
  });
  assert.deepEqual(parsePidRecord('321\n'), { pid: 321, start: null, program: '' });
  for (const bad of ['', '1', '0', '-4', 'abc', '{"pid":"12"}', '{"pid":1.5}'])
    assert.equal(parsePidRecord(bad), null, bad);
});

test('a record matches its process only with the same start time and program', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'cairn-pid-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const p = new Processes();
  const file = join(dir, 'x.pid');
  await p.record(file, process.pid, process.argv0);
  const rec = await p.read(file);
  assert.ok(rec && rec.pid === process.pid && rec.start !== null);
  assert.equal(await p.alive(rec), true);
  assert.equal(await p.alive({ ...rec, start: rec.start + 1 }), false, 'a recycled PID is not ours');
  assert.equal(await p.alive({ ...rec, program: 'rpcbind' }), false, 'another program is not ours');
  assert.equal(await p.stop({ ...rec, start: rec.start + 1 }), false, 'and it is never signalled');
  await p.forget(file);
  assert.equal(await p.read(file), null);
});
