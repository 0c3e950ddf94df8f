// NGXStorage REST API v2 (seed 002) under /api/v2 on the main HTTPS listener, bearer API keys only.
import type { Dialect } from '../types.js';
import { ngxRoutes } from './routes.js';
import { DIALECT } from './helpers.js';

export const dialect: Dialect = { name: DIALECT, prefix: '/api/v2', routes: ngxRoutes };
