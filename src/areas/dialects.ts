// Wiring of the API dialects (issue 9): each registers its routes at its product's prefix, in its
// own encapsulated context (own error shape and not-found handler).
import type { AreaContext, AreaPart } from './types.js';
import type { Services } from '../services/index.js';
import { DIALECTS } from '../api/dialects/index.js';

// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface DialectServices {}

export async function buildDialectArea(
  _ctx: AreaContext,
  _sofar: Partial<Services>,
): Promise<AreaPart<DialectServices>> {
  return {
    services: {},
    plugins: DIALECTS.map((d) => async (app, svc) => {
      await app.register(async (scope) => d.routes(scope, svc), { prefix: d.prefix });
    }),
  };
}
