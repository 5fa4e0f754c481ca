/**
 * Fairness-audit benchmark (issue 3, "Performance"): 1,000,000 rows × 5 groups.
 *
 *   node --import tsx scripts/bench/audit.ts [--rows N] [--groups G] [--repeats R] [--keep]
 *
 * 1. Generates a seeded CSV (y_true, y_pred, y_score, group) in a temporary folder.
 * 2. Times our audit computation on in-memory arrays, as Fairlearn's MetricFrame gets them:
 *    `auditColumn` (per-group confusion counts, the per-group rates — n, selection rate, base rate,
 *    accuracy, TPR, FPR, FNR, TNR, precision — and the seven disparities, extremes, Theil index,
 *    warnings) plus `overallBinary`; then the same with scores (ROC AUC overall and per group).
 * 3. Times `rml audit` end to end on the CSV (process start to exit, parsing included), with --pred
 *    and with --score, and reports the CLI's own readMs/computeMs.
 * 4. Runs scripts/bench/audit_pandas.py on the same CSV when /usr/bin/python3 has pandas: pandas.read_csv
 *    + a vectorized groupby of the same counts and six metrics, a lower bound on pandas + Fairlearn.
 * Each number is the median of R repeats (default 3, or BENCH_REPEATS). The last line printed is
 * one JSON document; the lines before it are for people.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { closeSync, existsSync, mkdtempSync, openSync, rmSync, statSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { auditColumn, overallBinary, Xoshiro128, type GroupColumn } from '../../src/core/fairness';

const ROOT = join(__dirname, '..', '..');
const PY = '/usr/bin/python3';
/** Fairlearn MetricFrame, 6 metrics, 1M rows × 5 groups, as the issue reported it (NOT measured in this run: Fairlearn is not installable here). */
const FAIRLEARN_REPORTED_MS = 5900;

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

interface Generated {
  yTrue: Uint8Array;
  yPred: Uint8Array;
  scores: Float64Array;
  column: GroupColumn;
}

/** Seeded data: group g has base rate 0.3 + 0.05·g; scores are noisy in the label; y_pred = score ≥ 0.5. */
function generate(file: string, rows: number, groups: number): Generated {
  const rng = new Xoshiro128(20240601);
  const names = Array.from({ length: groups }, (_, g) => `group${String.fromCharCode(65 + g)}`);
  const yTrue = new Uint8Array(rows);
  const yPred = new Uint8Array(rows);
  const scores = new Float64Array(rows);
  const codes = new Int32Array(rows);
  const fd = openSync(file, 'w');
  writeSync(fd, 'y_true,y_pred,y_score,group\n');
  let chunk: string[] = [];
  for (let i = 0; i < rows; i++) {
    const g = rng.int(groups);
    const y = rng.next() < 0.3 + 0.05 * g ? 1 : 0;
    const noise = (rng.next() + rng.next() + rng.next() - 1.5) * 0.4;
    const s = Math.round(Math.min(1, Math.max(0, 0.35 + 0.3 * y + noise - 0.02 * g)) * 1e6) / 1e6;
    const p = s >= 0.5 ? 1 : 0;
    yTrue[i] = y;
    yPred[i] = p;
    scores[i] = s;
    codes[i] = g;
    chunk.push(`${y},${p},${s},${names[g]}`);
    if (chunk.length === 65536) {
      writeSync(fd, chunk.join('\n') + '\n');
      chunk = [];
    }
  }
  if (chunk.length > 0) writeSync(fd, chunk.join('\n') + '\n');
  closeSync(fd);
  return { yTrue, yPred, scores, column: { name: 'group', codes, names } };
}

function timeMs(f: () => unknown): number {
  const t0 = performance.now();
  f();
  return performance.now() - t0;
}

interface CliRun {
  wallMs: number;
  readMs: number;
  computeMs: number;
}

function cliCommand(): { cmd: string; pre: string[] } {
  if (existsSync(join(ROOT, 'dist', 'cli.js'))) return { cmd: process.execPath, pre: [join(ROOT, 'bin', 'rml.js')] };
  // Not built: run the TypeScript sources (adds tsx's start-up; `npm run bench` builds first).
  return { cmd: process.execPath, pre: ['--import', 'tsx', '-e', "require('./src/cli/main').main(process.argv.slice(1)).then((c) => { process.exitCode = c; })", '--'] };
}

function runCli(args: string[]): CliRun {
  const { cmd, pre } = cliCommand();
  const t0 = performance.now();
  const out = execFileSync(cmd, [...pre, ...args], { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 64 * 1024 * 1024 });
  const wallMs = performance.now() - t0;
  const j = JSON.parse(out) as { timings: { readMs: number; computeMs: number } };
  return { wallMs, readMs: j.timings.readMs, computeMs: j.timings.computeMs };
}

function medianRun(runs: CliRun[]): CliRun {
  return { wallMs: median(runs.map((r) => r.wallMs)), readMs: median(runs.map((r) => r.readMs)), computeMs: median(runs.map((r) => r.computeMs)) };
}

interface PandasRun {
  readS: number;
  computeS: number;
  totalS: number;
  aucS: number | null;
  dpd: number;
  eod: number;
}

function pyHasPandas(): boolean {
  return existsSync(PY) && spawnSync(PY, ['-c', 'import pandas, sklearn'], { stdio: 'ignore' }).status === 0;
}

function main(): void {
  const { values } = parseArgs({
    options: {
      rows: { type: 'string', default: '1000000' },
      groups: { type: 'string', default: '5' },
      repeats: { type: 'string', default: process.env.BENCH_REPEATS ?? '3' },
      keep: { type: 'boolean', default: false },
    },
  });
  const rows = Number(values.rows);
  const groups = Number(values.groups);
  const repeats = Math.max(1, Number(values.repeats));
  const dir = mkdtempSync(join(tmpdir(), 'rml-bench-audit-'));
  const csv = join(dir, 'audit.csv');
  try {
    console.log(`· generating ${rows.toLocaleString('en-US')} rows × ${groups} groups`);
    const data = generate(csv, rows, groups);
    const bytes = statSync(csv).size;

    // Our compute on in-memory arrays (one warm-up first, as a long-running process would be).
    const metrics = () => {
      auditColumn({ yTrue: data.yTrue, yPred: data.yPred }, data.column);
      overallBinary(data.yTrue, data.yPred);
    };
    const withAuc = () => {
      auditColumn({ yTrue: data.yTrue, yPred: data.yPred, scores: data.scores }, data.column);
      overallBinary(data.yTrue, data.yPred, data.scores);
    };
    const coldMetricsMs = timeMs(metrics);
    const metricsMs = median(Array.from({ length: Math.max(repeats, 5) }, () => timeMs(metrics)));
    withAuc();
    const metricsWithAucMs = median(Array.from({ length: repeats }, () => timeMs(withAuc)));
    console.log(`  ours, in memory: audit metrics ${metricsMs.toFixed(1)} ms (first call ${coldMetricsMs.toFixed(1)} ms); with ROC AUC ${metricsWithAucMs.toFixed(1)} ms`);

    const base = ['audit', '--data', csv, '--label', 'y_true', '--positive', '1', '--sensitive', 'group', '--json'];
    const cli = medianRun(Array.from({ length: repeats }, () => runCli([...base, '--pred', 'y_pred'])));
    const cliScores = medianRun(Array.from({ length: repeats }, () => runCli([...base, '--score', 'y_score'])));
    console.log(`  ours, rml audit --pred: ${cli.wallMs.toFixed(0)} ms wall (read ${cli.readMs} ms, compute ${cli.computeMs} ms)`);
    console.log(`  ours, rml audit --score: ${cliScores.wallMs.toFixed(0)} ms wall (read ${cliScores.readMs} ms, compute ${cliScores.computeMs} ms)`);

    let pandas: (PandasRun & { wallMs: number; wallWithAucMs: number }) | null = null;
    if (pyHasPandas()) {
      const run = (extra: string[]) => {
        const t0 = performance.now();
        const out = execFileSync(PY, [join(ROOT, 'scripts', 'bench', 'audit_pandas.py'), csv, ...extra], { encoding: 'utf8' });
        return { wallMs: performance.now() - t0, ...(JSON.parse(out.trim().split('\n').pop()!) as PandasRun) };
      };
      const plain = Array.from({ length: repeats }, () => run([]));
      const auc = Array.from({ length: repeats }, () => run(['--scores']));
      pandas = {
        readS: median(plain.map((r) => r.readS)),
        computeS: median(plain.map((r) => r.computeS)),
        totalS: median(plain.map((r) => r.totalS)),
        aucS: median(auc.map((r) => r.aucS ?? 0)),
        dpd: plain[0].dpd,
        eod: plain[0].eod,
        wallMs: median(plain.map((r) => r.wallMs)),
        wallWithAucMs: median(auc.map((r) => r.wallMs)),
      };
      console.log(`  pandas: read_csv ${(pandas.readS * 1000).toFixed(0)} ms, groupby metrics ${(pandas.computeS * 1000).toFixed(1)} ms, sklearn AUC ${((pandas.aucS ?? 0) * 1000).toFixed(0)} ms; ${pandas.wallMs.toFixed(0)} ms wall`);
      // Same numbers on the same data.
      const ours = auditColumn({ yTrue: data.yTrue, yPred: data.yPred }, data.column);
      if (Math.abs((ours.demographicParityDifference ?? NaN) - pandas.dpd) > 1e-12 || Math.abs((ours.equalizedOddsDifference ?? NaN) - pandas.eod) > 1e-12) {
        throw new Error(`ours and pandas disagree: DPD ${ours.demographicParityDifference} vs ${pandas.dpd}, EOD ${ours.equalizedOddsDifference} vs ${pandas.eod}`);
      }
    } else {
      console.log('  pandas: not importable by /usr/bin/python3; baseline skipped');
    }
    const fairlearnE2eMs = pandas ? pandas.readS * 1000 + FAIRLEARN_REPORTED_MS : null;
    const result = {
      rows,
      groups,
      csvBytes: bytes,
      ours: { metricsMs, coldMetricsMs, metricsWithAucMs, cli, cliScores },
      pandas,
      fairlearnReportedMs: FAIRLEARN_REPORTED_MS,
      ratios: {
        metricsVsFairlearnReported: FAIRLEARN_REPORTED_MS / metricsMs,
        metricsVsPandasGroupby: pandas ? (pandas.computeS * 1000) / metricsMs : null,
        e2eVsPandasReadPlusFairlearn: fairlearnE2eMs ? fairlearnE2eMs / cli.wallMs : null,
        e2eVsPandasWall: pandas ? pandas.wallMs / cli.wallMs : null,
      },
    };
    console.log(JSON.stringify(result));
  } finally {
    if (values.keep) console.error(`kept ${csv}`);
    else rmSync(dir, { recursive: true, force: true });
  }
}

main();
