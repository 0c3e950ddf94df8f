// Wiring of statistics, alerts, events and metrics (issue 8): its services, job definitions, API plugins, reconciler and stop hook.
import type { AreaContext, AreaPart } from './types.js';
import type { Services } from '../services/index.js';

// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface MonitorServices {}

export async function buildMonitorArea(
  _ctx: AreaContext,
  _sofar: Partial<Services>,
): Promise<AreaPart<MonitorServices>> {
  return { services: {} };
}
