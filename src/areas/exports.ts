// Wiring of exports, hosts and daemon supervision (issue 6): its services, job definitions, API plugins, reconciler and stop hook.
import type { AreaContext, AreaPart } from './types.js';
import type { Services } from '../services/index.js';

// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface ExportServices {}

export async function buildExportArea(
  _ctx: AreaContext,
  _sofar: Partial<Services>,
): Promise<AreaPart<ExportServices>> {
  return { services: {} };
}
