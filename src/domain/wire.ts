// TypeBox building blocks of the wire schemas every resource shares (ids, enums, string maps).
// The schemas are values in the domain so that a service takes `Static<>` of the very schema its
// route validates; pure, no I/O.
import { Type } from '@sinclair/typebox';
import { MAX_DISPLAY_NAME, type Labels, type MapPatch } from './labels.js';

export const Id = Type.String({
  minLength: 1,
  maxLength: 64,
  pattern: '^[A-Za-z0-9_.:-]+$',
  description: 'object id',
});

/** A string that must be one of `values` (one `enum`, so a wrong value gets one clear error). */
export const StringEnum = <T extends string>(
  values: readonly T[],
  options: { description?: string; default?: T } = {},
) => Type.Unsafe<T>({ type: 'string', enum: [...values], ...options });

/** One of literal `values`, as a union (its static type is their union). */
export const OneOf = <T extends string>(values: readonly T[], description?: string) =>
  Type.Union(
    values.map((x) => Type.Literal(x)),
    description ? { description } : {},
  );

/** A string map (labels, metadata); keys and values are checked by the service (field codes). */
export const StringMap = (description: string) =>
  Type.Unsafe<Labels>({ type: 'object', additionalProperties: { type: 'string' }, description });

/** A merge patch of a string map: a string sets the key, null removes it, keys not named stay. */
export const StringMapPatch = (description: string) =>
  Type.Unsafe<MapPatch>({
    type: 'object',
    // One type list, not anyOf: with coerceTypes an anyOf would turn null into "" (or "" into null).
    additionalProperties: { type: ['string', 'null'] },
    description: `${description}; merge patch: a string sets a key, null removes it, keys not named stay`,
  });

// Length and characters are checked by the service (BAD_DISPLAY_NAME), like labels.
export const DisplayName = Type.String({
  description: `free text shown for the object, 1-${MAX_DISPLAY_NAME} characters (default: its name)`,
});
export const LabelsField = StringMap(
  'labels: keys of letters, digits, . _ - / : (filter lists with ?label=)',
);
export const LabelsPatch = StringMapPatch('labels');
