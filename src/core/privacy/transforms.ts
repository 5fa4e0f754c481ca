/**
 * The value transforms of de-identification, one pure function each: masking, salted
 * pseudonyms and generalisations (age bands, number ranges, zip/postcode prefixes, dates to a
 * coarser unit, category groups). `anonymize.ts` applies them per column; the k-anonymity
 * hierarchies (`hierarchy.ts`) use the same functions, so a generalisation found by the search
 * produces exactly the labels `rml anonymize` writes.
 *
 * A generalisation returns `undefined` for a value it cannot read (callers suppress it as `*`):
 * nothing unreadable ever passes through unchanged.
 */
import { createHmac } from 'node:crypto';
import { parseNumber } from '../data/csv';
import { maskPii, parseDateValue, type PiiKind } from './pii';

/** The label of a fully suppressed value. */
export const SUPPRESSED = '*';

// ---------------------------------------------------------------------------------------------
// Masking

/** How to mask a value (at most one of `replace`, `keepFirst`, `keepLast`, `kind`). */
export interface MaskOptions {
  /** Replace every value with this text (e.g. `[redacted]` or `*`). */
  replace?: string;
  /** Keep the first n characters (never more than half of the value) and append `***`. */
  keepFirst?: number;
  /** Replace letters and digits with `*` except the last n (never more than half of them); separators stay. */
  keepLast?: number;
  /** Mask in the shape of this kind of personal data, as the PII detectors' `maskPii` does. */
  kind?: PiiKind;
}

/**
 * Mask a value, keeping a documented shape; never reversible and never the whole value:
 * - `replace`: the given text;
 * - `keepFirst: n`: the first min(n, ⌊len/2⌋) characters + `***` (the length is hidden);
 * - `keepLast: n`: every letter and digit becomes `*` except the last min(n, ⌊count/2⌋);
 *   separators stay (`123-45-6789` → `***-**-6789`);
 * - `kind`: the PII detectors' masking for that kind (`j***@e***.com`, `***-**-6789`, …; see `maskPii`);
 * - nothing: the first character + `***` (`***` for a one-character value).
 * An empty value stays empty.
 */
export function maskValue(value: string, opts: MaskOptions = {}): string {
  const v = value.trim();
  if (opts.replace !== undefined) return opts.replace;
  if (v.length === 0) return '';
  if (opts.keepLast !== undefined) return maskKeepLast(v, opts.keepLast);
  if (opts.kind !== undefined) return maskPii(opts.kind, v);
  return maskKeepFirst(v, opts.keepFirst ?? 1);
}

function maskKeepFirst(v: string, n: number): string {
  const chars = Array.from(v);
  const keep = Math.min(Math.max(0, Math.floor(n)), Math.floor(chars.length / 2));
  return chars.slice(0, keep).join('') + '***';
}

function maskKeepLast(v: string, n: number): string {
  const chars = Array.from(v);
  const alnum = chars.filter(isAlphanumeric).length;
  const keep = Math.min(Math.max(0, Math.floor(n)), Math.floor(alnum / 2));
  let seen = 0;
  return chars
    .map((c) => {
      if (!isAlphanumeric(c)) return c;
      seen++;
      return seen > alnum - keep ? c : '*';
    })
    .join('');
}

function isAlphanumeric(c: string): boolean {
  return /[\p{L}\p{N}]/u.test(c);
}

// ---------------------------------------------------------------------------------------------
// Pseudonyms

/** How pseudonyms are formed. */
export interface PseudonymOptions {
  /** Hex characters of the HMAC kept (8–64, default 16 = 64 bits). */
  length?: number;
  /** Text before the hex digits (default `p_`). */
  prefix?: string;
  /** Lower-case the value before hashing, so `Ann@X.com` and `ann@x.com` get one pseudonym (default false). */
  lowercase?: boolean;
}

/** Defaults of {@link PseudonymOptions}. */
export const PSEUDONYM_DEFAULTS = Object.freeze({ length: 16, prefix: 'p_', lowercase: false });

/**
 * A salted pseudonym: `prefix` + the first `length` hex characters of HMAC-SHA256(salt, value),
 * the value trimmed (and lower-cased with `lowercase`) and UTF-8 encoded.
 *
 * The same value gets the same pseudonym in every column and file under the same salt (so
 * pseudonymised keys still join), and an unrelated one under another salt. Without the salt the
 * pseudonym cannot be inverted or checked against guesses; with it, anyone can test a guess
 * (e.g. every phone number), so the salt must stay private. With 16 hex characters (64 bits) two
 * of a million distinct values collide with probability about 3·10⁻⁸.
 * @throws Error "pseudonymize requires …" for a salt shorter than 16 bytes or a length outside 8–64
 */
export function pseudonymize(value: string, salt: Uint8Array, opts: PseudonymOptions = {}): string {
  const length = opts.length ?? PSEUDONYM_DEFAULTS.length;
  if (salt.length < 16) throw new Error(`pseudonymize requires a salt of at least 16 bytes (got ${salt.length})`);
  if (!(Number.isInteger(length) && length >= 8 && length <= 64)) throw new Error(`pseudonymize requires a length of 8 to 64 hex characters (got ${length})`);
  let v = value.trim();
  if (opts.lowercase ?? PSEUDONYM_DEFAULTS.lowercase) v = v.toLowerCase();
  const mac = createHmac('sha256', salt).update(v, 'utf8').digest('hex');
  return (opts.prefix ?? PSEUDONYM_DEFAULTS.prefix) + mac.slice(0, length);
}

// ---------------------------------------------------------------------------------------------
// Generalisations

/** A generalisation of one column's values (the `generalize` action's options). */
export type Generalization =
  | { as: 'age'; width: number; top?: number }
  | { as: 'number'; width: number; origin?: number }
  | { as: 'zip'; digits: number; pad?: number }
  | { as: 'date'; to: DateUnit }
  | { as: 'category'; map: ReadonlyMap<string, string>; other?: string };

/** How coarse a generalised date is. */
export type DateUnit = 'month' | 'year' | 'decade';

/** Apply a generalisation to one value; `undefined` when the value cannot be read. */
export function generalizeValue(value: string, g: Generalization): string | undefined {
  switch (g.as) {
    case 'age':
      return ageBand(value, g.width, g.top);
    case 'number':
      return numberRange(value, g.width, g.origin ?? 0);
    case 'zip':
      return zipPrefix(value, g.digits, g.pad);
    case 'date':
      return dateTo(value, g.to);
    case 'category':
      return categoryGroup(value, g.map, g.other);
  }
}

/**
 * An age band of `width` years starting at multiples of the width: 37 with width 10 → `30-39`,
 * with width 5 → `35-39`, with width 1 → `37`. Fractional ages are floored (37.9 → 37).
 * With `top`, every age ≥ top is `top+` (HIPAA's Safe Harbor uses 90) and the band below it
 * ends at top − 1 (width 20, top 90: 85 → `80-89`).
 * @returns undefined for a value that is not a number, negative or over 150
 */
export function ageBand(value: string, width: number, top?: number): string | undefined {
  const x = parseNumber(value.trim());
  if (!Number.isFinite(x) || x < 0 || x > 150) return undefined;
  const age = Math.floor(x);
  if (top !== undefined && age >= top) return `${top}+`;
  const w = Math.max(1, Math.floor(width));
  const lo = Math.floor(age / w) * w;
  let hi = lo + w - 1;
  if (top !== undefined) hi = Math.min(hi, top - 1);
  return hi === lo ? String(lo) : `${lo}-${hi}`;
}

/**
 * A half-open range of `width` aligned on `origin`: 43250 with width 10000 → `[40000..50000)`
 * (40000 ≤ x < 50000), −3 with width 5 → `[-5..0)`. No comma, so the label needs no CSV quoting.
 * Bounds are printed with at most 12 significant digits.
 * @returns undefined for a value that is not a plain decimal number
 */
export function numberRange(value: string, width: number, origin = 0): string | undefined {
  const x = parseNumber(value.trim());
  if (!Number.isFinite(x) || !(width > 0)) return undefined;
  const k = Math.floor((x - origin) / width);
  const lo = origin + k * width;
  return `[${short(lo)}..${short(lo + width)})`;
}

function short(v: number): string {
  const r = Number(v.toPrecision(12));
  return Object.is(r, -0) ? '0' : String(r);
}

/**
 * The first `digits` characters of a zip or postcode followed by `*`: `02139` → `021*` (3),
 * `02139-4307` → `021*` (the ZIP+4 suffix is dropped first), `SW1A 1AA` → `SW1*` (spaces
 * removed). Keeping every character returns the (normalised) code itself; 0 digits gives `*`.
 * @param pad left-pad all-digit codes with zeros to this length first (`2139` → `02139` with 5),
 *   for zips that lost their leading zero in a spreadsheet
 * @returns undefined when the value is not letters and digits (after removing spaces and a `-NNNN` suffix)
 */
export function zipPrefix(value: string, digits: number, pad?: number): string | undefined {
  let v = value.trim().replace(/\s+/g, '');
  const plus4 = /^(\d{5})-\d{4}$/.exec(v);
  if (plus4) v = plus4[1];
  if (!/^[A-Za-z0-9]+$/.test(v)) return undefined;
  if (pad !== undefined && /^\d+$/.test(v) && v.length < pad) v = v.padStart(pad, '0');
  const n = Math.max(0, Math.floor(digits));
  if (n === 0) return SUPPRESSED;
  if (n >= v.length) return v.toUpperCase();
  return v.slice(0, n).toUpperCase() + '*';
}

const YEAR_ONLY = /^(\d{4})$/;
const YEAR_MONTH = /^(\d{4})[-/.](\d{1,2})$/;
const DOTTED_DMY = /^(\d{1,2})\.(\d{1,2})\.(\d{4})$/;

/**
 * A date generalised to its month (`1985-04`), year (`1985`) or decade (`1980s`). Reads the
 * formats of the PII detectors' `parseDateValue` (ISO `1985-04-12` with an optional time,
 * `04/12/1985`, `April 12, 1985`, `12 Apr 1985`), plus `1985-04`, a bare year `1985` (whose month
 * is the year itself) and dotted dates `12.04.1985`, read day first (the European convention;
 * `parseDateValue` reads numeric dates month first when both readings are valid, which only
 * matters for `month`).
 * @returns undefined for anything else
 */
export function dateTo(value: string, to: DateUnit): string | undefined {
  const v = value.trim();
  let year: number;
  let month: number | undefined;
  const y = YEAR_ONLY.exec(v);
  const ym = YEAR_MONTH.exec(v);
  const dotted = DOTTED_DMY.exec(v);
  if (y) {
    year = Number(y[1]);
  } else if (dotted) {
    const d = parseDateValue(`${dotted[3]}-${dotted[2]}-${dotted[1]}`);
    if (!d) return undefined;
    year = d.year;
    month = d.month;
  } else if (ym && Number(ym[2]) >= 1 && Number(ym[2]) <= 12) {
    year = Number(ym[1]);
    month = Number(ym[2]);
  } else {
    const d = parseDateValue(v);
    if (!d) return undefined;
    year = d.year;
    month = d.month;
  }
  if (year < 1000 || year > 9999) return undefined;
  switch (to) {
    case 'month':
      return month === undefined ? String(year) : `${year}-${String(month).padStart(2, '0')}`;
    case 'year':
      return String(year);
    case 'decade':
      return `${Math.floor(year / 10) * 10}s`;
  }
}

/** The group of a category: `map.get(value)`, else `other` (default `*`). Never the value itself unless mapped to it. */
export function categoryGroup(value: string, map: ReadonlyMap<string, string>, other = SUPPRESSED): string {
  return map.get(value.trim()) ?? other;
}

/** Build a category map from `groups` (group → values) and `map` (value → group) as written in a config. */
export function categoryMap(groups?: Readonly<Record<string, readonly string[]>>, map?: Readonly<Record<string, string>>): Map<string, string> {
  const m = new Map<string, string>();
  for (const [group, values] of Object.entries(groups ?? {})) for (const v of values) m.set(v.trim(), group);
  for (const [v, group] of Object.entries(map ?? {})) m.set(v.trim(), group);
  return m;
}
