/**
 * Generalisation hierarchies of quasi-identifiers, for k-anonymity and its search: each column
 * gets levels from its raw values (level 0) up to `*` (the column suppressed), and every level is
 * a coarsening of the one below (a value's label at level l+1 depends only on its label at
 * level l), so the levels form the domain generalisation hierarchy of Samarati (2001).
 *
 * Default hierarchies by type:
 * - age: raw → 5-year → 10-year → 20-year bands → `*` (`widths`, `top` change it);
 * - number: raw → ranges of w, 2w, 4w, 8w → `*`, w the 1-2-5 number ≥ (max − min)/16;
 * - zip: raw → one character fewer at each level, down to 1 → `*` (`digits` chooses);
 * - date: raw → month → year → decade → `*` (`units` chooses);
 * - categorical: raw → `*`, or the user's `levels` (each maps the previous level's labels to
 *   groups) → `*`.
 * Every level's labels are produced by the functions of `transforms.ts`, i.e. by the action
 * `rml anonymize` would apply (`HierarchyLevel.action`). Missing values stay missing at every level.
 */
import type { Column } from '../data/types';
import { RmlInputError } from '../errors';
import type { ColumnAction } from './plan';
import { parseDateValue, splitIdentifier } from './pii';
import { SUPPRESSED, ageBand, categoryGroup, dateTo, numberRange, zipPrefix, type DateUnit } from './transforms';

/** The kinds of quasi-identifier hierarchies. */
export type QiType = 'age' | 'number' | 'zip' | 'date' | 'categorical';

/** A level of a user-defined categorical hierarchy: previous label → group (`other` for the rest, default `*`). */
export interface CategoryLevel {
  map: ReadonlyMap<string, string>;
  other?: string;
}

/** A quasi-identifier and, optionally, its hierarchy (see the module comment for the defaults). */
export interface QuasiIdentifierSpec {
  column: string;
  /** Inferred from the header and values when absent (see {@link inferQiType}). */
  type?: QiType;
  /** age/number: band widths from fine to coarse, each a multiple of the one before. */
  widths?: number[];
  /** number: ranges start at origin + k·width (default 0). */
  origin?: number;
  /** age: ages ≥ top become `top+`. */
  top?: number;
  /** zip: prefix lengths to try. */
  digits?: number[];
  /** zip: left-pad all-digit codes to this length first. */
  pad?: number;
  /** date: coarser units to try. */
  units?: DateUnit[];
  /** categorical: user-defined levels. */
  levels?: CategoryLevel[];
  /** Whether the top level `*` may be used (default true). */
  suppress?: boolean;
}

/** One level of a hierarchy. */
export interface HierarchyLevel {
  /** For reports: `raw`, `10-year bands`, `3-character prefix`, `year`, `suppressed`. */
  name: string;
  /** The label of a (trimmed, non-missing) raw value at this level. */
  label: (value: string) => string;
  /** The `rml anonymize` action that writes this level's labels. */
  action: ColumnAction;
}

/** The hierarchy of one quasi-identifier; `levels[0]` is the raw values. */
export interface Hierarchy {
  column: string;
  type: QiType;
  /** True when the type was inferred rather than declared. */
  inferred: boolean;
  levels: HierarchyLevel[];
}

const ZIP_WORDS = new Set(['zip', 'zipcode', 'postcode', 'postal', 'postalcode', 'plz', 'postleitzahl']);

/** Up to `max` non-missing values, evenly spaced. */
function sample(values: readonly (string | null)[], max = 2000): string[] {
  const present = values.filter((v): v is string => v !== null && v.trim() !== '');
  if (present.length <= max) return present;
  const step = present.length / max;
  return Array.from({ length: max }, (_, i) => present[Math.floor(i * step)]);
}

/**
 * The hierarchy type a column most likely needs:
 * - `age`: the header has the word "age" and ≥ 95% of the values are numbers in 0–150;
 * - `zip`: the header says zip, zipcode, postcode, postal or plz;
 * - `date`: ≥ 90% of the values are calendar dates (ISO, numeric or with month names, or `YYYY-MM`);
 * - `number`: every value is a number and there are more than 20 distinct values;
 * - `categorical` otherwise.
 */
export function inferQiType(column: Column): QiType {
  const words = splitIdentifier(column.name);
  const values = sample(column.values);
  if (values.length === 0) return 'categorical';
  const share = (test: (v: string) => boolean) => values.filter(test).length / values.length;
  if (words.includes('age') && share((v) => ageBand(v, 1) !== undefined) >= 0.95) return 'age';
  if (words.some((w) => ZIP_WORDS.has(w)) || ZIP_WORDS.has(words.join(''))) return 'zip';
  if (share((v) => parseDateValue(v) !== undefined || /^\d{4}[-/.]\d{1,2}$/.test(v.trim())) >= 0.9) return 'date';
  if (column.type === 'numeric' && new Set(values).size > 20) return 'number';
  return 'categorical';
}

/**
 * Build the hierarchy of a quasi-identifier from its spec and the column's values (needed for
 * the defaults of number and zip hierarchies, and to list a categorical level's groups).
 * @throws RmlInputError for widths that do not nest, or a number hierarchy on a non-numeric column
 */
export function buildHierarchy(spec: QuasiIdentifierSpec, column: Column): Hierarchy {
  const type = spec.type ?? inferQiType(column);
  const levels: HierarchyLevel[] = [{ name: 'raw', label: (v) => v, action: { action: 'keep' } }];
  switch (type) {
    case 'age': {
      const widths = checkWidths(spec.widths ?? [5, 10, 20], spec.column);
      const top = spec.top;
      for (const w of widths) {
        levels.push({
          name: w === 1 ? `whole years${top !== undefined ? `, ${top}+` : ''}` : `${w}-year bands${top !== undefined ? `, ${top}+` : ''}`,
          label: (v) => ageBand(v, w, top) ?? SUPPRESSED,
          action: { action: 'generalize', generalization: { as: 'age', width: w, ...(top !== undefined ? { top } : {}) } },
        });
      }
      break;
    }
    case 'number': {
      const origin = spec.origin ?? 0;
      const widths = checkWidths(spec.widths ?? defaultNumberWidths(column), spec.column);
      for (const w of widths) {
        levels.push({
          name: `ranges of ${w}`,
          label: (v) => numberRange(v, w, origin) ?? SUPPRESSED,
          action: { action: 'generalize', generalization: { as: 'number', width: w, origin } },
        });
      }
      break;
    }
    case 'zip': {
      const pad = spec.pad;
      const digits = [...new Set(spec.digits ?? defaultZipDigits(column, pad))].sort((a, b) => b - a);
      for (const d of digits) {
        levels.push({
          name: `${d}-character prefix`,
          label: (v) => zipPrefix(v, d, pad) ?? SUPPRESSED,
          action: { action: 'generalize', generalization: { as: 'zip', digits: d, ...(pad !== undefined ? { pad } : {}) } },
        });
      }
      break;
    }
    case 'date': {
      const order: DateUnit[] = ['month', 'year', 'decade'];
      const units = [...new Set(spec.units ?? order)].sort((a, b) => order.indexOf(a) - order.indexOf(b));
      for (const u of units) {
        levels.push({ name: u, label: (v) => dateTo(v, u) ?? SUPPRESSED, action: { action: 'generalize', generalization: { as: 'date', to: u } } });
      }
      break;
    }
    case 'categorical': {
      const chain: CategoryLevel[] = [];
      const distinct = [...new Set(column.values.filter((v): v is string => v !== null).map((v) => v.trim()))];
      (spec.levels ?? []).forEach((lvl, i) => {
        chain.push(lvl);
        const upTo = chain.slice();
        const label = (v: string) => upTo.reduce((cur, l) => categoryGroup(cur, l.map, l.other), v.trim());
        const map = new Map(distinct.map((v) => [v, label(v)]));
        levels.push({ name: `groups level ${i + 1}`, label, action: { action: 'generalize', generalization: { as: 'category', map } } });
      });
      break;
    }
  }
  if (spec.suppress ?? true) levels.push({ name: 'suppressed', label: () => SUPPRESSED, action: { action: 'mask', replace: SUPPRESSED } });
  return { column: spec.column, type, inferred: spec.type === undefined, levels };
}

function checkWidths(widths: number[], column: string): number[] {
  for (let i = 0; i < widths.length; i++) {
    if (!(widths[i] > 0)) throw new RmlInputError(`quasi-identifier '${column}': widths must be > 0 (got ${widths[i]})`);
    if (i > 0) {
      const ratio = widths[i] / widths[i - 1];
      if (!(ratio > 1) || Math.abs(ratio - Math.round(ratio)) > 1e-9) {
        throw new RmlInputError(`quasi-identifier '${column}': each width must be a larger multiple of the one before (${widths[i]} after ${widths[i - 1]}), so that the bands nest`);
      }
    }
  }
  return widths;
}

/** w, 2w, 4w, 8w with w the smallest 1-2-5 number ≥ (max − min)/16. */
function defaultNumberWidths(column: Column): number[] {
  let lo = Infinity;
  let hi = -Infinity;
  for (const v of column.values) {
    if (v === null) continue;
    const x = Number(v);
    if (!Number.isFinite(x)) throw new RmlInputError(`quasi-identifier '${column.name}' is not numeric; declare its type (categorical, date, zip, age)`);
    lo = Math.min(lo, x);
    hi = Math.max(hi, x);
  }
  const range = hi > lo ? hi - lo : 1;
  const target = range / 16;
  const exp = Math.floor(Math.log10(target));
  let w = Infinity;
  for (const m of [1, 2, 5, 10]) {
    const c = m * Math.pow(10, exp);
    if (c >= target * (1 - 1e-12)) {
      w = c;
      break;
    }
  }
  w = Number(w.toPrecision(12));
  return [w, 2 * w, 4 * w, 8 * w].map((x) => Number(x.toPrecision(12)));
}

/** Prefix lengths from one less than the usual code length down to 1. */
function defaultZipDigits(column: Column, pad?: number): number[] {
  const lengths = new Map<number, number>();
  for (const v of sample(column.values)) {
    const z = zipPrefix(v, 99, pad);
    if (z !== undefined) lengths.set(z.length, (lengths.get(z.length) ?? 0) + 1);
  }
  let common = 5;
  let best = -1;
  for (const [len, n] of lengths) {
    if (n > best) {
      best = n;
      common = len;
    }
  }
  return Array.from({ length: Math.max(0, common - 1) }, (_, i) => common - 1 - i);
}
