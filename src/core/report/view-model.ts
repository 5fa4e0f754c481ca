/**
 * What the report views and exports read from a run record, beyond the core RunRecord fields:
 * the optional fairness sections (`fairness`, `gate`, `sweep`, `mitigation`), narrowed from the
 * JSON with light checks, and the formatting and threshold rules shared by the webview and the
 * HTML/Markdown exports. Pure: no Node, no DOM, no vscode (the webview bundles it).
 *
 * Rules shared by every view:
 * - a null metric is shown as "undefined" (a ratio with a 0 denominator, a single group, …);
 * - a threshold from `fairness.thresholds` is a maximum for differences and a minimum for ratios
 *   (signed differences: a maximum on the absolute value), as in the gate;
 * - an undefined metric with a threshold fails, as in the gate.
 */
import { DISPARITY_METRICS } from '../fairness/disparities';
import type { GroupMetrics } from '../fairness/counts';
import type { Extremes } from '../fairness/disparities';
import { GATE_METRICS } from '../fairness/gate';
import { barChart, lineChart, whiskerChart, type SvgNode } from './svg';
import type { EpochLog, RunRecord } from './types';

/** The seven Fairlearn-style disparities, in display order (the fairness module's list). */
export const DISPARITY_KEYS = DISPARITY_METRICS;

/** People's names of metrics (for tables); unknown keys are shown as they are. */
export const METRIC_LABELS: Readonly<Record<string, string>> = {
  accuracy: 'Accuracy',
  balancedAccuracy: 'Balanced accuracy',
  precision: 'Precision',
  recall: 'Recall',
  f1: 'F1',
  rocAuc: 'ROC AUC',
  averagePrecision: 'Average precision',
  logLoss: 'Log loss',
  brier: 'Brier score',
  ece: 'Expected calibration error',
  precisionMacro: 'Precision (macro)',
  recallMacro: 'Recall (macro)',
  f1Macro: 'F1 (macro)',
  precisionWeighted: 'Precision (weighted)',
  recallWeighted: 'Recall (weighted)',
  f1Weighted: 'F1 (weighted)',
  mse: 'MSE',
  rmse: 'RMSE',
  mae: 'MAE',
  r2: 'R²',
  demographicParityDifference: 'Demographic parity difference',
  demographicParityRatio: 'Demographic parity ratio',
  equalizedOddsDifference: 'Equalized odds difference',
  equalizedOddsRatio: 'Equalized odds ratio',
  equalOpportunityDifference: 'Equal opportunity difference',
  equalOpportunityRatio: 'Equal opportunity ratio',
  disparateImpactRatio: 'Disparate impact ratio',
  statisticalParityDifference: 'Statistical parity difference',
  disparateImpact: 'Disparate impact',
  equalOpportunityDifferenceSigned: 'Equal opportunity difference (signed)',
  averageOddsDifference: 'Average odds difference',
  meanPredictionDifference: 'Mean prediction difference',
  meanPredictionRatio: 'Mean prediction ratio',
  maeDifference: 'MAE difference',
  theilIndex: 'Theil index',
  n: 'Rows',
  selectionRate: 'Selection rate',
  baseRate: 'Base rate',
  tpr: 'TPR',
  fpr: 'FPR',
  fnr: 'FNR',
  tnr: 'TNR',
};

/** Metrics where a lower value is better (for deltas in the compare view). */
const LOWER_IS_BETTER = new Set(['logLoss', 'brier', 'ece', 'mse', 'rmse', 'mae']);

export function metricLabel(key: string): string {
  return METRIC_LABELS[key] ?? key;
}

/** Per-column fairness audit as the views read it (the engine's ColumnAudit, fields optional where old runs lack them). */
export interface FairnessColumn {
  /** Per group: n and the rates (binary) or meanPrediction, meanTrue, mae (regression). */
  groups: Record<string, Partial<GroupMetrics> & { n: number; meanPrediction?: number | null; meanTrue?: number | null; mae?: number | null }>;
  /** The disparities and any other column-level number (e.g. regression audits), null = undefined. */
  values: Record<string, number | null>;
  signed?: { privileged: string } & Record<string, number | null | string>;
  intervals?: Record<string, [number, number] | null>;
  extremes?: Record<string, Extremes> | null;
  warnings: { kind: string; group: string; message: string }[];
}

export interface GateFailureView {
  metric: string;
  column: string | null;
  value: number | null;
  limit: number;
  op?: string;
  message?: string;
}

export interface GateView {
  passed: boolean;
  failures: GateFailureView[];
}

/** Per-group rates aligned with `ThresholdSweep.thresholds`. */
export interface SweepRates {
  selectionRate: number[];
  tpr: number[];
  fpr: number[];
  precision: number[];
}

/**
 * The per-group threshold sweep for the what-if slider: for each sensitive column and group, the
 * rates at every threshold of `thresholds` (increasing, in [0, 1]).
 * run.json may store it as `{ thresholds, columns: { column: { group: rates } } }` or as
 * `{ column: { thresholds, groups: { group: rates } } }`; {@link readSweep} accepts both.
 */
export interface ThresholdSweep {
  thresholds: number[];
  columns: Record<string, Record<string, SweepRates>>;
}

export interface MitigationSide {
  metrics: Record<string, number | null>;
  fairness: Record<string, FairnessColumn>;
  gate?: GateView;
}

/** A group's decision rule after post-processing, in words (e.g. "score ≥ 0.300"). */
export interface GroupRuleView {
  rule: string;
  /** 'fitted', or 'global' when the group kept the global threshold. */
  source: string;
}

export interface MitigationView {
  method: string;
  /** The sensitive columns whose (intersected) groups the mitigation used. */
  columns: string[];
  description?: string;
  before: MitigationSide;
  after: MitigationSide;
  /** Post-processing: each group's decision rule. */
  rules?: Record<string, GroupRuleView>;
  /** Reweighing: the weight of each (group, label) cell of the training split. */
  weights?: { group: string; label: number; n: number; weight: number }[];
  fitOn?: string;
  fitRows?: number;
  randomized?: boolean;
  seed?: number;
  warnings: string[];
}

/** The optional sections of a run record, narrowed. Absent sections are undefined. */
export interface ReportExtras {
  fairness?: Record<string, FairnessColumn>;
  gate?: GateView;
  sweep?: ThresholdSweep;
  mitigation?: MitigationView;
}

type Json = Record<string, unknown>;

function isObject(x: unknown): x is Json {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

function num(x: unknown): number | null {
  return typeof x === 'number' && Number.isFinite(x) ? x : null;
}

function numArray(x: unknown): number[] | null {
  return Array.isArray(x) && x.every((v) => typeof v === 'number' && Number.isFinite(v)) ? (x as number[]) : null;
}

const COLUMN_META = new Set(['groups', 'signed', 'intervals', 'extremes', 'warnings', 'bootstrap', 'theilIndex']);

/** Narrows one column's audit; null when it has no `groups` object. */
export function readFairnessColumn(x: unknown): FairnessColumn | null {
  if (!isObject(x) || !isObject(x.groups)) return null;
  const groups: FairnessColumn['groups'] = {};
  for (const [name, g] of Object.entries(x.groups)) {
    if (!isObject(g)) continue;
    const out: Record<string, number | null> = {};
    for (const [k, v] of Object.entries(g)) if (typeof v === 'number' || v === null) out[k] = num(v);
    groups[name] = { ...out, n: num(g.n) ?? 0 } as FairnessColumn['groups'][string];
  }
  const values: Record<string, number | null> = {};
  for (const [k, v] of Object.entries(x)) {
    if (COLUMN_META.has(k)) continue;
    if (typeof v === 'number' || v === null) values[k] = num(v);
  }
  if (isObject(x.theilIndex) && ('overall' in x.theilIndex)) values.theilIndex = num(x.theilIndex.overall);
  else if (typeof x.theilIndex === 'number') values.theilIndex = num(x.theilIndex);
  const col: FairnessColumn = { groups, values, warnings: [] };
  if (isObject(x.signed) && typeof x.signed.privileged === 'string') {
    const signed: FairnessColumn['signed'] = { privileged: x.signed.privileged };
    for (const [k, v] of Object.entries(x.signed)) if (k !== 'privileged') signed[k] = num(v);
    col.signed = signed;
  }
  if (isObject(x.intervals)) {
    const intervals: Record<string, [number, number] | null> = {};
    for (const [k, v] of Object.entries(x.intervals)) {
      const a = numArray(v);
      intervals[k] = a && a.length === 2 ? [a[0], a[1]] : null;
    }
    col.intervals = intervals;
  }
  if (isObject(x.extremes)) {
    const extremes: Record<string, Extremes> = {};
    for (const [k, v] of Object.entries(x.extremes)) {
      if (isObject(v) && typeof v.min === 'string' && typeof v.max === 'string' && typeof v.rate === 'string') {
        extremes[k] = { rate: v.rate as Extremes['rate'], min: v.min, max: v.max };
      }
    }
    col.extremes = extremes;
  }
  if (Array.isArray(x.warnings)) {
    for (const w of x.warnings) {
      if (isObject(w) && typeof w.message === 'string') {
        col.warnings.push({ kind: String(w.kind ?? ''), group: String(w.group ?? ''), message: w.message });
      }
    }
  }
  return col;
}

function readFairness(x: unknown): Record<string, FairnessColumn> | undefined {
  if (!isObject(x)) return undefined;
  const out: Record<string, FairnessColumn> = {};
  for (const [column, audit] of Object.entries(x)) {
    // A multiclass audit holds one one-vs-rest audit per class: shown as "<column> · class <name>",
    // the subject name the gate uses.
    if (isObject(audit) && isObject(audit.classes) && !isObject(audit.groups)) {
      for (const [cls, a] of Object.entries(audit.classes)) {
        const c = readFairnessColumn(a);
        if (c) out[`${column} · class ${cls}`] = c;
      }
      continue;
    }
    const c = readFairnessColumn(audit);
    if (c) out[column] = c;
  }
  return Object.keys(out).length > 0 ? out : undefined;
}

function readGate(x: unknown): GateView | undefined {
  if (!isObject(x) || typeof x.passed !== 'boolean') return undefined;
  const failures: GateFailureView[] = [];
  if (Array.isArray(x.failures)) {
    for (const f of x.failures) {
      if (!isObject(f) || typeof f.metric !== 'string') continue;
      failures.push({
        metric: f.metric,
        column: typeof f.column === 'string' ? f.column : null,
        value: num(f.value),
        limit: num(f.limit) ?? NaN,
        ...(typeof f.op === 'string' ? { op: f.op } : {}),
        ...(typeof f.message === 'string' ? { message: f.message } : {}),
      });
    }
  }
  return { passed: x.passed, failures };
}

function readRates(x: unknown, length: number): SweepRates | null {
  if (!isObject(x)) return null;
  const r = { selectionRate: numArray(x.selectionRate), tpr: numArray(x.tpr), fpr: numArray(x.fpr), precision: numArray(x.precision) };
  if (!r.selectionRate || !r.tpr || !r.fpr) return null;
  const precision = r.precision ?? [];
  if ([r.selectionRate, r.tpr, r.fpr].some((a) => a.length !== length)) return null;
  return { selectionRate: r.selectionRate, tpr: r.tpr, fpr: r.fpr, precision: precision.length === length ? precision : [] };
}

function readGroups(x: unknown, length: number): Record<string, SweepRates> | null {
  if (!isObject(x)) return null;
  const out: Record<string, SweepRates> = {};
  for (const [g, rates] of Object.entries(x)) {
    const r = readRates(rates, length);
    if (!r) return null;
    out[g] = r;
  }
  return Object.keys(out).length > 0 ? out : null;
}

/** Narrows the threshold sweep (either layout, see {@link ThresholdSweep}); undefined when absent or malformed. */
export function readSweep(x: unknown): ThresholdSweep | undefined {
  if (!isObject(x)) return undefined;
  const top = numArray(x.thresholds);
  if (top && isObject(x.columns)) {
    const columns: ThresholdSweep['columns'] = {};
    for (const [c, groups] of Object.entries(x.columns)) {
      const g = readGroups(groups, top.length);
      if (g) columns[c] = g;
    }
    return top.length > 0 && Object.keys(columns).length > 0 ? { thresholds: top, columns } : undefined;
  }
  // Per-column layout: every column must share one threshold grid.
  let thresholds: number[] | null = null;
  const columns: ThresholdSweep['columns'] = {};
  for (const [c, v] of Object.entries(x)) {
    if (!isObject(v)) continue;
    const t = numArray(v.thresholds);
    if (!t || t.length === 0) continue;
    if (thresholds && (thresholds.length !== t.length || thresholds.some((a, i) => a !== t[i]))) continue;
    const g = readGroups(v.groups, t.length);
    if (!g) continue;
    thresholds = t;
    columns[c] = g;
  }
  return thresholds && Object.keys(columns).length > 0 ? { thresholds, columns } : undefined;
}

function readMetrics(x: unknown): Record<string, number | null> {
  const out: Record<string, number | null> = {};
  if (isObject(x)) for (const [k, v] of Object.entries(x)) if (typeof v === 'number' || v === null) out[k] = num(v);
  return out;
}

/** A decision rule (a mixture of thresholds, maybe a constant part) in words. */
export function ruleText(rule: unknown): string {
  if (!isObject(rule) || !Array.isArray(rule.mixture)) return 'unknown';
  const parts = rule.mixture
    .filter((m): m is Json => isObject(m) && typeof m.threshold === 'number' && typeof m.weight === 'number')
    .map((m) => (m.weight === 1 ? `score ≥ ${fmtRate(m.threshold as number)}` : `score ≥ ${fmtRate(m.threshold as number)} (weight ${fmtRate(m.weight as number)})`));
  if (isObject(rule.constant) && typeof rule.constant.weight === 'number' && typeof rule.constant.rate === 'number' && rule.constant.weight > 0) {
    parts.push(`with probability ${fmtRate(rule.constant.weight)}: positive at random with rate ${fmtRate(rule.constant.rate)}`);
  }
  return parts.length > 0 ? parts.join('; ') : 'unknown';
}

function readMitigation(x: unknown): MitigationView | undefined {
  if (!isObject(x) || !isObject(x.before) || !isObject(x.after)) return undefined;
  const side = (s: Json): MitigationSide => {
    const gate = readGate(s.gate);
    return { metrics: readMetrics(s.metrics), fairness: readFairness(s.fairness) ?? {}, ...(gate ? { gate } : {}) };
  };
  const columns = Array.isArray(x.columns) ? x.columns.filter((c): c is string => typeof c === 'string') : typeof x.column === 'string' ? [x.column] : [];
  const out: MitigationView = { method: typeof x.method === 'string' ? x.method : 'unknown', columns, before: side(x.before), after: side(x.after), warnings: [] };
  if (typeof x.description === 'string') out.description = x.description;
  if (isObject(x.thresholds)) {
    const rules: Record<string, GroupRuleView> = {};
    for (const [g, r] of Object.entries(x.thresholds)) rules[g] = { rule: ruleText(r), source: isObject(r) && typeof r.source === 'string' ? r.source : '' };
    out.rules = rules;
  }
  if (Array.isArray(x.weights)) {
    out.weights = x.weights
      .filter((w): w is Json => isObject(w) && typeof w.group === 'string' && typeof w.weight === 'number')
      .map((w) => ({ group: w.group as string, label: num(w.label) ?? 0, n: num(w.n) ?? 0, weight: w.weight as number }));
  }
  if (typeof x.fitOn === 'string') out.fitOn = x.fitOn;
  if (typeof x.fitRows === 'number') out.fitRows = x.fitRows;
  if (typeof x.randomized === 'boolean') out.randomized = x.randomized;
  if (typeof x.seed === 'number') out.seed = x.seed;
  if (Array.isArray(x.warnings)) out.warnings = x.warnings.filter((w): w is string => typeof w === 'string');
  return out;
}

/**
 * The limits the run was judged by: the gate's `limits` (from `fairness.thresholds` when the run
 * was made), as metric → value for the limits that apply to every column; undefined without them.
 */
export function thresholdsOf(run: RunRecord): Record<string, number> | undefined {
  const gate = (run as unknown as Json).gate;
  if (!isObject(gate) || !Array.isArray(gate.limits)) return undefined;
  const out: Record<string, number> = {};
  for (const l of gate.limits) {
    if (isObject(l) && typeof l.metric === 'string' && typeof l.value === 'number' && l.column === undefined) out[l.metric] = l.value;
  }
  return Object.keys(out).length > 0 ? out : undefined;
}

/** The optional fairness sections of a run, narrowed (absent or malformed sections are left out). */
export function reportExtras(run: RunRecord): ReportExtras {
  const r = run as unknown as Json;
  const out: ReportExtras = {};
  const fairness = readFairness(r.fairness);
  if (fairness) out.fairness = fairness;
  const gate = readGate(r.gate);
  if (gate) out.gate = gate;
  const sweep = readSweep(r.sweep);
  if (sweep) out.sweep = sweep;
  const mitigation = readMitigation(r.mitigation);
  if (mitigation) out.mitigation = mitigation;
  return out;
}

/** A limit from `fairness.thresholds`, with its direction. */
export interface Limit {
  metric: string;
  op: '<=' | '>=';
  value: number;
  /** Compared by absolute value (signed differences). */
  abs: boolean;
}

/**
 * The limit on `metric` from the config's thresholds, or undefined. Differences (and the Theil
 * index) are maxima, ratios minima, signed differences maxima on |value|. The signed block's
 * `equalOpportunityDifference` is looked up as `equalOpportunityDifferenceSigned`.
 */
export function limitFor(metric: string, thresholds: Readonly<Record<string, number>> | undefined, signed = false): Limit | undefined {
  if (!thresholds) return undefined;
  const key = signed && metric === 'equalOpportunityDifference' ? 'equalOpportunityDifferenceSigned' : metric;
  const value = thresholds[key];
  if (typeof value !== 'number' || !Number.isFinite(value)) return undefined;
  const kind = GATE_METRICS[key] ?? (/Ratio$/.test(key) ? 'ratio' : 'difference');
  return { metric: key, op: kind === 'ratio' ? '>=' : '<=', value, abs: kind === 'signed-difference' };
}

export type Verdict = 'pass' | 'fail';

/** Pass or fail of a value against its limit; an undefined (null) value fails, as in the gate. */
export function judge(value: number | null, limit: Limit | undefined): Verdict | undefined {
  if (!limit) return undefined;
  if (value === null) return 'fail';
  const v = limit.abs ? Math.abs(value) : value;
  return limit.op === '<=' ? (v <= limit.value ? 'pass' : 'fail') : (v >= limit.value ? 'pass' : 'fail');
}

/** "≤ 0.1", "≥ 0.8", "|x| ≤ 0.1". */
export function limitText(limit: Limit | undefined): string {
  if (!limit) return '';
  return `${limit.abs ? '|x| ' : ''}${limit.op === '<=' ? '≤' : '≥'} ${fmt(limit.value)}`;
}

/** The verdict of a metric on a column: from the thresholds, else from the gate's failures. */
export function verdictFor(
  column: string,
  metric: string,
  value: number | null,
  thresholds: Readonly<Record<string, number>> | undefined,
  gate: GateView | undefined,
  signed = false,
): Verdict | undefined {
  const v = judge(value, limitFor(metric, thresholds, signed));
  if (v) return v;
  const key = signed && metric === 'equalOpportunityDifference' ? 'equalOpportunityDifferenceSigned' : metric;
  if (gate?.failures.some((f) => f.metric === key && (f.column === column || f.column === null))) return 'fail';
  return undefined;
}

/** Whether a larger value of the metric is better (undefined: no direction, e.g. a count). */
export function higherIsBetter(metric: string): boolean | undefined {
  if (LOWER_IS_BETTER.has(metric)) return false;
  const kind = GATE_METRICS[metric];
  if (kind === 'ratio') return true;
  if (kind === 'difference' || kind === 'signed-difference') return false;
  if (/Ratio$/.test(metric)) return true;
  if (/Difference$/.test(metric)) return false;
  if (metric in METRIC_LABELS) return true;
  return undefined;
}

/**
 * A number for people: null/undefined/NaN → "undefined"; integers as they are (grouped by
 * thousands); |x| ≥ 1000 with one decimal; tiny non-zero values in exponent form; else 3 decimals.
 */
export function fmt(x: number | null | undefined, digits = 3): string {
  if (x === null || x === undefined || !Number.isFinite(x)) return 'undefined';
  if (Number.isInteger(x)) return groupThousands(String(x));
  const a = Math.abs(x);
  if (a >= 1000) return groupThousands(x.toFixed(1));
  if (a < 0.5 * 10 ** -digits) return x.toExponential(1);
  return x.toFixed(digits);
}

function groupThousands(s: string): string {
  const [int, frac] = s.split('.');
  const sign = int.startsWith('-') ? '-' : '';
  const digits = sign ? int.slice(1) : int;
  const grouped = digits.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return `${sign}${grouped}${frac !== undefined ? `.${frac}` : ''}`;
}

/**
 * A measured quantity (a rate, a metric, a disparity): like {@link fmt}, but always with
 * `digits` decimals, so that 0 and 1 read as "0.000" and "1.000" beside other rates.
 */
export function fmtRate(x: number | null | undefined, digits = 3): string {
  if (x === null || x === undefined || !Number.isFinite(x)) return 'undefined';
  const a = Math.abs(x);
  if (a >= 1000) return groupThousands(x.toFixed(1));
  if (a !== 0 && a < 0.5 * 10 ** -digits) return x.toExponential(1);
  return x.toFixed(digits);
}

/** "[0.156, 0.188]", or "undefined" for a null interval, or "" when there is none. */
export function fmtInterval(x: [number, number] | null | undefined): string {
  if (x === undefined) return '';
  if (x === null) return 'undefined';
  return `[${fmtRate(x[0])}, ${fmtRate(x[1])}]`;
}

/** Milliseconds as "850 ms" or "2.3 s". */
export function fmtMs(ms: number): string {
  return ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(1)} s`;
}

/** The group columns shown in the per-group table, in this order when present. */
export const GROUP_KEYS = ['n', 'selectionRate', 'baseRate', 'accuracy', 'tpr', 'fpr', 'fnr', 'tnr', 'precision', 'rocAuc'] as const;

/** The group keys present in a column (the known ones in order, then any others). */
export function groupKeys(col: FairnessColumn): string[] {
  const present = new Set<string>();
  for (const g of Object.values(col.groups)) for (const k of Object.keys(g)) present.add(k);
  const known: string[] = GROUP_KEYS.filter((k) => present.has(k));
  const rest = [...present].filter((k) => !(GROUP_KEYS as readonly string[]).includes(k)).sort();
  return [...known, ...rest];
}

/** The column-level metric keys: the seven disparities first, then any others. */
export function disparityKeys(col: FairnessColumn): string[] {
  const keys = Object.keys(col.values);
  const known: string[] = DISPARITY_KEYS.filter((k) => keys.includes(k));
  return [...known, ...keys.filter((k) => !(DISPARITY_KEYS as readonly string[]).includes(k))];
}

/**
 * The group most harmed on a column: the one with the lowest selection rate of the favourable
 * outcome (the extreme of demographic parity), else the lowest TPR; undefined with one group.
 */
export function harmedGroup(col: FairnessColumn): string | undefined {
  const e = col.extremes?.demographicParityDifference ?? col.extremes?.equalOpportunityDifference;
  if (e) return e.min;
  const names = Object.keys(col.groups);
  if (names.length < 2) return undefined;
  const rate = names.every((g) => typeof col.groups[g].selectionRate === 'number') ? 'selectionRate' : undefined;
  if (!rate) return undefined;
  return names.reduce((a, b) => ((col.groups[b][rate] ?? 0) < (col.groups[a][rate] ?? 0) ? b : a));
}

/** A run's title for headings: "adult-income · 2026-11-28 13:54 UTC". */
export function runTitle(run: RunRecord): string {
  const when = run.finishedAt ? run.finishedAt.replace('T', ' ').slice(0, 16) : '';
  return when ? `${run.name} · ${when} UTC` : run.name;
}

// ---------------------------------------------------------------------------------------------
// Charts of a run, shared by the webview and the HTML export (see svg.ts for the drawing).

/** ROC curve with the chance diagonal; null without curves. */
export function rocChart(run: RunRecord): SvgNode | null {
  const roc = run.evaluation?.curves?.roc;
  if (!roc) return null;
  return lineChart({
    title: 'ROC curve',
    desc: `True-positive rate against false-positive rate over all thresholds; ROC AUC ${fmtRate(run.metrics?.rocAuc)}.`,
    xLabel: 'False-positive rate',
    yLabel: 'True-positive rate',
    x: [0, 1],
    y: [0, 1],
    diagonal: true,
    series: [{ name: 'ROC', colour: 0, points: roc.fpr.map((x, i) => [x, roc.tpr[i]]) }],
  });
}

/** Precision–recall curve with the base rate as reference; null without curves. */
export function prChart(run: RunRecord): SvgNode | null {
  const pr = run.evaluation?.curves?.pr;
  if (!pr) return null;
  return lineChart({
    title: 'Precision–recall curve',
    desc: `Precision against recall over all thresholds; average precision ${fmtRate(run.metrics?.averagePrecision)}.`,
    xLabel: 'Recall',
    yLabel: 'Precision',
    x: [0, 1],
    y: [0, 1],
    series: [{ name: 'PR', colour: 1, points: pr.recall.map((x, i) => [x, pr.precision[i]]) }],
  });
}

/** Reliability diagram: mean predicted probability against the fraction of positives per bin. */
export function calibrationChart(run: RunRecord): SvgNode | null {
  const c = run.evaluation?.curves?.calibration;
  if (!c || c.meanPredicted.length === 0) return null;
  return lineChart({
    title: 'Calibration',
    desc: `Fraction of positives against mean predicted probability in ${c.meanPredicted.length} bins; expected calibration error ${fmtRate(run.metrics?.ece)}.`,
    xLabel: 'Mean predicted probability',
    yLabel: 'Fraction of positives',
    x: [0, 1],
    y: [0, 1],
    diagonal: true,
    series: [{ name: 'Model', colour: 2, markers: true, points: c.meanPredicted.map((x, i) => [x, c.fractionPositive[i]]) }],
  });
}

/** Training and validation loss per epoch. */
export function lossChart(history: readonly EpochLog[], epochs?: number): SvgNode {
  const last = history[history.length - 1];
  return lineChart({
    title: 'Loss per epoch',
    desc: last
      ? `Training loss ${fmtRate(last.loss)}${last.valLoss !== null ? `, validation loss ${fmtRate(last.valLoss)}` : ''} after epoch ${last.epoch}.`
      : 'No epoch has finished yet.',
    xLabel: 'Epoch',
    yLabel: 'Loss',
    includeZero: false,
    x: [1, Math.max(2, epochs ?? last?.epoch ?? 2)],
    series: [
      { name: 'training', colour: 0, points: history.map((h) => [h.epoch, h.loss]), markers: history.length < 30 },
      { name: 'validation', colour: 1, dashed: true, points: history.filter((h) => h.valLoss !== null).map((h) => [h.epoch, h.valLoss as number]), markers: history.length < 30 },
    ],
  });
}

/** Validation accuracy (or R²) per epoch. */
export function validationMetricChart(history: readonly EpochLog[], epochs?: number): SvgNode {
  const last = history[history.length - 1];
  const name = last?.metricName === 'r2' ? 'R²' : 'accuracy';
  const pts = history.filter((h) => h.valMetric !== null).map((h): [number, number] => [h.epoch, h.valMetric as number]);
  return lineChart({
    title: `Validation ${name} per epoch`,
    desc: last && last.valMetric !== null ? `Validation ${name} ${fmtRate(last.valMetric)} after epoch ${last.epoch}.` : `No validation ${name} yet.`,
    xLabel: 'Epoch',
    yLabel: `Validation ${name}`,
    x: [1, Math.max(2, epochs ?? last?.epoch ?? 2)],
    y: name === 'accuracy' ? [0, 1] : undefined,
    series: [{ name: `validation ${name}`, colour: 2, points: pts, markers: history.length < 30 }],
  });
}

/** The per-group rates drawn as bar charts, with the harmed group highlighted. */
export const BAR_RATES = [
  { key: 'selectionRate', title: 'Selection rate', colour: 0 },
  { key: 'tpr', title: 'True-positive rate', colour: 2 },
  { key: 'fpr', title: 'False-positive rate', colour: 1 },
] as const;

/** Bar charts of a column's per-group rates (only the rates every group has); for regression, mean prediction and MAE. */
export function groupBarCharts(column: string, col: FairnessColumn, harmed = harmedGroup(col)): SvgNode[] {
  const names = Object.keys(col.groups);
  if (names.every((g) => typeof col.groups[g].meanPrediction === 'number')) {
    return ([['meanPrediction', 'Mean prediction', 0], ['mae', 'Mean absolute error', 1]] as const)
      .filter(([key]) => names.every((g) => typeof col.groups[g][key] === 'number'))
      .map(([key, title, colour]) => barChart({
        title: `${title} by ${column}`,
        desc: `${title} per group of ${column}: ${names.map((g) => `${g} ${fmtRate(col.groups[g][key])}`).join(', ')}.`,
        colour,
        max: Math.max(...names.map((g) => Math.abs(col.groups[g][key] ?? 0))) || 1,
        bars: names.map((g) => ({ label: g, value: col.groups[g][key] ?? null, text: fmtRate(col.groups[g][key]) })),
      }));
  }
  return BAR_RATES.filter((r) => names.every((g) => typeof col.groups[g][r.key] === 'number')).map((r) =>
    barChart({
      title: `${r.title} by ${column}`,
      desc: `${r.title} per group of ${column}: ${names.map((g) => `${g} ${fmtRate(col.groups[g][r.key])}`).join(', ')}.${harmed ? ` Lowest selection rate (harmed group): ${harmed}.` : ''}`,
      colour: r.colour,
      max: 1,
      highlightNote: 'harmed group',
      bars: names.map((g) => ({ label: g, value: col.groups[g][r.key] ?? null, highlight: g === harmed })),
    }),
  );
}

// ---------------------------------------------------------------------------------------------
// Features · privacy · energy: what the engine records beside the metrics (run.json's `explain`,
// `privacy`, `energy` and `estimate`), narrowed for the report's section of that name.
//
// Conventions (no NaN ever reaches a view):
// - a field the run did not record is null and reads "not recorded";
// - a metric undefined by its definition (a 0 denominator) is null and reads "undefined", as
//   everywhere else in the report;
// - ε is null when JSON could not hold it (∞, noise multiplier 0) and reads "∞ (no noise)";
// - a ratio whose denominator is 0 or missing is null.

/** Permutation importance as the report shows it (finite means and SDs only). */
export interface ImportanceView {
  method: string;
  /** The score whose drop is measured (a key of METRIC_LABELS). */
  metric: string;
  /** The score on the unpermuted test rows; null when not recorded. */
  baseline: number | null;
  repeats: number | null;
  rows: number | null;
  seed: number | null;
  /** Largest mean drop first; sd null when not recorded. */
  features: { feature: string; mean: number; sd: number | null }[];
}

/** The DP-SGD guarantee of a run. */
export interface DpView {
  /** null: infinite (no noise) when `noiseMultiplier` is 0, else not recorded. */
  epsilon: number | null;
  delta: number | null;
  noiseMultiplier: number | null;
  /** 'config' or 'targetEpsilon' (computed from the budget); null when not recorded. */
  noiseMultiplierSource: string | null;
  clipNorm: number | null;
  steps: number | null;
  sampleRate: number | null;
  /** Share of per-example gradients clipped (0..1). */
  clippedShare: number | null;
  accountant: string | null;
  conversion: string | null;
  optimalOrder: number | null;
  targetEpsilon: number | null;
  withinBudget: boolean | null;
  assumptions: string[];
  warnings: string[];
}

/** One row of "the cost of privacy": a metric without DP and with DP, on the same test rows. */
export interface CostRow {
  /** "Accuracy", or "sex: Demographic parity difference". */
  label: string;
  metric: string;
  /** The sensitive column of a disparity; undefined for performance metrics. */
  column?: string;
  without: number | null;
  with: number | null;
  /** with − without; null when either is undefined. */
  delta: number | null;
  /** Which side is better for this metric; 'same' when equal, null when it cannot be said. */
  better: 'with' | 'without' | 'same' | null;
}

export interface PrivacyView {
  dp: DpView;
  /** Absent when the run was cancelled before the model without DP finished. */
  cost: { description: string; rows: CostRow[] } | null;
}

export interface EnergyView {
  kind: 'measured' | 'estimated';
  /** "MEASURED (RAPL energy counters)" or "ESTIMATED (TDP table: …)": the figure's plain label. */
  label: string;
  joules: number;
  kWh: number | null;
  basis: string;
  co2eGrams: number | null;
  gramsPerKWh: number | null;
  /** Where the intensity came from, in words ("from the config"), and its source sentence. */
  intensityOrigin: string;
  intensitySource: string;
  cpuSeconds: number | null;
  userSeconds: number | null;
  systemSeconds: number | null;
  wallSeconds: number | null;
  processor: string;
  /** The TDP-per-core model's figure (shown beside a measurement, for comparison). */
  modelledJoules: number | null;
  rapl: { name: string; zone: string; joules: number }[];
  notes: string[];
}

/** The pre-run estimate against what the run used. */
export interface EstimateView {
  joules: number | null;
  seconds: number | null;
  co2eGrams: number | null;
  upperBound: boolean;
  /** 'assumed' (the documented default) or 'measured' (calibrated on this machine). */
  throughput: string;
  /** Actual ÷ estimate; null when either is missing or the estimate is 0. */
  energyRatio: number | null;
  /** The run's training time ÷ the estimated training time. */
  timeRatio: number | null;
  actualTrainSeconds: number | null;
}

/** The section "Features · privacy · energy"; each part null when the run did not record it. */
export interface ResponsibleView {
  importance: ImportanceView | null;
  /** Why the importance is missing or partial (the engine's warnings). */
  explainWarnings: string[];
  /** True when the run has an `explain` block at all (false: made before runs recorded it). */
  explainRecorded: boolean;
  privacy: PrivacyView | null;
  energy: EnergyView | null;
  estimate: EstimateView | null;
}

function str(x: unknown): string | null {
  return typeof x === 'string' ? x : null;
}

function strings(x: unknown): string[] {
  return Array.isArray(x) ? x.filter((s): s is string => typeof s === 'string') : [];
}

function readImportanceView(x: unknown): ImportanceView | null {
  if (!isObject(x) || !Array.isArray(x.features)) return null;
  const features = x.features
    .filter((f): f is Json => isObject(f) && typeof f.feature === 'string' && num(f.mean) !== null)
    .map((f) => ({ feature: f.feature as string, mean: f.mean as number, sd: num(f.sd) }))
    .sort((a, b) => b.mean - a.mean);
  if (features.length === 0) return null;
  return { method: str(x.method) ?? 'permutation', metric: str(x.metric) ?? 'accuracy', baseline: num(x.baseline), repeats: num(x.repeats), rows: num(x.rows), seed: num(x.seed), features };
}

function readDpView(x: unknown): DpView | null {
  if (!isObject(x)) return null;
  return {
    epsilon: num(x.epsilon),
    delta: num(x.delta),
    noiseMultiplier: num(x.noiseMultiplier),
    noiseMultiplierSource: str(x.noiseMultiplierSource),
    clipNorm: num(x.clipNorm),
    steps: num(x.steps),
    sampleRate: num(x.sampleRate),
    clippedShare: num(x.clippedShare),
    accountant: str(x.accountant),
    conversion: str(x.conversion),
    optimalOrder: num(x.optimalOrder),
    targetEpsilon: num(x.targetEpsilon),
    withinBudget: typeof x.withinBudget === 'boolean' ? x.withinBudget : null,
    assumptions: strings(x.assumptions),
    warnings: strings(x.warnings),
  };
}

/** Performance metrics shown in the cost of privacy, by task (as `rml train` prints them). */
export const PRIVACY_COST_METRICS: Readonly<Record<string, readonly string[]>> = {
  binary: ['accuracy', 'balancedAccuracy', 'precision', 'recall', 'f1', 'rocAuc'],
  multiclass: ['accuracy', 'balancedAccuracy', 'f1Macro', 'f1Weighted'],
  regression: ['mse', 'mae', 'r2'],
};

/** Which of two values of `metric` is better: by its direction, signed differences by |x|. */
export function betterSide(metric: string, without: number | null, withDp: number | null): CostRow['better'] {
  if (without === null || withDp === null) return null;
  const signed = GATE_METRICS[metric] === 'signed-difference';
  const a = signed ? Math.abs(without) : without;
  const b = signed ? Math.abs(withDp) : withDp;
  if (a === b) return 'same';
  const higher = signed ? false : higherIsBetter(metric);
  if (higher === undefined) return null;
  return (b > a) === higher ? 'with' : 'without';
}

function costRow(label: string, metric: string, without: number | null, withDp: number | null, column?: string): CostRow {
  return { label, metric, ...(column !== undefined ? { column } : {}), without, with: withDp, delta: without !== null && withDp !== null ? withDp - without : null, better: betterSide(metric, without, withDp) };
}

/** The cost of privacy: performance and every disparity, without DP (the baseline) vs with DP (the run). */
export function privacyCostRows(run: RunRecord, baseline: { metrics?: unknown; fairness?: unknown }): CostRow[] {
  const rows: CostRow[] = [];
  const before = isObject(baseline.metrics) ? baseline.metrics : {};
  const after = (run.metrics ?? {}) as Record<string, unknown>;
  for (const k of PRIVACY_COST_METRICS[run.task] ?? []) {
    if (!(k in before) && !(k in after)) continue;
    rows.push(costRow(metricLabel(k), k, num(before[k]), num(after[k])));
  }
  const b = readFairness(baseline.fairness) ?? {};
  const a = readFairness((run as unknown as Json).fairness) ?? {};
  for (const column of Object.keys(b)) {
    const cb = b[column];
    const ca = a[column];
    for (const k of disparityKeys(cb)) rows.push(costRow(`${column}: ${metricLabel(k)}`, k, cb.values[k] ?? null, ca?.values[k] ?? null, column));
  }
  return rows;
}

function intensityWords(origin: unknown): string {
  switch (origin) {
    case 'default': return 'the default';
    case 'config': return 'from the config';
    case 'setting': return 'from the editor setting';
    case 'environment': return 'from RML_CARBON_INTENSITY';
    default: return 'origin not recorded';
  }
}

/** "MEASURED (RAPL energy counters)" or "ESTIMATED (TDP table: Intel Core i7-8650U, 15 W TDP ÷ 4 cores)". */
export function energyKindLabel(e: { kind: string; processor?: unknown }): string {
  if (e.kind === 'measured') return 'MEASURED (RAPL energy counters)';
  const p = isObject(e.processor) ? e.processor : {};
  const tdp = isObject(p.tdp) ? p.tdp : null;
  const wpc = num(p.wattsPerCore);
  if (tdp && typeof tdp.model === 'string') {
    return `ESTIMATED, not measured (TDP table: ${tdp.model}, ${fmt(num(tdp.tdpWatts))} W TDP ÷ ${fmt(num(tdp.cores))} cores${wpc !== null ? ` = ${fmt(wpc, 2)} W per core` : ''})`;
  }
  const model = str(p.model);
  return `ESTIMATED, not measured (TDP table: ${model ? `"${model}" is not in it` : 'processor unknown'}; default ${wpc !== null ? `${fmt(wpc, 2)} W` : 'power'} per core)`;
}

function readEnergyView(x: unknown): EnergyView | null {
  if (!isObject(x) || (x.kind !== 'measured' && x.kind !== 'estimated') || num(x.joules) === null) return null;
  const co2e = isObject(x.co2e) ? x.co2e : {};
  const cpu = isObject(x.cpu) ? x.cpu : {};
  const p = isObject(x.processor) ? x.processor : {};
  const modelled = isObject(x.modelled) ? x.modelled : {};
  const rapl = isObject(x.rapl) && Array.isArray(x.rapl.domains) ? x.rapl.domains : [];
  return {
    kind: x.kind,
    label: energyKindLabel({ kind: x.kind, processor: p }),
    joules: x.joules as number,
    kWh: num(x.kWh),
    basis: str(x.basis) ?? '',
    co2eGrams: num(co2e.grams),
    gramsPerKWh: num(co2e.gramsPerKWh),
    intensityOrigin: intensityWords(co2e.origin),
    intensitySource: str(co2e.source) ?? 'not recorded',
    cpuSeconds: num(cpu.seconds),
    userSeconds: num(cpu.userSeconds),
    systemSeconds: num(cpu.systemSeconds),
    wallSeconds: num(x.wallSeconds),
    processor: `${str(p.model) ?? 'unknown processor'}${num(p.logicalCpus) !== null ? `, ${fmt(num(p.logicalCpus))} logical CPUs` : ''}`,
    modelledJoules: num(modelled.joules),
    rapl: rapl.filter((d): d is Json => isObject(d) && num(d.joules) !== null).map((d) => ({ name: str(d.name) ?? '', zone: str(d.zone) ?? '', joules: d.joules as number })),
    notes: strings(x.notes),
  };
}

function ratio(actual: number | null, estimate: number | null): number | null {
  return actual !== null && estimate !== null && estimate > 0 ? actual / estimate : null;
}

function readEstimateView(x: unknown, energy: EnergyView | null, run: RunRecord): EstimateView | null {
  if (!isObject(x)) return null;
  const joules = num(x.joules);
  const seconds = num(x.seconds);
  const co2e = isObject(x.co2e) ? x.co2e : {};
  const throughput = isObject(x.throughput) ? str(x.throughput.kind) : null;
  const trainMs = num(run.timings?.trainMs);
  const actualTrainSeconds = trainMs !== null ? trainMs / 1000 : null;
  return {
    joules,
    seconds,
    co2eGrams: num(co2e.grams),
    upperBound: x.upperBound === true,
    throughput: throughput ?? 'not recorded',
    energyRatio: ratio(energy?.joules ?? null, joules),
    timeRatio: ratio(actualTrainSeconds, seconds),
    actualTrainSeconds,
  };
}

/** The "Features · privacy · energy" view of a run; null when it records none of them (older runs). */
export function responsibleView(run: RunRecord): ResponsibleView | null {
  const r = run as unknown as Json;
  const explain = isObject(r.explain) ? r.explain : null;
  const privacy = isObject(r.privacy) ? r.privacy : null;
  const dp = privacy ? readDpView(privacy.dp) : null;
  const energy = readEnergyView(r.energy);
  const estimate = readEstimateView(r.estimate, energy, run);
  if (!explain && !dp && !energy && !estimate) return null;
  const cost = privacy && isObject(privacy.cost) && isObject(privacy.cost.baseline) ? privacy.cost : null;
  return {
    importance: explain ? readImportanceView(explain.importance) : null,
    explainWarnings: explain ? strings(explain.warnings) : [],
    explainRecorded: explain !== null,
    privacy: dp ? { dp, cost: cost ? { description: str(cost.description) ?? '', rows: privacyCostRows(run, cost.baseline as Json) } : null } : null,
    energy,
    estimate,
  };
}

/** How many features the report's importance chart and table show. */
export const REPORT_TOP_FEATURES = 10;

/** "0.015 ± 0.005" (or "0.015" without an sd). */
export function meanSd(mean: number, sd: number | null): string {
  return `${fmtRate(mean)}${sd !== null ? ` ± ${fmtRate(sd)}` : ''}`;
}

/** The top features' permutation importance as bars with ± sd whiskers. */
export function importanceChart(imp: ImportanceView, top = REPORT_TOP_FEATURES): SvgNode {
  const shown = imp.features.slice(0, top);
  const metric = metricLabel(imp.metric).toLowerCase();
  return whiskerChart({
    title: `Top ${shown.length} features by permutation importance`,
    desc: `Drop in ${metric} on the test split when each feature is shuffled, mean ± sd over ${imp.repeats !== null ? `${fmt(imp.repeats)} repeats` : 'the repeats'}: ${shown.map((f) => `${f.feature} ${meanSd(f.mean, f.sd)}`).join(', ')}.`,
    colour: 0,
    note: `Drop in ${metric}; whiskers ± 1 sd over ${imp.repeats !== null ? `${fmt(imp.repeats)} repeats` : 'the repeats (count not recorded)'}`,
    bars: shown.map((f) => ({ label: f.feature, value: f.mean, err: f.sd ?? 0, text: meanSd(f.mean, f.sd) })),
  });
}
