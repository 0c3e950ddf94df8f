// Wiring of the API dialects: the routes of the prefix doors of the dialects served
// (enabledDialects decides which) on the main listener. Doors of their own (TCP, unix sockets) need
// every service, so the composition root builds them after the API (src/app.ts).
import type { AreaContext, AreaPart } from './types.js';
import { enabledDialects } from '../api/dialects/index.js';
import { prefixPlugins } from '../api/doors.js';

/** Dialects build no service: they translate to the native ones. */
export type DialectServices = Record<string, never>;

export async function buildDialectArea(ctx: AreaContext): Promise<AreaPart<DialectServices>> {
  return { services: {}, plugins: prefixPlugins(enabledDialects(ctx.config), ctx.config) };
}
