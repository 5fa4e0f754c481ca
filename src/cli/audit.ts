/**
 * `rml audit`: the fairness audit of predictions made anywhere (Python, R, a vendor), from a CSV
 * with the label, the predictions and/or scores, and the sensitive columns.
 *
 *   rml audit --data <csv> --label <col> [--positive <value>]
 *             [--pred <col> [--pred-positive <value>]] [--score <col> [--threshold t] [--score-positive <value>]]
 *             --sensitive <col>[,<col>...] [--privileged <col>=<value>] [--intersections]
 *             [--bootstrap N] [--fail-on <metric><op><value>,...] [--min-group-size N]
 *             [--seed S] [--max-groups N] [--delimiter C] [--json]
 *
 * Decisions (README "rml audit"):
 * - The positive class is the favourable outcome. Without --positive it is inferred only for
 *   0/1, false/true and no/yes labels (the 1/true/yes value); any other two-valued label needs
 *   --positive. A label with more than two values needs --positive (that class vs the rest; run
 *   once per class for a one-vs-rest breakdown): the audit's shape, with overall TP/FP/TN/FN, is
 *   binary.
 * - Predictions come from --pred (positive where the value equals --pred-positive, else the
 *   label's positive value; every value must then be in the label's value space, compared as
 *   numbers when both columns are numeric, so 1 and 1.0 match), else from --score ≥ threshold
 *   (default 0.5). --score also feeds ROC AUC, overall and per group. Scores are for the positive
 *   label unless --score-positive names the other value of a two-valued label: then 1 − score is
 *   used (e.g. P(reoffend) when the favourable --positive is "did not reoffend").
 * - A missing label, prediction or score is bad input naming its line; a missing sensitive value
 *   is its own group, "(missing)".
 * - A sensitive column (or intersection) with more than --max-groups groups (default 1000) is
 *   refused with a hint to bin it.
 * - --fail-on limits without a column apply to every --sensitive column; limits on an
 *   intersection name it, e.g. `race&sex:demographicParityDifference<=0.2`.
 * - --privileged values must occur in their column (a typo is bad input, listing the groups).
 *
 * Exit codes: 0 audited (gate passed or no gate) · 3 the gate failed · 2 bad input.
 *
 * The audit itself is src/core/fairness/audit-csv.ts (the editor's "Audit Predictions…" runs it
 * too); this module parses the flags and prints. It also holds the fairness text formatting that
 * `rml train` reuses.
 */
import { relative, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { parseNumber } from '../core/data';
import { RmlInputError } from '../core/errors';
import {
  DEFAULT_MAX_GROUPS,
  DEFAULT_MIN_GROUP_SIZE,
  GATE_METRICS,
  parseFailOn,
  type ColumnAudit,
  type DecisionRule,
  type GateLimit,
  type MulticlassAudit,
  type RegressionAudit,
  type RunFairness,
  type RunGate,
} from '../core/fairness';
import { auditCsv, type AuditCsvOptions, type AuditResult } from '../core/fairness/audit-csv';
import { colors, num, table } from './format';
import { EXIT, type Io } from './io';

type Colors = ReturnType<typeof colors>;

/** The options of one audit, as parsed from the command line. */
export interface AuditOptions extends AuditCsvOptions {
  /** Print the JSON document instead of the report. */
  json: boolean;
}

const USAGE_HINT = 'usage: rml audit --data <csv> --label <col> (--pred <col> | --score <col>) --sensitive <col>[,<col>...]';

/** `rml audit …` → exit code. */
export async function auditCommand(args: string[], io: Io): Promise<number> {
  const options = parseAuditArgs(args, io.cwd);
  const result = await auditCsv(options);
  const c = colors(io.tty && !process.env.NO_COLOR);
  const { gate } = result.json;
  if (options.json) {
    io.out(JSON.stringify(result.json, null, 2) + '\n');
    for (const n of result.notes) io.err(`rml: note: ${n}\n`);
    if (!gate.passed) io.err(`rml: fairness gate failed:\n${gate.failures.map((f) => `rml:   ${f.message}`).join('\n')}\n`);
  } else {
    io.out(humanAudit(result, io.cwd, c) + '\n');
  }
  return gate.passed ? EXIT.ok : EXIT.gate;
}

function intOption(name: string, v: string | undefined, fallback: number, min: number): number {
  if (v === undefined) return fallback;
  const x = parseNumber(v.trim());
  if (!Number.isSafeInteger(x) || x < min) throw new RmlInputError(`${name} must be an integer ≥ ${min} (got '${v}')`);
  return x;
}

/** Parses and checks the command line (bad input throws RmlInputError; unknown options throw parseArgs errors). */
export function parseAuditArgs(args: string[], cwd: string): AuditOptions {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      data: { type: 'string' },
      label: { type: 'string' },
      positive: { type: 'string' },
      pred: { type: 'string' },
      'pred-positive': { type: 'string' },
      score: { type: 'string' },
      threshold: { type: 'string' },
      'score-positive': { type: 'string' },
      sensitive: { type: 'string', multiple: true },
      privileged: { type: 'string', multiple: true },
      intersections: { type: 'boolean', default: false },
      bootstrap: { type: 'string' },
      'fail-on': { type: 'string', multiple: true },
      'min-group-size': { type: 'string' },
      seed: { type: 'string' },
      'max-groups': { type: 'string' },
      delimiter: { type: 'string' },
      json: { type: 'boolean', default: false },
    },
  });
  if (positionals.length > 0) throw new RmlInputError(`audit takes no positional arguments (got '${positionals[0]}'); ${USAGE_HINT}`);
  if (values.data === undefined) throw new RmlInputError(`--data is required; ${USAGE_HINT}`);
  if (values.label === undefined) throw new RmlInputError(`--label is required; ${USAGE_HINT}`);
  if (values.pred === undefined && values.score === undefined) throw new RmlInputError(`give the model's predictions with --pred <col>, or its scores with --score <col> (or both); ${USAGE_HINT}`);
  if (values['pred-positive'] !== undefined && values.pred === undefined) throw new RmlInputError('--pred-positive needs --pred');
  if (values['score-positive'] !== undefined && values.score === undefined) throw new RmlInputError('--score-positive needs --score');
  if (values.threshold !== undefined && values.score === undefined) throw new RmlInputError('--threshold needs --score (predictions are score ≥ threshold)');
  if (values.threshold !== undefined && values.pred !== undefined) {
    throw new RmlInputError('--threshold applies when predictions come from --score, but --pred was given: predictions are read from it and --score only feeds ROC AUC; drop one of --pred or --threshold');
  }
  const sensitive = [...new Set((values.sensitive ?? []).flatMap((s) => s.split(',')).map((s) => s.trim()).filter((s) => s !== ''))];
  if (sensitive.length === 0) throw new RmlInputError(`--sensitive is required: the column(s) to audit, e.g. --sensitive race,sex; ${USAGE_HINT}`);
  if (sensitive.includes(values.label)) throw new RmlInputError(`--sensitive includes the label column '${values.label}'; a sensitive attribute can't be the label`);
  if (values.intersections && sensitive.length < 2) throw new RmlInputError(`--intersections needs at least two --sensitive columns (got ${sensitive.join(', ')})`);
  let threshold: number | undefined;
  if (values.threshold !== undefined) {
    threshold = parseNumber(values.threshold.trim());
    if (!Number.isFinite(threshold)) throw new RmlInputError(`--threshold must be a number (got '${values.threshold}')`);
  }
  const privileged = parsePrivileged(values.privileged ?? [], sensitive);
  const failOn = values['fail-on'];
  const limits = failOn && failOn.length > 0 ? parseFailOn(failOn.join(',')) : [];
  return {
    data: resolve(cwd, values.data),
    label: values.label,
    positive: values.positive,
    pred: values.pred,
    predPositive: values['pred-positive'],
    score: values.score,
    threshold,
    scorePositive: values['score-positive'],
    sensitive,
    privileged,
    intersections: values.intersections ?? false,
    bootstrap: intOption('--bootstrap', values.bootstrap, 0, 1),
    limits,
    minGroupSize: intOption('--min-group-size', values['min-group-size'], DEFAULT_MIN_GROUP_SIZE, 1),
    seed: intOption('--seed', values.seed, 0, 0),
    maxGroups: intOption('--max-groups', values['max-groups'], DEFAULT_MAX_GROUPS, 2),
    delimiter: values.delimiter,
    json: values.json ?? false,
  };
}

/**
 * `--privileged col=value`, repeated or comma-separated. A comma-separated piece without "=" is
 * part of the previous value (so `race=White, non-Hispanic` works).
 */
function parsePrivileged(entries: string[], sensitive: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const entry of entries) {
    const pieces: string[] = [];
    for (const piece of entry.split(',')) {
      if (piece.includes('=') || pieces.length === 0) pieces.push(piece);
      else pieces[pieces.length - 1] += `,${piece}`;
    }
    for (const piece of pieces) {
      const eq = piece.indexOf('=');
      if (eq <= 0) throw new RmlInputError(`bad --privileged '${piece}': expected <column>=<value>, e.g. --privileged race=Caucasian`);
      const col = piece.slice(0, eq).trim();
      const value = piece.slice(eq + 1).trim();
      if (!sensitive.includes(col)) throw new RmlInputError(`--privileged names '${col}', which is not a --sensitive column (${sensitive.join(', ')})`);
      if (Object.hasOwn(out, col) && out[col] !== value) throw new RmlInputError(`--privileged gives two values for '${col}' ('${out[col]}' and '${value}')`);
      out[col] = value;
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Human output (shared with `rml train`)

function withInterval(v: number | null | undefined, interval: [number, number] | null | undefined, digits = 4): string {
  const s = num(v, digits, 'undefined');
  if (interval === undefined) return s;
  return `${s} ${interval === null ? '[undefined]' : `[${num(interval[0], digits)}, ${num(interval[1], digits)}]`}`;
}

function pct(v: number): string {
  return `${(v * 100).toFixed(1)}%`;
}

/** Lines describing one binary audit: the per-group table (harmed groups marked), the disparities, the signed metrics, warnings. */
export function formatColumnAudit(title: string, a: ColumnAudit, c: Colors, opts: { scores: boolean; minGroupSize?: number }): string[] {
  const lines: string[] = [];
  const names = Object.keys(a.groups);
  const n = names.reduce((s, g) => s + a.groups[g].n, 0);
  lines.push(c.bold(`${title}`) + c.dim(`  (${names.length} group${names.length === 1 ? '' : 's'}, ${n.toLocaleString('en-US')} rows)`));
  const small = new Set(a.warnings.filter((w) => w.kind === 'small-group').map((w) => w.group));
  const ex = a.extremes;
  const lowSr = ex && a.demographicParityDifference !== null && a.demographicParityDifference > 0 ? ex.demographicParityDifference.min : null;
  const lowTpr = ex && a.equalOpportunityDifference !== null && a.equalOpportunityDifference > 0 ? ex.equalOpportunityDifference.min : null;
  // When the lowest group is too small to trust, also point at the lowest of the groups that are not.
  const noPositives = new Set(a.warnings.filter((w) => w.kind === 'no-positives').map((w) => w.group));
  const lowestReliable = (rate: 'selectionRate' | 'tpr', low: string | null): string | null => {
    if (low === null || !small.has(low)) return null;
    const pool = names.filter((g) => !small.has(g) && !(rate === 'tpr' && noPositives.has(g)));
    if (pool.length < 2) return null;
    const best = pool.reduce((m, g) => (a.groups[g][rate] < a.groups[m][rate] ? g : m));
    return pool.some((g) => a.groups[g][rate] > a.groups[best][rate]) ? best : null;
  };
  const lowSrReliable = lowestReliable('selectionRate', lowSr);
  const lowTprReliable = lowestReliable('tpr', lowTpr);
  const header = ['group', 'n', 'selection', 'base rate', 'accuracy', 'TPR', 'FPR', 'FNR', 'precision', ...(opts.scores ? ['ROC AUC'] : []), ''];
  const rows: string[][] = [header];
  for (const g of names) {
    const m = a.groups[g];
    const minRows = opts.minGroupSize ?? DEFAULT_MIN_GROUP_SIZE;
    const marks = [
      g === lowSr ? 'lowest selection rate' : g === lowSrReliable ? `lowest selection rate of groups ≥ ${minRows} rows` : '',
      g === lowTpr ? 'lowest TPR' : g === lowTprReliable ? `lowest TPR of groups ≥ ${minRows} rows` : '',
    ].filter((s) => s !== '');
    const harmed = marks.length > 0;
    const label = `${g}${small.has(g) ? '*' : ''}`;
    rows.push([
      harmed ? c.red(label) : label,
      String(m.n),
      num(m.selectionRate, 4),
      num(m.baseRate, 4),
      num(m.accuracy, 4),
      num(m.tpr, 4),
      num(m.fpr, 4),
      num(m.fnr, 4),
      num(m.precision, 4),
      ...(opts.scores ? [num(m.rocAuc, 4)] : []),
      harmed ? c.red(`◀ ${marks.join(', ')}`) : '',
    ]);
  }
  lines.push(table(rows));
  if (small.size > 0) lines.push(c.yellow(`  * fewer than ${opts.minGroupSize ?? DEFAULT_MIN_GROUP_SIZE} rows: its rates are unreliable`));
  if (names.length < 2) {
    lines.push(c.yellow('  a single group: no disparity can be computed'));
  } else {
    const iv = a.intervals;
    const dis: string[][] = [['disparity', 'difference', 'ratio', '']];
    const who = (k: 'demographicParityDifference' | 'equalizedOddsDifference' | 'equalOpportunityDifference') => {
      const e = ex?.[k];
      if (!e) return '';
      const rate = e.rate === 'selectionRate' ? 'selection rate' : e.rate.toUpperCase();
      return `${rate}: lowest ${e.min} (${num(a.groups[e.min][e.rate], 4)}), highest ${e.max} (${num(a.groups[e.max][e.rate], 4)})`;
    };
    dis.push(['demographic parity', withInterval(a.demographicParityDifference, iv?.demographicParityDifference), withInterval(a.demographicParityRatio, iv?.demographicParityRatio), who('demographicParityDifference')]);
    dis.push(['equalized odds', withInterval(a.equalizedOddsDifference, iv?.equalizedOddsDifference), withInterval(a.equalizedOddsRatio, iv?.equalizedOddsRatio), who('equalizedOddsDifference')]);
    dis.push(['equal opportunity', withInterval(a.equalOpportunityDifference, iv?.equalOpportunityDifference), withInterval(a.equalOpportunityRatio, iv?.equalOpportunityRatio), who('equalOpportunityDifference')]);
    lines.push(table(dis));
    const di = a.disparateImpactRatio;
    const diText = withInterval(di, iv?.disparateImpactRatio);
    if (di === null) {
      lines.push(`  disparate impact ratio ${diText}: no group is ever selected, so the four-fifths rule cannot be checked`);
    } else if (ex) {
      const { min, max } = ex.disparateImpactRatio;
      const verdict = di < 0.8 ? c.red('FAILS the four-fifths rule (< 0.8)') : c.green('passes the four-fifths rule (≥ 0.8)');
      lines.push(`  disparate impact ratio ${diText}: ${verdict}; ${min} is selected at ${pct(di)} of the rate of ${max}`);
    }
    if (iv) lines.push(c.dim(`  [intervals: ${a.bootstrap?.percentiles[0]}–${a.bootstrap?.percentiles[1]} percentiles of ${a.bootstrap?.resamples} bootstrap resamples, seed ${a.bootstrap?.seed}]`));
  }
  if (a.signed) {
    const s = a.signed;
    const iv = a.intervals;
    const signed = (v: number | null, interval: [number, number] | null | undefined) =>
      `${v !== null && v > 0 ? '+' : ''}${withInterval(v, interval)}`;
    lines.push(`  vs privileged "${s.privileged}" (AIF360; unprivileged = every other row, negative = unprivileged worse off):`);
    lines.push(
      `    statistical parity difference ${signed(s.statisticalParityDifference, iv?.statisticalParityDifference)} · disparate impact ${withInterval(s.disparateImpact, iv?.disparateImpact)}` +
        ` · equal opportunity difference ${signed(s.equalOpportunityDifference, iv?.equalOpportunityDifferenceSigned)} · average odds difference ${signed(s.averageOddsDifference, iv?.averageOddsDifference)}`,
    );
  }
  lines.push(c.dim(`  Theil index ${num(a.theilIndex.overall, 4, 'undefined')} (between groups ${num(a.theilIndex.betweenGroups, 4, 'undefined')})`));
  for (const w of a.warnings) if (w.kind !== 'small-group') lines.push(c.yellow(`  ! ${w.message}`));
  return lines;
}

/** Lines for a multiclass audit: one row per class (one-vs-rest). */
export function formatMulticlassAudit(title: string, a: MulticlassAudit, c: Colors): string[] {
  const rows: string[][] = [['class (vs rest)', 'DP difference', 'DI ratio', 'EO difference', 'EOpp difference', 'lowest selection rate']];
  for (const [cls, x] of Object.entries(a.classes)) {
    rows.push([cls, num(x.demographicParityDifference, 4, 'undefined'), num(x.disparateImpactRatio, 4, 'undefined'), num(x.equalizedOddsDifference, 4, 'undefined'), num(x.equalOpportunityDifference, 4, 'undefined'), x.extremes?.demographicParityDifference.min ?? '']);
  }
  const warnings = new Set(Object.values(a.classes).flatMap((x) => x.warnings.filter((w) => w.kind === 'small-group').map((w) => w.message)));
  return [c.bold(title) + c.dim('  (one-vs-rest per class)'), table(rows), ...[...warnings].map((w) => c.yellow(`  ! ${w}`))];
}

/** Lines for a regression audit. */
export function formatRegressionAudit(title: string, a: RegressionAudit, c: Colors): string[] {
  const rows: string[][] = [['group', 'n', 'mean prediction', 'mean true', 'MAE']];
  for (const [g, m] of Object.entries(a.groups)) rows.push([g, String(m.n), num(m.meanPrediction, 4), num(m.meanTrue, 4), num(m.mae, 4)]);
  return [
    c.bold(title),
    table(rows),
    `  mean prediction: difference ${num(a.meanPredictionDifference, 4, 'undefined')}, ratio ${num(a.meanPredictionRatio, 4, 'undefined')} · MAE difference ${num(a.maeDifference, 4, 'undefined')}`,
    ...a.warnings.map((w) => c.yellow(`  ! ${w.message}`)),
  ];
}

/** Lines for any run fairness (by task). */
export function formatFairness(fairness: RunFairness, c: Colors, opts: { scores: boolean; minGroupSize?: number }): string[] {
  const lines: string[] = [];
  for (const [col, a] of Object.entries(fairness as Record<string, ColumnAudit | MulticlassAudit | RegressionAudit>)) {
    if (lines.length > 0) lines.push('');
    if ('classes' in a) lines.push(...formatMulticlassAudit(col, a, c));
    else if ('maeDifference' in a) lines.push(...formatRegressionAudit(col, a, c));
    else lines.push(...formatColumnAudit(col, a, c, opts));
  }
  return lines;
}

/** Lines for the gate: passed, or a table of what failed by how much. */
export function formatGate(gate: RunGate, c: Colors): string[] {
  const n = gate.limits.length;
  if (n === 0) return [c.dim('Fairness gate: no limits set')];
  if (gate.passed) return [c.green(`Fairness gate: passed`) + c.dim(` (${n} limit${n === 1 ? '' : 's'}: ${gate.limits.map(limitText).join(', ')})`)];
  const rows: string[][] = [['column', 'metric', 'value', 'limit', 'by']];
  for (const f of gate.failures) {
    const abs = GATE_METRICS[f.metric] === 'signed-difference';
    let by: string;
    if (f.value === null) by = f.reason === 'not-computed' ? 'not computed' : 'undefined';
    else {
      const v = abs ? Math.abs(f.value) : f.value;
      by = `${num(Math.abs(v - f.limit), 4)} ${f.op.startsWith('<') ? 'over' : 'under'}`;
    }
    rows.push([f.column ?? '—', abs ? `|${f.metric}|` : f.metric, f.value === null ? (f.reason === 'not-computed' ? 'n/a' : 'undefined') : num(f.value, 4), `${f.op} ${f.limit}`, by]);
  }
  const lines = [c.red(`Fairness gate: FAILED`) + ` (${gate.failures.length} failure${gate.failures.length === 1 ? '' : 's'}; limits: ${gate.limits.map(limitText).join(', ')})`, table(rows)];
  for (const f of gate.failures) if (f.reason !== 'exceeded') lines.push(c.yellow(`  ! ${f.message}`));
  return lines;
}

function limitText(l: GateLimit): string {
  return `${l.column !== undefined ? `${l.column}:` : ''}${l.metric} ${l.op} ${l.value}`;
}

/** A decision rule in words: "score ≥ 0.4312", or a randomized mixture. */
export function describeRule(r: DecisionRule): string {
  const parts = r.mixture.map((m) => (m.weight === 1 ? `score ≥ ${num(m.threshold, 4)}` : `score ≥ ${num(m.threshold, 4)} (p ${num(m.weight, 3)})`));
  if (r.constant && r.constant.weight > 0) parts.push(`random at rate ${num(r.constant.rate, 3)} (p ${num(r.constant.weight, 3)})`);
  return parts.length === 0 ? 'never positive' : parts.join(' · ');
}

function humanAudit(r: AuditResult, cwd: string, c: Colors): string {
  const j = r.json;
  const o = j.overall;
  const lines: string[] = [];
  lines.push(c.bold(`Fairness audit · ${relative(cwd, r.file) || r.file}`));
  lines.push(`  ${j.rows.toLocaleString('en-US')} rows · positive (favourable) label: '${r.positive}'${r.positiveInferred ? c.dim(' (inferred)') : ''} · predictions: ${r.predictionsFrom}`);
  for (const n of r.notes) lines.push(c.dim(`  note: ${n}`));
  lines.push('');
  lines.push(c.bold('Overall'));
  lines.push(`  accuracy ${num(o.accuracy, 4)} · balanced accuracy ${num(o.balancedAccuracy, 4)} · precision ${num(o.precision, 4)} · recall ${num(o.recall, 4)} · f1 ${num(o.f1, 4)}`);
  lines.push(`  selection rate ${num(o.selectionRate, 4)} · base rate ${num(o.baseRate, 4)}${o.rocAuc !== null ? ` · ROC AUC ${num(o.rocAuc, 4)}` : ''} · TP ${o.tp} FP ${o.fp} TN ${o.tn} FN ${o.fn}`);
  const scores = Object.values(j.sensitive).some((a) => Object.values(a.groups).some((g) => g.rocAuc !== null)) || o.rocAuc !== null;
  for (const [col, a] of Object.entries(j.sensitive)) {
    lines.push('');
    lines.push(...formatColumnAudit(col, a, c, { scores, minGroupSize: r.minGroupSize }));
  }
  for (const [key, a] of Object.entries(j.intersections ?? {})) {
    lines.push('');
    lines.push(...formatColumnAudit(`${key} (intersection)`, a, c, { scores, minGroupSize: r.minGroupSize }));
  }
  lines.push('');
  lines.push(...formatGate(j.gate, c));
  lines.push(c.dim(`  read ${j.timings.readMs} ms · compute ${j.timings.computeMs} ms`));
  return lines.join('\n');
}
