// Row types of the tables of exports, hosts and daemon supervision (issue 6). Merged into DB in schema.ts.

// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface ExportTables {}
