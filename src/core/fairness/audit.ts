/**
 * The high-level fairness audit of a binary classifier: one JSON-ready {@link ColumnAudit} per
 * sensitive column (the CLI prints it verbatim with --json), and {@link overallBinary}.
 */
import { bootstrapFromRows, type BootstrapInfo, type BootstrapOptions } from './bootstrap';
import {
  aucFromSamples,
  countByGroup,
  countConfusion,
  encodeRows,
  groupMetricsAt,
  rocAucByGroup,
  type EncodedRows,
  type GroupCounts,
  type GroupMetrics,
} from './counts';
import { disparities, type Disparities, type DisparityMetric, type Extremes } from './disparities';
import type { GroupColumn } from './groups';
import { privilegedIndexOf, signedMetrics, type SignedMetrics } from './signed';
import { theilIndexByGroup } from './theil';
import { DEFAULT_MIN_GROUP_SIZE, groupWarnings, singleGroupWarning, type FairnessWarning } from './warnings';

/**
 * The predictions of a binary classifier. All arrays have one entry per row.
 * - `yTrue`, `yPred`: 0/1 (1 = the positive class); any other value throws.
 * - `scores`: optional finite scores or probabilities for the positive class (for ROC AUC).
 */
export interface BinaryData {
  yTrue: Uint8Array;
  yPred: Uint8Array;
  scores?: Float64Array;
}

export interface AuditOptions {
  /** Privileged value of the column: adds the signed AIF360 metrics (that value vs all other rows). */
  privileged?: string;
  /** Groups with fewer rows are flagged `small-group` (default 30). */
  minGroupSize?: number;
  /** Bootstrap confidence intervals: `true` for the defaults, or options. Off by default. */
  bootstrap?: boolean | BootstrapOptions;
}

/** The audit of one sensitive column. Every number is finite or null, never NaN or Infinity. */
export interface ColumnAudit extends Record<DisparityMetric, number | null> {
  /** Per-group metrics, keyed by group name, in group order. */
  groups: Record<string, GroupMetrics>;
  /** Only when a privileged value was given. */
  signed?: SignedMetrics;
  /**
   * Only when the bootstrap was requested: metric → [low, high] (null when every resample was
   * skipped), for the seven disparities, then (with a privileged value) statisticalParityDifference,
   * disparateImpact, equalOpportunityDifferenceSigned, averageOddsDifference, then theilIndex.
   */
  intervals?: Record<string, [number, number] | null>;
  /** Only when the bootstrap was requested: settings and skipped-resample counts. */
  bootstrap?: BootstrapInfo;
  /** For each disparity, the groups at the min and max of the rate that drives it; null with one group. */
  extremes: Record<DisparityMetric, Extremes> | null;
  /** Theil index overall, between groups, and within each group (see theil.ts). */
  theilIndex: { overall: number | null; betweenGroups: number | null; groups: Record<string, number | null> };
  warnings: FairnessWarning[];
}

function checkData(what: string, data: BinaryData, column?: GroupColumn): void {
  const n = data.yTrue.length;
  if (n === 0) throw new Error(`${what} requires at least one row`);
  if (data.yPred.length !== n) throw new Error(`${what}: yPred has ${data.yPred.length} rows but yTrue has ${n}`);
  if (data.scores && data.scores.length !== n) throw new Error(`${what}: scores has ${data.scores.length} rows but yTrue has ${n}`);
  if (column && column.codes.length !== n) {
    throw new Error(`${what}: the sensitive column${column.name ? ` ${column.name}` : ''} has ${column.codes.length} rows but yTrue has ${n}`);
  }
}

const NULL_DISPARITIES: Disparities = {
  demographicParityDifference: null,
  demographicParityRatio: null,
  equalizedOddsDifference: null,
  equalizedOddsRatio: null,
  equalOpportunityDifference: null,
  equalOpportunityRatio: null,
  disparateImpactRatio: null,
};

/**
 * Audits one sensitive column.
 *
 * - Counts per group in one pass; per-group rates use the Fairlearn conventions (TPR/FNR 0 without
 *   actual positives, FPR/TNR 0 without actual negatives, precision 0 without predicted positives),
 *   and each such group gets a warning, as does any group smaller than `minGroupSize`.
 * - Disparities follow Fairlearn (`between_groups`); a ratio with a 0 denominator is null.
 * - With a single group, the disparities and `extremes` are null and a `single-group` warning is
 *   added (the low-level functions throw instead).
 * - With `privileged`, adds the AIF360 `signed` block; if that value has no rows (or every row
 *   has it) its metrics are null and a warning says why.
 * - With `bootstrap`, adds `intervals` and `bootstrap` (see bootstrap.ts).
 */
export function auditColumn(data: BinaryData, column: GroupColumn, options: AuditOptions = {}): ColumnAudit {
  checkData('auditColumn', data, column);
  const minGroupSize = options.minGroupSize ?? DEFAULT_MIN_GROUP_SIZE;
  // The per-row encoding (a second pass) is only needed for ROC AUC and the bootstrap.
  const encoded: EncodedRows | null = data.scores || options.bootstrap ? encodeRows(data.yTrue, data.yPred, column) : null;
  const rows: GroupCounts = encoded ?? countByGroup(data.yTrue, data.yPred, column);
  const names = rows.names;
  const G = names.length;
  const aucs = data.scores && encoded ? rocAucByGroup(data.yTrue, data.scores, encoded) : null;
  const groups = Object.fromEntries(
    names.map((name, g) => {
      const m = groupMetricsAt(rows, g);
      m.rocAuc = aucs ? aucs[g] : null;
      return [name, m];
    }),
  );
  const warnings = groupWarnings(rows, minGroupSize, column.name);
  let values = NULL_DISPARITIES;
  let extremes: Record<DisparityMetric, Extremes> | null = null;
  if (G >= 2) {
    const d = disparities(rows);
    values = d.values;
    extremes = d.extremes;
  } else {
    warnings.push(singleGroupWarning(names[0], column.name));
  }

  let signed: SignedMetrics | undefined;
  if (options.privileged !== undefined) {
    const privileged = options.privileged;
    signed = signedMetrics(rows, privileged);
    const at = column.name === undefined ? '' : ` of ${column.name}`;
    if (!names.includes(privileged)) {
      warnings.push({
        kind: 'privileged-absent',
        group: privileged,
        message: `The privileged value "${privileged}"${at} does not occur in the data; the signed metrics are undefined.`,
      });
    } else if (G === 1) {
      warnings.push({
        kind: 'unprivileged-absent',
        group: privileged,
        message: `Every row${at} has the privileged value "${privileged}"; the signed metrics are undefined.`,
      });
    }
  }
  const boot = options.bootstrap && encoded
    ? bootstrapFromRows(encoded.rowCell, G, privilegedIndexOf(names, options.privileged), options.bootstrap === true ? {} : options.bootstrap)
    : undefined;
  // Key order is the JSON order the CLI prints.
  return {
    groups,
    ...values,
    ...(signed ? { signed } : {}),
    ...(boot ? { intervals: boot.intervals, bootstrap: boot.info } : {}),
    extremes,
    theilIndex: theilIndexByGroup(rows),
    warnings,
  };
}

/**
 * Audits several sensitive columns (each must have a distinct `name`), keyed by column name.
 * `privileged` maps a column name to its privileged value.
 */
export function auditColumns(
  data: BinaryData,
  columns: readonly GroupColumn[],
  options: Omit<AuditOptions, 'privileged'> & { privileged?: Readonly<Record<string, string>> } = {},
): Record<string, ColumnAudit> {
  const out: [string, ColumnAudit][] = [];
  const seen = new Set<string>();
  for (const column of columns) {
    if (column.name === undefined) throw new Error('auditColumns: every sensitive column needs a name');
    if (seen.has(column.name)) throw new Error(`auditColumns: the sensitive column ${column.name} is given twice`);
    seen.add(column.name);
    const privileged = options.privileged && Object.hasOwn(options.privileged, column.name) ? options.privileged[column.name] : undefined;
    out.push([column.name, auditColumn(data, column, { ...options, privileged })]);
  }
  return Object.fromEntries(out);
}

/** Overall performance of a binary classifier (scikit-learn semantics). */
export interface OverallBinary {
  /** (TP+TN)/n. */
  accuracy: number;
  /**
   * sklearn's balanced_accuracy_score: the mean recall over the classes present in yTrue, i.e.
   * (TPR+TNR)/2, or just TNR (TPR) when yTrue has no positives (negatives).
   */
  balancedAccuracy: number;
  /** TP/(TP+FP); 0 when nothing is predicted positive. */
  precision: number;
  /** TP/(TP+FN); 0 when there are no actual positives. */
  recall: number;
  /** 2·TP/(2·TP+FP+FN) (= 2PR/(P+R)); 0 when P+R = 0. */
  f1: number;
  /** (TP+FP)/n. */
  selectionRate: number;
  /** (TP+FN)/n. */
  baseRate: number;
  /** ROC AUC (Mann–Whitney, ties ½); null without scores or when yTrue has one class. */
  rocAuc: number | null;
  tp: number;
  fp: number;
  tn: number;
  fn: number;
}

/** Overall binary metrics; throws on empty input, mismatched lengths, or labels other than 0/1. */
export function overallBinary(yTrue: Uint8Array, yPred: Uint8Array, scores?: Float64Array): OverallBinary {
  checkData('overallBinary', { yTrue, yPred, scores });
  const [tn, fp, fn, tp] = countConfusion(yTrue, yPred);
  const n = yTrue.length;
  const pos = tp + fn;
  const neg = tn + fp;
  const precision = tp + fp === 0 ? 0 : tp / (tp + fp);
  const recall = pos === 0 ? 0 : tp / pos;
  const tnr = neg === 0 ? 0 : tn / neg;
  const balancedAccuracy = pos === 0 ? tnr : neg === 0 ? recall : (recall + tnr) / 2;
  let rocAuc: number | null = null;
  if (scores) {
    const ps = new Float64Array(pos);
    const ns = new Float64Array(neg);
    let a = 0, b = 0;
    for (let i = 0; i < n; i++) {
      const s = scores[i];
      if (!Number.isFinite(s)) throw new Error(`row ${i}: score must be a finite number (got ${s})`);
      if (yTrue[i] === 1) ps[a++] = s;
      else ns[b++] = s;
    }
    rocAuc = aucFromSamples(ps, ns);
  }
  return {
    accuracy: (tp + tn) / n,
    balancedAccuracy,
    precision,
    recall,
    f1: 2 * tp + fp + fn === 0 ? 0 : (2 * tp) / (2 * tp + fp + fn),
    selectionRate: (tp + fp) / n,
    baseRate: pos / n,
    rocAuc,
    tp,
    fp,
    tn,
    fn,
  };
}
