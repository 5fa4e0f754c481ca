/**
 * Sensitive columns as group codes.
 *
 * A sensitive attribute is given to the fairness engine as a {@link GroupColumn}: one integer
 * code per row plus the name of each code. Codes keep the hot loops on typed arrays; names are
 * only used when results are reported.
 */

/** The group name given to missing values (`null`) of a sensitive column. */
export const MISSING_GROUP = '(missing)';

/** One sensitive attribute, encoded. */
export interface GroupColumn {
  /** Column name, used in warnings and as the key of multi-column results. Optional for low-level calls. */
  name?: string;
  /** Group code of each row: an integer 0 ≤ code < names.length. Length = number of rows. */
  codes: Int32Array;
  /**
   * The group name of each code. Names should be distinct. A name whose code no row uses
   * is simply absent from every result (a group exists only if it has rows).
   */
  names: readonly string[];
}

/** Plain code-unit order: deterministic, independent of the locale. */
export function compareNames(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * Encodes the raw values of a sensitive column as group codes.
 *
 * - `null` (missing) becomes its own group named {@link MISSING_GROUP}, "(missing)". A literal
 *   "(missing)" string in the data lands in the same group.
 * - Group names are sorted in code-unit order (so codes are deterministic, whatever the row order);
 *   code k is `names[k]`.
 * - Every name is used by at least one row.
 */
export function encodeGroups(values: readonly (string | null)[], name?: string): GroupColumn & { names: string[] } {
  const firstSeen = new Map<string, number>();
  const provisional = new Int32Array(values.length);
  for (let i = 0; i < values.length; i++) {
    const v = values[i] ?? MISSING_GROUP;
    let code = firstSeen.get(v);
    if (code === undefined) {
      code = firstSeen.size;
      firstSeen.set(v, code);
    }
    provisional[i] = code;
  }
  const names = [...firstSeen.keys()].sort(compareNames);
  const remap = new Int32Array(names.length);
  names.forEach((n, k) => {
    remap[firstSeen.get(n) as number] = k;
  });
  const codes = new Int32Array(values.length);
  for (let i = 0; i < values.length; i++) codes[i] = remap[provisional[i]];
  return name === undefined ? { codes, names } : { name, codes, names };
}

/**
 * The intersection of several sensitive columns: one group per combination of values that
 * occurs in at least one row (empty combinations never appear).
 *
 * - Group names join the component names with `separator` (default " & "), e.g. "Female & Black".
 * - Groups are ordered lexicographically by their component codes (first column first), so with
 *   columns from {@link encodeGroups} the order is by the first column's name, then the second's, …
 * - The result's `name` joins the column names with the separator when every column has one.
 * - A single column is returned re-encoded (unused names dropped).
 */
export function intersectGroups(columns: readonly GroupColumn[], separator = ' & '): GroupColumn & { names: string[] } {
  if (columns.length === 0) throw new Error('intersectGroups requires at least one column');
  const n = columns[0].codes.length;
  let radix = 1;
  for (const c of columns) {
    if (c.codes.length !== n) {
      throw new Error(`intersectGroups: columns have different lengths (${n} and ${c.codes.length})`);
    }
    radix *= Math.max(1, c.names.length);
  }
  if (radix > Number.MAX_SAFE_INTEGER) throw new Error('intersectGroups: too many combinations to encode');

  // Mixed-radix key per row: key = (((c0)·|N1| + c1)·|N2| + c2)…, which sorts like the code tuple.
  const keys = new Float64Array(n);
  for (let j = 0; j < columns.length; j++) {
    const { codes, names } = columns[j];
    const size = names.length;
    for (let i = 0; i < n; i++) {
      const c = codes[i];
      if (c < 0 || c >= size) throw new Error(`intersectGroups: row ${i} has code ${c} outside 0..${size - 1}`);
      keys[i] = keys[i] * size + c;
    }
  }
  const present = new Map<number, number>();
  for (let i = 0; i < n; i++) if (!present.has(keys[i])) present.set(keys[i], 0);
  const sorted = [...present.keys()].sort((a, b) => a - b);
  sorted.forEach((k, idx) => present.set(k, idx));

  const names = sorted.map((key) => {
    const parts: string[] = new Array<string>(columns.length);
    let rest = key;
    for (let j = columns.length - 1; j >= 0; j--) {
      const size = columns[j].names.length;
      const c = rest % size;
      parts[j] = columns[j].names[c];
      rest = (rest - c) / size;
    }
    return parts.join(separator);
  });
  const codes = new Int32Array(n);
  for (let i = 0; i < n; i++) codes[i] = present.get(keys[i]) as number;
  const colNames = columns.map((c) => c.name);
  const allNamed = colNames.every((s): s is string => s !== undefined);
  return allNamed ? { name: colNames.join(separator), codes, names } : { codes, names };
}

/** All subsets of two or more columns, smaller first, in the order given. */
export function combinations(names: string[]): string[][] {
  const out: string[][] = [];
  const k = names.length;
  for (let mask = 1; mask < 1 << k; mask++) {
    const pick = names.filter((_, i) => mask & (1 << i));
    if (pick.length >= 2) out.push(pick);
  }
  return out.sort((a, b) => a.length - b.length);
}
