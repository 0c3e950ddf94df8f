// Where a running step writes its log lines (including every program it ran). Secrets never reach it.
export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

export interface JobLog {
  write(level: LogLevel, message: string): void;
}

/** A log that discards everything, for calls made outside a job (e.g. read-only probes). */
export const nullLog: JobLog = { write: () => undefined };
