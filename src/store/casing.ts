// Column names are snake_case (SQL's habit, and the migrations'); records inside Cairn are
// camelCase. These two typed conversions are the one place a row's keys change case, so a store
// maps a row to its record (and a patch to its columns) without restating every field.

type SnakeToCamel<S extends string> = S extends `${infer H}_${infer T}`
  ? `${H}${Capitalize<SnakeToCamel<T>>}`
  : S;
type CamelToSnake<S extends string> = S extends `${infer H}${infer T}`
  ? `${H extends Uppercase<H> ? (H extends Lowercase<H> ? H : `_${Lowercase<H>}`) : H}${CamelToSnake<T>}`
  : S;

/** `T` with its snake_case keys in camelCase. */
export type Camel<T> = { [K in keyof T as K extends string ? SnakeToCamel<K> : K]: T[K] };
/** `T` with its camelCase keys in snake_case. */
export type Snake<T> = { [K in keyof T as K extends string ? CamelToSnake<K> : K]: T[K] };

const toCamel = (k: string) => k.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());
const toSnake = (k: string) => k.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);

function rekey(o: object, key: (k: string) => string): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(o)) out[key(k)] = v;
  return out;
}

/** A row's keys in camelCase (the values untouched). */
export function camelKeys<T extends object>(row: T): Camel<T> {
  // The mapped type is exactly what rekey builds; TypeScript cannot follow Object.entries.
  return rekey(row, toCamel) as Camel<T>;
}

/** A record's or patch's keys in snake_case, for a row (the values untouched). */
export function snakeKeys<T extends object>(o: T): Snake<T> {
  return rekey(o, toSnake) as Snake<T>;
}
