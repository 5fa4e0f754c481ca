/** `rml train <config>`: run the engine and print a report (or one JSON document with --json). */
import { parseArgs } from 'node:util';
import { resolve, relative } from 'node:path';
import { runConfigFile, type RunRecord } from '../core/engine';
import type { BackendPreference } from '../core/model/backend';
import { RmlInputError } from '../core/errors';
import { colors, ms, num, sparkline, table } from './format';
import { EXIT, type Io } from './main';

const BACKENDS = ['auto', 'node', 'wasm', 'cpu'];

export async function trainCommand(args: string[], io: Io): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      json: { type: 'boolean', default: false },
      backend: { type: 'string', default: 'auto' },
      out: { type: 'string' },
      root: { type: 'string' },
      quiet: { type: 'boolean', short: 'q', default: false },
    },
  });
  if (positionals.length !== 1) throw new RmlInputError(`train takes exactly one config file (got ${positionals.length}): rml train <config>`);
  if (!BACKENDS.includes(values.backend!)) throw new RmlInputError(`--backend must be one of ${BACKENDS.join(', ')} (got '${values.backend}')`);
  const configFile = resolve(io.cwd, positionals[0]);
  const root = resolve(io.cwd, values.root ?? '.');
  const c = colors(io.tty && !process.env.NO_COLOR);
  const showProgress = io.tty && !values.quiet && !values.json;

  const result = await runConfigFile(configFile, {
    root,
    backend: values.backend as BackendPreference,
    outDir: values.out ? resolve(io.cwd, values.out) : undefined,
    onStage: (s) => {
      if (showProgress) io.err(`\r\x1b[K${c.dim(s + '…')}`);
    },
    onEpoch: (e) => {
      if (!showProgress) return;
      const width = 24;
      const done = Math.round((e.epoch / e.epochs) * width);
      io.err(`\r\x1b[K[${'█'.repeat(done)}${'░'.repeat(width - done)}] epoch ${e.epoch}/${e.epochs} loss ${num(e.loss, 4)}${e.valLoss !== null ? ` val ${num(e.valLoss, 4)}` : ''}`);
    },
  });
  if (showProgress) io.err('\r\x1b[K');
  const r = result.record;
  if (values.json) {
    io.out(JSON.stringify(jsonSummary(result.dir, r), null, 2) + '\n');
  } else if (!values.quiet) {
    io.out(humanReport(result.dir, r, io.cwd, c) + '\n');
  }
  return r.status === 'completed' ? EXIT.ok : EXIT.internal;
}

/** The documented `--json` shape (README "CLI reference"). */
export function jsonSummary(dir: string, r: RunRecord) {
  return {
    run: dir,
    status: r.status,
    backend: r.backend.name,
    task: r.task,
    data: { rows: r.data.rows, train: r.data.train, validation: r.data.validation, test: r.data.test },
    metrics: r.metrics,
    crossValidation: r.crossValidation ?? null,
    timings: { readMs: round1(r.timings.readMs), trainMs: round1(r.timings.trainMs), evaluateMs: round1(r.timings.evaluateMs) },
    epochs: r.epochs,
    bestEpoch: r.bestEpoch,
    seed: r.seed,
    warnings: r.data.warnings,
  };
}

function round1(v: number): number {
  return Math.round(v * 10) / 10;
}

function humanReport(dir: string, r: RunRecord, cwd: string, c: ReturnType<typeof colors>): string {
  const lines: string[] = [];
  lines.push(c.bold(`Responsible ML · ${r.name}`) + c.dim(`  (${r.task}, backend ${r.backend.name}${r.backend.simd ? ' +simd' : ''})`));
  for (const n of r.backend.notes) lines.push(c.dim(`  note: ${n}`));
  lines.push('');
  lines.push(c.bold('Data'));
  lines.push(`  ${relative(cwd, r.data.file) || r.data.file}: ${r.data.rows} rows, ${r.data.features.length} features (${r.data.encodedFeatures} after encoding), target '${r.target}'${r.positive !== undefined ? ` (positive: ${r.positive})` : ''}`);
  lines.push(`  split: train ${r.data.train} · validation ${r.data.validation} · test ${r.data.test}  (seed ${r.seed}${r.seedDefaulted ? ', defaulted: set split.seed' : ''})`);
  for (const w of r.data.warnings) lines.push(c.yellow(`  warning: ${w}`));
  lines.push('');
  lines.push(c.bold('Training'));
  const losses = r.history.map((h) => h.loss);
  const first = r.history[0];
  const last = r.history[r.history.length - 1];
  if (first && last) {
    lines.push(`  ${r.epochs} epochs  loss ${num(first.loss, 4)} → ${num(last.loss, 4)}  ${sparkline(losses)}`);
    if (last.valLoss !== null) lines.push(`  validation loss ${num(first.valLoss, 4)} → ${num(last.valLoss, 4)}  ${sparkline(r.history.map((h) => h.valLoss ?? NaN))}  ${last.metricName} ${num(last.valMetric)}`);
    if (r.stoppedEarly) lines.push(`  stopped early; kept the weights of epoch ${r.bestEpoch}`);
  }
  if (r.status === 'cancelled') {
    lines.push(c.yellow('  cancelled before the end: no metrics'));
    return lines.join('\n');
  }
  lines.push('');
  lines.push(c.bold(`Test metrics (${r.data.test} rows)`));
  const m = r.metrics as Record<string, number | null> | null;
  if (m) {
    const rows: string[][] = [['metric', 'value']];
    for (const [k, v] of Object.entries(m)) {
      if (typeof v === 'number' || v === null) rows.push([k, num(v, 4)]);
    }
    if (r.crossValidation) {
      rows[0].push(`${r.crossValidation.k}-fold CV (mean ± sd)`);
      for (const row of rows.slice(1)) {
        const cv = r.crossValidation.metrics[row[0]];
        row.push(cv ? `${num(cv.mean, 4)} ± ${num(cv.sd, 4)}` : '');
      }
    }
    lines.push(table(rows));
  }
  const conf = r.evaluation?.confusion;
  if (conf && r.task === 'binary') {
    lines.push('');
    lines.push(`  confusion (threshold ${r.threshold}):  TP ${conf.tp}  FP ${conf.fp}  TN ${conf.tn}  FN ${conf.fn}`);
  }
  lines.push('');
  lines.push(`Run saved to ${relative(cwd, dir) || dir}`);
  lines.push(c.dim(`  read ${ms(r.timings.readMs)} · train ${ms(r.timings.trainMs)} · evaluate ${ms(r.timings.evaluateMs)}`));
  return lines.join('\n');
}
