/**
 * Fairness of a training run: the audit of one split for every sensitive column, whatever the
 * task, and the gate over it. Called by the engine on the test split (src/core/engine.ts).
 *
 * - binary: {@link auditColumns} (per-group rates, the seven disparities, signed metrics for the
 *   privileged values, bootstrap intervals when asked);
 * - multiclass: {@link auditMulticlass} per column, one-vs-rest for each class, with the
 *   per-class probabilities as scores;
 * - regression: {@link auditRegression} per column (group mean prediction, MAE, disparities).
 *
 * The gate reads binary and regression audits directly; a multiclass audit is gated class by
 * class, each one-vs-rest audit as the subject `"<column> · class <name>"`.
 */
import { auditColumns, type ColumnAudit } from './audit';
import { evaluateGate, type GateLimit, type GateResult, type GateSubject } from './gate';
import type { GroupColumn } from './groups';
import { auditMulticlass, type MulticlassAudit } from './multiclass';
import { auditRegression, type RegressionAudit } from './regression';

/**
 * The most groups a sensitive column (or an intersection) may have before it is refused as bad
 * input: beyond this a "group" is nearly an individual (an ID, an exact age, a postcode), and
 * every rate is noise. Bin such a column first.
 */
export const DEFAULT_MAX_GROUPS = 1000;

/** run.json's `fairness`: one audit per sensitive column; the shape depends on the run's task. */
export type RunFairness = Record<string, ColumnAudit> | Record<string, MulticlassAudit> | Record<string, RegressionAudit>;

/** run.json's `gate`: the gate's result, and the limits it checked. */
export interface RunGate extends GateResult {
  limits: GateLimit[];
}

export interface RunAuditInput {
  task: 'binary' | 'multiclass' | 'regression';
  /** Class names (multiclass). */
  classes: readonly string[];
  /** 0/1 (binary), class index (multiclass) or value (regression), one per row. */
  yTrue: ArrayLike<number>;
  yPred: ArrayLike<number>;
  /** Binary: P(positive) per row. */
  scores?: Float64Array;
  /** Multiclass: class probabilities, row-major (n × K). */
  proba?: ArrayLike<number>;
  /** One named column per sensitive attribute, rows aligned with yTrue. */
  columns: readonly GroupColumn[];
  privileged: Readonly<Record<string, string>>;
  minGroupSize: number;
  /** Bootstrap intervals (classification only); omitted = none. */
  bootstrap?: { resamples: number; seed: number };
}

/** The audit of every sensitive column for the run's task (see the module comment). */
export function auditRun(input: RunAuditInput): RunFairness {
  const { task, columns, minGroupSize } = input;
  if (task === 'regression') {
    const yTrue = Float64Array.from(input.yTrue);
    const yPred = Float64Array.from(input.yPred);
    return Object.fromEntries(columns.map((c) => [c.name as string, auditRegression(yTrue, yPred, c, { minGroupSize })]));
  }
  const bootstrap = input.bootstrap ? { resamples: input.bootstrap.resamples, seed: input.bootstrap.seed } : undefined;
  if (task === 'binary') {
    return auditColumns({ yTrue: Uint8Array.from(input.yTrue), yPred: Uint8Array.from(input.yPred), scores: input.scores }, columns, {
      privileged: input.privileged,
      minGroupSize,
      bootstrap,
    });
  }
  const K = input.classes.length;
  let scores: Float64Array[] | undefined;
  if (input.proba) {
    const n = input.yTrue.length;
    if (input.proba.length !== n * K) throw new Error(`auditRun: proba has ${input.proba.length} values, expected ${n} × ${K}`);
    scores = Array.from({ length: K }, (_, k) => {
      const s = new Float64Array(n);
      for (let i = 0; i < n; i++) s[i] = input.proba![i * K + k];
      return s;
    });
  }
  return Object.fromEntries(
    columns.map((c) => {
      const privileged = c.name !== undefined && Object.hasOwn(input.privileged, c.name) ? input.privileged[c.name] : undefined;
      return [c.name as string, auditMulticlass({ yTrue: input.yTrue, yPred: input.yPred, classNames: input.classes, scores }, c, { privileged, minGroupSize, bootstrap })];
    }),
  );
}

function isMulticlass(a: ColumnAudit | MulticlassAudit | RegressionAudit): a is MulticlassAudit {
  return 'classes' in a;
}

/** The gate's subjects: binary and regression audits as they are, multiclass ones class by class. */
export function gateSubjects(fairness: RunFairness): Record<string, GateSubject> {
  const out: [string, GateSubject][] = [];
  for (const [column, audit] of Object.entries(fairness as Record<string, ColumnAudit | MulticlassAudit | RegressionAudit>)) {
    if (isMulticlass(audit)) {
      for (const [cls, a] of Object.entries(audit.classes)) out.push([`${column} · class ${cls}`, a]);
    } else {
      out.push([column, audit]);
    }
  }
  return Object.fromEntries(out);
}

/** Evaluates `limits` (without columns) over every audited column. */
export function runGate(fairness: RunFairness, limits: readonly GateLimit[]): RunGate {
  const r = evaluateGate(gateSubjects(fairness), limits);
  return { ...r, limits: limits.map((l) => ({ ...l })) };
}
