/**
 * Per-group confusion counts in one pass, and the per-group rates derived from them.
 *
 * Every fairness number of a binary classifier is a function of four counts per group
 * (TN, FP, FN, TP), so the engine reads the rows once into a small `Float64Array` and works on
 * that. The bootstrap reuses the same layout for each resample.
 */
import type { GroupColumn } from './groups';

/** Offsets inside a group's four cells. The cell of a row is 2·y + ŷ. */
export const TN = 0;
export const FP = 1;
export const FN = 2;
export const TP = 3;

/** Confusion counts of the groups that have at least one row. */
export interface GroupCounts {
  /** Names of the groups present in the data, in code order (the order of `GroupColumn.names`). */
  readonly names: readonly string[];
  /** Four counts per group: `cells[4g + TN|FP|FN|TP]`, i.e. index 4g + 2·y + ŷ. */
  readonly cells: Float64Array;
}

/** Rows encoded for resampling and per-group sorting. */
export interface EncodedRows extends GroupCounts {
  /** Per row, its compact group index g (into `names`). */
  readonly rowGroup: Int32Array;
  /** Per row, its cell 4g + 2·y + ŷ. */
  readonly rowCell: Int32Array;
}

/** Per-group metrics (the JSON shape of `groups[name]` in an audit). */
export interface GroupMetrics {
  /** Rows in the group. */
  n: number;
  /** P(ŷ=1 | g) = (TP+FP)/n. */
  selectionRate: number;
  /** P(y=1 | g) = (TP+FN)/n, the prevalence. */
  baseRate: number;
  /** (TP+TN)/n. */
  accuracy: number;
  /** TP/(TP+FN); 0 when the group has no actual positives (Fairlearn), and the group is flagged. */
  tpr: number;
  /** FP/(FP+TN); 0 when the group has no actual negatives (Fairlearn), and the group is flagged. */
  fpr: number;
  /** FN/(TP+FN); 0 when the group has no actual positives (Fairlearn: sklearn's normalized confusion matrix maps 0/0 to 0). */
  fnr: number;
  /** TN/(FP+TN); 0 when the group has no actual negatives (same convention). */
  tnr: number;
  /** TP/(TP+FP); 0 when the group has no predicted positives (sklearn zero_division=0), and the group is flagged. */
  precision: number;
  /** ROC AUC of the scores within the group (Mann–Whitney, ties ½); null without scores or when the group has one class. */
  rocAuc: number | null;
}

function checkLengths(what: string, n: number, arrays: Record<string, { length: number } | undefined>): void {
  for (const [name, a] of Object.entries(arrays)) {
    if (a !== undefined && a.length !== n) {
      throw new Error(`${what}: ${name} has ${a.length} rows but yTrue has ${n}`);
    }
  }
}

/**
 * Counts TN/FP/FN/TP per group in one pass over the rows.
 *
 * - `yTrue` and `yPred` hold 0/1; any other value throws.
 * - Codes must lie in 0..names.length−1; groups with no rows are dropped (a group exists only
 *   if it has rows), so `names` of the result may be shorter than `column.names`.
 * - Lengths must agree.
 */
export function countByGroup(yTrue: Uint8Array, yPred: Uint8Array, column: GroupColumn): GroupCounts {
  return countRaw(yTrue, yPred, column).counts;
}

interface RawCount {
  counts: GroupCounts;
  /** Code → compact group index, −1 for codes with no rows. */
  compact: Int32Array;
}

function countRaw(yTrue: Uint8Array, yPred: Uint8Array, column: GroupColumn): RawCount {
  const n = yTrue.length;
  checkLengths('countByGroup', n, { yPred, 'the sensitive column': column.codes });
  const G = column.names.length;
  const raw = new Float64Array(4 * G);
  const codes = column.codes;
  for (let i = 0; i < n; i++) {
    const y = yTrue[i];
    const p = yPred[i];
    const c = codes[i];
    if ((y | p) > 1) throw new Error(`row ${i}: yTrue and yPred must be 0 or 1 (got ${y}, ${p})`);
    if (c >>> 0 >= G) throw new Error(`row ${i}: group code ${c} is outside 0..${G - 1}`);
    raw[(c << 2) | (y << 1) | p]++;
  }
  const compact = new Int32Array(G).fill(-1);
  const names: string[] = [];
  for (let c = 0; c < G; c++) {
    if (raw[4 * c] + raw[4 * c + 1] + raw[4 * c + 2] + raw[4 * c + 3] > 0) {
      compact[c] = names.length;
      names.push(column.names[c]);
    }
  }
  if (names.length === G) return { counts: { names, cells: raw }, compact };
  const cells = new Float64Array(4 * names.length);
  for (let c = 0; c < G; c++) {
    const g = compact[c];
    if (g >= 0) cells.set(raw.subarray(4 * c, 4 * c + 4), 4 * g);
  }
  return { counts: { names, cells }, compact };
}

/**
 * Overall confusion counts [TN, FP, FN, TP] of 0/1 labels in one pass (index 2·y + ŷ).
 * Throws on mismatched lengths or a value other than 0/1.
 */
export function countConfusion(yTrue: Uint8Array, yPred: Uint8Array): [tn: number, fp: number, fn: number, tp: number] {
  const n = yTrue.length;
  checkLengths('countConfusion', n, { yPred });
  const c: [number, number, number, number] = [0, 0, 0, 0];
  for (let i = 0; i < n; i++) {
    const y = yTrue[i];
    const p = yPred[i];
    if ((y | p) > 1) throw new Error(`row ${i}: yTrue and yPred must be 0 or 1 (got ${y}, ${p})`);
    c[(y << 1) | p]++;
  }
  return c;
}

/** {@link countByGroup}, plus each row's compact group and cell (for the bootstrap and per-group ROC AUC). */
export function encodeRows(yTrue: Uint8Array, yPred: Uint8Array, column: GroupColumn): EncodedRows {
  const { counts, compact } = countRaw(yTrue, yPred, column);
  const n = yTrue.length;
  const rowGroup = new Int32Array(n);
  const rowCell = new Int32Array(n);
  const codes = column.codes;
  for (let i = 0; i < n; i++) {
    const g = compact[codes[i]];
    rowGroup[i] = g;
    rowCell[i] = (g << 2) | (yTrue[i] << 1) | yPred[i];
  }
  return { names: counts.names, cells: counts.cells, rowGroup, rowCell };
}

/** a/b, or `fallback` when b = 0. */
function div(a: number, b: number, fallback: number): number {
  return b === 0 ? fallback : a / b;
}

/**
 * The rates of group g (index into `counts.names`) under the Fairlearn/sklearn conventions
 * documented on {@link GroupMetrics}. `rocAuc` is left null; see {@link rocAucByGroup}.
 */
export function groupMetricsAt(counts: GroupCounts, g: number): GroupMetrics {
  const c = counts.cells;
  const tn = c[4 * g + TN];
  const fp = c[4 * g + FP];
  const fn = c[4 * g + FN];
  const tp = c[4 * g + TP];
  const n = tn + fp + fn + tp;
  const pos = tp + fn;
  const neg = tn + fp;
  return {
    n,
    selectionRate: div(tp + fp, n, 0),
    baseRate: div(pos, n, 0),
    accuracy: div(tp + tn, n, 0),
    tpr: div(tp, pos, 0),
    fpr: div(fp, neg, 0),
    fnr: div(fn, pos, 0),
    tnr: div(tn, neg, 0),
    precision: div(tp, tp + fp, 0),
    rocAuc: null,
  };
}

/**
 * ROC AUC from two score samples: the probability that a random positive scores above a random
 * negative, ties counted ½ (Mann–Whitney U / (n₊·n₋)); equal to sklearn's `roc_auc_score`.
 * Null when either sample is empty. Sorts its arguments in place.
 */
export function aucFromSamples(pos: Float64Array, neg: Float64Array): number | null {
  if (pos.length === 0 || neg.length === 0) return null;
  pos.sort();
  neg.sort();
  let below = 0; // negatives with a score < the current positive's
  let atOrBelow = 0; // negatives with a score ≤ the current positive's
  let u = 0;
  for (let i = 0; i < pos.length; i++) {
    const s = pos[i];
    while (below < neg.length && neg[below] < s) below++;
    if (atOrBelow < below) atOrBelow = below;
    while (atOrBelow < neg.length && neg[atOrBelow] <= s) atOrBelow++;
    u += below + (atOrBelow - below) / 2;
  }
  return u / (pos.length * neg.length);
}

/**
 * ROC AUC per group (see {@link aucFromSamples}), null for a group with one class.
 *
 * Method: the scores are split by (group, label) into typed arrays, each is sorted natively, and
 * positives are merged against negatives; O(n log n) overall. Scores must be finite (sklearn
 * rejects NaN and infinity too); otherwise this throws.
 */
export function rocAucByGroup(yTrue: Uint8Array, scores: Float64Array, rows: EncodedRows): (number | null)[] {
  const n = yTrue.length;
  checkLengths('rocAucByGroup', n, { scores, rowGroup: rows.rowGroup });
  const G = rows.names.length;
  const pos: Float64Array[] = [];
  const neg: Float64Array[] = [];
  for (let g = 0; g < G; g++) {
    pos.push(new Float64Array(rows.cells[4 * g + FN] + rows.cells[4 * g + TP]));
    neg.push(new Float64Array(rows.cells[4 * g + TN] + rows.cells[4 * g + FP]));
  }
  const fillPos = new Int32Array(G);
  const fillNeg = new Int32Array(G);
  for (let i = 0; i < n; i++) {
    const s = scores[i];
    if (!Number.isFinite(s)) throw new Error(`row ${i}: score must be a finite number (got ${s})`);
    const g = rows.rowGroup[i];
    if (yTrue[i] === 1) pos[g][fillPos[g]++] = s;
    else neg[g][fillNeg[g]++] = s;
  }
  return pos.map((p, g) => aucFromSamples(p, neg[g]));
}
