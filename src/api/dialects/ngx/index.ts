// NGXStorage REST API v2 (seed 002) under /api/v2 on the main HTTPS listener, bearer API keys only.
// On by default (it opens no port of its own).
import type { DialectDefinition } from '../types.js';
import { ngxRoutes } from './routes.js';
import { DIALECT } from './helpers.js';

export const dialect: DialectDefinition = {
  name: DIALECT,
  summary: 'NGXStorage REST API v2: auth groups, iSCSI targets, LUNs, pools, snapshots, shares, logs, status',
  listeners: () => [{ door: { kind: 'prefix', prefix: '/api/v2' }, auth: ['bearer'], routes: ngxRoutes }],
};
