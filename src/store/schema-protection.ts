// Row types of the tables of schedules and replication (issue 7). Merged into DB in schema.ts.

// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface ProtectionTables {}
