// Target names: the node's own iSCSI name (vSnap's target port) and the generated target IQNs.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isIqn } from '../../../src/domain/exports.js';
import { defaultNativeIqn, nodeIqn } from '../../../src/domain/targets.js';

test('nodeIqn: the node is iqn.2017-08.io.cairn:<system id>, a valid IQN', () => {
  const id = '0123456789abcdef0123456789abcdef';
  assert.equal(nodeIqn(id), `iqn.2017-08.io.cairn:${id}`);
  assert.ok(isIqn(nodeIqn(id)));
});

test('defaultNativeIqn: a target is named under the system, apart from the node', () => {
  assert.equal(defaultNativeIqn('Cairn One', 'ABC'), 'iqn.2024-01.io.cairn:cairn-one.t.abc');
  assert.equal(defaultNativeIqn('***', 'x'), 'iqn.2024-01.io.cairn:cairn.t.x');
  assert.notEqual(nodeIqn('abc'), defaultNativeIqn('abc', 'x'));
});
