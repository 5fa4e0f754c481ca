/**
 * One-line summaries of a run record for the code lens (`Last run: acc 0.852 · DPD 0.17 ✗`) and
 * the run pickers. Pure: it reads run.json as untrusted JSON (records from older or newer versions,
 * or hand-edited ones, must not break the editor), so every field is checked before use.
 */

/** What the editor needs to know about one run folder. */
export interface RunInfo {
  /** Absolute path of the run folder. */
  dir: string;
  name: string;
  status: 'completed' | 'cancelled' | 'unknown';
  /** The config file that produced it (absolute, as recorded). */
  configFile?: string;
  startedAt?: Date;
  task?: string;
  backend?: string;
  epochs?: number;
  maxEpochs?: number;
  /** Headline metric: accuracy (classification) or R² (regression). */
  headline?: { label: string; value: number };
  /** Every numeric test metric, by name. */
  metrics: Record<string, number>;
  /** The largest demographic parity difference (or mean prediction difference) over audited columns. */
  fairness?: { label: string; value: number; column: string };
  /** The fairness gate, when thresholds were configured. */
  gate?: { passed: boolean; failures: GateFailureInfo[] };
}

/** One broken fairness limit. */
export interface GateFailureInfo {
  metric: string;
  column: string | null;
  value: number | null;
  op: string;
  limit: number | null;
}

type Json = Record<string, unknown>;

function isObject(v: unknown): v is Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
function num(v: unknown): number | undefined {
  return typeof v === 'number' && Number.isFinite(v) ? v : undefined;
}
function str(v: unknown): string | undefined {
  return typeof v === 'string' ? v : undefined;
}

/** Read the parts of a parsed run.json the editor shows. */
export function runInfo(dir: string, record: unknown): RunInfo {
  const r = isObject(record) ? record : {};
  const status = r.status === 'completed' || r.status === 'cancelled' ? r.status : 'unknown';
  const metrics: Record<string, number> = {};
  if (isObject(r.metrics)) {
    for (const [k, v] of Object.entries(r.metrics)) {
      const n = num(v);
      if (n !== undefined) metrics[k] = n;
    }
  }
  const task = str(r.task);
  let headline: RunInfo['headline'];
  if (task === 'regression') {
    if (metrics.r2 !== undefined) headline = { label: 'R²', value: metrics.r2 };
    else if (metrics.rmse !== undefined) headline = { label: 'RMSE', value: metrics.rmse };
  } else if (metrics.accuracy !== undefined) {
    headline = { label: 'acc', value: metrics.accuracy };
  }
  const started = str(r.startedAt);
  const startedAt = started ? new Date(started) : undefined;
  return {
    dir,
    name: str(r.name) ?? '',
    status,
    configFile: isObject(r.config) ? str(r.config.file) : undefined,
    startedAt: startedAt && !Number.isNaN(startedAt.getTime()) ? startedAt : undefined,
    task,
    backend: isObject(r.backend) ? str(r.backend.name) : undefined,
    epochs: num(r.epochs),
    maxEpochs: isObject(r.train) ? num(r.train.epochs) : undefined,
    headline,
    metrics,
    fairness: fairnessHeadline(r.fairness),
    gate: gateOf(r.gate),
  };
}

/**
 * The worst disparity over audited columns. Accepts `fairness` as `{ <column>: audit }` or
 * `{ columns: { <column>: audit } }`, where an audit carries `demographicParityDifference`
 * (classification) or `meanPredictionDifference` (regression).
 */
function fairnessHeadline(f: unknown): RunInfo['fairness'] {
  if (!isObject(f)) return undefined;
  const columns = isObject(f.columns) ? f.columns : f;
  let best: RunInfo['fairness'];
  for (const [column, audit] of Object.entries(columns)) {
    if (!isObject(audit)) continue;
    const dpd = num(audit.demographicParityDifference);
    const mpd = num(audit.meanPredictionDifference);
    const cand = dpd !== undefined ? { label: 'DPD', value: dpd, column } : mpd !== undefined ? { label: 'MPD', value: mpd, column } : undefined;
    if (cand && (!best || Math.abs(cand.value) > Math.abs(best.value))) best = cand;
  }
  return best;
}

function gateOf(g: unknown): RunInfo['gate'] {
  if (!isObject(g) || typeof g.passed !== 'boolean') return undefined;
  const failures: GateFailureInfo[] = [];
  for (const f of Array.isArray(g.failures) ? g.failures : []) {
    if (!isObject(f) || typeof f.metric !== 'string') continue;
    failures.push({ metric: f.metric, column: str(f.column) ?? null, value: num(f.value) ?? null, op: str(f.op) ?? '', limit: num(f.limit) ?? null });
  }
  return { passed: g.passed, failures };
}

/** `race: demographicParityDifference 0.301 (limit <= 0.1)` */
export function failureText(f: GateFailureInfo): string {
  const value = f.value === null ? 'undefined' : formatNumber(f.value);
  const limit = f.limit === null ? '' : ` (limit ${f.op ? `${f.op} ` : ''}${formatNumber(f.limit)})`;
  return `${f.column ? `${f.column}: ` : ''}${f.metric} ${value}${limit}`;
}

/** The gate's verdict in one sentence: the worst failure, and how many more there are. */
export function gateSentence(gate: NonNullable<RunInfo['gate']>): string {
  if (gate.passed) return 'the fairness gate passed';
  if (gate.failures.length === 0) return 'the fairness gate failed';
  const more = gate.failures.length - 1;
  return `the fairness gate failed: ${failureText(gate.failures[0])}${more > 0 ? ` and ${more} more` : ''}`;
}

/** Three significant decimals at most: 0.852, 0.17, 12.4. */
export function formatNumber(v: number): string {
  const a = Math.abs(v);
  if (a !== 0 && (a < 0.001 || a >= 1e5)) return v.toExponential(1);
  if (a >= 100) return v.toFixed(0);
  if (a >= 10) return v.toFixed(1);
  return String(Number(v.toFixed(3)));
}

/** The code lens title: `Last run: acc 0.852 · DPD 0.17 ✗`, `Last run: cancelled at epoch 3/30`. */
export function lensTitle(info: RunInfo): string {
  if (info.status === 'cancelled') {
    const at = info.epochs !== undefined && info.maxEpochs !== undefined ? ` at epoch ${info.epochs}/${info.maxEpochs}` : '';
    return `Last run: cancelled${at}`;
  }
  const parts: string[] = [];
  if (info.headline) parts.push(`${info.headline.label} ${formatNumber(info.headline.value)}`);
  if (info.fairness) parts.push(`${info.fairness.label} ${formatNumber(info.fairness.value)}`);
  let title = `Last run: ${parts.length > 0 ? parts.join(' · ') : 'no test metrics'}`;
  if (info.gate) title += info.gate.passed ? ' ✓' : ' ✗';
  return title;
}

/** A multi-line tooltip with the details behind the lens. */
export function lensTooltip(info: RunInfo, now = new Date()): string {
  const lines = [`${info.name || 'run'} — ${info.status}${info.startedAt ? `, ${relativeTime(info.startedAt, now)}` : ''}`];
  if (info.backend) lines.push(`backend: ${info.backend}`);
  if (info.epochs !== undefined) lines.push(`epochs: ${info.epochs}${info.maxEpochs !== undefined ? ` of ${info.maxEpochs}` : ''}`);
  const shown = ['accuracy', 'balancedAccuracy', 'f1', 'rocAuc', 'r2', 'rmse', 'mae'].filter((k) => info.metrics[k] !== undefined);
  if (shown.length > 0) lines.push(shown.map((k) => `${k} ${formatNumber(info.metrics[k])}`).join(', '));
  if (info.fairness) lines.push(`largest ${info.fairness.label === 'DPD' ? 'demographic parity difference' : 'mean prediction difference'}: ${formatNumber(info.fairness.value)} (${info.fairness.column})`);
  if (info.gate) {
    if (info.gate.passed) lines.push('fairness gate: passed');
    else lines.push('fairness gate: FAILED', ...info.gate.failures.map((f) => `  ✗ ${failureText(f)}`));
  }
  lines.push('Click to open the report.');
  return lines.join('\n');
}

/** "just now", "5 min ago", "3 h ago", "2 days ago". */
export function relativeTime(d: Date, now = new Date()): string {
  const s = Math.max(0, (now.getTime() - d.getTime()) / 1000);
  if (s < 45) return 'just now';
  if (s < 3600) return `${Math.round(s / 60)} min ago`;
  if (s < 86400) return `${Math.round(s / 3600)} h ago`;
  const days = Math.round(s / 86400);
  return `${days} day${days === 1 ? '' : 's'} ago`;
}

/** A quick-pick description: `acc 0.852 · DPD 0.17 · 5 min ago`. */
export function runDescription(info: RunInfo, now = new Date()): string {
  const parts: string[] = [];
  if (info.status === 'cancelled') parts.push('cancelled');
  if (info.headline) parts.push(`${info.headline.label} ${formatNumber(info.headline.value)}`);
  if (info.fairness) parts.push(`${info.fairness.label} ${formatNumber(info.fairness.value)}${info.gate ? (info.gate.passed ? ' ✓' : ' ✗') : ''}`);
  if (info.startedAt) parts.push(relativeTime(info.startedAt, now));
  return parts.join(' · ');
}
