/**
 * Signed privileged-vs-unprivileged metrics with AIF360's semantics (`ClassificationMetric`).
 *
 * p is the privileged group (the rows whose sensitive value equals the privileged value) and
 * u the unprivileged group: every other row, including the "(missing)" group.
 *
 * Unlike the Fairlearn-style table, rates here are raw AIF360 ratios: TPR_u is undefined when u
 * has no actual positives, and so on. Any metric that needs an undefined rate, or divides by 0,
 * is null (AIF360 would give NaN or Infinity). A negative difference means u is worse off.
 */
import { FN, FP, TN, TP, type GroupCounts } from './counts';

export const SIGNED_METRICS = [
  'statisticalParityDifference',
  'disparateImpact',
  'equalOpportunityDifference',
  'averageOddsDifference',
] as const;
export type SignedMetric = (typeof SIGNED_METRICS)[number];

/** The `signed` block of an audit. */
export interface SignedMetrics {
  /** The privileged value. */
  privileged: string;
  /** SR_u − SR_p, in [−1, 1]; 0 = parity. */
  statisticalParityDifference: number | null;
  /** SR_u / SR_p, ≥ 0; 1 = parity; null when SR_p = 0. */
  disparateImpact: number | null;
  /** TPR_u − TPR_p (METRICS.md's equalOpportunityDifferenceSigned), in [−1, 1]. */
  equalOpportunityDifference: number | null;
  /** ½[(FPR_u − FPR_p) + (TPR_u − TPR_p)], in [−1, 1]. */
  averageOddsDifference: number | null;
}

/** Confusion counts of two row sets: privileged (p) and unprivileged (u). */
export interface PrivilegedSplit {
  p: [tn: number, fp: number, fn: number, tp: number];
  u: [tn: number, fp: number, fn: number, tp: number];
}

/** Splits per-group counts into privileged (group `privilegedIndex`) and all other groups. */
export function splitPrivileged(cells: Float64Array, G: number, privilegedIndex: number): PrivilegedSplit {
  const p: PrivilegedSplit['p'] = [0, 0, 0, 0];
  const u: PrivilegedSplit['u'] = [0, 0, 0, 0];
  for (let g = 0; g < G; g++) {
    const target = g === privilegedIndex ? p : u;
    target[TN] += cells[4 * g + TN];
    target[FP] += cells[4 * g + FP];
    target[FN] += cells[4 * g + FN];
    target[TP] += cells[4 * g + TP];
  }
  return { p, u };
}

/** a/b, NaN when b = 0 (internal sentinel; converted to null at the API boundary). */
function q(a: number, b: number): number {
  return b === 0 ? NaN : a / b;
}

/**
 * The four signed metrics from a cells array into `out` (order of {@link SIGNED_METRICS}), NaN
 * where undefined. `privilegedIndex` −1 means the privileged value has no rows.
 * @internal
 */
export function signedInto(cells: Float64Array, G: number, privilegedIndex: number, out: Float64Array, offset: number): void {
  const { p, u } = splitPrivileged(cells, G, privilegedIndex);
  const srP = q(p[TP] + p[FP], p[TN] + p[FP] + p[FN] + p[TP]);
  const srU = q(u[TP] + u[FP], u[TN] + u[FP] + u[FN] + u[TP]);
  const tprP = q(p[TP], p[TP] + p[FN]);
  const tprU = q(u[TP], u[TP] + u[FN]);
  const fprP = q(p[FP], p[FP] + p[TN]);
  const fprU = q(u[FP], u[FP] + u[TN]);
  out[offset] = srU - srP;
  out[offset + 1] = srP === 0 ? NaN : srU / srP;
  out[offset + 2] = tprU - tprP;
  // Same operation order as AIF360: 0.5 * (difference(FPR) + difference(TPR)).
  out[offset + 3] = 0.5 * ((fprU - fprP) + (tprU - tprP));
}

/**
 * The index of the privileged group in `names` for {@link signedInto} and the bootstrap:
 * −1 when no privileged value is given, −2 when it is given but has no rows.
 * @internal
 */
export function privilegedIndexOf(names: readonly string[], privileged: string | undefined): number {
  if (privileged === undefined) return -1;
  const i = names.indexOf(privileged);
  return i < 0 ? -2 : i;
}

const nullIfNaN = (x: number): number | null => (Number.isNaN(x) ? null : x);

/**
 * AIF360's signed metrics for `privileged` vs all other rows.
 * If no row has the privileged value (or every row has it), every metric is null.
 */
export function signedMetrics(counts: GroupCounts, privileged: string): SignedMetrics {
  const out = new Float64Array(4);
  signedInto(counts.cells, counts.names.length, counts.names.indexOf(privileged), out, 0);
  return {
    privileged,
    statisticalParityDifference: nullIfNaN(out[0]),
    disparateImpact: nullIfNaN(out[1]),
    equalOpportunityDifference: nullIfNaN(out[2]),
    averageOddsDifference: nullIfNaN(out[3]),
  };
}
