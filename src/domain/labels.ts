// Labels, display names and the metadata bag of volumes and snapshots: their rules and the
// `?label=` list filters. Pure: the store keeps labels in tables of their own and filters in SQL.
import { CairnError, type FieldProblem } from './errors.js';

/**
 * A label or metadata key: letters, digits and `. _ - / :`, starting with a letter, digit or `_`
 * (so `com.example.tier`, `app.kubernetes.io/name`, `pvc`). Never `=` or `,`: a filter is `key=value`.
 */
export const LABEL_KEY_PATTERN = '^[A-Za-z0-9_][A-Za-z0-9._/:-]{0,252}$';
const KEY_RE = new RegExp(LABEL_KEY_PATTERN);
/** No control characters (they would break logs and terminals); anything else, empty included. */
// eslint-disable-next-line no-control-regex -- control characters are exactly what it refuses
const PLAIN_RE = /^[^\u0000-\u001f\u007f]*$/;

export const MAX_LABELS = 64;
export const MAX_LABEL_VALUE = 1024;
export const MAX_METADATA = 64;
export const MAX_METADATA_VALUE = 4096;
export const MAX_DISPLAY_NAME = 256;
export const MAX_LABEL_FILTERS = 16;

export type Labels = Record<string, string>;
/** A change to a map: a string sets the key, null removes it (RFC 7396 merge patch). */
export type MapPatch = Record<string, string | null>;

/** What changes only a volume's record (no job, no btrfs work): display name, labels, metadata. */
export interface VolumeAttributes {
  display_name?: string;
  /** Merge patch: a string sets a key, null removes it, keys not named stay. */
  labels?: MapPatch;
  metadata?: MapPatch;
}

export const isLabelKey = (k: string): boolean => KEY_RE.test(k);

interface MapRules {
  field: 'labels' | 'metadata';
  max: number;
  maxValue: number;
}
const LABEL_RULES: MapRules = { field: 'labels', max: MAX_LABELS, maxValue: MAX_LABEL_VALUE };
const METADATA_RULES: MapRules = { field: 'metadata', max: MAX_METADATA, maxValue: MAX_METADATA_VALUE };

function mapProblems(m: Record<string, string | null>, r: MapRules): FieldProblem[] {
  const p: FieldProblem[] = [];
  const what = r.field === 'labels' ? 'LABEL' : 'METADATA';
  for (const [k, v] of Object.entries(m)) {
    if (!isLabelKey(k))
      p.push({
        field: `${r.field}.${k}`,
        code: `BAD_${what}_KEY`,
        message: '1-253 characters: letters, digits, . _ - / :, starting with a letter, digit or _',
      });
    if (v !== null && (typeof v !== 'string' || v.length > r.maxValue || !PLAIN_RE.test(v)))
      p.push({
        field: `${r.field}.${k}`,
        code: `BAD_${what}_VALUE`,
        message: `a string of at most ${r.maxValue} characters without control characters`,
      });
  }
  return p;
}

function countProblem(count: number, r: MapRules): FieldProblem[] {
  return count > r.max
    ? [
        {
          field: r.field,
          code: r.field === 'labels' ? 'TOO_MANY_LABELS' : 'TOO_MANY_METADATA',
          message: `at most ${r.max} keys (${count} asked)`,
        },
      ]
    : [];
}

/** The keys a map has once `patch` is applied to `current`. */
export function applyPatch(current: Labels, patch: MapPatch): Labels {
  const out: Labels = { ...current };
  for (const [k, v] of Object.entries(patch)) {
    if (v === null) delete out[k];
    else out[k] = v;
  }
  return out;
}

/** Labels given whole (at create). */
export const labelProblems = (labels: Labels): FieldProblem[] => [
  ...mapProblems(labels, LABEL_RULES),
  ...countProblem(Object.keys(labels).length, LABEL_RULES),
];

/** A labels change against the current labels (the count is of the result). */
export const labelPatchProblems = (current: Labels, patch: MapPatch): FieldProblem[] => [
  ...mapProblems(patch, LABEL_RULES),
  ...countProblem(Object.keys(applyPatch(current, patch)).length, LABEL_RULES),
];

export const metadataProblems = (metadata: Labels): FieldProblem[] => [
  ...mapProblems(metadata, METADATA_RULES),
  ...countProblem(Object.keys(metadata).length, METADATA_RULES),
];

export const metadataPatchProblems = (current: Labels, patch: MapPatch): FieldProblem[] => [
  ...mapProblems(patch, METADATA_RULES),
  ...countProblem(Object.keys(applyPatch(current, patch)).length, METADATA_RULES),
];

/** Free text (OSD names like `vol.snap-2017-02-27T21:15:12.328514381Z`), not blank. */
export function displayNameProblems(name: string | undefined): FieldProblem[] {
  if (name === undefined) return [];
  if (name.trim() === '' || name.length > MAX_DISPLAY_NAME || !PLAIN_RE.test(name))
    return [
      {
        field: 'display_name',
        code: 'BAD_DISPLAY_NAME',
        message: `1-${MAX_DISPLAY_NAME} characters, not blank, without control characters`,
      },
    ];
  return [];
}

/** One `?label=` filter: the key must be there, with this value when one is given. */
export interface LabelFilter {
  key: string;
  value?: string;
}

/**
 * Parses `label=key` and `label=key=value` (repeatable, all must match). The value is what follows
 * the first `=`, so it may itself contain `=`.
 */
export function parseLabelFilters(raw: string | readonly string[] | undefined): {
  filters: LabelFilter[];
  problems: FieldProblem[];
} {
  const all = raw === undefined ? [] : typeof raw === 'string' ? [raw] : [...raw];
  const filters: LabelFilter[] = [];
  const problems: FieldProblem[] = [];
  if (all.length > MAX_LABEL_FILTERS)
    problems.push({
      field: 'label',
      code: 'TOO_MANY_LABEL_FILTERS',
      message: `at most ${MAX_LABEL_FILTERS} label filters`,
    });
  for (const one of all) {
    const eq = one.indexOf('=');
    const key = eq < 0 ? one : one.slice(0, eq);
    const value = eq < 0 ? undefined : one.slice(eq + 1);
    if (!isLabelKey(key) || (value !== undefined && !PLAIN_RE.test(value)))
      problems.push({
        field: 'label',
        code: 'BAD_LABEL_FILTER',
        message: `${JSON.stringify(one)}: use label=key or label=key=value with a valid key`,
      });
    else filters.push(value === undefined ? { key } : { key, value });
  }
  return { filters, problems };
}

/** The `?label=` filters of a list query; VALIDATION_FAILED names each bad one. */
export function labelFilters(raw: string | readonly string[] | undefined): LabelFilter[] {
  const { filters, problems } = parseLabelFilters(raw);
  CairnError.assertNoProblems(problems);
  return filters;
}
