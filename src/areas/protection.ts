// Wiring of schedules and replication (issue 7): its services, job definitions, API plugins, reconciler and stop hook.
import type { AreaContext, AreaPart } from './types.js';
import type { Services } from '../services/index.js';

// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface ProtectionServices {}

export async function buildProtectionArea(
  _ctx: AreaContext,
  _sofar: Partial<Services>,
): Promise<AreaPart<ProtectionServices>> {
  return { services: {} };
}
