// cairnd's log lines: readable on a terminal (scripts/up.sh in a shell), pino's JSON otherwise.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { pino } from 'pino';
import { logDestination, prettyLine } from '../../../src/daemon/log-format.js';

test('prettyLine: time, level, message, then the other fields; an error with its stack', () => {
  const at = Date.UTC(2026, 0, 2, 14, 3, 7, 123);
  assert.equal(
    prettyLine(
      JSON.stringify({
        level: 30,
        time: at,
        pid: 1,
        host: 'h',
        msg: 'pool created',
        id: 'p1',
        note: 'two words',
      }),
    ),
    '14:03:07.123 INFO  pool created  id=p1 note="two words"\n',
  );
  const line = prettyLine(
    JSON.stringify({
      level: 50,
      time: at,
      msg: 'job failed',
      job: 7,
      err: { message: 'boom', stack: 'Error: boom\n    at x' },
    }),
  );
  assert.equal(line, '14:03:07.123 ERROR job failed  job=7\n    Error: boom\n        at x\n');
  assert.equal(prettyLine('not json'), 'not json\n');
});

test('logDestination: readable lines on a terminal, JSON lines (pino default) elsewhere', () => {
  assert.equal(logDestination({ isTTY: false, write: () => true }), undefined);
  const lines: string[] = [];
  const tty = logDestination({ isTTY: true, write: (s: string) => lines.push(s) });
  assert.ok(tty);
  pino({ base: { pid: 1 } }, tty).info({ volume: 'v1' }, 'volume created');
  assert.equal(lines.length, 1);
  assert.match(lines[0]!, /^\d\d:\d\d:\d\d\.\d{3} INFO {2}volume created {2}volume=v1\n$/);
  assert.doesNotMatch(lines[0]!, /[{}]/);
});
