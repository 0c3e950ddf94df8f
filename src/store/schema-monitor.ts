// Row types of the tables of statistics, alerts, events and metrics (issue 8). Merged into DB in schema.ts.

// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface MonitorTables {}
