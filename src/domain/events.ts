// System events (disk added, pool degraded, spare took over, job failed): what happened to which
// object. Areas record them through an EventSink; the monitor area lists them and raises alerts.
export const SEVERITIES = ['info', 'warning', 'error', 'critical'] as const;
export type Severity = (typeof SEVERITIES)[number];

export interface NewEvent {
  /** Dotted kind, e.g. `pool.degraded`, `disk.added`, `spare.replaced`, `job.failed`. */
  type: string;
  severity: Severity;
  objectType?: string;
  objectId?: string;
  message: string;
  details?: Record<string, unknown>;
  /** Who caused it: `system`, `user:admin`, … */
  actor?: string;
}

export interface CairnEvent {
  id: string;
  at: string;
  type: string;
  severity: Severity;
  object_type: string | null;
  object_id: string | null;
  message: string;
  details: Record<string, unknown>;
  actor: string;
}

export interface EventSink {
  record(e: NewEvent): Promise<CairnEvent>;
}
