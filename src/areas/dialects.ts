// Wiring of the API dialects: which are served (CAIRN_DIALECTS, else those opening no door of their
// own), and the routes of their prefix doors on the main listener. Doors of their own (TCP, unix
// sockets) need every service, so the composition root builds them after the API (src/app.ts).
import type { AreaContext, AreaPart } from './types.js';
import type { Services } from '../services/index.js';
import { enabledDialects } from '../api/dialects/index.js';
import { prefixPlugins } from '../api/doors.js';

// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface DialectServices {}

export async function buildDialectArea(
  ctx: AreaContext,
  _sofar: Partial<Services>,
): Promise<AreaPart<DialectServices>> {
  return { services: {}, plugins: prefixPlugins(enabledDialects(ctx.config), ctx.config) };
}
