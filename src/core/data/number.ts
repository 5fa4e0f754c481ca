/** Numbers in CSV cells, without the CSV reader (so small modules can share the reader's rule). */

/**
 * Parse a trimmed cell as a plain decimal number: optional sign, digits with an optional
 * decimal point, optional exponent (`-1.5e3`, `+7`, `.5`, `5.`). Returns NaN for anything else,
 * including '', hex (`0x1F`), `Infinity`, `NaN`, digit separators, and values that overflow to ±Infinity.
 */
export function parseNumber(s: string): number {
  const n = s.length;
  let i = 0;
  let c = s.charCodeAt(0);
  if (c === 43 || c === 45) c = s.charCodeAt(++i); // + -
  let digits = 0;
  while (c >= 48 && c <= 57) {
    digits++;
    c = s.charCodeAt(++i);
  }
  if (c === 46) {
    c = s.charCodeAt(++i);
    while (c >= 48 && c <= 57) {
      digits++;
      c = s.charCodeAt(++i);
    }
  }
  if (digits === 0) return NaN;
  if (c === 101 || c === 69) {
    c = s.charCodeAt(++i);
    if (c === 43 || c === 45) c = s.charCodeAt(++i);
    let exp = 0;
    while (c >= 48 && c <= 57) {
      exp++;
      c = s.charCodeAt(++i);
    }
    if (exp === 0) return NaN;
  }
  if (i !== n) return NaN;
  const v = Number(s);
  return Number.isFinite(v) ? v : NaN;
}
