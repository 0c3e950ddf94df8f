// The NGX error table: the numbers NGX's SDK tells cases apart by, for each kind of Cairn error.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ngxError, NGX_CODE } from '../../../../../src/api/dialects/ngx/errors.js';

test('NGX codes: busy, not found, exists, attached, IQN and target cases, bad key', () => {
  const code = (c: string, status: number) => ngxError(c, status, 'm').code;
  assert.equal(code('OBJECT_LOCKED', 409), NGX_CODE.busy);
  assert.equal(code('VOLUME_NOT_READY', 409), 725);
  assert.equal(code('SERVICE_UNAVAILABLE', 503), 725);
  assert.equal(code('VOLUME_NOT_FOUND', 404), 5011);
  assert.equal(code('SNAPSHOT_NOT_FOUND', 404), 5011);
  assert.equal(code('NOT_FOUND', 404), 5011);
  assert.equal(code('VOLUME_NAME_TAKEN', 409), 710);
  assert.equal(code('HOST_NAME_TAKEN', 409), 710);
  assert.equal(code('VOLUME_IN_USE', 409), 534);
  assert.equal(code('HOST_IN_USE', 409), 534);
  assert.equal(code('SNAPSHOT_HELD', 409), 534);
  assert.equal(code('INITIATOR_NOT_FOUND', 404), 521);
  assert.equal(code('HOST_IQN_TAKEN', 409), 522);
  assert.equal(code('TARGET_NOT_FOUND', 404), 611);
  assert.equal(code('UNAUTHENTICATED', 401), 5000);
  assert.equal(code('FORBIDDEN', 403), 5000);
  assert.equal(code('OUT_OF_SCOPE', 403), 5000);
  assert.equal(code('API_KEY_DISABLED', 401), 5000);
  assert.equal(code('MAINTENANCE_MODE', 503), 725);
  assert.equal(code('TARGET_HAS_LUNS', 409), 534);
  assert.equal(code('VOLUME_ALREADY_MAPPED', 409), 534);
  assert.equal(code('VOLUME_EXPORTED_READ_WRITE', 409), 534);
});

test('NGX errors: other codes carry their HTTP status, and the message is the error text', () => {
  assert.deepEqual(ngxError('VALIDATION_FAILED', 400, 'name: too long'), {
    code: 400,
    error: 'name: too long',
  });
  assert.deepEqual(ngxError('INTERNAL', 500, 'boom'), { code: 500, error: 'boom' });
  assert.deepEqual(ngxError('JOB_FAILED', 422, 'x'), { code: 422, error: 'x' });
});
