/**
 * The fairness audit of predictions made anywhere (Python, R, a vendor), from a CSV with the
 * label, the predictions and/or scores, and the sensitive columns: what `rml audit` and the
 * editor's "Audit Predictions…" command both run. No 'vscode' import.
 *
 * Decisions (README "rml audit"):
 * - The positive class is the favourable outcome. Without `positive` it is inferred only for
 *   0/1, false/true and no/yes labels (the 1/true/yes value); any other two-valued label needs
 *   it. A label with more than two values needs it too (that class vs the rest): the audit's
 *   shape, with overall TP/FP/TN/FN, is binary.
 * - Predictions come from `pred` (positive where the value equals `predPositive`, else the
 *   label's positive value; every value must then be in the label's value space, compared as
 *   numbers when both columns are numeric, so 1 and 1.0 match), else from `score` ≥ threshold
 *   (default 0.5). `score` also feeds ROC AUC, overall and per group. Scores are for the positive
 *   label unless `scorePositive` names the other value of a two-valued label: then 1 − score is
 *   used.
 * - A missing label, prediction or score is bad input naming its line; a missing sensitive value
 *   is its own group, "(missing)".
 * - A sensitive column (or intersection) with more than `maxGroups` groups is refused with a hint
 *   to bin it.
 * - Limits without a column apply to every sensitive column; limits on an intersection name it.
 * - Privileged values must occur in their column (a typo is bad input, listing the groups).
 *
 * Error messages name each input as the caller lets the user set it ({@link AuditTerms}): the
 * CLI's flags by default, the editor's picker steps in the editor.
 */
import { performance } from 'node:perf_hooks';
import { parseNumber, readCsv } from '../data';
import { inferPositive, sameValue } from './labels';
import type { Column, Dataset } from '../data/types';
import { RmlInputError } from '../errors';
import { combinations } from './groups';
import {
  DEFAULT_MAX_GROUPS,
  DEFAULT_MIN_GROUP_SIZE,
  auditColumn,
  encodeGroups,
  evaluateGate,
  intersectGroups,
  overallBinary,
  type ColumnAudit,
  type GateFailure,
  type GateLimit,
  type GateResult,
  type GroupColumn,
  type OverallBinary,
  type RunGate,
} from './index';

/** The options of one audit (the CLI parses them from its flags, the editor from its pickers). */
export interface AuditCsvOptions {
  data: string;
  label: string;
  positive?: string;
  pred?: string;
  predPositive?: string;
  score?: string;
  threshold?: number;
  /** The label value the scores are for (default: the positive value). */
  scorePositive?: string;
  sensitive: string[];
  /** column → privileged value. */
  privileged: Record<string, string>;
  intersections: boolean;
  /** Bootstrap resamples; 0 = none. */
  bootstrap: number;
  limits: GateLimit[];
  /** Groups with fewer rows are flagged as unreliable (default 30). */
  minGroupSize?: number;
  seed: number;
  /** More groups than this in a column (or intersection) is refused (default 1000). */
  maxGroups?: number;
  delimiter?: string;
}

/** The audit as a document: `rml audit --json` prints it (README "rml audit"). */
export interface AuditJson {
  rows: number;
  overall: OverallBinary;
  sensitive: Record<string, ColumnAudit>;
  /** Only with `intersections`: keyed "colA&colB". */
  intersections?: Record<string, ColumnAudit>;
  gate: RunGate;
  timings: { readMs: number; computeMs: number };
}

/** The document plus what a report needs beyond it. */
export interface AuditResult {
  json: AuditJson;
  file: string;
  /** How labels and predictions were read, for the report header. */
  positive: string;
  positiveInferred: boolean;
  predictionsFrom: string;
  minGroupSize: number;
  notes: string[];
}


/** The inputs an audit message may name. */
export type AuditInput = 'label' | 'positive' | 'pred' | 'predPositive' | 'score' | 'scorePositive' | 'threshold' | 'sensitive' | 'privileged' | 'maxGroups';

/**
 * How the messages of bad input name the audit's inputs, so they speak the user's language: the
 * CLI's flags (`--positive`), or the editor's picker steps ("the favourable label value").
 */
export interface AuditTerms {
  /** The input as a noun: "--positive". */
  name: Record<AuditInput, string>;
  /** An instruction to set or change it: "pass --positive <value>". */
  set(input: AuditInput): string;
}

const FLAGS: Record<AuditInput, string> = {
  label: '--label',
  positive: '--positive',
  pred: '--pred',
  predPositive: '--pred-positive',
  score: '--score',
  scorePositive: '--score-positive',
  threshold: '--threshold',
  sensitive: '--sensitive',
  privileged: '--privileged',
  maxGroups: '--max-groups',
};

/** The CLI's terms (the default). */
export const CLI_TERMS: AuditTerms = {
  name: FLAGS,
  set: (input) => (input === 'maxGroups' ? 'raise --max-groups' : input === 'threshold' ? 'pass --threshold' : `pass ${FLAGS[input]} <value>`),
};

// ---------------------------------------------------------------------------------------------
// Reading and encoding

function lineOf(ds: Dataset, row: number): number {
  return ds.rowLines[row];
}

function at(ds: Dataset, row: number) {
  return { file: ds.file, line: lineOf(ds, row), column: 1 };
}

/** The first row where `col` is missing, or −1. */
function firstMissing(col: Column): number {
  if (col.missing === 0) return -1;
  return col.values.indexOf(null);
}

function listValues(values: Iterable<string>, max = 12): string {
  const all = [...values];
  const shown = all.slice(0, max).map((v) => `'${v}'`).join(', ');
  return all.length > max ? `${shown}, … (${all.length} in all)` : shown;
}

/**
 * Distinct non-missing values in first-seen order (stops after `cap` + 1). Labels and predictions
 * have a handful of values, so the first 16 are found by a linear scan (cheaper than hashing a
 * million strings); a Set takes over beyond that.
 */
function distinctValues(col: Column, cap = Infinity): string[] {
  const values = col.values;
  const few: string[] = [];
  let i = 0;
  for (; i < values.length && few.length <= 16; i++) {
    const v = values[i];
    if (v === null) continue;
    let found = false;
    for (let k = 0; k < few.length; k++) {
      if (few[k] === v) {
        found = true;
        break;
      }
    }
    if (!found) {
      few.push(v);
      if (few.length > cap) return few;
    }
  }
  if (i === values.length) return few;
  const seen = new Set(few);
  for (; i < values.length; i++) {
    const v = values[i];
    if (v !== null && !seen.has(v)) {
      seen.add(v);
      if (seen.size > cap) break;
    }
  }
  return [...seen];
}

/** 0/1 per row: 1 where the value equals `positive` (numerically for numeric columns). Missing values must have been refused. */
function indicator(col: Column, positive: string): Uint8Array {
  const n = col.values.length;
  const out = new Uint8Array(n);
  const p = parseNumber(positive);
  if (col.numbers && p === p) {
    const nums = col.numbers;
    for (let i = 0; i < n; i++) out[i] = nums[i] === p ? 1 : 0;
    return out;
  }
  const cache = new Map<string, number>();
  const values = col.values;
  for (let i = 0; i < n; i++) {
    const v = values[i] as string;
    let b = cache.get(v);
    if (b === undefined) {
      b = sameValue(v, positive) ? 1 : 0;
      cache.set(v, b);
    }
    out[i] = b;
  }
  return out;
}

/** The positive label: given, or inferred for 0/1, false/true, no/yes labels. */
function choosePositive(o: AuditCsvOptions, ds: Dataset, label: Column, T: AuditTerms): { positive: string; inferred: boolean; notes: string[] } {
  const distinct = distinctValues(label, 50);
  const notes: string[] = [];
  if (o.positive !== undefined) {
    const present = distinct.some((v) => sameValue(v, o.positive!));
    if (!present && distinct.length >= 2) {
      throw new RmlInputError(`${T.name.positive} '${o.positive}' does not occur in the label column '${o.label}' (values: ${listValues(distinct)})`, { file: ds.file, line: 1, column: 1 }, o.label);
    }
    if (!present) notes.push(`${T.name.positive} '${o.positive}' does not occur in '${o.label}', whose only value is '${distinct[0]}': every row is a negative`);
    if (distinct.length > 2) notes.push(`the label '${o.label}' has ${distinct.length > 50 ? 'more than 50' : distinct.length} values; auditing '${o.positive}' against all the others (one-vs-rest)`);
    return { positive: o.positive, inferred: false, notes };
  }
  if (distinct.length > 2) {
    throw new RmlInputError(
      `the label column '${o.label}' has ${distinct.length > 50 ? 'more than 50' : distinct.length} distinct values (${listValues(distinct)}); the audit is binary: ${T.set('positive')} to audit that class against the rest (run once per class for a one-vs-rest breakdown)`,
      { file: ds.file, line: 1, column: 1 },
      o.label,
    );
  }
  const positive = inferPositive(distinct);
  if (positive !== undefined) {
    notes.push(`the positive (favourable) label was taken to be '${positive}'; ${T.set('positive')} to choose another`);
    return { positive, inferred: true, notes };
  }
  throw new RmlInputError(
    `the label column '${o.label}' has the values ${listValues(distinct)}: ${T.set('positive')} to say which one is the favourable outcome (every rate is measured for it)`,
    { file: ds.file, line: 1, column: 1 },
    o.label,
  );
}

/** yPred from the prediction column: checks the value space (module comment). */
function predictionsFromColumn(o: AuditCsvOptions, ds: Dataset, label: Column, pred: Column, positive: string, T: AuditTerms): Uint8Array {
  const miss = firstMissing(pred);
  if (miss >= 0) throw new RmlInputError(`the prediction column '${o.pred}' has a missing value at line ${lineOf(ds, miss)}; every row needs a prediction`, at(ds, miss), o.pred);
  const values = distinctValues(pred, 1000);
  if (o.predPositive !== undefined) {
    if (values.length > 2) {
      throw new RmlInputError(`the prediction column '${o.pred}' has ${values.length > 1000 ? 'more than 1000' : values.length} distinct values (${listValues(values)}); a binary prediction has at most two`, { file: ds.file, line: 1, column: 1 }, o.pred);
    }
    if (values.length === 2 && !values.some((v) => sameValue(v, o.predPositive!))) {
      throw new RmlInputError(`${T.name.predPositive} '${o.predPositive}' does not occur in the prediction column '${o.pred}' (values: ${listValues(values)})`, { file: ds.file, line: 1, column: 1 }, o.pred);
    }
    return indicator(pred, o.predPositive);
  }
  const space = [...distinctValues(label, 1000), positive];
  const outside = values.filter((v) => !space.some((s) => sameValue(v, s)));
  if (outside.length > 0) {
    const row = pred.values.findIndex((v) => v !== null && outside.includes(v));
    throw new RmlInputError(
      `the prediction column '${o.pred}' has values that are not in the label's value space: ${listValues(outside)} (first at line ${lineOf(ds, row)}; the label '${o.label}' has ${listValues(new Set(space))}). If the predictions use other codes, ${T.set('predPositive')}`,
      at(ds, row),
      o.pred,
    );
  }
  return indicator(pred, positive);
}

/** Scores from the score column: every value a finite number, or bad input naming the line. */
function scoresFromColumn(o: AuditCsvOptions, ds: Dataset, col: Column): Float64Array {
  const miss = firstMissing(col);
  if (miss >= 0) throw new RmlInputError(`the score column '${o.score}' has a missing value at line ${lineOf(ds, miss)}; every row needs a score`, at(ds, miss), o.score);
  if (col.numbers) return col.numbers;
  const bad = col.values.findIndex((v) => v !== null && !Number.isFinite(parseNumber(v)));
  throw new RmlInputError(`the score column '${o.score}' is not numeric: '${col.values[bad]}' at line ${lineOf(ds, bad)}; scores must be plain decimal numbers (e.g. 0.73)`, at(ds, bad), o.score);
}

/** Reads only the columns the audit needs; an unknown column names its option and lists the columns. */
async function readAuditCsv(o: AuditCsvOptions, T: AuditTerms, signal?: AbortSignal): Promise<Dataset> {
  const named: [string, string][] = [[T.name.label, o.label], ...(o.pred ? [[T.name.pred, o.pred] as [string, string]] : []), ...(o.score ? [[T.name.score, o.score] as [string, string]] : []), ...o.sensitive.map((s): [string, string] => [T.name.sensitive, s])];
  const columns = [...new Set(named.map(([, c]) => c))];
  try {
    return await readCsv(o.data, { columns, delimiter: o.delimiter, signal });
  } catch (e) {
    const m = e instanceof RmlInputError ? /^unknown column '(.*?)'/.exec(e.message) : null;
    if (e instanceof RmlInputError && m) {
      const options = named.filter(([, c]) => c === m[1]).map(([opt]) => opt);
      throw new RmlInputError(options.length > 0 ? `${options.join('/')}: ${e.message}` : e.message, e.location, e.field);
    }
    throw e;
  }
}

function checkGroups(column: GroupColumn, label: string, maxGroups: number, T: AuditTerms): void {
  if (column.names.length > maxGroups) {
    throw new RmlInputError(
      `${label} has ${column.names.length.toLocaleString('en-US')} distinct values, more than ${T.name.maxGroups} ${maxGroups}: a group of a handful of rows says nothing. Bin it into a few meaningful groups first (e.g. age ranges instead of ages), or ${T.set('maxGroups')}`,
    );
  }
}

/**
 * Reads the CSV and audits it (see the module comment). Bad input throws RmlInputError naming the
 * inputs in `terms`; an aborted `signal` stops the reading, or the audit before its next column;
 * `interrupted` (read between bootstrap resamples) stops it mid-column, from another thread.
 */
export async function auditCsv(o: AuditCsvOptions, terms: AuditTerms = CLI_TERMS, signal?: AbortSignal, interrupted?: () => boolean): Promise<AuditResult> {
  const T = terms;
  const minGroupSize = o.minGroupSize ?? DEFAULT_MIN_GROUP_SIZE;
  const maxGroups = o.maxGroups ?? DEFAULT_MAX_GROUPS;
  const t0 = performance.now();
  const ds = await readAuditCsv(o, T, signal);
  const readMs = performance.now() - t0;
  const t1 = performance.now();
  const label = ds.byName.get(o.label)!;
  const miss = firstMissing(label);
  if (miss >= 0) throw new RmlInputError(`the label column '${o.label}' has a missing value at line ${lineOf(ds, miss)}; every row needs a label`, at(ds, miss), o.label);
  const { positive, inferred, notes } = choosePositive(o, ds, label, T);
  const yTrue = indicator(label, positive);
  let scores = o.score ? scoresFromColumn(o, ds, ds.byName.get(o.score)!) : undefined;
  if (scores && o.scorePositive !== undefined && !sameValue(o.scorePositive, positive)) {
    const values = distinctValues(label, 3);
    if (values.length !== 2 || !values.some((v) => sameValue(v, o.scorePositive!))) {
      throw new RmlInputError(
        `${T.name.scorePositive} '${o.scorePositive}' must be the other value of a two-valued label to flip the scores, but '${o.label}' has ${listValues(values)}`,
        { file: ds.file, line: 1, column: 1 },
        o.label,
      );
    }
    const flipped = new Float64Array(scores.length);
    for (let i = 0; i < scores.length; i++) flipped[i] = 1 - scores[i];
    scores = flipped;
    notes.push(`'${o.score}' scores the label '${o.scorePositive}'; 1 − score is used for the positive label '${positive}'`);
  }
  let yPred: Uint8Array;
  let predictionsFrom: string;
  if (o.pred) {
    yPred = predictionsFromColumn(o, ds, label, ds.byName.get(o.pred)!, positive, T);
    predictionsFrom = `'${o.pred}'${o.predPositive !== undefined ? ` (positive: ${o.predPositive})` : ''}`;
  } else {
    const t = o.threshold ?? 0.5;
    yPred = new Uint8Array(scores!.length);
    for (let i = 0; i < yPred.length; i++) yPred[i] = scores![i] >= t ? 1 : 0;
    predictionsFrom = o.scorePositive !== undefined && !sameValue(o.scorePositive, positive) ? `1 − '${o.score}' ≥ ${t}` : `'${o.score}' ≥ ${t}`;
    if (o.threshold === undefined && scores!.some((s) => s < 0 || s > 1)) {
      notes.push(`scores in '${o.score}' fall outside [0, 1] but the default threshold 0.5 was used; ${T.set('threshold')} if they are not probabilities`);
    }
  }

  const columns = o.sensitive.map((name) => {
    const g = encodeGroups(ds.byName.get(name)!.values, name);
    checkGroups(g, `sensitive column '${name}'`, maxGroups, T);
    const priv = o.privileged[name];
    if (priv !== undefined && !g.names.includes(priv)) {
      throw new RmlInputError(`${T.name.privileged} ${name}=${priv}: '${priv}' does not occur in '${name}' (groups: ${listValues(g.names)})`, { file: ds.file, line: 1, column: 1 }, name);
    }
    return g;
  });
  const data = { yTrue, yPred, scores };
  const bootstrap = o.bootstrap > 0 ? { resamples: o.bootstrap, seed: o.seed, ...(interrupted ? { interrupted } : {}) } : undefined;
  const common = { minGroupSize, bootstrap };
  const sensitive: Record<string, ColumnAudit> = {};
  o.sensitive.forEach((name, k) => {
    signal?.throwIfAborted();
    sensitive[name] = auditColumn(data, columns[k], { ...common, privileged: o.privileged[name] });
  });
  let intersections: Record<string, ColumnAudit> | undefined;
  if (o.intersections) {
    intersections = {};
    for (const combo of combinations(o.sensitive)) {
      signal?.throwIfAborted();
      const key = combo.join('&');
      const g = intersectGroups(combo.map((name) => columns[o.sensitive.indexOf(name)]));
      checkGroups(g, `the intersection ${key}`, maxGroups, T);
      const privs = combo.map((name) => o.privileged[name]);
      const privileged = privs.every((p) => p !== undefined) ? privs.join(' & ') : undefined;
      intersections[key] = auditColumn(data, { ...g, name: key }, { ...common, privileged });
    }
  }
  const overall = overallBinary(yTrue, yPred, scores);
  const gate = auditGate(sensitive, intersections ?? {}, o.limits);
  const computeMs = performance.now() - t1;
  return {
    json: {
      rows: ds.rowCount,
      overall,
      sensitive,
      ...(intersections ? { intersections } : {}),
      gate,
      timings: { readMs: round1(readMs), computeMs: round1(computeMs) },
    },
    file: ds.file,
    positive,
    positiveInferred: inferred,
    predictionsFrom,
    minGroupSize,
    notes,
  };
}

/** Limits without a column over the sensitive columns; limits naming a column (or intersection) over that one. */
function auditGate(sensitive: Record<string, ColumnAudit>, intersections: Record<string, ColumnAudit>, limits: GateLimit[]): RunGate {
  const all = { ...sensitive, ...intersections };
  const failures: GateFailure[] = [];
  for (const limit of limits) {
    const r: GateResult = evaluateGate(limit.column === undefined ? sensitive : all, [limit]);
    failures.push(...r.failures);
  }
  return { passed: failures.length === 0, failures, limits };
}

function round1(v: number): number {
  return Math.round(v * 10) / 10;
}
