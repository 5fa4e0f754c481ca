/**
 * The fairness gate: limits on audit metrics that decide whether a run passes
 * (the CLI exits with code 3 when it fails).
 *
 * Conventions:
 * - A limit is `metric op value`, with op one of <=, >=, <, >, optionally for one `column`;
 *   without a column it applies to every audited column where the metric is computed.
 * - Signed differences (statisticalParityDifference, averageOddsDifference,
 *   equalOpportunityDifferenceSigned) are compared by absolute value: a limit of 0.1 means
 *   |value| ≤ 0.1, whichever group is favoured. The failure reports the signed value.
 * - An undefined metric (null: a ratio with a 0 denominator, a single-group column, …) FAILS with
 *   reason 'undefined': the gate cannot show that the model meets the limit.
 * - A limit whose metric is computed for no targeted column (e.g. a signed metric without a
 *   privileged value) fails with reason 'not-computed', so a misconfiguration cannot pass silently.
 * - A limit naming a column that was not audited, an unknown metric, or bad syntax throws an
 *   `RmlInputError` (bad input, CLI exit code 2).
 */
import { RmlInputError } from '../errors';
import type { ColumnAudit } from './audit';
import type { RegressionAudit } from './regression';

export type GateOp = '<=' | '>=' | '<' | '>';

/**
 * How a metric is gated by a bare threshold:
 * - 'difference': a maximum (value ≤ limit passes); names ending in Difference, and theilIndex;
 * - 'ratio': a minimum (value ≥ limit passes); names ending in Ratio, and disparateImpact;
 * - 'signed-difference': a maximum on the absolute value (|value| ≤ limit passes).
 */
export type GateMetricKind = 'difference' | 'ratio' | 'signed-difference';

/** Every metric the gate knows, with its kind. */
export const GATE_METRICS: Readonly<Record<string, GateMetricKind>> = Object.freeze({
  demographicParityDifference: 'difference',
  equalizedOddsDifference: 'difference',
  equalOpportunityDifference: 'difference',
  theilIndex: 'difference',
  meanPredictionDifference: 'difference',
  maeDifference: 'difference',
  demographicParityRatio: 'ratio',
  equalizedOddsRatio: 'ratio',
  equalOpportunityRatio: 'ratio',
  disparateImpactRatio: 'ratio',
  disparateImpact: 'ratio',
  meanPredictionRatio: 'ratio',
  statisticalParityDifference: 'signed-difference',
  averageOddsDifference: 'signed-difference',
  equalOpportunityDifferenceSigned: 'signed-difference',
});

export interface GateLimit {
  /** A key of {@link GATE_METRICS}. */
  metric: string;
  op: GateOp;
  value: number;
  /** Only this sensitive column (default: every audited column). */
  column?: string;
}

export interface GateFailure {
  metric: string;
  /** The column that failed; null when the metric was computed for no column. */
  column: string | null;
  /** The metric's (signed) value; null when undefined or not computed. */
  value: number | null;
  limit: number;
  op: GateOp;
  reason: 'exceeded' | 'undefined' | 'not-computed';
  message: string;
}

export interface GateResult {
  passed: boolean;
  failures: GateFailure[];
}

/** Audits the gate can read: binary (ColumnAudit) or regression (RegressionAudit), keyed by column. */
export type GateSubject = ColumnAudit | RegressionAudit;

function isKnownMetric(metric: string): boolean {
  return Object.hasOwn(GATE_METRICS, metric);
}

function unknownMetric(metric: string, field?: string): RmlInputError {
  return new RmlInputError(
    `unknown fairness metric "${metric}"; known metrics: ${Object.keys(GATE_METRICS).join(', ')}`,
    undefined,
    field,
  );
}

/** The metric's value in one audit, or `undefined` when the audit does not compute it. */
export function gateMetricValue(audit: GateSubject, metric: string): number | null | undefined {
  if ('maeDifference' in audit) {
    switch (metric) {
      case 'meanPredictionDifference': return audit.meanPredictionDifference;
      case 'meanPredictionRatio': return audit.meanPredictionRatio;
      case 'maeDifference': return audit.maeDifference;
      default: return undefined;
    }
  }
  switch (metric) {
    case 'demographicParityDifference':
    case 'demographicParityRatio':
    case 'equalizedOddsDifference':
    case 'equalizedOddsRatio':
    case 'equalOpportunityDifference':
    case 'equalOpportunityRatio':
    case 'disparateImpactRatio':
      return audit[metric];
    case 'theilIndex': return audit.theilIndex.overall;
    case 'statisticalParityDifference': return audit.signed?.statisticalParityDifference;
    case 'disparateImpact': return audit.signed?.disparateImpact;
    case 'equalOpportunityDifferenceSigned': return audit.signed?.equalOpportunityDifference;
    case 'averageOddsDifference': return audit.signed?.averageOddsDifference;
    default: return undefined;
  }
}

function holds(x: number, op: GateOp, limit: number): boolean {
  switch (op) {
    case '<=': return x <= limit;
    case '>=': return x >= limit;
    case '<': return x < limit;
    case '>': return x > limit;
  }
}

function fmt(x: number): string {
  return Number.isInteger(x) ? String(x) : String(Number(x.toPrecision(6)));
}

/** Checks every limit against the audits (see the module comment for the conventions). */
export function evaluateGate(results: Readonly<Record<string, GateSubject>>, limits: readonly GateLimit[]): GateResult {
  const failures: GateFailure[] = [];
  const columns = Object.keys(results);
  for (const limit of limits) {
    const { metric, op, value: bound } = limit;
    if (!isKnownMetric(metric)) throw unknownMetric(metric);
    if (!Number.isFinite(bound)) throw new RmlInputError(`the limit for ${metric} must be a finite number, got ${bound}`);
    if (limit.column !== undefined && !Object.hasOwn(results, limit.column)) {
      throw new RmlInputError(
        `the fairness limit on ${metric} names the column "${limit.column}", which was not audited (audited: ${columns.join(', ') || 'none'})`,
        undefined,
        limit.column,
      );
    }
    const targets = limit.column === undefined ? columns : [limit.column];
    const abs = GATE_METRICS[metric] === 'signed-difference';
    const shown = `${abs ? `|${metric}|` : metric} ${op} ${fmt(bound)}`;
    let computed = 0;
    for (const column of targets) {
      const v = gateMetricValue(results[column], metric);
      if (v === undefined) continue;
      computed++;
      if (v === null) {
        failures.push({
          metric, column, value: null, limit: bound, op, reason: 'undefined',
          message: `${column}: ${metric} is undefined, so the gate cannot show ${shown}.`,
        });
      } else if (!holds(abs ? Math.abs(v) : v, op, bound)) {
        failures.push({
          metric, column, value: v, limit: bound, op, reason: 'exceeded',
          message: `${column}: ${metric} = ${fmt(v)} fails ${shown}.`,
        });
      }
    }
    if (computed === 0) {
      const hint = GATE_METRICS[metric] === 'signed-difference' || metric === 'disparateImpact' ? ' (signed metrics need a privileged value)' : '';
      failures.push({
        metric, column: limit.column ?? null, value: null, limit: bound, op, reason: 'not-computed',
        message: `${metric} was not computed for ${limit.column ?? 'any audited column'}${hint}, so the gate cannot show ${shown}.`,
      });
    }
  }
  return { passed: failures.length === 0, failures };
}

const ENTRY = /^(?:(.+):)?\s*([A-Za-z]+)\s*(<=|>=|<|>)\s*([-+]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?)$/;

/**
 * Parses the CLI's `--fail-on` list: comma-separated `metric op number` entries, e.g.
 * `demographicParityDifference<=0.1,disparateImpactRatio>=0.8`. An entry may be limited to one
 * column as `column:metric op number` (e.g. `race:demographicParityDifference<=0.1`; the column is
 * everything before the last colon). Spaces around parts are allowed. Throws an `RmlInputError`
 * on bad syntax, an unknown metric, or an empty list.
 */
export function parseFailOn(text: string): GateLimit[] {
  const entries = text.split(',').map((e) => e.trim()).filter((e) => e !== '');
  if (entries.length === 0) throw new RmlInputError('--fail-on needs at least one limit, e.g. demographicParityDifference<=0.1');
  return entries.map((entry) => {
    const m = ENTRY.exec(entry);
    if (!m) {
      throw new RmlInputError(
        `bad --fail-on entry "${entry}": expected <metric><op><number> with op one of <=, >=, <, >, e.g. demographicParityDifference<=0.1 or race:disparateImpactRatio>=0.8`,
      );
    }
    const [, column, metric, op, num] = m;
    if (!isKnownMetric(metric)) throw unknownMetric(metric);
    const limit: GateLimit = { metric, op: op as GateOp, value: Number(num) };
    const col = column?.trim();
    if (col) limit.column = col;
    return limit;
  });
}

/**
 * Maps config thresholds ({metric: number}, `fairness.thresholds`) to limits: differences and
 * theilIndex are maxima (≤), ratios and disparateImpact minima (≥), signed differences maxima on
 * the absolute value (≤, compared as |value| by {@link evaluateGate}). Throws an `RmlInputError`
 * for an unknown metric or a non-finite number.
 */
export function limitsFromThresholds(thresholds: Readonly<Record<string, number>>): GateLimit[] {
  return Object.entries(thresholds).map(([metric, value]) => {
    const field = `fairness.thresholds.${metric}`;
    if (!isKnownMetric(metric)) throw unknownMetric(metric, field);
    if (typeof value !== 'number' || !Number.isFinite(value)) {
      throw new RmlInputError(`the threshold for ${metric} must be a finite number, got ${String(value)}`, undefined, field);
    }
    return { metric, op: GATE_METRICS[metric] === 'ratio' ? '>=' : '<=', value };
  });
}
