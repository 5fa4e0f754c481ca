/** `rml train <config>`: run the engine and print a report (or one JSON document with --json). */
import { parseArgs } from 'node:util';
import { resolve, relative } from 'node:path';
import { runConfigFile, type RunRecord } from '../core/engine';
import type { BackendPreference } from '../core/model/backend';
import { RmlInputError } from '../core/errors';
import type { MitigationRecord, RunPrivacy } from '../core/report/types';
import { describeEnergy, describeEstimate } from '../core/sustainability/format';
import type { ColumnAudit, MulticlassAudit, RegressionAudit, RunFairness } from '../core/fairness';
import { DISPARITY_METRICS } from '../core/fairness';
import { PRIVACY_COST_METRICS } from '../core/report/view-model';
import { describeRule, formatFairness, formatGate } from './audit';
import { colors, ms, num, sparkline, table } from './format';
import { EXIT, type Io } from './io';

const BACKENDS = ['auto', 'node', 'wasm', 'cpu'];

export async function trainCommand(args: string[], io: Io): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      json: { type: 'boolean', default: false },
      backend: { type: 'string', default: 'auto' },
      out: { type: 'string' },
      root: { type: 'string' },
      quiet: { type: 'boolean', short: 'q', default: false },
    },
  });
  if (positionals.length !== 1) throw new RmlInputError(`train takes exactly one config file (got ${positionals.length}): rml train <config>`);
  if (!BACKENDS.includes(values.backend!)) throw new RmlInputError(`--backend must be one of ${BACKENDS.join(', ')} (got '${values.backend}')`);
  const configFile = resolve(io.cwd, positionals[0]);
  const root = resolve(io.cwd, values.root ?? '.');
  const c = colors(io.tty && !process.env.NO_COLOR);
  const showProgress = io.tty && !values.quiet && !values.json;

  const result = await runConfigFile(configFile, {
    root,
    backend: values.backend as BackendPreference,
    outDir: values.out ? resolve(io.cwd, values.out) : undefined,
    env: process.env,
    onEstimate: (e) => {
      if (showProgress) io.err(`\r\x1b[K${c.dim(`before training: ${describeEstimate(e)}`)}\n`);
    },
    onStage: (s) => {
      if (showProgress) io.err(`\r\x1b[K${c.dim(s + '…')}`);
    },
    onEpoch: (e) => {
      if (!showProgress) return;
      const width = 24;
      const done = Math.round((e.epoch / e.epochs) * width);
      io.err(`\r\x1b[K[${'█'.repeat(done)}${'░'.repeat(width - done)}] epoch ${e.epoch}/${e.epochs} loss ${num(e.loss, 4)}${e.valLoss !== null ? ` val ${num(e.valLoss, 4)}` : ''}`);
    },
  });
  if (showProgress) io.err('\r\x1b[K');
  const r = result.record;
  if (values.json) {
    io.out(JSON.stringify(jsonSummary(result.dir, r), null, 2) + '\n');
  } else if (!values.quiet) {
    io.out(humanReport(result.dir, r, io.cwd, c) + '\n');
  }
  if (r.status !== 'completed') return EXIT.internal;
  // The run is recorded either way; a failed gate is exit 3 (and says so on stderr for --json/--quiet).
  if (r.gate && !r.gate.passed) {
    if (values.json || values.quiet) io.err(`rml: fairness gate failed:\n${r.gate.failures.map((f) => `rml:   ${f.message}`).join('\n')}\n`);
    return EXIT.gate;
  }
  return EXIT.ok;
}

/** The documented `--json` shape (README "CLI reference"). */
export function jsonSummary(dir: string, r: RunRecord) {
  return {
    run: dir,
    status: r.status,
    backend: r.backend.name,
    task: r.task,
    data: { rows: r.data.rows, train: r.data.train, validation: r.data.validation, test: r.data.test },
    metrics: r.metrics,
    crossValidation: r.crossValidation ?? null,
    timings: { readMs: round1(r.timings.readMs), trainMs: round1(r.timings.trainMs), evaluateMs: round1(r.timings.evaluateMs) },
    epochs: r.epochs,
    bestEpoch: r.bestEpoch,
    seed: r.seed,
    warnings: r.data.warnings,
    fairness: r.fairness ?? null,
    gate: r.gate ?? null,
    mitigation: r.mitigation ?? null,
    privacy: r.privacy ?? null,
    importance: r.explain?.importance ?? null,
    energy: r.energy ?? null,
    estimate: r.estimate ? { joules: r.estimate.joules, seconds: r.estimate.seconds, co2eGrams: r.estimate.co2e.grams, kind: r.estimate.kind, upperBound: r.estimate.upperBound } : null,
  };
}

function round1(v: number): number {
  return Math.round(v * 10) / 10;
}

function humanReport(dir: string, r: RunRecord, cwd: string, c: ReturnType<typeof colors>): string {
  const lines: string[] = [];
  lines.push(c.bold(`Responsible ML · ${r.name}`) + c.dim(`  (${r.task}, backend ${r.backend.name}${r.backend.simd ? ' +simd' : ''})`));
  for (const n of r.backend.notes) lines.push(c.dim(`  note: ${n}`));
  lines.push('');
  lines.push(c.bold('Data'));
  lines.push(`  ${relative(cwd, r.data.file) || r.data.file}: ${r.data.rows} rows, ${r.data.features.length} features (${r.data.encodedFeatures} after encoding), target '${r.target}'${r.positive !== undefined ? ` (positive: ${r.positive})` : ''}`);
  lines.push(`  split: train ${r.data.train} · validation ${r.data.validation} · test ${r.data.test}  (seed ${r.seed}${r.seedDefaulted ? ', defaulted: set split.seed' : ''})`);
  for (const w of r.data.warnings) lines.push(c.yellow(`  warning: ${w}`));
  lines.push('');
  lines.push(c.bold('Training'));
  const losses = r.history.map((h) => h.loss);
  const first = r.history[0];
  const last = r.history[r.history.length - 1];
  if (first && last) {
    lines.push(`  ${r.epochs} epochs  loss ${num(first.loss, 4)} → ${num(last.loss, 4)}  ${sparkline(losses)}`);
    if (last.valLoss !== null) lines.push(`  validation loss ${num(first.valLoss, 4)} → ${num(last.valLoss, 4)}  ${sparkline(r.history.map((h) => h.valLoss ?? NaN))}  ${last.metricName} ${num(last.valMetric)}`);
    if (r.stoppedEarly) lines.push(`  stopped early; kept the weights of epoch ${r.bestEpoch}`);
  }
  if (r.status === 'cancelled') {
    lines.push(c.yellow('  cancelled before the end: no metrics'));
    return lines.join('\n');
  }
  lines.push('');
  lines.push(c.bold(`Test metrics (${r.data.test} rows)`));
  const m = r.metrics as Record<string, number | null> | null;
  if (m) {
    const rows: string[][] = [['metric', 'value']];
    for (const [k, v] of Object.entries(m)) {
      if (typeof v === 'number' || v === null) rows.push([k, num(v, 4)]);
    }
    if (r.crossValidation) {
      rows[0].push(`${r.crossValidation.k}-fold CV (mean ± sd)`);
      for (const row of rows.slice(1)) {
        const cv = r.crossValidation.metrics[row[0]];
        row.push(cv ? `${num(cv.mean, 4)} ± ${num(cv.sd, 4)}` : '');
      }
    }
    lines.push(table(rows));
  }
  const conf = r.evaluation?.confusion;
  if (conf && r.task === 'binary') {
    lines.push('');
    lines.push(`  confusion (threshold ${r.threshold}):  TP ${conf.tp}  FP ${conf.fp}  TN ${conf.tn}  FN ${conf.fn}`);
  }
  if (r.fairness && Object.keys(r.fairness).length > 0) {
    lines.push('');
    lines.push(c.bold(`Fairness on the test split (${r.data.test} rows)`) + c.dim(r.mitigation ? `  (after ${r.mitigation.method})` : ''));
    lines.push(...formatFairness(r.fairness, c, { scores: r.task === 'binary' }));
  }
  if (r.mitigation) {
    lines.push('');
    lines.push(...formatMitigation(r.mitigation, r.task, r.classes, c));
  }
  if (r.gate) {
    lines.push('');
    lines.push(...formatGate(r.gate, c));
  }
  if (r.privacy) {
    lines.push('');
    lines.push(...formatPrivacy(r.privacy, r.metrics, r.fairness, r.task, c));
  }
  const imp = r.explain?.importance;
  if (imp) {
    lines.push('');
    lines.push(c.bold(`Top features`) + c.dim(`  (permutation importance: drop in ${imp.metric} on ${imp.rows} test rows, ${imp.repeats} repeats)`));
    lines.push(table([['feature', 'importance (mean ± sd)'], ...imp.features.slice(0, TOP_FEATURES).map((f) => [f.feature, `${num(f.mean, 4)} ± ${num(f.sd, 4)}`])]));
  }
  for (const w of r.explain?.warnings ?? []) lines.push(c.yellow(`  ! ${w}`));
  if (r.energy) {
    lines.push('');
    lines.push(c.bold('Energy') + c.dim(r.energy.kind === 'measured' ? '  (MEASURED)' : '  (ESTIMATED, not measured)'));
    lines.push(`  ${describeEnergy(r.energy)}`);
    if (r.estimate) lines.push(c.dim(`  before the run: ${describeEstimate(r.estimate)}`));
  }
  lines.push('');
  lines.push(`Run saved to ${relative(cwd, dir) || dir}`);
  lines.push(c.dim(`  read ${ms(r.timings.readMs)} · train ${ms(r.timings.trainMs)} · evaluate ${ms(r.timings.evaluateMs)}`));
  return lines.join('\n');
}

/** Features listed under "Top features". */
const TOP_FEATURES = 5;

/** ε, δ and the cost of privacy: performance and disparities without DP vs with DP, on the same test rows. */
function formatPrivacy(p: RunPrivacy, metrics: RunRecord['metrics'], fairness: RunFairness | undefined, task: string, c: ReturnType<typeof colors>): string[] {
  const dp = p.dp;
  const lines = [c.bold('Differential privacy (DP-SGD)')];
  lines.push(`  (ε = ${num(dp.epsilon, 3)}, δ = ${dp.delta.toExponential(1)}) for the ${dp.steps} noisy steps on the training rows · noise multiplier ${num(dp.noiseMultiplier, 4)}${dp.noiseMultiplierSource === 'targetEpsilon' ? ' (from targetEpsilon)' : ''} · clip norm ${dp.clipNorm} · sampling rate ${num(dp.sampleRate, 4)}${dp.clippedShare !== null ? ` · ${num(dp.clippedShare * 100, 1)}% of per-example gradients clipped` : ''}`);
  for (const w of dp.warnings) lines.push(c.yellow(`  ! ${w}`));
  if (!p.cost || !metrics) return lines;
  lines.push(c.dim(`  ${p.cost.description}`));
  const rows: string[][] = [['metric (test split)', 'without DP', 'with DP', 'cost of privacy']];
  for (const k of PRIVACY_COST_METRICS[task] ?? []) {
    const a = p.cost.baseline.metrics[k];
    const b = metrics[k];
    if (a === undefined && b === undefined) continue;
    rows.push([k, num(a, 4), num(b, 4), signedChange(a, b)]);
  }
  if (fairness) {
    const before = flatDisparities(p.cost.baseline.fairness);
    const after = flatDisparities(fairness);
    for (const [k, a] of before) rows.push([k, num(a, 4, 'undefined'), num(after.get(k), 4, 'undefined'), signedChange(a, after.get(k))]);
  }
  lines.push(table(rows));
  return lines;
}

const MULTICLASS_SHOWN = ['demographicParityDifference', 'equalizedOddsDifference', 'disparateImpactRatio'] as const;

/** Every disparity of a run's fairness, flattened as "column: metric" (multiclass: "column · class k: metric", three per class). */
function flatDisparities(f: RunFairness): Map<string, number | null> {
  const out = new Map<string, number | null>();
  for (const [col, a] of Object.entries(f as Record<string, ColumnAudit | MulticlassAudit | RegressionAudit>)) {
    if ('classes' in a) {
      // K classes × 7 disparities is too long to read: the headline three per class.
      for (const [k, x] of Object.entries(a.classes)) for (const m of MULTICLASS_SHOWN) out.set(`${col} · class ${k}: ${m}`, x[m]);
    } else if ('maeDifference' in a) {
      out.set(`${col}: meanPredictionDifference`, a.meanPredictionDifference);
      out.set(`${col}: maeDifference`, a.maeDifference);
    } else {
      for (const m of DISPARITY_METRICS) out.set(`${col}: ${m}`, a[m]);
    }
  }
  return out;
}

function signedChange(a: number | null | undefined, b: number | null | undefined): string {
  if (a === null || a === undefined || b === null || b === undefined) return '';
  const d = b - a;
  return `${d > 0 ? '+' : d < 0 ? '−' : '±'}${Math.abs(d).toFixed(4)}`;
}

/** Before/after side by side: performance, then every disparity; then the per-group rules or weights. */
function formatMitigation(m: MitigationRecord, task: string, classes: readonly string[], c: ReturnType<typeof colors>): string[] {
  const lines = [c.bold(`Mitigation: ${m.method}`), `  ${m.description}`];
  if (m.randomized) lines.push(`  Randomized decisions: reproducible with seed ${m.seed} (one draw per test row, in row order).`);
  const rows: string[][] = [['metric (test split)', 'before', 'after', 'change']];
  for (const k of PRIVACY_COST_METRICS[task] ?? []) {
    const a = m.before.metrics[k];
    const b = m.after.metrics[k];
    if (a === undefined && b === undefined) continue;
    rows.push([k, num(a, 4), num(b, 4), signedChange(a, b)]);
  }
  const before = flatDisparities(m.before.fairness);
  const after = flatDisparities(m.after.fairness);
  for (const [k, a] of before) {
    const b = after.get(k);
    rows.push([k, num(a, 4, 'undefined'), num(b, 4, 'undefined'), signedChange(a, b)]);
  }
  if (m.before.gate && m.after.gate) rows.push(['fairness gate', m.before.gate.passed ? 'passed' : 'failed', m.after.gate.passed ? 'passed' : 'failed', '']);
  lines.push(table(rows));
  if (m.thresholds) {
    const fit: string[][] = [['group', 'decision rule', `n (${m.fitOn})`, 'SR before → after', 'TPR before → after', 'FPR before → after']];
    const arrow = (x: number | null, y: number | null) => `${num(x, 3, 'n/a')} → ${num(y, 3, 'n/a')}`;
    for (const [g, t] of Object.entries(m.thresholds)) {
      fit.push([
        g,
        t.source === 'global' ? `${describeRule(t)} (global)` : describeRule(t),
        String(t.fit.n),
        arrow(t.fit.before.selectionRate, t.fit.after.selectionRate),
        arrow(t.fit.before.tpr, t.fit.after.tpr),
        arrow(t.fit.before.fpr, t.fit.after.fpr),
      ]);
    }
    lines.push(c.dim(`  per-group decision rules, chosen on ${m.fitRows} ${m.fitOn} rows (rates there; expected values for randomized rules):`));
    lines.push(table(fit, { indent: '    ' }));
  }
  if (m.weights) {
    const w: string[][] = [['group', 'label', 'n (train)', 'weight']];
    for (const cell of m.weights) w.push([cell.group, classes[cell.label] ?? String(cell.label), String(cell.n), num(cell.weight, 4)]);
    lines.push(c.dim(`  reweighing weights w = P(group)·P(label) / P(group, label), on ${m.fitRows} training rows:`));
    lines.push(table(w, { indent: '    ' }));
  }
  for (const w of m.warnings) lines.push(c.yellow(`  ! ${w}`));
  return lines;
}
