/**
 * How the audit reads label values, shared by the audit (audit-csv.ts) and the editor's pickers
 * (src/extension/commands/audit-picks.ts), so a suggestion never disagrees with the audit.
 * Pure, with no CSV reader, so the extension host can load it cheaply.
 */
import { parseNumber } from '../data/number';

/** Values compared across columns: as numbers when both sides parse as numbers, else as text. */
export function sameValue(a: string, b: string): boolean {
  if (a === b) return true;
  const x = parseNumber(a);
  return x === x && x === parseNumber(b);
}

const BINARY_PAIRS: readonly [string, string][] = [['0', '1'], ['false', 'true'], ['no', 'yes']];

/** The positive label of 0/1, false/true or no/yes values (as written in the data), else undefined. */
export function inferPositive(distinct: readonly string[]): string | undefined {
  const lower = distinct.map((v) => {
    const x = parseNumber(v);
    return x === x ? String(x) : v.toLowerCase();
  });
  for (const [neg, pos] of BINARY_PAIRS) {
    if (lower.every((v) => v === neg || v === pos)) {
      const i = lower.indexOf(pos);
      return i >= 0 ? distinct[i] : pos;
    }
  }
  return undefined;
}
