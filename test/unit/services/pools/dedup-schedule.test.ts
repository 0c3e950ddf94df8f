// When a pool's dedup schedule is due: counted from the last run, or from the setting when it
// never ran; one run however many were missed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { dedupDue } from '../../../../src/services/pools/dedup-schedule.js';

test('a nightly dedup is due once its time has passed since the last run', () => {
  const at = (s: string) => new Date(s);
  // Set at 12:00, never ran: not due at 02:59 next day, due at 03:00.
  assert.equal(dedupDue('0 3 * * *', 'UTC', null, '2026-01-01T12:00:00Z', at('2026-01-02T02:59:00Z')), false);
  assert.equal(dedupDue('0 3 * * *', 'UTC', null, '2026-01-01T12:00:00Z', at('2026-01-02T03:00:00Z')), true);
  // Ran at 03:00: not due again the same day; due after a week of downtime (once).
  assert.equal(
    dedupDue('0 3 * * *', 'UTC', '2026-01-02T03:00:00Z', '2026-01-01T12:00:00Z', at('2026-01-02T23:00:00Z')),
    false,
  );
  assert.equal(
    dedupDue('0 3 * * *', 'UTC', '2026-01-02T03:00:00Z', '2026-01-01T12:00:00Z', at('2026-01-09T12:00:00Z')),
    true,
  );
  // The time zone is the schedule's: 03:00 in Berlin is 02:00 UTC in winter.
  assert.equal(
    dedupDue('0 3 * * *', 'Europe/Berlin', null, '2026-01-01T12:00:00Z', at('2026-01-02T02:00:00Z')),
    true,
  );
});
