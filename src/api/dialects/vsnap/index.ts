// The IBM vSnap REST API (seed 001): under /api on cairnd's main HTTPS listener, HTTP Basic only,
// as vSnap clients authenticate. On by default (it opens no port of its own).
import type { DialectDefinition } from '../types.js';
import { vsnapRoutes } from './routes.js';

export const dialect: DialectDefinition = {
  name: 'vsnap',
  summary: 'IBM vSnap REST API: pools, volumes, snapshots, shares, partners and replication',
  listeners: () => [{ door: { kind: 'prefix', prefix: '/api' }, auth: ['basic'], routes: vsnapRoutes }],
};
