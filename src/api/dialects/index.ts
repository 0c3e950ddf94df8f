// Every API dialect Cairn speaks. Each translates its product's API to Cairn's services.
import type { Dialect } from './types.js';
import { vsnapRoutes } from './vsnap/routes.js';
import { dialect as ngx } from './ngx/index.js';

export const DIALECTS: Dialect[] = [{ name: 'vsnap', prefix: '/api', routes: vsnapRoutes }, ngx];
