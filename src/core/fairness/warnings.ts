/**
 * Machine-readable warnings about unreliable fairness numbers.
 */
import { FN, FP, TN, TP, type GroupCounts } from './counts';

/**
 * - `small-group`: fewer rows than `minGroupSize` (default 30); its rates are noisy.
 * - `no-positives`: no actual positives, so TPR and FNR were set to 0 by convention.
 * - `no-negatives`: no actual negatives, so FPR and TNR were set to 0 by convention.
 * - `no-predicted-positives`: nothing predicted positive, so precision was set to 0 by convention.
 * - `single-group`: the column has one group, so no disparity can be computed (they are null).
 * - `privileged-absent`: the privileged value has no rows, so the signed metrics are null.
 * - `unprivileged-absent`: every row has the privileged value, so the signed metrics are null.
 */
export type FairnessWarningKind =
  | 'small-group'
  | 'no-positives'
  | 'no-negatives'
  | 'no-predicted-positives'
  | 'single-group'
  | 'privileged-absent'
  | 'unprivileged-absent';

export interface FairnessWarning {
  kind: FairnessWarningKind;
  /** The group concerned (for the privileged kinds, the privileged value). */
  group: string;
  /** One sentence for people, naming the column when it is known. */
  message: string;
}

/** Default minimum group size below which a group is flagged. */
export const DEFAULT_MIN_GROUP_SIZE = 30;

function where(column: string | undefined): string {
  return column === undefined ? '' : ` of ${column}`;
}

/** `small-group` warnings for groups with fewer than `minGroupSize` rows. */
export function smallGroupWarnings(
  names: readonly string[],
  sizes: ArrayLike<number>,
  minGroupSize: number,
  column?: string,
): FairnessWarning[] {
  const out: FairnessWarning[] = [];
  names.forEach((group, g) => {
    if (sizes[g] < minGroupSize) {
      out.push({
        kind: 'small-group',
        group,
        message: `Group "${group}"${where(column)} has ${sizes[g]} rows (fewer than ${minGroupSize}); its rates are unreliable.`,
      });
    }
  });
  return out;
}

/** All per-group warnings of a binary audit, group by group, in group order. */
export function groupWarnings(counts: GroupCounts, minGroupSize: number, column?: string): FairnessWarning[] {
  const out: FairnessWarning[] = [];
  const c = counts.cells;
  const sizes = counts.names.map((_, g) => c[4 * g + TN] + c[4 * g + FP] + c[4 * g + FN] + c[4 * g + TP]);
  const small = smallGroupWarnings(counts.names, sizes, minGroupSize, column);
  counts.names.forEach((group, g) => {
    const s = small.find((w) => w.group === group);
    if (s) out.push(s);
    const at = `Group "${group}"${where(column)}`;
    if (c[4 * g + TP] + c[4 * g + FN] === 0) {
      out.push({ kind: 'no-positives', group, message: `${at} has no actual positives; its TPR and FNR are reported as 0 by convention.` });
    }
    if (c[4 * g + TN] + c[4 * g + FP] === 0) {
      out.push({ kind: 'no-negatives', group, message: `${at} has no actual negatives; its FPR and TNR are reported as 0 by convention.` });
    }
    if (c[4 * g + TP] + c[4 * g + FP] === 0) {
      out.push({ kind: 'no-predicted-positives', group, message: `${at} has no predicted positives; its precision is reported as 0 by convention.` });
    }
  });
  return out;
}

/** The `single-group` warning. */
export function singleGroupWarning(group: string, column?: string): FairnessWarning {
  return {
    kind: 'single-group',
    group,
    message: `The sensitive column${column === undefined ? '' : ` ${column}`} has a single group ("${group}"); disparities need at least two groups and are undefined.`,
  };
}
