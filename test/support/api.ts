// What API tests share about answers: the body of one, and the refusal they expect.
import assert from 'node:assert/strict';
import { ApiError, type Client } from '../../src/cli/client.js';

/** The body of an answer; throws ApiError on an error status. */
export const call = async <T = unknown>(
  cl: Client,
  method: string,
  path: string,
  body?: unknown,
): Promise<T> => (await cl.request<T>(method, path, body)).body;

/** Expects an API error with this status and code (and, when given, a body matching `detail`). */
export const expectError = async (p: Promise<unknown>, status: number, code: string, detail?: RegExp) => {
  await assert.rejects(p, (e: unknown) => {
    assert.ok(e instanceof ApiError, String(e));
    assert.equal(e.status, status, JSON.stringify(e.body));
    assert.equal(e.code, code, JSON.stringify(e.body));
    if (detail) assert.match(JSON.stringify(e.body), detail);
    return true;
  });
};
