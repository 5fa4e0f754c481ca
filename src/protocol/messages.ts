/**
 * The one typed message module between the extension host and the webviews. Both sides import
 * it (the webview through its own tsconfig), so every message is checked at compile time, and
 * both sides narrow what they receive with the guards below before trusting it.
 *
 * Handshake: a webview posts `ready` once its script has loaded; the host posts nothing before
 * that. Requests that expect an answer carry a `requestId`, echoed in the reply.
 */
import type { DatasetProfile } from '../core/data/types';
import type { RunComparison } from '../core/report/compare';
import type { AuditResult } from '../core/fairness/audit-csv';
import type { EpochLog, RunRecord } from '../core/report/types';
import type { ExplainReport, ExplainRunInfo, PartialDependence } from '../core/explain/types';

/** Which view a panel shows. */
export type ViewKind = 'report' | 'training' | 'data' | 'compare' | 'audit' | 'explain';

export const VIEW_KINDS: readonly ViewKind[] = ['report', 'training', 'data', 'compare', 'audit', 'explain'];

/** One test row as the Explain view's row picker lists it (labels only: no feature values). */
export interface ExplainRowInfo {
  /** 0-based data row (predictions.csv's `row`). */
  row: number;
  /** 1-based line in the CSV. */
  line: number;
  actual: string;
  predicted: string;
}

/** A run opened for explaining: what the Explain view shows before any row is explained. */
export type ExplainSession = Omit<ExplainRunInfo, 'dir' | 'testRows'> & {
  runDir: string;
  /** The test split, in predictions.csv order. */
  rows: ExplainRowInfo[];
  seed: number;
  warnings: string[];
  /** Milliseconds to read the run, its data and predictions in the worker. */
  loadMs: number;
};

/** A lint finding as the data view shows it (values already masked). */
export interface ColumnFinding {
  column: string;
  ruleId: string;
  severity: 'error' | 'warning' | 'info';
  message: string;
}

/** The rule whose columns are personal data: their values never reach the webview. */
export const PII_RULE = 'RML001';

/** The pre-run estimate as the editor shows it (the fields of the run record's `estimate` it needs). */
export interface EstimateSummary {
  seconds: number;
  kWh: number;
  co2eGrams: number;
  gramsPerKWh: number;
  /** Early stopping may end training sooner: the figures are an upper bound. */
  upperBound: boolean;
}

/** Training status as the training view shows it. */
export type TrainingStatus = 'completed' | 'cancelled' | 'failed';

/** Host → webview. */
export type HostMessage =
  /**
   * Show a run's report. `dir` is the run folder (for display and exports); `thresholds` are the
   * config's `fairness.thresholds` when the config could be read (differences are maxima, ratios
   * minima), for the pass/fail column and the what-if slider.
   */
  | { type: 'report'; dir: string; run: RunRecord; configFile: string; thresholds?: Record<string, number> }
  /** Training started: clear the curves. */
  | { type: 'training/start'; name: string; configFile: string; epochs: number; backend?: string }
  | { type: 'training/stage'; stage: string }
  /** The engine's pre-run estimate of time, energy and CO₂e (before the first epoch). */
  | { type: 'training/estimate'; estimate: EstimateSummary }
  | { type: 'training/epoch'; epoch: EpochLog }
  /** Training ended; `dir` is the run folder when one was written. */
  | { type: 'training/end'; status: TrainingStatus; dir?: string; message?: string }
  /** The panel was restored after a window reload: the training it showed is no longer followed. */
  | { type: 'training/detached' }
  /**
   * The dataset profile with the findings on its columns. The `top` values and numeric summaries of
   * the `masked` columns (PII, rule RML001) are removed by the host before posting.
   */
  | { type: 'data'; profile: DatasetProfile; findings: ColumnFinding[]; configFile: string; masked?: string[] }
  /**
   * Two runs side by side; `comparison` is the engine's `compareRuns` (the changes that matter,
   * energy, DP, config diff), the same as `rml compare --json`.
   */
  | { type: 'compare'; a: { dir: string; run: RunRecord }; b: { dir: string; run: RunRecord }; thresholds?: Record<string, number>; comparison?: RunComparison }
  /**
   * A fairness audit of a CSV of predictions ("Audit Predictions…"): the audit as `rml audit
   * --json` gives it plus its header facts, and the same audit as an `rml audit` command line.
   */
  | { type: 'audit'; result: AuditResult; command: string }
  /** Reply to an `export` request. */
  | { type: 'exported'; requestId: number; path?: string; error?: string }
  /** The content could not be loaded (e.g. the run folder was deleted): show why. */
  | { type: 'error'; message: string }
  /** A run opened in the Explain view (its test rows, features and defaults). */
  | { type: 'explain'; dir: string; configFile: string; session: ExplainSession }
  /** Reply to `explainRow`: the row's report; `reused` sections came from an earlier row (same run and seed). */
  | { type: 'explain/result'; requestId: number; report: ExplainReport; reused: string[]; ms: number }
  /** Reply to `explainPdp`. */
  | { type: 'explain/pdp'; requestId: number; row: number; pdp: PartialDependence; ms: number }
  /** A request of the Explain view did not produce a result: cancelled (by the user or a newer request) or failed. */
  | { type: 'explain/status'; requestId: number; state: 'cancelled' | 'failed'; message: string };

/** Webview → host. */
export type WebviewMessage =
  /** The webview's script is ready to receive messages. */
  | { type: 'ready' }
  /** Cancel the running training. */
  | { type: 'cancelTraining' }
  /** Export the shown report to a file beside the run. */
  | { type: 'export'; requestId: number; format: 'html' | 'markdown' }
  /** Open a file (e.g. the config, the CSV) at an optional 1-based line. */
  | { type: 'open'; path: string; line?: number }
  /** Re-run training for the report's config. */
  | { type: 'train'; configFile: string }
  /** Open the report of a finished run (from the training view). */
  | { type: 'showReport'; dir: string }
  /**
   * Explain one test row of the Explain view's run (answered by `explain/result` or
   * `explain/status`); `seed` seeds every explainer (default: the session's).
   */
  | { type: 'explainRow'; requestId: number; row: number; seed?: number }
  /** Partial dependence of a feature for the shown row (answered by `explain/pdp` or `explain/status`). */
  | { type: 'explainPdp'; requestId: number; row: number; feature: string; seed?: number };

/** What a webview keeps with `setState` so it survives a reload (and the serializer restores). */
export interface PersistedState {
  view: ViewKind;
  /** The last host message that defined the content (report, data, compare or audit). */
  content?: HostMessage;
  /** The training view's content: its start, the epochs so far, the last stage and the end. */
  training?: {
    start: Extract<HostMessage, { type: 'training/start' }>;
    epochs: EpochLog[];
    stage?: string;
    estimate?: EstimateSummary;
    end?: Extract<HostMessage, { type: 'training/end' }>;
    detached?: boolean;
  };
  /** UI state: e.g. the what-if threshold, the selected sensitive column, the open tab. */
  ui?: Record<string, string | number | boolean>;
}

type Fields = Record<string, unknown>;

function isRecord(m: unknown): m is Fields {
  return typeof m === 'object' && m !== null && !Array.isArray(m);
}

function isInt(x: unknown): x is number {
  return typeof x === 'number' && Number.isSafeInteger(x);
}

/**
 * Narrowing for the host: is this a well-formed webview message? Checks every field's type, so a
 * handler can use the message without further checks (paths are still checked against what the
 * panel shows before they are opened).
 */
export function isWebviewMessage(m: unknown): m is WebviewMessage {
  if (!isRecord(m)) return false;
  switch (m.type) {
    case 'ready':
    case 'cancelTraining':
      return true;
    case 'export':
      return isInt(m.requestId) && (m.format === 'html' || m.format === 'markdown');
    case 'open':
      return typeof m.path === 'string' && m.path.length > 0 && (m.line === undefined || (isInt(m.line) && m.line >= 1));
    case 'train':
      return typeof m.configFile === 'string' && m.configFile.length > 0;
    case 'showReport':
      return typeof m.dir === 'string' && m.dir.length > 0;
    case 'explainRow':
      return isInt(m.requestId) && isInt(m.row) && m.row >= 0 && isSeed(m.seed);
    case 'explainPdp':
      return isInt(m.requestId) && isInt(m.row) && m.row >= 0 && typeof m.feature === 'string' && m.feature.length > 0 && isSeed(m.seed);
    default:
      return false;
  }
}

function isRun(x: unknown): x is RunRecord {
  return isRecord(x) && typeof x.name === 'string' && isRecord(x.data) && Array.isArray(x.history) && isRecord(x.model);
}

function isEpoch(x: unknown): x is EpochLog {
  return isRecord(x) && typeof x.epoch === 'number' && typeof x.epochs === 'number' && typeof x.loss === 'number';
}

function isThresholds(x: unknown): boolean {
  return x === undefined || (isRecord(x) && Object.values(x).every((v) => typeof v === 'number'));
}

/**
 * Narrowing for the webview: is this a well-formed host message? Checks the fields each view
 * relies on (the run record's inner shape is trusted: the host read it from run.json).
 */
export function isHostMessage(m: unknown): m is HostMessage {
  if (!isRecord(m)) return false;
  switch (m.type) {
    case 'report':
      return typeof m.dir === 'string' && typeof m.configFile === 'string' && isRun(m.run) && isThresholds(m.thresholds);
    case 'training/start':
      return typeof m.name === 'string' && typeof m.configFile === 'string' && isInt(m.epochs) && (m.backend === undefined || typeof m.backend === 'string');
    case 'training/stage':
      return typeof m.stage === 'string';
    case 'training/estimate':
      return isRecord(m.estimate) && ['seconds', 'kWh', 'co2eGrams', 'gramsPerKWh'].every((k) => typeof (m.estimate as Fields)[k] === 'number') && typeof m.estimate.upperBound === 'boolean';
    case 'training/epoch':
      return isEpoch(m.epoch);
    case 'training/end':
      return (m.status === 'completed' || m.status === 'cancelled' || m.status === 'failed') &&
        (m.dir === undefined || typeof m.dir === 'string') && (m.message === undefined || typeof m.message === 'string');
    case 'training/detached':
      return true;
    case 'data':
      return isRecord(m.profile) && Array.isArray(m.profile.columns) && Array.isArray(m.findings) && typeof m.configFile === 'string' &&
        (m.masked === undefined || (Array.isArray(m.masked) && m.masked.every((c) => typeof c === 'string')));
    case 'compare':
      return isRecord(m.a) && isRecord(m.b) && typeof m.a.dir === 'string' && typeof m.b.dir === 'string' && isRun(m.a.run) && isRun(m.b.run) && isThresholds(m.thresholds) &&
        (m.comparison === undefined || (isRecord(m.comparison) && Array.isArray(m.comparison.highlights) && Array.isArray(m.comparison.metrics) && isRecord(m.comparison.energy) && isRecord(m.comparison.config)));
    case 'audit':
      return isRecord(m.result) && typeof m.result.file === 'string' && typeof m.result.positive === 'string' && typeof m.result.predictionsFrom === 'string' &&
        Array.isArray(m.result.notes) && isRecord(m.result.json) && isRecord(m.result.json.overall) && isRecord(m.result.json.sensitive) &&
        isRecord(m.result.json.gate) && typeof m.command === 'string';
    case 'exported':
      return isInt(m.requestId) && (m.path === undefined || typeof m.path === 'string') && (m.error === undefined || typeof m.error === 'string');
    case 'error':
      return typeof m.message === 'string';
    case 'explain':
      return typeof m.dir === 'string' && typeof m.configFile === 'string' && isSession(m.session);
    case 'explain/result':
      return isInt(m.requestId) && isRecord(m.report) && isRecord(m.report.row) && isInt(m.report.row.index) && Array.isArray(m.reused) && typeof m.ms === 'number';
    case 'explain/pdp':
      return isInt(m.requestId) && isInt(m.row) && isRecord(m.pdp) && Array.isArray(m.pdp.grid) && Array.isArray(m.pdp.average) && typeof m.ms === 'number';
    case 'explain/status':
      return isInt(m.requestId) && (m.state === 'cancelled' || m.state === 'failed') && typeof m.message === 'string';
    default:
      return false;
  }
}

function isSession(x: unknown): x is ExplainSession {
  return isRecord(x) && typeof x.runDir === 'string' && typeof x.name === 'string' && Array.isArray(x.features) && Array.isArray(x.rows) &&
    x.rows.every((r) => isRecord(r) && isInt(r.row) && isInt(r.line) && typeof r.actual === 'string' && typeof r.predicted === 'string') &&
    Array.isArray(x.classes) && typeof x.threshold === 'number' && isInt(x.seed) && Array.isArray(x.warnings);
}

/** An explainer seed: absent, or a non-negative 32-bit integer. */
function isSeed(x: unknown): boolean {
  return x === undefined || (isInt(x) && x >= 0 && x <= 0xffffffff);
}

/** Narrowing for restored state (from `getState()` or the serializer): unknown data from disk. */
export function isPersistedState(s: unknown): s is PersistedState {
  if (!isRecord(s) || !VIEW_KINDS.includes(s.view as ViewKind)) return false;
  if (s.content !== undefined && !isHostMessage(s.content)) return false;
  if (s.training !== undefined) {
    const t = s.training;
    if (!isRecord(t) || !isHostMessage(t.start) || t.start.type !== 'training/start' || !Array.isArray(t.epochs) || !t.epochs.every(isEpoch)) return false;
    if (t.end !== undefined && (!isHostMessage(t.end) || t.end.type !== 'training/end')) return false;
  }
  if (s.ui !== undefined && (!isRecord(s.ui) || !Object.values(s.ui).every((v) => ['string', 'number', 'boolean'].includes(typeof v)))) return false;
  return true;
}
