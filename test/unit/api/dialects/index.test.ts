// Which dialects cairnd serves: CAIRN_DIALECTS, else those that open no door of their own; unknown
// names and credential-free doors reachable from the network stop the start.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runtimeConfig } from '../../../../src/daemon/config.js';
import { DIALECTS, enabledDialects } from '../../../../src/api/dialects/index.js';
import type { DialectDefinition } from '../../../../src/api/dialects/types.js';

const routes = async () => {};
const prefixed: DialectDefinition = {
  name: 'quiet',
  summary: 'prefix only',
  listeners: () => [{ door: { kind: 'prefix', prefix: '/q' }, auth: ['bearer'], routes }],
};
const socketed: DialectDefinition = {
  name: 'loud',
  summary: 'a socket and a port',
  listeners: (c) => [
    { door: { kind: 'unix', path: c.dockerApiSocket, mode: 0o600 }, auth: ['local'], routes },
    { door: { kind: 'tcp', ...c.osdListen, tls: false }, auth: ['local', 'bearer'], routes },
  ],
};
const known = [prefixed, socketed];
const names = (ds: DialectDefinition[]) => ds.map((d) => d.name);

test('default: the dialects that open no door of their own', () => {
  assert.deepEqual(names(enabledDialects(runtimeConfig({}), known)), ['quiet']);
  assert.ok(names(enabledDialects(runtimeConfig({}))).includes('vsnap'));
  for (const d of DIALECTS) assert.match(d.name, /^[a-z][a-z0-9-]*$/);
});

test('CAIRN_DIALECTS turns on exactly those named; unknown names stop the start', () => {
  assert.deepEqual(names(enabledDialects(runtimeConfig({ CAIRN_DIALECTS: 'loud' }), known)), ['loud']);
  assert.throws(
    () => enabledDialects(runtimeConfig({ CAIRN_DIALECTS: 'quiet,nope' }), known),
    /unknown dialects: nope/,
  );
});

test('a door without credentials must not be reachable from the network', () => {
  assert.throws(
    () => enabledDialects(runtimeConfig({ CAIRN_DIALECTS: 'loud', CAIRN_OSD_LISTEN: '0.0.0.0:9001' }), known),
    /cannot take requests without credentials/,
  );
  const open: DialectDefinition = {
    name: 'open',
    summary: 'local on the main listener',
    listeners: () => [{ door: { kind: 'prefix', prefix: '/o' }, auth: ['local'], routes }],
  };
  assert.throws(() => enabledDialects(runtimeConfig({}), [open]), /without credentials/);
});
