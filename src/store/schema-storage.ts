// Row types of the tables of disks and pools (issue 4). Merged into DB in schema.ts.

// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface StorageTables {}
