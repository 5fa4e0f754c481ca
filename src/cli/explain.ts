/**
 * `rml explain <config-or-run>`: explain a trained run — permutation importance, a row's Kernel
 * SHAP waterfall, LIME weights with their stability, the nearest counterfactual, partial
 * dependence and the weakest slices — as a readable report or one JSON document (--json).
 */
import { parseArgs } from 'node:util';
import { existsSync, statSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join, relative, resolve } from 'node:path';
import { isConfigFile, loadConfig, type TrainingConfig } from '../core/config';
import { RmlInputError } from '../core/errors';
import { explainRow, openExplainContext, type ExplainOptions, type ExplainReport, type ImportanceMetric } from '../core/explain';
import { listRuns, runsDirFor } from '../core/report/record';
import { colors, num, sparkline, table } from './format';
import { EXIT, type Io } from './io';

const METRICS: ImportanceMetric[] = ['accuracy', 'balancedAccuracy', 'rocAuc', 'r2'];

export const EXPLAIN_USAGE =
  'rml explain <config-or-run> [--run DIR] [--row N] [--json] [--repeats R] [--background N] [--seed S] [--feature F]\n' +
  '              [--class C] [--space probability|margin] [--samples N|auto] [--kmeans] [--metric M] [--lime-runs N]\n' +
  '              [--immutable COL]... [--target T] [--centered] [--root DIR]';

export async function explainCommand(args: string[], io: Io): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      run: { type: 'string' },
      row: { type: 'string' },
      json: { type: 'boolean', default: false },
      repeats: { type: 'string' },
      background: { type: 'string' },
      seed: { type: 'string' },
      feature: { type: 'string' },
      class: { type: 'string' },
      space: { type: 'string' },
      samples: { type: 'string' },
      kmeans: { type: 'boolean', default: false },
      metric: { type: 'string' },
      'lime-runs': { type: 'string' },
      immutable: { type: 'string', multiple: true },
      target: { type: 'string' },
      centered: { type: 'boolean', default: false },
      root: { type: 'string' },
    },
  });
  if (positionals.length > 1) throw new RmlInputError(`explain takes one config file or run folder (got ${positionals.length}): ${EXPLAIN_USAGE}`);
  if (positionals.length === 0 && values.run === undefined) throw new RmlInputError(`explain needs a config file or a run folder: ${EXPLAIN_USAGE}`);

  const space = values.space;
  if (space !== undefined && space !== 'probability' && space !== 'margin' && space !== 'value') throw new RmlInputError(`--space must be probability or margin (got '${space}')`);
  const metric = values.metric;
  if (metric !== undefined && !METRICS.includes(metric as ImportanceMetric)) throw new RmlInputError(`--metric must be one of ${METRICS.join(', ')} (got '${metric}')`);
  const samples = values.samples === undefined || values.samples === 'auto' ? values.samples : int('--samples', values.samples, 1);

  const t0 = performance.now();
  const { runDir, config } = await resolveRun(positionals[0], values.run, io, values.root);
  const ctx = await openExplainContext(runDir, config);
  const loadMs = Math.round((performance.now() - t0) * 10) / 10;
  const opts: ExplainOptions = {
    row: values.row === undefined ? undefined : int('--row', values.row, 0),
    seed: values.seed === undefined ? undefined : int('--seed', values.seed, 0),
    space: space as ExplainOptions['space'],
    className: values.class,
    importance: { repeats: values.repeats === undefined ? undefined : int('--repeats', values.repeats, 1), metric: metric as ImportanceMetric | undefined },
    shap: { background: values.background === undefined ? undefined : int('--background', values.background, 1), backgroundMethod: values.kmeans ? 'kmeans' : 'sample', samples: samples as number | 'auto' | undefined },
    lime: { runs: values['lime-runs'] === undefined ? undefined : int('--lime-runs', values['lime-runs'], 1) },
    pdp: { feature: values.feature, centered: values.centered },
    counterfactual: { immutable: (values.immutable ?? []).flatMap((s) => s.split(',')).map((s) => s.trim()).filter(Boolean), target: values.target },
  };
  const report = explainRow(ctx, opts);
  report.timings.loadMs = loadMs;
  report.timings.totalMs = Math.round((report.timings.totalMs + loadMs) * 10) / 10;
  if (values.json) io.out(JSON.stringify(report, null, 2) + '\n');
  else io.out(humanReport(report, io.cwd, colors(io.tty && !process.env.NO_COLOR)) + '\n');
  return EXIT.ok;
}

function int(flag: string, v: string, min: number): number {
  const n = Number(v);
  if (v.trim() === '' || !Number.isInteger(n) || n < min) throw new RmlInputError(`${flag} must be an integer ≥ ${min} (got '${v}')`);
  return n;
}

/**
 * Which run to explain, and the config that tells how its data is read: a run folder (then
 * openExplainContext uses its recorded config), or a config file (its newest run, unless --run).
 */
async function resolveRun(target: string | undefined, runFlag: string | undefined, io: Io, rootFlag: string | undefined): Promise<{ runDir: string; config?: TrainingConfig }> {
  let config: TrainingConfig | undefined;
  let runDir: string | undefined = runFlag !== undefined ? resolve(io.cwd, runFlag) : undefined;
  if (target !== undefined) {
    const abs = resolve(io.cwd, target);
    if (!existsSync(abs)) throw new RmlInputError(`no such config file or run folder: ${abs}`);
    if (statSync(abs).isDirectory()) {
      if (!existsSync(join(abs, 'run.json'))) throw new RmlInputError(`${abs} is neither a config file (*.rml.yaml, *.rml.yml, *.rml.json) nor a run folder (no run.json)`);
      if (runDir !== undefined && runDir !== abs) throw new RmlInputError(`two runs given: ${abs} and --run ${runDir}`);
      runDir = abs;
    } else {
      if (!isConfigFile(abs)) throw new RmlInputError(`${abs} is not a training config (*.rml.yaml, *.rml.yml, *.rml.json) or a run folder`);
      config = await loadConfig(abs, { root: resolve(io.cwd, rootFlag ?? '.') });
      if (runDir === undefined) {
        const runs = await runsOfConfig(abs, config.hash);
        if (runs.length === 0) throw new RmlInputError(`no run of ${relative(io.cwd, abs) || abs} under ${runsDirFor(abs)}; train it first (rml train ${target}) or pass --run DIR`, { file: abs, line: 1, column: 1 });
        runDir = runs[0];
      }
    }
  }
  if (runDir === undefined) throw new RmlInputError(`explain needs a config file or a run folder: ${EXPLAIN_USAGE}`);
  if (!existsSync(join(runDir, 'run.json'))) throw new RmlInputError(`not a run folder (missing run.json): ${runDir}`);
  return { runDir, config };
}

/**
 * Runs of this config, newest first: the folders with a run.json under `<config dir>/.rml/runs`
 * whose recorded config is this file, or has this content (sha256; the folder may have moved).
 * Configs in one folder share the runs folder, so the newest folder may be another config's.
 */
async function runsOfConfig(configFile: string, hash: string): Promise<string[]> {
  const out: string[] = [];
  for (const dir of await listRuns(runsDirFor(configFile))) {
    try {
      const rec = JSON.parse(await readFile(join(dir, 'run.json'), 'utf8')) as { config?: { file?: string; hash?: string } };
      if ((rec.config?.file !== undefined && resolve(rec.config.file) === configFile) || rec.config?.hash === hash) out.push(dir);
    } catch {
      // An unreadable run.json is not this config's run.
    }
  }
  return out;
}

function humanReport(r: ExplainReport, cwd: string, c: ReturnType<typeof colors>): string {
  const L: string[] = [];
  const f4 = (v: number) => num(v, 4);
  const signed = (v: number, d = 4) => (v >= 0 ? '+' : '') + v.toFixed(d);
  L.push(c.bold(`Responsible ML · explain ${r.run.name}`) + c.dim(`  (${r.run.task}, ${r.run.model}; run ${relative(cwd, r.run.dir) || r.run.dir})`));
  L.push(`  explaining ${r.output.description}${r.run.task === 'binary' ? `; decision threshold ${r.run.threshold}` : ''}`);
  for (const w of r.warnings) L.push(c.yellow(`  warning: ${w}`));
  L.push('');
  const row = r.row;
  L.push(c.bold(`Row ${row.index}`) + ` (line ${row.line}, ${row.split} split)` + (row.actual !== null ? `: actual ${row.actual}` : '') + ` → ${r.output.description} = ${f4(row.prediction)} → predicted ${row.decision}`);
  L.push(wrap(row.values.map((v) => `${v.feature}=${v.value.text}`), '  '));

  if (r.importance) {
    const imp = r.importance;
    L.push('');
    L.push(c.bold('Permutation importance') + c.dim(` — ${imp.metric} drop on the test split (${imp.rows} rows), mean ± sd over ${imp.repeats} repeats (seed ${imp.seed}); baseline ${f4(imp.baseline)}`));
    const max = Math.max(1e-12, ...imp.features.map((f) => f.mean));
    L.push(table([['feature', 'drop', '', ''], ...imp.features.map((f) => [f.feature, bar(f.mean, max, 24), f4(f.mean), `± ${f4(f.sd)}`])]));
  }

  if (r.shap) {
    const s = r.shap;
    L.push('');
    L.push(
      c.bold('Kernel SHAP') +
        c.dim(
          ` — ${s.exact ? 'exact (every coalition)' : 'sampled (paired)'}: ${s.coalitions} coalitions × ${s.background.size} background rows (${s.background.method === 'kmeans' ? 'k-means summary' : 'seeded sample'}) = ${s.evaluations.toLocaleString('en-US')} model evaluations; ${s.varyingFeatures} varying features`,
        ),
    );
    if (s.background.note) L.push(c.dim(`  note: ${s.background.note}`));
    L.push(`  E[f] = ${f4(s.expectedValue)}  (mean ${s.output.description} over the background)`);
    const sorted = [...s.values].sort((a, b) => Math.abs(b.phi) - Math.abs(a.phi));
    const max = Math.max(1e-12, ...sorted.map((v) => Math.abs(v.phi)));
    let running = s.expectedValue;
    const rows: string[][] = [['feature = value', 'φ', '', 'running total']];
    for (const v of sorted) {
      running += v.phi;
      rows.push([`${v.feature} = ${v.value.text}`, signed(v.phi), (v.phi >= 0 ? c.green : c.red)(bar(Math.abs(v.phi), max, 20)), f4(running)]);
    }
    L.push(table(rows));
    L.push(`  f(x) = ${f4(s.fx)} = E[f] + Σφ (${f4(s.expectedValue)} ${s.sum >= 0 ? '+' : '−'} ${f4(Math.abs(s.sum))});  additivity |Σφ − (f(x) − E[f])| = ${s.additivityError.toExponential(1)}`);
    if (s.linearCheck) L.push(`  linear model check: max |φ − exact linear SHAP| = ${s.linearCheck.maxAbsDifference.toExponential(1)}`);
  }

  if (r.lime) {
    const l = r.lime;
    L.push('');
    L.push(c.bold('LIME') + c.dim(` — ${l.samples} samples, kernel width ${num(l.kernelWidth, 2)}, ridge α = ${l.alpha}, seed ${l.seed}; local R² ${num(l.score, 3)}, intercept ${f4(l.intercept)}, local prediction ${f4(l.localPrediction)} (model ${f4(l.modelPrediction)})`));
    const st = l.stability;
    const sorted = l.weights.map((w, j) => ({ w, s: st?.features[j] })).sort((a, b) => Math.abs(b.w.weight) - Math.abs(a.w.weight));
    const header = ['condition', 'weight', ...(st ? [`mean ± sd over ${st.runs} runs`, `in top ${st.topK}`] : [])];
    L.push(table([header, ...sorted.map(({ w, s }) => [w.condition, signed(w.weight), ...(s ? [`${signed(s.mean)} ± ${f4(s.sd)}`, `${Math.round(s.topKShare * 100)}%`] : [])])]));
    if (st) L.push(`  top-${st.topK} agreement across runs (mean pairwise Jaccard): ${num(st.meanTopKJaccard, 2)}`);
  }

  if (r.counterfactual) {
    const cf = r.counterfactual;
    L.push('');
    L.push(c.bold('Counterfactual') + c.dim(` — ${cf.goal}; immutable: ${cf.immutable.length ? cf.immutable.join(', ') : 'none'}; at most ${cf.maxChanges} changes; ${cf.evaluations.toLocaleString('en-US')} evaluations`));
    if (cf.found && cf.best) {
      if (cf.best.changes.length === 0) L.push('  the row already reaches the goal');
      for (const ch of cf.best.changes) L.push(`  ${ch.feature}: ${ch.from.text} → ${ch.to.text}  ${c.dim(`(cost ${num(ch.cost, 2)})`)}`);
      L.push(`  distance ${num(cf.best.distance, 2)} (numeric |Δ| in MAD units, a categorical change counts 1) → ${r.output.space === 'value' ? 'prediction' : 'P'} = ${f4(cf.best.prediction)} → ${cf.best.decision}`);
      for (const a of cf.alternatives) L.push(c.dim(`  or: ${a.changes.map((ch) => `${ch.feature} ${ch.from.text} → ${ch.to.text}`).join(', ')} (distance ${num(a.distance, 2)})`));
    } else {
      L.push(c.yellow(`  none found: ${cf.reason ?? 'no counterfactual'}`));
    }
  }

  if (r.pdp) {
    const p = r.pdp;
    L.push('');
    L.push(c.bold(`Partial dependence — ${p.feature}`) + c.dim(` (${p.centered ? 'centred, ' : ''}PD over ${p.rows} test rows; ${p.grid.length}-point ${p.gridMethod} grid; ICE for ${p.ice.length} rows)`));
    if (p.note) L.push(c.dim(`  note: ${p.note}`));
    const rows: string[][] = [[p.feature, 'PD', 'ICE 10%', 'ICE 90%', ...(p.rowCurve ? ['this row'] : [])]];
    p.grid.forEach((g, k) => {
      const ice = p.ice.map((cur) => cur.values[k]).sort((a, b) => a - b);
      const q = (t: number) => (ice.length ? ice[Math.min(ice.length - 1, Math.floor(t * (ice.length - 1) + 0.5))] : NaN);
      rows.push([g.text, f4(p.average[k]), num(q(0.1), 4), num(q(0.9), 4), ...(p.rowCurve ? [f4(p.rowCurve[k])] : [])]);
    });
    L.push(table(rows));
    L.push(`  PD ${sparkline(p.average)}`);
  }

  if (r.slices) {
    const s = r.slices;
    L.push('');
    const what = s.metric === 'errorRate' ? 'error rate' : 'mean absolute error';
    L.push(c.bold('Weakest slices') + c.dim(` — ${what} on the test split (overall ${f4(s.overall)} over ${s.rows} rows); slices of ≥ ${s.minSize} rows up to depth ${s.maxDepth}, sorted by ${s.sortBy === 'lowerBound' ? 'the lower end of the 95% interval' : what}; ${s.tested} tested`));
    if (s.slices.length === 0) L.push('  no slice reaches the minimum size');
    else
      L.push(
        table([
          ['slice', 'size', ...(s.metric === 'errorRate' ? ['errors'] : []), s.metric === 'errorRate' ? 'rate' : 'MAE', '95% interval', 'lift', 'p (one-sided)'],
          ...s.slices.map((x) => [
            x.description,
            String(x.size),
            ...(s.metric === 'errorRate' ? [String(x.errors ?? '')] : []),
            f4(x.value),
            `${num(x.lower, 3)}–${num(x.upper, 3)}`,
            num(x.lift, 2),
            (x.pValue < 1e-4 ? x.pValue.toExponential(1) : num(x.pValue, 4)) + (x.significant ? ' *' : ''),
          ]),
        ]),
      );
    if (s.slices.some((x) => x.significant)) L.push(c.dim(`  * significant after Bonferroni over the ${s.tested} slices tested`));
  }
  L.push('');
  L.push(c.dim(`  time: load ${r.timings.loadMs} ms · importance ${r.timings.importanceMs} ms · SHAP ${r.timings.shapMs} ms · LIME ${r.timings.limeMs} ms · counterfactual ${r.timings.counterfactualMs} ms · PDP ${r.timings.pdpMs} ms · slices ${r.timings.slicesMs} ms`));
  return L.join('\n');
}

/** A horizontal bar of `width` cells for v in [0, max] (eighth-cell resolution). */
function bar(v: number, max: number, width: number): string {
  if (!(v > 0)) return '·';
  const eighths = Math.max(1, Math.round((v / max) * width * 8));
  return '█'.repeat(Math.floor(eighths / 8)) + (eighths % 8 ? '▏▎▍▌▋▊▉'[(eighths % 8) - 1] : '');
}

function wrap(items: string[], indent: string, width = 100): string {
  const lines: string[] = [];
  let cur = indent;
  for (const it of items) {
    if (cur.length > indent.length && cur.length + it.length + 2 > width) {
      lines.push(cur);
      cur = indent;
    }
    cur += (cur.length > indent.length ? '  ' : '') + it;
  }
  if (cur.length > indent.length) lines.push(cur);
  return lines.join('\n');
}
