/**
 * The pure steps of "Audit Predictions…" (no 'vscode' import, unit-tested): which columns to
 * suggest for the label, the predictions and the sensitive attributes, how a column is described in
 * a picker (example values, PII never shown: the lint worker masks them before they leave it), the
 * options the picks make, and how the audit's error messages name the picker steps instead of the
 * CLI's flags.
 */
import type { AuditCsvOptions, AuditInput, AuditTerms } from '../../core/fairness/audit-csv';
import { inferPositive, sameValue } from '../../core/fairness/labels';
import { suggestPositive, suggestTarget, type ColumnSummary } from './config-template';

/** Error messages in terms of the picker steps (see {@link AuditTerms}). */
export const EDITOR_TERMS: AuditTerms = {
  name: {
    label: 'the label column',
    positive: 'the favourable label value',
    pred: 'the prediction column',
    predPositive: "the prediction column's favourable value",
    score: 'the score column',
    scorePositive: 'the label value the scores are for',
    threshold: 'the decision threshold',
    sensitive: 'the sensitive column',
    privileged: 'the privileged group',
    maxGroups: 'the limit of',
  },
  set: (input: AuditInput) => {
    switch (input) {
      case 'maxGroups':
        return 'audit it from a terminal with `rml audit --max-groups <n>`';
      case 'threshold':
        return 'run the audit again and set the decision threshold';
      default:
        return `run the audit again and pick ${EDITOR_TERMS.name[input]}`;
    }
  },
};

const PRED_NAMES = /^(?:y_?pred(?:icted)?|pred(?:iction)?s?|predicted(?:_?(?:label|class))?|y_?hat|yhat|model_?(?:pred(?:iction)?|decision|output)|decision)$/i;
const SCORE_NAMES = /(?:score|prob|proba|probability|p_?hat|risk|confidence|likelihood|logit)/i;
const TRUE_NAMES = /^(?:y_?true|y|label|labels|target|actual|truth|ground_?truth|true_?label|outcome|class)$/i;

/** The label column to suggest: a typical ground-truth name, else the config template's guess, never a prediction column. */
export function suggestLabel(columns: readonly ColumnSummary[]): string | undefined {
  const named = columns.find((c) => TRUE_NAMES.test(c.name.trim()));
  if (named) return named.name;
  const rest = columns.filter((c) => !PRED_NAMES.test(c.name.trim()) && !SCORE_NAMES.test(c.name));
  return suggestTarget(rest)?.name;
}

/**
 * Whether a column reads as scores (to threshold) rather than predicted labels: numeric with
 * fractional values, or numeric, named like a score and with more than two values.
 */
export function isScoreColumn(c: ColumnSummary): boolean {
  if (c.type !== 'numeric') return false;
  if (c.integer === false) return true;
  return SCORE_NAMES.test(c.name) && c.distinct > 2;
}

/** The prediction or score column to suggest: a prediction name first, then a score name, then any score-like column. */
export function suggestPrediction(columns: readonly ColumnSummary[], label: string): string | undefined {
  const rest = columns.filter((c) => c.name !== label);
  return (
    rest.find((c) => PRED_NAMES.test(c.name.trim()))?.name ??
    rest.find((c) => SCORE_NAMES.test(c.name) && c.type === 'numeric')?.name ??
    rest.find(isScoreColumn)?.name
  );
}

/** The favourable value to suggest: as the CLI infers it for 0/1, false/true, no/yes labels, else the template's guess. */
export function suggestFavourable(c: ColumnSummary): string | undefined {
  const values = c.top.map((t) => t.value);
  const inferred = values.length > 0 ? inferPositive(values) : undefined;
  // (a column holding only the negative value has no favourable value to point at)
  return inferred !== undefined && values.some((v) => sameValue(v, inferred)) ? inferred : suggestPositive(c);
}

/**
 * Prediction values that are not among the label's values: when there are any, the predictions
 * use other codes and the user must say which value is favourable. Only the values the describe
 * step saw (its top values) are compared.
 */
export function foreignPredictionValues(pred: ColumnSummary, label: ColumnSummary, positive: string): string[] {
  const space = [...label.top.map((t) => t.value), positive];
  return pred.top.map((t) => t.value).filter((v) => !space.some((s) => sameValue(v, s)));
}

/** A column's examples for a picker: its most frequent values (masked upstream for PII columns). */
export function examples(c: ColumnSummary, pii: ReadonlySet<string>, max = 4): string | undefined {
  if (c.top.length === 0) return undefined;
  const shown = c.top.slice(0, max).map((t) => t.value);
  const range = c.type === 'numeric' && c.min !== undefined && c.max !== undefined && c.distinct > max && !pii.has(c.name) ? ` (range ${fmt(c.min)} to ${fmt(c.max)})` : '';
  return `${pii.has(c.name) ? 'personal data, masked: ' : 'e.g. '}${shown.join(', ')}${c.distinct > max ? ', …' : ''}${range}`;
}

function fmt(x: number): string {
  return Number.isInteger(x) ? String(x) : String(Math.round(x * 1e4) / 1e4);
}

/** A column in one line: its type, distinct and missing counts. */
export function columnSummary(c: ColumnSummary): string {
  return `${c.type}, ${c.distinct.toLocaleString('en-US')} distinct${c.missing > 0 ? `, ${c.missing.toLocaleString('en-US')} missing` : ''}`;
}

/** What the pickers decided; {@link auditOptions} turns it into the audit's options. */
export interface AuditPicks {
  data: string;
  label: string;
  positive: string;
  /** The predictions: a column of predicted labels, or a score column and its threshold. */
  prediction: { kind: 'pred'; column: string; positive?: string } | { kind: 'score'; column: string; threshold: number };
  sensitive: string[];
  privileged?: Record<string, string>;
  intersections?: boolean;
  /** Bootstrap resamples for the intervals (0: none). */
  bootstrap: number;
  /** Default: the audit's (30). */
  minGroupSize?: number;
  /** `fairness limits` as the CLI's --fail-on takes them ("demographicParityDifference<=0.1,…"), already parsed. */
  limits?: AuditCsvOptions['limits'];
}

/** The default number of bootstrap resamples for the intervals. */
export const EDITOR_BOOTSTRAP = 1000;

/** The audit's options from the picks (the CLI's defaults for everything else: seed 0, at most 1000 groups). */
export function auditOptions(p: AuditPicks): AuditCsvOptions {
  const o: AuditCsvOptions = {
    data: p.data,
    label: p.label,
    positive: p.positive,
    sensitive: [...p.sensitive],
    privileged: { ...(p.privileged ?? {}) },
    intersections: (p.intersections ?? false) && p.sensitive.length >= 2,
    bootstrap: p.bootstrap,
    limits: [...(p.limits ?? [])],
    seed: 0,
  };
  if (p.minGroupSize !== undefined) o.minGroupSize = p.minGroupSize;
  if (p.prediction.kind === 'pred') {
    o.pred = p.prediction.column;
    if (p.prediction.positive !== undefined) o.predPositive = p.prediction.positive;
  } else {
    o.score = p.prediction.column;
    o.threshold = p.prediction.threshold;
  }
  return o;
}

/** The same audit as a command line, so it can be repeated (and scripted) with `rml audit`. */
export function cliEquivalent(o: AuditCsvOptions, dataArg: string): string {
  const q = (s: string) => (/^[\w./:@%+=,-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`);
  const args = ['rml', 'audit', '--data', q(dataArg), '--label', q(o.label)];
  if (o.positive !== undefined) args.push('--positive', q(o.positive));
  if (o.pred !== undefined) args.push('--pred', q(o.pred));
  if (o.predPositive !== undefined) args.push('--pred-positive', q(o.predPositive));
  if (o.score !== undefined) args.push('--score', q(o.score));
  if (o.threshold !== undefined) args.push('--threshold', String(o.threshold));
  args.push('--sensitive', q(o.sensitive.join(',')));
  for (const [col, v] of Object.entries(o.privileged)) args.push('--privileged', q(`${col}=${v}`));
  if (o.intersections) args.push('--intersections');
  if (o.bootstrap > 0) args.push('--bootstrap', String(o.bootstrap), '--seed', String(o.seed));
  if (o.minGroupSize !== undefined) args.push('--min-group-size', String(o.minGroupSize));
  if (o.limits.length > 0) args.push('--fail-on', q(o.limits.map((l) => `${l.column !== undefined ? `${l.column}:` : ''}${l.metric}${l.op}${l.value}`).join(',')));
  return args.join(' ');
}
