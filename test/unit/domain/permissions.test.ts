import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  allows,
  BUILTIN_ROLES,
  invalidPermissions,
  keyPermissions,
  principalName,
  systemPrincipal,
} from '../../../src/domain/permissions.js';

test('wildcards: *, resource.*, *.verb', () => {
  assert.ok(allows(['*'], 'pool.write'));
  assert.ok(allows(['pool.*'], 'pool.write'));
  assert.ok(!allows(['pool.*'], 'volume.read'));
  assert.ok(allows(['*.read'], 'volume.read'));
  assert.ok(!allows(['*.read'], 'volume.write'));
  assert.ok(!allows([], 'volume.read'));
});

test('built-in roles: viewers read only; operators cannot manage users or roles', () => {
  const v = BUILTIN_ROLES.viewer!.permissions;
  const o = BUILTIN_ROLES.operator!.permissions;
  assert.ok(allows(v, 'pool.read') && !allows(v, 'pool.write'));
  assert.ok(allows(o, 'pool.write') && allows(o, 'volume.write'));
  assert.ok(!allows(o, 'user.write') && !allows(o, 'role.write'));
});

test('a key never has more than its owner', () => {
  assert.deepEqual(keyPermissions(['*.read'], ['pool.read', 'pool.write']), ['pool.read']);
  assert.deepEqual(keyPermissions(['pool.*'], null), ['pool.*']);
});

test('unknown permissions are named', () => {
  assert.deepEqual(invalidPermissions(['pool.read', 'pools.read', 'pool.delete', '*', '*.*', 'x']), [
    'pools.read',
    'pool.delete',
    '*.*',
    'x',
  ]);
});

test('the actor of each kind of principal: a user, a key with its owner, Cairn itself by its name', () => {
  assert.equal(principalName(systemPrincipal('system:monitor')), 'system:monitor');
  assert.equal(principalName(systemPrincipal('dialect:osd')), 'dialect:osd');
  assert.equal(principalName(systemPrincipal()), 'system');
  const user = { ...systemPrincipal('alice'), kind: 'user' as const };
  assert.equal(principalName(user), 'user:alice');
  assert.equal(principalName({ ...user, kind: 'apikey', keyName: 'ci' }), 'key:ci@alice');
});
