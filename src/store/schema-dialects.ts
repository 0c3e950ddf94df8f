// Row types of the tables of API dialects (issue 9). Merged into DB in schema.ts.

// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface DialectTables {}
