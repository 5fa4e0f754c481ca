/**
 * HTML and Markdown exports of a run report. Pure: a run record in, text out (the caller writes
 * the file, e.g. with `writeFileAtomically`).
 *
 * Both formats come from one document model ({@link reportDocument}), so they hold the same
 * sections and the same numbers: summary and fairness gate, data, test metrics, confusion matrix,
 * curves (HTML: SVG charts), training history, fairness per sensitive column (disparities with
 * intervals and pass/fail against the thresholds, signed metrics, per-group rates with the harmed
 * group marked, warnings), mitigation before/after, cross-validation and reproducibility.
 *
 * The HTML file is self-contained: no script, no remote content (its own CSP says so), a light
 * and a dark palette chosen by `prefers-color-scheme`, and it prints.
 */
import { formatEnergy, formatMass } from '../sustainability/format';
import { escapeXml, svgToString, type SvgNode } from './svg';
import type { RunRecord } from './types';
import {
  calibrationChart,
  disparityKeys,
  fmt,
  fmtInterval,
  fmtMs,
  fmtRate,
  groupBarCharts,
  groupKeys,
  harmedGroup,
  importanceChart,
  judge,
  limitFor,
  limitText,
  lossChart,
  meanSd,
  metricLabel,
  prChart,
  REPORT_TOP_FEATURES,
  reportExtras,
  responsibleView,
  rocChart,
  thresholdsOf,
  validationMetricChart,
  verdictFor,
  type CostRow,
  type DpView,
  type EnergyView,
  type EstimateView,
  type FairnessColumn,
  type GateView,
  type ImportanceView,
  type PrivacyView,
  type ReportExtras,
} from './view-model';

export interface ExportOptions {
  /** The run folder (shown in the header). */
  dir?: string;
  /**
   * The config's `fairness.thresholds` (differences are maxima, ratios minima), used when the run
   * does not record the limits it was judged by (its gate's `limits` win).
   */
  thresholds?: Readonly<Record<string, number>>;
  /** When the export was made (default: now); fixed in tests. */
  generatedAt?: Date;
}

/** A table cell: text, optionally marked (pass/fail verdicts, the harmed group, emphasis). */
export type Cell = string | { text: string; mark?: 'pass' | 'fail' | 'harmed' | 'strong' };

export type Block =
  | { kind: 'p'; text: string; mark?: 'pass' | 'fail' | 'note' }
  | { kind: 'list'; items: string[] }
  | { kind: 'table'; caption: string; head: string[]; rows: Cell[][] }
  | { kind: 'chart'; svg: SvgNode }
  | { kind: 'section'; id: string; title: string; blocks: Block[] };

export interface DocSection {
  id: string;
  title: string;
  blocks: Block[];
}

export interface ReportDocument {
  title: string;
  subtitle: string;
  sections: DocSection[];
}

/** The section ids, in order (a section is left out when the run has nothing for it). */
export const SECTION_IDS = [
  'summary',
  'data',
  'metrics',
  'confusion',
  'curves',
  'training',
  'fairness',
  'mitigation',
  'responsible',
  'cross-validation',
  'reproducibility',
] as const;

function verdictCell(v: 'pass' | 'fail' | undefined): Cell {
  if (!v) return '';
  return v === 'pass' ? { text: '✓ pass', mark: 'pass' } : { text: '✗ fail', mark: 'fail' };
}

function summarySection(run: RunRecord, x: ReportExtras, opts: ExportOptions): DocSection {
  const rows: Cell[][] = [
    ['Status', run.status],
    ['Task', run.task + (run.positive !== undefined ? ` (positive class "${run.positive}")` : '')],
    ['Target', run.target],
    ['Model', modelText(run)],
    ['Epochs', `${run.epochs} of ${run.train.epochs}${run.stoppedEarly ? `, stopped early (best epoch ${run.bestEpoch})` : ''}`],
    ['Decision threshold', fmt(run.threshold)],
    ['Finished', run.finishedAt],
  ];
  if (opts.dir) rows.push(['Run folder', opts.dir]);
  const blocks: Block[] = [{ kind: 'table', caption: 'Run summary', head: ['Item', 'Value'], rows }];
  blocks.push(...gateBlocks(x.gate));
  return { id: 'summary', title: 'Summary', blocks };
}

function gateBlocks(gate: GateView | undefined): Block[] {
  if (!gate) return [];
  if (gate.passed) return [{ kind: 'p', text: 'Fairness gate: ✓ passed (every threshold is met).', mark: 'pass' }];
  return [
    { kind: 'p', text: `Fairness gate: ✗ failed (${gate.failures.length} ${gate.failures.length === 1 ? 'limit' : 'limits'} not met).`, mark: 'fail' },
    {
      kind: 'table',
      caption: 'Fairness gate failures',
      head: ['Column', 'Metric', 'Value', 'Limit'],
      rows: gate.failures.map((f) => [
        f.column ?? '(any)',
        metricLabel(f.metric),
        { text: fmtRate(f.value), mark: 'fail' },
        `${f.op === '>=' || f.op === '>' ? '≥' : '≤'} ${fmt(f.limit)}`,
      ]),
    },
  ];
}

/** The model in words: "logistic regression, 97 encoded inputs; adam lr 0.01, batch 256". */
export function modelText(run: RunRecord): string {
  const m = run.model;
  const kind = m.hidden.length === 0 ? (m.task === 'regression' ? 'linear regression' : 'logistic regression') : `MLP ${m.hidden.join('×')} (${m.activation})`;
  return `${kind}, ${m.inputs} encoded inputs${m.dropout > 0 ? `, dropout ${m.dropout}` : ''}; ${run.train.optimizer} lr ${run.train.learningRate}, batch ${run.train.batchSize}`;
}

function dataSection(run: RunRecord): DocSection {
  const d = run.data;
  const rows: Cell[][] = [
    ['File', d.file],
    ['Rows', fmt(d.rows)],
    ['Training rows', fmt(d.train)],
    ['Validation rows', fmt(d.validation)],
    ['Test rows', fmt(d.test)],
    ['Dropped (missing target)', fmt(d.droppedMissingTarget)],
    ['Dropped (missing features)', fmt(d.droppedMissingFeatures)],
    ['Features', `${d.features.length}: ${d.features.join(', ')}`],
    ['Encoded features', fmt(d.encodedFeatures)],
  ];
  const blocks: Block[] = [{ kind: 'table', caption: 'Data summary', head: ['Item', 'Value'], rows }];
  if (d.warnings.length > 0) blocks.push({ kind: 'list', items: d.warnings });
  return { id: 'data', title: 'Data', blocks };
}

function metricsSection(run: RunRecord): DocSection | null {
  if (!run.metrics) return null;
  const rows: Cell[][] = Object.entries(run.metrics).map(([k, v]) => [metricLabel(k), fmtRate(v)]);
  const blocks: Block[] = [{ kind: 'table', caption: `Metrics on the ${fmt(run.data.test)} test rows`, head: ['Metric', 'Value'], rows }];
  const perClass = run.evaluation?.perClass;
  if (perClass && perClass.length > 0) {
    blocks.push({
      kind: 'table',
      caption: 'Per-class metrics (one class against the rest)',
      head: ['Class', 'Precision', 'Recall', 'F1', 'Support'],
      rows: perClass.map((c) => [run.classes[c.label] ?? String(c.label), fmtRate(c.precision), fmtRate(c.recall), fmtRate(c.f1), fmt(c.support)]),
    });
  }
  return { id: 'metrics', title: 'Test metrics', blocks };
}

/** The confusion matrix as a table: rows = true class, columns = predicted class. */
export function confusionTable(run: RunRecord): { head: string[]; rows: Cell[][] } | null {
  const ev = run.evaluation;
  if (!ev) return null;
  if (ev.confusion) {
    const neg = run.classes.find((c) => c !== run.positive) ?? 'negative';
    const pos = run.positive ?? 'positive';
    const c = ev.confusion;
    return {
      head: ['True \\ predicted', neg, pos],
      rows: [
        [{ text: neg, mark: 'strong' }, `${fmt(c.tn)} (TN)`, `${fmt(c.fp)} (FP)`],
        [{ text: pos, mark: 'strong' }, `${fmt(c.fn)} (FN)`, `${fmt(c.tp)} (TP)`],
      ],
    };
  }
  if (ev.confusionMatrix) {
    return {
      head: ['True \\ predicted', ...run.classes],
      rows: ev.confusionMatrix.map((r, i) => [{ text: run.classes[i] ?? String(i), mark: 'strong' }, ...r.map((v) => fmt(v))]),
    };
  }
  return null;
}

function confusionSection(run: RunRecord): DocSection | null {
  const t = confusionTable(run);
  if (!t) return null;
  return { id: 'confusion', title: 'Confusion matrix', blocks: [{ kind: 'table', caption: 'Confusion matrix (rows: true class; columns: predicted class)', ...t }] };
}

function curvesSection(run: RunRecord): DocSection | null {
  const charts = [rocChart(run), prChart(run), calibrationChart(run)].filter((c): c is SvgNode => c !== null);
  if (charts.length === 0) return null;
  const blocks: Block[] = charts.map((svg) => ({ kind: 'chart', svg }));
  const c = run.evaluation?.curves?.calibration;
  if (c && c.meanPredicted.length > 0) {
    blocks.push({
      kind: 'table',
      caption: 'Calibration bins',
      head: ['Bin', 'Rows', 'Mean predicted', 'Fraction positive'],
      rows: c.meanPredicted.map((m, i) => [`[${fmt(c.lower[i], 1)}, ${fmt(c.upper[i], 1)})`, fmt(c.count[i]), fmtRate(m), fmtRate(c.fractionPositive[i])]),
    });
  }
  return { id: 'curves', title: 'Curves', blocks };
}

function trainingSection(run: RunRecord): DocSection | null {
  if (run.history.length === 0) return null;
  const metric = run.history[0].metricName === 'r2' ? 'Validation R²' : 'Validation accuracy';
  return {
    id: 'training',
    title: 'Training',
    blocks: [
      { kind: 'chart', svg: lossChart(run.history, run.epochs) },
      { kind: 'chart', svg: validationMetricChart(run.history, run.epochs) },
      {
        kind: 'table',
        caption: 'Per-epoch history',
        head: ['Epoch', 'Loss', 'Validation loss', metric],
        rows: run.history.map((h) => [h.epoch === run.bestEpoch ? { text: `${h.epoch} (best)`, mark: 'strong' } : String(h.epoch), fmtRate(h.loss), fmtRate(h.valLoss), fmtRate(h.valMetric)]),
      },
    ],
  };
}

/** The blocks of one sensitive column: disparities, signed metrics, groups, charts, warnings. */
export function fairnessColumnBlocks(column: string, col: FairnessColumn, opts: ExportOptions, gate?: GateView): Block[] {
  const blocks: Block[] = [];
  const hasIntervals = col.intervals !== undefined;
  const dispRows: Cell[][] = disparityKeys(col).map((k) => {
    const v = col.values[k];
    const row: Cell[] = [metricLabel(k), fmtRate(v)];
    if (hasIntervals) row.push(fmtInterval(col.intervals?.[k] ?? null));
    row.push(limitText(limitFor(k, opts.thresholds)), verdictCell(verdictFor(column, k, v, opts.thresholds, gate)));
    return row;
  });
  blocks.push({
    kind: 'table',
    caption: `Disparities across the groups of ${column}`,
    head: ['Metric', 'Value', ...(hasIntervals ? ['95% interval'] : []), 'Threshold', 'Result'],
    rows: dispRows,
  });
  if (col.signed) {
    const s = col.signed;
    const keys = Object.keys(s).filter((k) => k !== 'privileged');
    blocks.push({
      kind: 'table',
      caption: `Signed metrics: unprivileged vs privileged ${column} = "${s.privileged}"`,
      head: ['Metric', 'Value', ...(hasIntervals ? ['95% interval'] : []), 'Threshold', 'Result'],
      rows: keys.map((k) => {
        const v = typeof s[k] === 'number' ? (s[k] as number) : null;
        const ik = k === 'equalOpportunityDifference' ? 'equalOpportunityDifferenceSigned' : k;
        const label = k === 'equalOpportunityDifference' ? metricLabel('equalOpportunityDifferenceSigned') : metricLabel(k);
        const row: Cell[] = [label, fmtRate(v)];
        if (hasIntervals) row.push(fmtInterval(col.intervals?.[ik] ?? null));
        row.push(limitText(limitFor(k, opts.thresholds, true)), verdictCell(verdictFor(column, k, v, opts.thresholds, gate, true)));
        return row;
      }),
    });
  }
  const harmed = harmedGroup(col);
  const keys = groupKeys(col);
  blocks.push({
    kind: 'table',
    caption: `Per-group metrics of ${column}${harmed ? ` (harmed group: ${harmed}, the lowest selection rate)` : ''}`,
    head: ['Group', ...keys.map(metricLabel)],
    rows: Object.entries(col.groups).map(([g, m]) => [
      g === harmed ? { text: `${g} (harmed)`, mark: 'harmed' } : g,
      ...keys.map((k) => (k === 'n' ? fmt : fmtRate)((m as Record<string, number | null | undefined>)[k])),
    ]),
  });
  for (const svg of groupBarCharts(column, col, harmed)) blocks.push({ kind: 'chart', svg });
  if (col.warnings.length > 0) blocks.push({ kind: 'list', items: col.warnings.map((w) => `⚠ ${w.message}`) });
  return blocks;
}

function fairnessSection(x: ReportExtras, opts: ExportOptions): DocSection | null {
  if (!x.fairness) return null;
  const blocks: Block[] = [];
  if (opts.thresholds && Object.keys(opts.thresholds).length > 0) {
    blocks.push({
      kind: 'p',
      text: `Thresholds (fairness.thresholds): ${Object.keys(opts.thresholds).map((k) => `${metricLabel(k)} ${limitText(limitFor(k, opts.thresholds))}`).join('; ')}. Differences are maxima, ratios minima; an undefined metric fails.`,
      mark: 'note',
    });
  }
  for (const [column, col] of Object.entries(x.fairness)) {
    blocks.push({ kind: 'section', id: `fairness-${slug(column)}`, title: `Sensitive column: ${column}`, blocks: fairnessColumnBlocks(column, col, opts, x.gate) });
  }
  return { id: 'fairness', title: 'Fairness', blocks };
}

/** An id fragment from a column name ("marital-status", "race-sex"). */
export function slug(s: string): string {
  return s.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '') || 'column';
}

function mitigationSection(x: ReportExtras, opts: ExportOptions): DocSection | null {
  const m = x.mitigation;
  if (!m) return null;
  const blocks: Block[] = [{ kind: 'p', text: `Method: ${m.method}${m.columns.length > 0 ? ` (on ${m.columns.join(' & ')})` : ''}.` }];
  if (m.description) blocks.push({ kind: 'p', text: m.description });
  const how = [
    m.fitOn ? `fitted on the ${m.fitOn} split${m.fitRows !== undefined ? ` (${fmt(m.fitRows)} rows)` : ''}` : '',
    m.randomized ? `randomized decisions${m.seed !== undefined ? ` (seed ${m.seed})` : ''}` : '',
  ].filter(Boolean);
  if (how.length > 0) {
    const text = how.join('; ');
    blocks.push({ kind: 'p', text: `${text[0].toUpperCase()}${text.slice(1)}.`, mark: 'note' });
  }
  const gates = [m.before.gate, m.after.gate];
  if (gates.some(Boolean)) {
    const g = (v: GateView | undefined): string => (!v ? 'not evaluated' : v.passed ? '✓ passed' : `✗ failed (${v.failures.length})`);
    blocks.push({ kind: 'p', text: `Fairness gate: before ${g(m.before.gate)}, after ${g(m.after.gate)}.`, mark: m.after.gate?.passed ? 'pass' : m.after.gate ? 'fail' : undefined });
  }
  if (m.rules && Object.keys(m.rules).length > 0) {
    blocks.push({
      kind: 'table',
      caption: 'Decision rule of each group after mitigation',
      head: ['Group', 'Rule', 'Source'],
      rows: Object.entries(m.rules).map(([g, r]) => [g, r.rule, r.source === 'global' ? 'global threshold (not fitted)' : r.source]),
    });
  }
  if (m.weights && m.weights.length > 0) {
    blocks.push({
      kind: 'table',
      caption: 'Reweighing: weight of each (group, label) cell of the training split',
      head: ['Group', 'Label', 'Rows', 'Weight'],
      rows: m.weights.map((w) => [w.group, String(w.label), fmt(w.n), fmtRate(w.weight)]),
    });
  }
  const metricKeys = [...new Set([...Object.keys(m.before.metrics), ...Object.keys(m.after.metrics)])];
  if (metricKeys.length > 0) {
    blocks.push({
      kind: 'table',
      caption: 'Test metrics before and after mitigation',
      head: ['Metric', 'Before', 'After', 'Change'],
      rows: metricKeys.map((k) => [metricLabel(k), fmtRate(m.before.metrics[k]), fmtRate(m.after.metrics[k]), delta(m.before.metrics[k], m.after.metrics[k])]),
    });
  }
  for (const column of [...new Set([...Object.keys(m.before.fairness), ...Object.keys(m.after.fairness)])]) {
    const b = m.before.fairness[column];
    const a = m.after.fairness[column];
    const keys = [...new Set([...(b ? disparityKeys(b) : []), ...(a ? disparityKeys(a) : [])])];
    const judged = keys.some((k) => limitFor(k, opts.thresholds));
    blocks.push({
      kind: 'table',
      caption: `Disparities of ${column} before and after mitigation`,
      head: ['Metric', 'Before', 'After', 'Change', ...(judged ? ['Threshold', 'Before', 'After'] : [])],
      rows: keys.map((k) => {
        const before = b?.values[k] ?? null;
        const after = a?.values[k] ?? null;
        const row: Cell[] = [metricLabel(k), fmtRate(before), fmtRate(after), delta(before, after)];
        if (judged) {
          const limit = limitFor(k, opts.thresholds);
          row.push(limitText(limit), verdictCell(b ? judge(before, limit) : undefined), verdictCell(a ? judge(after, limit) : undefined));
        }
        return row;
      }),
    });
  }
  if (m.warnings.length > 0) blocks.push({ kind: 'list', items: m.warnings.map((w) => `⚠ ${w}`) });
  return { id: 'mitigation', title: 'Mitigation', blocks };
}

/** "+0.012", "−0.034", "0.000", or "" when either side is undefined. */
export function delta(before: number | null | undefined, after: number | null | undefined): string {
  if (before === null || before === undefined || after === null || after === undefined) return '';
  const d = after - before;
  const s = fmtRate(Math.abs(d));
  return d > 0 ? `+${s}` : d < 0 ? `−${s}` : fmtRate(0);
}

/** The title of the section that shows a run's explanation, privacy and energy. */
export const RESPONSIBLE_TITLE = 'Features · privacy · energy';

/** A recorded number, or "not recorded" (see the conventions in view-model.ts). */
function rec(x: number | null, f: (v: number) => string = (v) => fmt(v)): string {
  return x === null ? 'not recorded' : f(x);
}

function featureBlocks(imp: ImportanceView | null, recorded: boolean, warnings: string[]): Block[] {
  if (!recorded) return [{ kind: 'p', text: 'Not recorded: this run was made before runs stored their permutation importance. Train again to record it.', mark: 'note' }];
  const notes: Block[] = warnings.length > 0 ? [{ kind: 'list', items: warnings.map((w) => `⚠ ${w}`) }] : [];
  if (!imp) return [{ kind: 'p', text: 'The permutation importance could not be computed for this run.', mark: 'note' }, ...notes];
  const top = imp.features.slice(0, REPORT_TOP_FEATURES);
  const metric = metricLabel(imp.metric).toLowerCase();
  return [
    {
      kind: 'p',
      text: `Top ${top.length} of ${imp.features.length} features by ${imp.method === 'permutation' ? 'permutation importance' : imp.method}: the drop in ${metric} on ${imp.rows !== null ? `the ${fmt(imp.rows)}` : 'the'} test rows when the feature's values are shuffled, mean ± sd over ${rec(imp.repeats)} repeats (seed ${rec(imp.seed)}); ${metric} without shuffling ${imp.baseline !== null ? fmtRate(imp.baseline) : 'not recorded'}. A drop near 0 (or below) means the model does not rely on the feature.`,
    },
    { kind: 'chart', svg: importanceChart(imp) },
    {
      kind: 'table',
      caption: `Permutation importance (${rec(imp.repeats)} repeats)`,
      head: ['Rank', 'Feature', `Drop in ${metric} (mean)`, 'SD', 'Mean ± sd'],
      rows: top.map((f, i) => [String(i + 1), f.feature, fmtRate(f.mean), f.sd !== null ? fmtRate(f.sd) : 'not recorded', meanSd(f.mean, f.sd)]),
    },
    ...notes,
  ];
}

/** "(ε = 5.509, δ = 1.0e-5)", with ∞ for no noise. */
export function guaranteeText(dp: DpView): string {
  const eps = dp.epsilon !== null ? fmt(dp.epsilon) : dp.noiseMultiplier === 0 ? '∞' : 'not recorded';
  return `(ε = ${eps}, δ = ${dp.delta !== null ? dp.delta.toExponential(1) : 'not recorded'})`;
}

function costCell(row: CostRow, side: 'with' | 'without'): Cell {
  const text = fmtRate(row[side]);
  return row.better === side ? { text, mark: 'strong' } : text;
}

const BETTER_TEXT: Record<string, string> = { with: 'with DP', without: 'without DP', same: 'same' };

function privacyBlocks(run: RunRecord, privacy: PrivacyView | null): Block[] {
  if (!privacy) {
    return [{ kind: 'p', text: 'No differential privacy: this model was trained without DP-SGD, so no (ε, δ) guarantee applies. Set privacy.dp ({ noiseMultiplier, clipNorm, delta }) in the config to train with it and measure what privacy costs.', mark: 'note' }];
  }
  const dp = privacy.dp;
  const blocks: Block[] = [];
  const noNoise = dp.noiseMultiplier === 0;
  blocks.push({
    kind: 'p',
    text: noNoise
      ? 'DP-SGD with noise multiplier 0: gradients were clipped but no noise was added, so there is no privacy guarantee (ε = ∞).'
      : `Guarantee: ${guaranteeText(dp)}-differential privacy for the training rows, from the ${dp.accountant === 'rdp' ? 'RDP (Rényi differential privacy) accountant' : `${dp.accountant ?? 'unrecorded'} accountant`}.`,
    ...(noNoise ? { mark: 'fail' as const } : {}),
  });
  const rows: Cell[][] = [
    ['Guarantee', guaranteeText(dp)],
    ['Noise multiplier (σ)', `${rec(dp.noiseMultiplier)}${dp.noiseMultiplierSource === 'targetEpsilon' ? ' (computed from privacy.dp.targetEpsilon)' : dp.noiseMultiplierSource === 'config' ? ' (from the config)' : ''}`],
    ['Clipping norm (C)', rec(dp.clipNorm)],
    ['Steps', rec(dp.steps)],
    ['Sampling rate (q)', rec(dp.sampleRate, (v) => fmt(v, 4))],
    ['Clipped gradients', dp.clippedShare !== null ? `${(dp.clippedShare * 100).toFixed(1)}% of per-example gradients` : 'not recorded'],
    ['Accountant', `${dp.accountant === 'rdp' ? 'RDP (Rényi DP)' : dp.accountant ?? 'not recorded'}${dp.conversion ? `, ${dp.conversion} RDP→(ε, δ) conversion` : ''}${dp.optimalOrder !== null ? `, optimal order α = ${fmt(dp.optimalOrder)}` : ''}`],
  ];
  if (dp.targetEpsilon !== null) rows.push(['Budget', `ε ≤ ${fmt(dp.targetEpsilon)}: ${dp.withinBudget === false ? '✗ exceeded' : dp.withinBudget === true ? '✓ within' : 'not recorded'}`]);
  blocks.push({ kind: 'table', caption: 'Differential privacy (DP-SGD)', head: ['Item', 'Value'], rows });
  if (dp.warnings.length > 0) blocks.push({ kind: 'list', items: dp.warnings.map((w) => `⚠ ${w}`) });
  if (dp.assumptions.length > 0) blocks.push({ kind: 'p', text: 'The guarantee assumes:' }, { kind: 'list', items: dp.assumptions });
  if (!privacy.cost) {
    blocks.push({ kind: 'p', text: 'The cost of privacy was not measured: the run ended before the same model without DP was trained.', mark: 'note' });
    return blocks;
  }
  blocks.push({ kind: 'p', text: `The cost of privacy. ${privacy.cost.description}` });
  blocks.push({
    kind: 'table',
    caption: `The cost of privacy on the ${fmt(run.data.test)} test rows: without DP vs with DP (Change = with − without; the better value is in bold)`,
    head: ['Metric', 'Without DP', 'With DP', 'Change', 'Better'],
    rows: privacy.cost.rows.map((r) => [r.label, costCell(r, 'without'), costCell(r, 'with'), delta(r.without, r.with), r.better ? BETTER_TEXT[r.better] : '']),
  });
  return blocks;
}

function energyBlocks(energy: EnergyView | null, estimate: EstimateView | null): Block[] {
  const blocks: Block[] = [];
  if (!energy) {
    blocks.push({ kind: 'p', text: 'Not recorded: this run was made before runs metered their energy. Train again to record it.', mark: 'note' });
  } else {
    blocks.push({ kind: 'p', text: `${formatEnergy(energy.joules)} — ${energy.label}.` });
    const rows: Cell[][] = [
      ['Energy', `${formatEnergy(energy.joules)}${energy.kWh !== null ? ` (${energy.kWh < 0.001 ? energy.kWh.toExponential(2) : fmt(energy.kWh, 4)} kWh)` : ''}, ${energy.kind === 'measured' ? 'MEASURED' : 'ESTIMATED'}`],
      ['How', energy.basis || 'not recorded'],
      ['CO₂e', energy.co2eGrams !== null ? `${formatMass(energy.co2eGrams)} (${energy.kind} energy × grid intensity)` : 'not recorded'],
      ['Grid intensity', `${energy.gramsPerKWh !== null ? `${fmt(energy.gramsPerKWh)} gCO₂e/kWh` : 'not recorded'} (${energy.intensityOrigin}): ${energy.intensitySource}`],
      ['CPU time', energy.cpuSeconds !== null ? `${fmt(energy.cpuSeconds)} s (user ${rec(energy.userSeconds)} s, system ${rec(energy.systemSeconds)} s; the whole process, worker threads included)` : 'not recorded'],
      ['Wall time', energy.wallSeconds !== null ? `${fmt(energy.wallSeconds)} s` : 'not recorded'],
      ['Processor', energy.processor],
    ];
    if (energy.kind === 'measured' && energy.modelledJoules !== null) rows.push(['TDP-per-core model (for comparison)', `${formatEnergy(energy.modelledJoules)}, estimated`]);
    for (const d of energy.rapl) rows.push([`RAPL ${d.name || d.zone}`, formatEnergy(d.joules)]);
    blocks.push({ kind: 'table', caption: `Energy and CO₂e of the run (${energy.kind === 'measured' ? 'measured' : 'estimated'})`, head: ['Item', 'Value'], rows });
    if (energy.notes.length > 0) blocks.push({ kind: 'list', items: energy.notes });
  }
  if (!estimate) {
    blocks.push({ kind: 'p', text: 'No pre-run estimate was recorded for this run.', mark: 'note' });
    return blocks;
  }
  const x = (r: number | null): string => (r === null ? 'undefined' : `${r >= 10 ? r.toFixed(0) : r.toFixed(2)}×`);
  blocks.push({
    kind: 'table',
    caption: `Before the run (estimate${estimate.upperBound ? ', an upper bound: early stopping may end training sooner' : ''}; throughput ${estimate.throughput}) vs the run`,
    head: ['Item', 'Estimate', 'Actual', 'Actual ÷ estimate'],
    rows: [
      ['Energy', rec(estimate.joules, formatEnergy), energy ? `${formatEnergy(energy.joules)} (${energy.kind})` : 'not recorded', x(estimate.energyRatio)],
      ['Training time', rec(estimate.seconds, (s) => `${fmt(s)} s`), rec(estimate.actualTrainSeconds, (s) => `${fmt(s)} s`), x(estimate.timeRatio)],
      ['CO₂e', rec(estimate.co2eGrams, formatMass), energy?.co2eGrams != null ? formatMass(energy.co2eGrams) : 'not recorded', x(energy?.co2eGrams != null && estimate.co2eGrams !== null && estimate.co2eGrams > 0 ? energy.co2eGrams / estimate.co2eGrams : null)],
    ],
  });
  blocks.push({ kind: 'p', text: 'The estimate models the training and evaluation computation only; the actual energy covers the whole run (reading the data to saving), so short runs come out above their estimate.', mark: 'note' });
  return blocks;
}

/** Top features, differential privacy and its cost, energy and CO₂e; null for runs that record none of them. */
function responsibleSection(run: RunRecord): DocSection | null {
  const v = responsibleView(run);
  if (!v) return null;
  return {
    id: 'responsible',
    title: RESPONSIBLE_TITLE,
    blocks: [
      { kind: 'section', id: 'responsible-features', title: 'Top features', blocks: featureBlocks(v.importance, v.explainRecorded, v.explainWarnings) },
      { kind: 'section', id: 'responsible-privacy', title: 'Privacy', blocks: privacyBlocks(run, v.privacy) },
      { kind: 'section', id: 'responsible-energy', title: 'Energy & CO₂e', blocks: energyBlocks(v.energy, v.estimate) },
    ],
  };
}

function crossValidationSection(run: RunRecord): DocSection | null {
  const cv = run.crossValidation;
  if (!cv) return null;
  return {
    id: 'cross-validation',
    title: 'Cross-validation',
    blocks: [{
      kind: 'table',
      caption: `${cv.k}-fold cross-validation on training + validation rows`,
      head: ['Metric', 'Mean', 'SD', 'Folds'],
      rows: Object.entries(cv.metrics).map(([k, v]) => [metricLabel(k), fmtRate(v.mean), fmtRate(v.sd), String(v.n)]),
    }],
  };
}

function reproducibilitySection(run: RunRecord): DocSection {
  const b = run.backend;
  return {
    id: 'reproducibility',
    title: 'Reproducibility',
    blocks: [{
      kind: 'table',
      caption: 'What this run depends on',
      head: ['Item', 'Value'],
      rows: [
        ['Config', `${run.config.file} (sha256 ${run.config.hash})`],
        ['Data', `${run.data.file} (sha256 ${run.data.hash})`],
        ['Seed', `${run.seed}${run.seedDefaulted ? ' (default: no seed was set)' : ''}`],
        ['Backend', `${b.name} ${b.version}${b.simd ? ' (SIMD)' : ''}${b.notes.length ? `; ${b.notes.join('; ')}` : ''}`],
        ['Versions', `rml ${run.versions.rml}, tfjs ${run.versions.tfjs}, node ${run.versions.node}`],
        ['Timings', `read ${fmtMs(run.timings.readMs)}, train ${fmtMs(run.timings.trainMs)}, evaluate ${fmtMs(run.timings.evaluateMs)}, total ${fmtMs(run.timings.totalMs)}`],
      ],
    }],
  };
}

/** The report as a document model: the sections that apply to this run, in {@link SECTION_IDS} order. */
export function reportDocument(run: RunRecord, options: ExportOptions = {}): ReportDocument {
  const x = reportExtras(run);
  // The limits the run was judged by, else the ones given (the config's, read now).
  const thresholds = thresholdsOf(run) ?? options.thresholds;
  const opts: ExportOptions = { ...options, ...(thresholds ? { thresholds } : {}) };
  const sections = [
    summarySection(run, x, opts),
    dataSection(run),
    metricsSection(run),
    confusionSection(run),
    curvesSection(run),
    trainingSection(run),
    fairnessSection(x, opts),
    mitigationSection(x, opts),
    responsibleSection(run),
    crossValidationSection(run),
    reproducibilitySection(run),
  ].filter((s): s is DocSection => s !== null);
  const when = (opts.generatedAt ?? new Date()).toISOString();
  return {
    title: `Responsible ML report: ${run.name}`,
    subtitle: `Run finished ${run.finishedAt}; report generated ${when}.`,
    sections,
  };
}

// ---------------------------------------------------------------------------------------------
// HTML

const CSS = `
:root { color-scheme: light dark; --fg: #1f2328; --muted: #59636e; --bg: #ffffff; --line: #d1d9e0; --head: #f6f8fa;
  --s0: #1a73e8; --s1: #d9730d; --s2: #188038; --s3: #8e24aa; --s4: #d93025; --s5: #b58900; --pass: #188038; --fail: #d93025; }
@media (prefers-color-scheme: dark) { :root { --fg: #e6edf3; --muted: #9198a1; --bg: #0d1117; --line: #3d444d; --head: #151b23;
  --s0: #58a6ff; --s1: #f0883e; --s2: #3fb950; --s3: #bc8cff; --s4: #f85149; --s5: #d29922; --pass: #3fb950; --fail: #f85149; } }
body { font: 14px/1.5 system-ui, -apple-system, "Segoe UI", sans-serif; color: var(--fg); background: var(--bg); margin: 0; }
main { max-width: 1100px; margin: 0 auto; padding: 24px; }
h1 { font-size: 1.6em; margin: 0 0 4px; } h2 { border-bottom: 1px solid var(--line); padding-bottom: 4px; margin-top: 32px; }
.subtitle, caption, .note { color: var(--muted); }
table { border-collapse: collapse; margin: 8px 0 16px; min-width: 50%; }
caption { text-align: left; padding: 4px 0; font-size: 0.92em; }
th, td { border: 1px solid var(--line); padding: 4px 10px; text-align: left; vertical-align: top; }
th { background: var(--head); }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
.pass { color: var(--pass); font-weight: 600; } .fail { color: var(--fail); font-weight: 600; }
.harmed { font-weight: 700; text-decoration: underline; } .strong { font-weight: 600; }
.charts { display: flex; flex-wrap: wrap; gap: 16px; }
svg.rml-chart { max-width: 100%; height: auto; border: 1px solid var(--line); border-radius: 4px; }
.rml-text { fill: var(--fg); } .rml-strong { font-weight: 700; }
.rml-axis { stroke: var(--fg); stroke-width: 1; } .rml-grid { stroke: var(--line); stroke-width: 1; }
.rml-ref { stroke: var(--muted); stroke-dasharray: 4 3; } .rml-marker { stroke: var(--fg); stroke-dasharray: 2 2; }
.rml-line { stroke-width: 2; fill: none; } .rml-dashed { stroke-dasharray: 6 3; }
.rml-line.rml-s0 { stroke: var(--s0); } .rml-line.rml-s1 { stroke: var(--s1); } .rml-line.rml-s2 { stroke: var(--s2); }
.rml-line.rml-s3 { stroke: var(--s3); } .rml-line.rml-s4 { stroke: var(--s4); } .rml-line.rml-s5 { stroke: var(--s5); }
.rml-bar.rml-s0, .rml-dot.rml-s0 { fill: var(--s0); } .rml-bar.rml-s1, .rml-dot.rml-s1 { fill: var(--s1); } .rml-bar.rml-s2, .rml-dot.rml-s2 { fill: var(--s2); }
.rml-bar.rml-s3, .rml-dot.rml-s3 { fill: var(--s3); } .rml-bar.rml-s4, .rml-dot.rml-s4 { fill: var(--s4); } .rml-bar.rml-s5, .rml-dot.rml-s5 { fill: var(--s5); }
.rml-bar.rml-harmed { stroke: var(--fg); stroke-width: 2; }
.rml-whisker { stroke: var(--fg); stroke-width: 1.5; }
@media print { h2 { break-after: avoid; } table, svg { break-inside: avoid; } }
`;

function cellHtml(c: Cell, tag: 'td' | 'th'): string {
  const text = typeof c === 'string' ? c : c.text;
  const classes: string[] = [];
  if (typeof c !== 'string' && c.mark) classes.push(c.mark);
  if (tag === 'td' && /^[-−+]?[\d,]+(\.\d+)?(e[-+]?\d+)?$/.test(text)) classes.push('num');
  return `<${tag}${classes.length ? ` class="${classes.join(' ')}"` : ''}>${escapeXml(text)}</${tag}>`;
}

function blocksHtml(blocks: Block[], level: number): string {
  const out: string[] = [];
  let charts: string[] = [];
  const flush = (): void => {
    if (charts.length) out.push(`<div class="charts">${charts.join('')}</div>`);
    charts = [];
  };
  for (const b of blocks) {
    if (b.kind === 'chart') {
      charts.push(svgToString(b.svg));
      continue;
    }
    flush();
    switch (b.kind) {
      case 'p':
        out.push(`<p${b.mark ? ` class="${b.mark}"` : ''}>${escapeXml(b.text)}</p>`);
        break;
      case 'list':
        out.push(`<ul>${b.items.map((i) => `<li>${escapeXml(i)}</li>`).join('')}</ul>`);
        break;
      case 'table':
        out.push(
          `<table><caption>${escapeXml(b.caption)}</caption><thead><tr>${b.head.map((h) => cellHtml(h, 'th')).join('')}</tr></thead>` +
          `<tbody>${b.rows.map((r) => `<tr>${r.map((c, i) => cellHtml(c, i === 0 ? 'th' : 'td')).join('')}</tr>`).join('')}</tbody></table>`,
        );
        break;
      case 'section':
        out.push(`<section id="${escapeXml(b.id)}"><h${level}>${escapeXml(b.title)}</h${level}>${blocksHtml(b.blocks, level + 1)}</section>`);
        break;
    }
  }
  flush();
  return out.join('\n');
}

/** The report as one self-contained HTML file (no script, no remote content). */
export function renderHtml(run: RunRecord, opts: ExportOptions = {}): string {
  const doc = reportDocument(run, opts);
  const body = doc.sections.map((s) => `<section id="${s.id}">\n<h2>${escapeXml(s.title)}</h2>\n${blocksHtml(s.blocks, 3)}\n</section>`).join('\n');
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="Responsible ML ${escapeXml(run.versions.rml)}">
<title>${escapeXml(doc.title)}</title>
<style>${CSS}</style>
</head>
<body>
<main>
<header><h1>${escapeXml(doc.title)}</h1><p class="subtitle">${escapeXml(doc.subtitle)}</p>
<nav aria-label="Sections"><p>${doc.sections.map((s) => `<a href="#${s.id}">${escapeXml(s.title)}</a>`).join(' · ')}</p></nav></header>
${body}
</main>
</body>
</html>
`;
}

// ---------------------------------------------------------------------------------------------
// Markdown

/** Escapes text for a Markdown table cell or paragraph. */
export function escapeMarkdown(s: string): string {
  return s.replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/([*_`[\]<>#])/g, '\\$1').replace(/\r?\n/g, ' ');
}

function cellMd(c: Cell): string {
  const text = escapeMarkdown(typeof c === 'string' ? c : c.text);
  if (typeof c !== 'string' && (c.mark === 'harmed' || c.mark === 'fail' || c.mark === 'strong')) return text ? `**${text}**` : text;
  return text;
}

function blocksMd(blocks: Block[], level: number): string[] {
  const out: string[] = [];
  for (const b of blocks) {
    switch (b.kind) {
      case 'p':
        out.push(b.mark === 'fail' || b.mark === 'pass' ? `**${escapeMarkdown(b.text)}**` : escapeMarkdown(b.text), '');
        break;
      case 'list':
        out.push(...b.items.map((i) => `- ${escapeMarkdown(i)}`), '');
        break;
      case 'table':
        out.push(`*${escapeMarkdown(b.caption)}*`, '');
        out.push(`| ${b.head.map(cellMd).join(' | ')} |`, `|${b.head.map((_, i) => (i === 0 ? ' --- ' : ' ---: ')).join('|')}|`);
        out.push(...b.rows.map((r) => `| ${r.map(cellMd).join(' | ')} |`), '');
        break;
      case 'chart': {
        // Markdown has no charts: say what the chart shows (the tables hold the numbers).
        const title = b.svg.children?.find((c): c is SvgNode => typeof c !== 'string' && c.tag === 'title');
        const desc = b.svg.children?.find((c): c is SvgNode => typeof c !== 'string' && c.tag === 'desc');
        const t = typeof title?.children?.[0] === 'string' ? title.children[0] : 'Chart';
        const d = typeof desc?.children?.[0] === 'string' ? desc.children[0] : '';
        out.push(`> ${escapeMarkdown(t)}: ${escapeMarkdown(d)}`, '');
        break;
      }
      case 'section':
        out.push(`${'#'.repeat(level)} ${escapeMarkdown(b.title)}`, '', ...blocksMd(b.blocks, level + 1));
        break;
    }
  }
  return out;
}

/** The report as Markdown (GitHub-flavoured tables; charts described in words). */
export function renderMarkdown(run: RunRecord, opts: ExportOptions = {}): string {
  const doc = reportDocument(run, opts);
  const lines = [`# ${escapeMarkdown(doc.title)}`, '', escapeMarkdown(doc.subtitle), ''];
  for (const s of doc.sections) lines.push(`## ${escapeMarkdown(s.title)}`, '', ...blocksMd(s.blocks, 3));
  return `${lines.join('\n').replace(/\n{3,}/g, '\n\n').trimEnd()}\n`;
}
