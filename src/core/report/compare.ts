/**
 * Comparing two runs side by side: test metrics, disparities per sensitive column (and a few
 * per-group rates), the fairness gate, energy and time, and what changed in the config — with the
 * changes that matter picked out as one-line highlights, e.g.
 * "Demographic parity difference (sex) improved by 0.080 (0.150 → 0.070) at −0.4 accuracy points".
 *
 * What "matters" ({@link DEFAULT_MATTERS}, overridable):
 * - a performance metric on a 0–1 scale (accuracy, F1, ROC AUC, R², Brier, ECE, …) that moves by
 *   at least 0.01 (one percentage point); an unbounded one (log loss, MSE, RMSE, MAE) that moves
 *   by at least 5% of run A's value;
 * - a disparity (difference or ratio) that moves by at least 0.02, or that crosses a configured
 *   limit in `fairness.thresholds`; when run A has a bootstrap interval and run B's value lies
 *   inside it, the highlight says the change is within A's interval (it may be noise). Highlights
 *   list limit crossings first, then changes outside A's interval, then the rest, larger first;
 *   ratios (which restate their difference) and the Theil index get a highlight only when they
 *   cross a limit, and at most 5 disparity and 4 metric lines are listed (the tables mark all);
 * - the fairness gate passing in one run and failing in the other;
 * - energy that differs by at least 20% (both measured: compared as measured; otherwise the
 *   TDP-per-core figures of both, labelled estimated).
 *
 * The config diff: run records carry the config's hash and path, not its text. When each run's
 * config file still has the hash the run recorded, the two configs are loaded and every key path
 * that differs is listed (`source: 'config files'`). Otherwise (the usual case when one config file
 * was edited between the runs) the settings the run records carry are compared instead: model,
 * training options, seed, threshold, split sizes, features, sensitive columns, mitigation,
 * data hash, backend and versions (`source: 'run records'`).
 *
 * Pure except {@link loadRunSide}.
 */
import { promises as fsp } from 'node:fs';
import * as path from 'node:path';
import { loadConfig } from '../config';
import type { TrainingConfig } from '../config/types';
import { RmlInputError } from '../errors';
import type { EnergyReport } from '../sustainability/types';
import type { RunRecord } from './types';
import { fairnessAudits, readRunRecord, type CardRun } from './card';
import { listRuns, runsDirFor } from './record';
import { higherIsBetter, judge, limitFor, metricLabel } from './view-model';

/** The thresholds above which a change "matters" (see the module comment). */
export interface MattersThresholds {
  /** Absolute change of a 0–1 performance metric (0.01 = one percentage point). */
  metric: number;
  /** Relative change of an unbounded error metric (log loss, MSE, RMSE, MAE). */
  relativeError: number;
  /** Absolute change of a disparity. */
  disparity: number;
  /** Relative change of energy (0.2 = 20%). */
  energy: number;
}

export const DEFAULT_MATTERS: Readonly<MattersThresholds> = Object.freeze({ metric: 0.01, relativeError: 0.05, disparity: 0.02, energy: 0.2 });

/** Metrics without an upper bound: compared by relative change. */
const UNBOUNDED = new Set(['logLoss', 'mse', 'rmse', 'mae']);

/** One run of a comparison. */
export interface RunSide {
  record: CardRun;
  /** The run folder. */
  dir?: string;
  /** The run's config, when its file still has the hash the run recorded. */
  config?: TrainingConfig;
  /** Why `config` is absent. */
  configProblem?: string;
}

export interface RunSummary {
  name: string;
  dir: string | null;
  finishedAt: string;
  status: string;
  configFile: string;
  configHash: string;
  dataHash: string;
  seed: number;
  backend: string;
}

export interface ConfigChange {
  /** Dotted key path, e.g. `train.epochs`, `data.sensitive`. */
  path: string;
  /** JSON text of the value in run A (undefined = absent). */
  a?: string;
  b?: string;
}

export type Better = 'a' | 'b' | 'same' | null;

export interface MetricDelta {
  metric: string;
  a: number | null;
  b: number | null;
  /** b − a; null when either is null. */
  delta: number | null;
  /** Which run is better on this metric (null without a direction or a value). */
  better: Better;
  matters: boolean;
}

export interface DisparityDelta extends MetricDelta {
  /** The sensitive column (and class, for multiclass): "sex", "race · class A (one-vs-rest)". */
  column: string;
  /** Run A's bootstrap interval, when it has one. */
  intervalA: [number, number] | null;
  /** True when b lies inside run A's interval (the change may be noise); null without an interval. */
  withinIntervalA: boolean | null;
  /** The configured limit's verdict in each run, when a limit is set for this metric. */
  verdict?: { a: 'pass' | 'fail'; b: 'pass' | 'fail' };
}

export interface GroupDelta {
  column: string;
  group: string;
  metric: string;
  a: number | null;
  b: number | null;
  delta: number | null;
}

export interface EnergyComparison {
  /** What is compared: both measured, both modelled (estimated), or nothing. */
  basis: 'measured' | 'estimated' | 'none';
  aJoules: number | null;
  bJoules: number | null;
  /** b ÷ a. */
  ratio: number | null;
  aCo2eGrams: number | null;
  bCo2eGrams: number | null;
  /** Wall time of the whole run, seconds (always recorded). */
  aSeconds: number;
  bSeconds: number;
  matters: boolean;
  note: string;
}

export interface RunComparison {
  a: RunSummary;
  b: RunSummary;
  /** The changes that matter, one sentence each, most important first. */
  highlights: string[];
  config: { source: 'config files' | 'run records'; changes: ConfigChange[]; note: string };
  metrics: MetricDelta[];
  disparities: DisparityDelta[];
  groups: GroupDelta[];
  gate: { a: boolean | null; b: boolean | null };
  energy: EnergyComparison;
  /** Each run's DP-SGD guarantee (null: trained without differential privacy). */
  privacy: { a: DpGuarantee | null; b: DpGuarantee | null };
  thresholds: MattersThresholds;
  /** Caveats: different tasks, different data, a cancelled run. */
  warnings: string[];
}

/** A run's (ε, δ) from its record's `privacy.dp`. */
export interface DpGuarantee {
  epsilon: number;
  delta: number;
  noiseMultiplier: number;
}

function dpOf(r: CardRun): DpGuarantee | null {
  const dp = (r.privacy as RunRecord['privacy'])?.dp;
  return dp && typeof dp.epsilon === 'number' ? { epsilon: dp.epsilon, delta: dp.delta, noiseMultiplier: dp.noiseMultiplier } : null;
}

/** Compares run B against run A (A is the baseline: deltas are B − A). */
export function compareRuns(a: RunSide, b: RunSide, thresholds: Partial<MattersThresholds> = {}): RunComparison {
  const t: MattersThresholds = { ...DEFAULT_MATTERS, ...thresholds };
  const ra = a.record;
  const rb = b.record;
  const warnings: string[] = [];
  if (ra.task !== rb.task) warnings.push(`The runs have different tasks (${ra.task} vs ${rb.task}); only shared metrics are compared.`);
  if (ra.data.hash !== rb.data.hash) warnings.push('The runs were trained on different data (the data hashes differ), so their numbers are not directly comparable.');
  for (const [s, r] of [['A', ra], ['B', rb]] as const) if (r.status !== 'completed') warnings.push(`Run ${s} was ${r.status}: it has no test metrics.`);

  const metrics = compareMetrics(ra.metrics ?? {}, rb.metrics ?? {}, t);
  const limits = b.config?.fairness.thresholds ?? a.config?.fairness.thresholds;
  const disparities = compareDisparities(ra, rb, t, limits);
  const groups = compareGroups(ra, rb);
  const energy = compareEnergy(ra, rb, t);
  const privacy = { a: dpOf(ra), b: dpOf(rb) };
  const config = compareConfigs(a, b);
  // A gate without limits decides nothing: it counts as no gate.
  const gate = { a: ra.gate && ra.gate.limits.length > 0 ? ra.gate.passed : null, b: rb.gate && rb.gate.limits.length > 0 ? rb.gate.passed : null };
  return {
    a: summary(a),
    b: summary(b),
    highlights: [...privacyHighlight(privacy), ...highlights(metrics, disparities, gate, energy, ra.task)],
    config,
    metrics,
    disparities,
    groups,
    gate,
    energy,
    privacy,
    thresholds: t,
    warnings,
  };
}

function summary(s: RunSide): RunSummary {
  const r = s.record;
  return {
    name: r.name,
    dir: s.dir ?? null,
    finishedAt: r.finishedAt,
    status: r.status,
    configFile: r.config.file,
    configHash: r.config.hash,
    dataHash: r.data.hash,
    seed: r.seed,
    backend: `${r.backend.name} ${r.backend.version}`,
  };
}

function betterOf(metric: string, a: number | null, b: number | null): Better {
  if (a === null || b === null) return null;
  if (a === b) return 'same';
  const hib = higherIsBetter(metric);
  if (hib === undefined) return null;
  return (b > a) === hib ? 'b' : 'a';
}

/** Ratios are better near 1 and differences near 0; |value − ideal| decides. */
function disparityBetter(metric: string, a: number | null, b: number | null): Better {
  if (a === null || b === null) return null;
  const ideal = /Ratio$|^disparateImpact$/.test(metric) ? 1 : 0;
  const da = Math.abs(a - ideal);
  const db = Math.abs(b - ideal);
  return da === db ? 'same' : db < da ? 'b' : 'a';
}

function num(x: unknown): number | null {
  return typeof x === 'number' && Number.isFinite(x) ? x : null;
}

function compareMetrics(ma: Record<string, unknown>, mb: Record<string, unknown>, t: MattersThresholds): MetricDelta[] {
  const keys = Object.keys(ma).filter((k) => k in mb);
  return keys.map((metric) => {
    const a = num(ma[metric]);
    const b = num(mb[metric]);
    const delta = a !== null && b !== null ? b - a : null;
    const matters = delta !== null && (UNBOUNDED.has(metric) ? Math.abs(delta) >= t.relativeError * Math.max(Math.abs(a ?? 0), 1e-12) : Math.abs(delta) >= t.metric);
    return { metric, a, b, delta, better: betterOf(metric, a, b), matters };
  });
}

function compareDisparities(ra: CardRun, rb: CardRun, t: MattersThresholds, limits: Readonly<Record<string, number>> | undefined): DisparityDelta[] {
  const fa = fairnessAudits(ra.fairness);
  const fb = fairnessAudits(rb.fairness);
  const out: DisparityDelta[] = [];
  for (const x of fa) {
    const y = fb.find((z) => z.title === x.title);
    if (!y) continue;
    for (const [metric, av] of Object.entries(x.audit.values)) {
      if (!(metric in y.audit.values)) continue;
      const a = av;
      const b = y.audit.values[metric];
      const delta = a !== null && b !== null ? b - a : null;
      const interval = x.audit.intervals?.[metric] ?? null;
      const limit = limitFor(metric, limits);
      const va = judge(a, limit);
      const vb = judge(b, limit);
      const crosses = va !== undefined && vb !== undefined && va !== vb;
      out.push({
        column: x.title,
        metric,
        a,
        b,
        delta,
        better: disparityBetter(metric, a, b),
        matters: crosses || (delta !== null && Math.abs(delta) >= t.disparity),
        intervalA: interval,
        withinIntervalA: interval && b !== null ? b >= interval[0] && b <= interval[1] : null,
        ...(va !== undefined && vb !== undefined ? { verdict: { a: va, b: vb } } : {}),
      });
    }
  }
  return out;
}

const GROUP_RATES = ['n', 'selectionRate', 'tpr', 'fpr', 'meanPrediction', 'mae'];

function compareGroups(ra: CardRun, rb: CardRun): GroupDelta[] {
  const fa = fairnessAudits(ra.fairness);
  const fb = fairnessAudits(rb.fairness);
  const out: GroupDelta[] = [];
  for (const x of fa) {
    const y = fb.find((z) => z.title === x.title);
    if (!y) continue;
    for (const [group, ga] of Object.entries(x.audit.groups)) {
      const gb = y.audit.groups[group] as Record<string, number | null | undefined> | undefined;
      if (!gb) continue;
      for (const metric of GROUP_RATES) {
        const a = num((ga as Record<string, number | null | undefined>)[metric]);
        const b = num(gb[metric]);
        if (a === null && b === null) continue;
        out.push({ column: x.title, group, metric, a, b, delta: a !== null && b !== null ? b - a : null });
      }
    }
  }
  return out;
}

function compareEnergy(ra: CardRun, rb: CardRun, t: MattersThresholds): EnergyComparison {
  const ea: EnergyReport | undefined = ra.energy;
  const eb: EnergyReport | undefined = rb.energy;
  const aSeconds = ra.timings.totalMs / 1000;
  const bSeconds = rb.timings.totalMs / 1000;
  if (!ea || !eb) {
    const which = !ea && !eb ? 'Neither run' : !ea ? 'Run A' : 'Run B';
    return { basis: 'none', aJoules: ea?.joules ?? null, bJoules: eb?.joules ?? null, ratio: null, aCo2eGrams: ea?.co2e.grams ?? null, bCo2eGrams: eb?.co2e.grams ?? null, aSeconds, bSeconds, matters: false, note: `${which} recorded its energy; compare the wall times instead.` };
  }
  const measured = ea.kind === 'measured' && eb.kind === 'measured';
  const aJ = measured ? ea.joules : ea.modelled.joules;
  const bJ = measured ? eb.joules : eb.modelled.joules;
  const ratio = aJ > 0 ? bJ / aJ : null;
  const gA = ea.co2e.gramsPerKWh;
  const gB = eb.co2e.gramsPerKWh;
  const note = measured
    ? 'Both measured with RAPL (whole machine).'
    : `Compared on the TDP-per-core model's figures (ESTIMATED${ea.kind !== eb.kind ? '; one run was measured, but a measurement and an estimate are not comparable' : ''}).${gA !== gB ? ` The runs used different grid intensities (${gA} vs ${gB} gCO₂e/kWh).` : ''}`;
  return {
    basis: measured ? 'measured' : 'estimated',
    aJoules: aJ,
    bJoules: bJ,
    ratio,
    aCo2eGrams: (aJ / 3.6e6) * gA,
    bCo2eGrams: (bJ / 3.6e6) * gB,
    aSeconds,
    bSeconds,
    matters: ratio !== null && Math.abs(ratio - 1) >= t.energy,
    note,
  };
}

/** The primary performance metric of a task, for trade-off sentences. */
function primaryMetric(task: string): string {
  return task === 'regression' ? 'r2' : 'accuracy';
}

function fmt3(x: number | null): string {
  return x === null ? 'undefined' : x.toFixed(3);
}

function signedPoints(delta: number): string {
  const p = Math.round(delta * 1000) / 10;
  return `${p > 0 ? '+' : p < 0 ? '−' : '±'}${Math.abs(p).toFixed(1)}`;
}

/** At most this many disparity lines, and this many metric lines, in the highlights (the tables mark every change that matters). */
export const MAX_HIGHLIGHTS = { disparities: 5, metrics: 4 } as const;

/** A ratio restates its difference (and the Theil index is not per column): they get a highlight only when they cross a limit. */
function restates(metric: string): boolean {
  return /Ratio$|^disparateImpact$|^theilIndex$/.test(metric);
}

/** One sentence when the runs differ in differential privacy (a lower ε is more private). */
function privacyHighlight(p: RunComparison['privacy']): string[] {
  const g = (x: DpGuarantee) => `ε = ${fmt3(x.epsilon)}, δ = ${x.delta.toExponential(1)}`;
  if (p.a && !p.b) return [`Run B is trained WITHOUT differential privacy; run A had (${g(p.a)}).`];
  if (!p.a && p.b) return [`Run B is trained with DP-SGD (${g(p.b)}); run A is not: see the metrics below for the cost of privacy.`];
  if (p.a && p.b && (p.a.epsilon !== p.b.epsilon || p.a.delta !== p.b.delta)) {
    return [`Differential privacy ${p.b.epsilon < p.a.epsilon ? 'strengthened' : 'weakened'}: ${g(p.a)} → ${g(p.b)} (lower ε is more private).`];
  }
  return [];
}

function highlights(metrics: MetricDelta[], disparities: DisparityDelta[], gate: RunComparison['gate'], energy: EnergyComparison, task: string): string[] {
  const out: string[] = [];
  if (gate.a !== null && gate.b !== null && gate.a !== gate.b) out.push(gate.b ? 'The fairness gate now passes (it failed in run A).' : 'The fairness gate now FAILS (it passed in run A).');
  const primary = metrics.find((m) => m.metric === primaryMetric(task));
  const tradeoff = primary && primary.delta !== null ? ` at ${signedPoints(primary.delta)} ${metricLabel(primary.metric).toLowerCase()} points (${fmt3(primary.a)} → ${fmt3(primary.b)})` : '';
  // Most important first: a limit crossed, then changes outside run A's interval, then by size.
  const crosses = (d: DisparityDelta) => d.verdict !== undefined && d.verdict.a !== d.verdict.b;
  const rank = (d: DisparityDelta) => (crosses(d) ? 0 : d.withinIntervalA ? 2 : 1);
  const sorted = disparities
    .filter((d) => d.matters && d.delta !== null && (crosses(d) || !restates(d.metric)))
    .sort((x, y) => rank(x) - rank(y) || Math.abs(y.delta!) - Math.abs(x.delta!));
  for (const d of sorted.slice(0, MAX_HIGHLIGHTS.disparities)) {
    const verb = d.better === 'b' ? 'improved' : d.better === 'a' ? 'worsened' : 'changed';
    const noise = d.withinIntervalA ? `, within run A's bootstrap interval [${fmt3(d.intervalA![0])}, ${fmt3(d.intervalA![1])}]` : '';
    const limit = crosses(d) ? `, now ${d.verdict!.b === 'pass' ? 'within' : 'beyond'} its limit` : '';
    out.push(`${metricLabel(d.metric)} (${d.column}) ${verb} by ${fmt3(Math.abs(d.delta!))} (${fmt3(d.a)} → ${fmt3(d.b)})${tradeoff}${noise}${limit}.`);
  }
  if (sorted.length > MAX_HIGHLIGHTS.disparities) out.push(`… and ${sorted.length - MAX_HIGHLIGHTS.disparities} more disparity changes (marked ★ in the fairness table).`);
  // The primary metric first, then the largest moves.
  const moved = metrics
    .filter((x) => x.matters && x.delta !== null)
    .sort((x, y) => Number(y === primary) - Number(x === primary) || Math.abs(y.delta!) - Math.abs(x.delta!));
  for (const m of moved.slice(0, MAX_HIGHLIGHTS.metrics)) {
    const verb = m.better === 'b' ? 'improved' : m.better === 'a' ? 'worsened' : 'changed';
    const by = UNBOUNDED.has(m.metric) ? `${fmt3(Math.abs(m.delta!))}` : `${Math.abs(Math.round(m.delta! * 1000) / 10).toFixed(1)} points`;
    out.push(`${metricLabel(m.metric)} ${verb} by ${by} (${fmt3(m.a)} → ${fmt3(m.b)}).`);
  }
  if (moved.length > MAX_HIGHLIGHTS.metrics) out.push(`… and ${moved.length - MAX_HIGHLIGHTS.metrics} more metric changes (marked ★ in the metrics table).`);
  if (energy.matters && energy.ratio !== null) {
    out.push(`Energy ${energy.ratio > 1 ? 'rose' : 'fell'} ×${energy.ratio.toFixed(2)} (${energy.basis}).`);
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Config diff

/** The settings a run record carries, flattened to key paths (the fallback diff). */
export function recordedSettings(r: CardRun): Record<string, unknown> {
  return {
    task: r.task,
    target: r.target,
    positive: r.positive,
    'data.file': path.basename(r.data.file),
    'data.hash': r.data.hash,
    'data.rows': r.data.rows,
    'data.split': `${r.data.train}/${r.data.validation}/${r.data.test}`,
    'data.features': r.data.features,
    'data.encodedFeatures': r.data.encodedFeatures,
    'data.sensitive': Object.keys(r.fairness ?? {}),
    'model.hidden': r.model.hidden,
    'model.activation': r.model.hidden.length > 0 ? r.model.activation : undefined,
    'model.dropout': r.model.dropout,
    'train.epochs': r.train.epochs,
    'train.batchSize': r.train.batchSize,
    'train.optimizer': r.train.optimizer,
    'train.learningRate': r.train.learningRate,
    'train.l1': r.train.l1,
    'train.l2': r.train.l2,
    'train.earlyStopping.patience': r.train.earlyStopping?.patience,
    'train.classWeight': r.train.classWeight,
    seed: r.seed,
    'evaluate.threshold': r.threshold,
    'evaluate.crossValidation': r.crossValidation?.k ?? 0,
    'fairness.mitigation': r.mitigation?.method ?? 'none',
    'fairness.limits': r.gate?.limits.map((l) => `${l.column ? `${l.column}.` : ''}${l.metric} ${l.op} ${l.value}`),
    backend: `${r.backend.name} ${r.backend.version}`,
    'versions.rml': r.versions.rml,
    'versions.node': r.versions.node,
  };
}

/** A loaded config as plain key paths (paths that only locate files are left out). */
export function configSettings(c: TrainingConfig): Record<string, unknown> {
  const raw = isObject(c.raw) ? c.raw : {};
  const { resolvedPath: _resolved, ...data } = c.data;
  const tree = {
    name: c.name,
    description: c.description,
    data,
    split: c.split,
    preprocess: c.preprocess,
    model: c.model,
    train: c.train,
    evaluate: c.evaluate,
    fairness: c.fairness,
    documentation: c.documentation,
    privacy: raw.privacy,
    sustainability: raw.sustainability,
  };
  const out: Record<string, unknown> = {};
  flatten(tree, '', out);
  return out;
}

function flatten(x: unknown, prefix: string, out: Record<string, unknown>): void {
  if (isObject(x) && Object.keys(x).length > 0) {
    for (const [k, v] of Object.entries(x)) flatten(v, prefix ? `${prefix}.${k}` : k, out);
  } else if (x !== undefined) {
    out[prefix] = x;
  }
}

/** Key paths whose values differ between two flat setting maps, in key order. */
export function diffSettings(a: Record<string, unknown>, b: Record<string, unknown>): ConfigChange[] {
  const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])];
  const out: ConfigChange[] = [];
  for (const k of keys) {
    const va = a[k] === undefined ? undefined : JSON.stringify(a[k]);
    const vb = b[k] === undefined ? undefined : JSON.stringify(b[k]);
    if (va !== vb) out.push({ path: k, ...(va !== undefined ? { a: va } : {}), ...(vb !== undefined ? { b: vb } : {}) });
  }
  return out;
}

function compareConfigs(a: RunSide, b: RunSide): RunComparison['config'] {
  if (a.config && b.config) {
    return {
      source: 'config files',
      changes: diffSettings(configSettings(a.config), configSettings(b.config)),
      note: 'Both config files still hold the exact text each run was trained from (their hashes match the runs\'), so every setting is compared.',
    };
  }
  const why = [a.configProblem && `run A: ${a.configProblem}`, b.configProblem && `run B: ${b.configProblem}`].filter(Boolean).join('; ');
  return {
    source: 'run records',
    changes: diffSettings(recordedSettings(a.record), recordedSettings(b.record)),
    note: `Compared on the settings the run records carry (${why || 'a config is not available'}); preprocessing and documentation changes are not visible this way.`,
  };
}

// ---------------------------------------------------------------------------------------------
// Loading (I/O)

/**
 * A run to compare, from a run folder or a config file (its newest completed run). The config is
 * attached only when its file still has the hash the run recorded.
 */
export async function loadRunSide(target: string, opts: { root: string }): Promise<RunSide> {
  const abs = path.resolve(target);
  const st = await fsp.stat(abs).catch(() => null);
  if (!st) throw new RmlInputError(`no such run folder or config file: ${abs}`);
  let dir = abs;
  if (!st.isDirectory()) {
    if (!/\.rml\.(?:ya?ml|json)$/i.test(abs)) throw new RmlInputError(`expected a run folder (with run.json) or a training config: ${abs}`, { file: abs, line: 1, column: 1 });
    const runs = await listRuns(runsDirFor(abs));
    const found = await firstCompleted(runs, abs);
    if (!found) throw new RmlInputError(`no completed run of ${path.basename(abs)} in ${runsDirFor(abs)}: train it first`, { file: abs, line: 1, column: 1 });
    dir = found;
  }
  return runSideOf(await readRunRecord(dir), dir, opts);
}

/** A run already read, with its config attached when the config file still has the hash the run recorded. */
export async function runSideOf(record: CardRun, dir: string, opts: { root: string }): Promise<RunSide> {
  const side: RunSide = { record, dir };
  try {
    const config = await loadConfig(record.config.file, { root: opts.root });
    if (config.hash === record.config.hash) side.config = config;
    else side.configProblem = `${path.basename(record.config.file)} has changed since the run`;
  } catch (e) {
    side.configProblem = `${path.basename(record.config.file)} cannot be loaded (${e instanceof Error ? e.message.split('\n')[0] : String(e)})`;
  }
  return side;
}

async function firstCompleted(runs: string[], configFile: string): Promise<string | undefined> {
  for (const r of runs) {
    const rec = await readRunRecord(r).catch(() => null);
    if (rec && rec.status === 'completed' && path.resolve(rec.config.file) === configFile) return r;
  }
  return undefined;
}

function isObject(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}
