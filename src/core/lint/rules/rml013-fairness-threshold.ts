/** RML013 fairness-threshold: the latest run breached a configured fairness threshold. */
import { promises as fsp } from 'node:fs';
import * as path from 'node:path';
import { GATE_METRICS, gateMetricValue, type GateSubject } from '../../fairness/gate';
import { listRuns, runsDirFor } from '../../report/record';
import type { LintContext } from '../context';
import { ruleMeta, type Rule } from '../rule';
import type { Finding } from '../types';

const meta = ruleMeta(
  'RML013',
  'fairness-threshold',
  'error',
  'run',
  'The latest run of this config measured a fairness metric beyond its configured threshold.',
  'fairness.thresholds states the disparities the model may show: differences are maxima, ratios minima, and signed differences (statisticalParityDifference, averageOddsDifference, equalOpportunityDifferenceSigned) are limits on their absolute value; every metric is read from the run as the fairness gate reads it. The lint reads the newest run under .rml/runs/ beside the config (whatever config or data it was trained on, which the message says) and reports each breach on the threshold\'s line, with the measured value and the column. Mitigate (fairness.mitigation), revisit the features and proxies, and train again.',
);

const MAX_RUN_JSON = 64 * 1024 * 1024;

interface LatestRun {
  dir: string;
  when?: string;
  configHash?: string;
  dataHash?: string;
  fairness: Record<string, Record<string, unknown>>;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

async function latestRun(configFile: string): Promise<LatestRun | undefined> {
  const runs = await listRuns(runsDirFor(configFile));
  const dir = runs[0];
  if (!dir) return undefined;
  const file = path.join(dir, 'run.json');
  let parsed: unknown;
  try {
    const st = await fsp.stat(file);
    if (st.size > MAX_RUN_JSON) return undefined;
    parsed = JSON.parse(await fsp.readFile(file, 'utf8'));
  } catch {
    return undefined;
  }
  if (!isObject(parsed) || !isObject(parsed.fairness)) return { dir, fairness: {} };
  const fairness: Record<string, Record<string, unknown>> = {};
  for (const [col, v] of Object.entries(parsed.fairness)) if (isObject(v)) fairness[col] = v;
  const str = (v: unknown) => (typeof v === 'string' ? v : undefined);
  const when = str(parsed.finishedAt) ?? str(parsed.startedAt);
  const configHash = isObject(parsed.config) ? str(parsed.config.hash) : undefined;
  const dataHash = isObject(parsed.data) ? str(parsed.data.hash) : undefined;
  return { dir, fairness, ...(when ? { when } : {}), ...(configHash ? { configHash } : {}), ...(dataHash ? { dataHash } : {}) };
}

function age(when: string, now: Date): string {
  const t = Date.parse(when);
  if (!Number.isFinite(t)) return when;
  const stamp = new Date(t).toISOString().replace('T', ' ').slice(0, 16) + ' UTC';
  const minutes = Math.round((now.getTime() - t) / 60000);
  const ago = minutes < 1 ? 'just now' : minutes < 90 ? `${minutes} min ago` : minutes < 48 * 60 ? `${Math.round(minutes / 60)} h ago` : `${Math.round(minutes / 1440)} days ago`;
  return `${stamp}, ${ago}`;
}

export const rml013: Rule = {
  meta,
  async check(ctx: LintContext): Promise<Finding[]> {
    const thresholds = ctx.raw(['fairness', 'thresholds']);
    if (!isObject(thresholds) || Object.keys(thresholds).length === 0) return [];
    const run = await latestRun(ctx.file);
    if (!run || Object.keys(run.fairness).length === 0) return [];
    const rel = path.relative(path.dirname(ctx.file), run.dir) || run.dir;
    const when = run.when ? `, finished ${age(run.when, ctx.now)}` : '';
    const notes: string[] = [];
    if (run.configHash && run.configHash !== ctx.config.hash) notes.push('the config has changed since');
    if (run.dataHash && ctx.data && run.dataHash !== ctx.data.sample.hash) notes.push('the data file has changed since');
    const note = notes.length > 0 ? ` (Note: ${notes.join(' and ')}; train again to check the current setup.)` : '';
    const out: Finding[] = [];
    for (const [metric, limit] of Object.entries(thresholds)) {
      if (typeof limit !== 'number' || !Object.hasOwn(GATE_METRICS, metric)) continue;
      // The gate's own reading of a run's audit (signed metrics under `signed`, theilIndex.overall…).
      const gateKind = GATE_METRICS[metric];
      const kind = gateKind === 'signed-difference' ? 'signed' : gateKind;
      for (const [column, audit] of Object.entries(run.fairness)) {
        // A run record from an older version may lack the Theil block: no value, not a crash.
        const value = metric === 'theilIndex' && !isObject(audit.theilIndex) ? undefined : gateMetricValue(audit as unknown as GateSubject, metric);
        if (typeof value !== 'number' || !Number.isFinite(value)) continue;
        const breached = kind === 'ratio' ? value < limit : kind === 'signed' ? Math.abs(value) > limit : value > limit;
        if (!breached) continue;
        const rule = kind === 'ratio' ? `below the minimum ${limit}` : kind === 'signed' ? `beyond ±${limit} (a limit on its absolute value)` : `above the maximum ${limit}`;
        out.push(
          ctx.finding(meta, {
            at: ctx.entryRange(['fairness', 'thresholds', metric]),
            message:
              `The latest run (${rel}${when}) measured ${metric} = ${round(value)} for '${column}', ${rule}. ` +
              `Mitigate (fairness.mitigation), revisit the features and their proxies, and train again; change the limit only with a documented reason.${note}`,
            related: [{ file: path.join(run.dir, 'run.json'), line: 1, startColumn: 1, endLine: 1, endColumn: 2, message: 'the run record' }],
            data: { run: run.dir, ...(run.when ? { finishedAt: run.when } : {}), metric, column, value, limit, kind, configChanged: notes.length > 0 },
          }),
        );
      }
    }
    return out;
  },
};

function round(x: number): string {
  return String(Number(x.toPrecision(4)));
}
