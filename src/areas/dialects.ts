// Wiring of the API dialects (issue 9): each registers its routes at its product's prefix, in its
// own encapsulated context (own error shape and not-found handler).
import type { AreaContext, AreaPart } from './types.js';
import type { Services } from '../services/index.js';
import { DIALECTS } from '../api/dialects/index.js';

// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface DialectServices {}

export async function buildDialectArea(
  ctx: AreaContext,
  _sofar: Partial<Services>,
): Promise<AreaPart<DialectServices>> {
  // CAIRN_DIALECTS picks which are served; a name Cairn does not know stops the start, clearly.
  const unknown = ctx.config.dialects.filter((n) => !DIALECTS.some((d) => d.name === n));
  if (unknown.length > 0)
    throw new Error(
      `CAIRN_DIALECTS names unknown dialects: ${unknown.join(', ')} (known: ${DIALECTS.map((d) => d.name).join(', ')})`,
    );
  return {
    services: {},
    plugins: DIALECTS.filter((d) => ctx.config.dialects.includes(d.name)).map((d) => async (app, svc) => {
      await app.register(async (scope) => d.routes(scope, svc), { prefix: d.prefix });
    }),
  };
}
