/**
 * Input checks shared by the metric modules (internal: not re-exported from the index).
 *
 * Every message starts with the public metric's name, so that a failure deep inside a report
 * still says which metric refused the input, e.g. "accuracy requires at least one row".
 */

/** Any indexable sequence of numbers: `number[]`, `Uint8Array`, `Float64Array`, … */
export type NumericArray = ArrayLike<number>;

/** Throws unless `n >= 1`. */
export function requireRows(metric: string, n: number): void {
  if (n < 1) throw new Error(`${metric} requires at least one row`);
}

/** Throws unless both arrays have the same length. */
export function requireSameLength(
  metric: string,
  a: NumericArray,
  aName: string,
  b: { length: number },
  bName: string,
): void {
  if (a.length !== b.length) {
    throw new Error(`${metric} requires ${aName} and ${bName} of the same length (got ${a.length} and ${b.length})`);
  }
}

/** Throws for a label that is not exactly 0 or 1. */
export function badBinaryLabel(metric: string, arrayName: string, i: number, v: number): Error {
  return new Error(`${metric} requires binary labels 0 or 1; ${arrayName}[${i}] is ${v}`);
}

/** Throws for a score that is NaN or ±Infinity. */
export function badScore(metric: string, arrayName: string, i: number, v: number): Error {
  return new Error(`${metric} requires finite values; ${arrayName}[${i}] is ${v}`);
}

/** Throws for a probability outside [0, 1] (or NaN). */
export function badProbability(metric: string, arrayName: string, i: number, v: number): Error {
  return new Error(`${metric} requires probabilities in [0, 1]; ${arrayName}[${i}] is ${v}`);
}
