// Which NGX portal group a Cairn target may be given: "all", or an address group that holds every
// address the targets answer on (tgtd listening on that one address); never a narrower one.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { everyPortal, type Portal } from '../../../../../../src/api/dialects/ngx/routes/portals.js';

const group = (name: string, ips: string[]): Portal => ({ id: name, portal_name: name, listen_ips: ips });

test('on every address: only "all" covers the portals', () => {
  const groups = [group('all', ['0.0.0.0', '::']), group('10.0.0.5', ['10.0.0.5']), group('::1', ['::1'])];
  assert.equal(everyPortal(groups[0]!, groups), true);
  assert.equal(everyPortal(groups[1]!, groups), false);
  assert.equal(everyPortal(groups[2]!, groups), false);
});

test('tgtd on one address: that address group is every portal', () => {
  const groups = [group('all', ['10.0.0.5']), group('10.0.0.5', ['10.0.0.5'])];
  assert.equal(everyPortal(groups[1]!, groups), true);
  assert.equal(everyPortal(group('10.0.0.6', ['10.0.0.6']), groups), false);
});
