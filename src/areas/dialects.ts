// Wiring of API dialects (issue 9): its services, job definitions, API plugins, reconciler and stop hook.
import type { AreaContext, AreaPart } from './types.js';
import type { Services } from '../services/index.js';

// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface DialectServices {}

export async function buildDialectArea(
  _ctx: AreaContext,
  _sofar: Partial<Services>,
): Promise<AreaPart<DialectServices>> {
  return { services: {} };
}
