// Row types of the tables of volumes, snapshots and clones (issue 5). Merged into DB in schema.ts.

// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface VolumeTables {}
