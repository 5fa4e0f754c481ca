/**
 * Kernel SHAP speed on one row: the run's adapter, a seeded 100-row background, shap's default
 * budget ('auto' = 2M + 2048 coalitions, exact enumeration when 2^M − 2 is within it).
 *
 *   npx tsx scripts/bench/explain.ts [config-or-run] [--rows K] [--out DIR]
 *
 * Default: examples/adult/adult.rml.yaml; its newest run is used, or one is trained into a
 * temporary folder (--out) first. Times K rows (default 10 test rows) after one warm-up row and
 * prints JSON: { shapMs (median wall time), shapMsMax, shapCpuMs (median CPU time of the process,
 * which a busy machine does not inflate), loadAverage, samples (coalitions), evaluations,
 * features, exact, background, rows, model, run }.
 */
import { existsSync, mkdtempSync, statSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { loadConfig } from '../../src/core/config';
import { runConfig } from '../../src/core/engine';
import { kernelShap, loadExplainContext, rowValues, sampleBackground } from '../../src/core/explain';
import { listRuns, runsDirFor } from '../../src/core/report/record';

async function main() {
  const { values, positionals } = parseArgs({ allowPositionals: true, options: { rows: { type: 'string', default: '10' }, out: { type: 'string' } } });
  const target = resolve(positionals[0] ?? 'examples/adult/adult.rml.yaml');
  let runDir: string;
  let csv: { delimiter: string; missing: string[]; encoding: 'utf-8' | 'latin1' | 'utf-16le' } | undefined;
  if (statSync(target).isDirectory()) {
    runDir = target;
  } else {
    const config = await loadConfig(target, { root: resolve(target, '..') });
    csv = { delimiter: config.data.delimiter, missing: config.data.missing, encoding: config.data.encoding };
    const outDir = values.out ? resolve(values.out) : undefined;
    const existing = (await listRuns(outDir ?? runsDirFor(target))).filter((d) => existsSync(join(d, 'model', 'model.json')));
    runDir = existing[0] ?? (await runConfig(config, { root: resolve(target, '..'), outDir: outDir ?? mkdtempSync(join(tmpdir(), 'rml-bench-explain-')) })).dir;
  }
  const ctx = await loadExplainContext(runDir, { csv });
  const output = { space: ctx.record.task === 'regression' ? ('value' as const) : ('probability' as const), unit: 0 };
  const k = Math.max(1, Number(values.rows));
  const rows = Array.from(ctx.testRows.slice(0, k + 1));
  const times: number[] = [];
  const cpu: number[] = [];
  let last: ReturnType<typeof kernelShap> | undefined;
  rows.forEach((row, i) => {
    const t0 = performance.now();
    const c0 = process.cpuUsage();
    const bg = sampleBackground(ctx.table, ctx.referenceRows, 100, 0);
    last = kernelShap(ctx.model, rowValues(ctx.table, row), bg, { output, seed: 0 });
    const c = process.cpuUsage(c0);
    // Row 0 warms up the JIT.
    if (i > 0) {
      times.push(performance.now() - t0);
      cpu.push((c.user + c.system) / 1000);
    }
  });
  const median = (v: number[]) => {
    const a = [...v].sort((x, y) => x - y);
    return a.length % 2 ? a[(a.length - 1) / 2] : (a[a.length / 2 - 1] + a[a.length / 2]) / 2;
  };
  console.log(
    JSON.stringify({
      shapMs: Math.round(median(times) * 10) / 10,
      shapMsMax: Math.round(Math.max(...times) * 10) / 10,
      // CPU time of this process (user + system): the work itself, whatever else loads the machine.
      shapCpuMs: Math.round(median(cpu) * 10) / 10,
      loadAverage: Math.round(loadavg()[0] * 10) / 10,
      samples: last!.coalitions,
      evaluations: last!.evaluations,
      features: ctx.features.length,
      exact: last!.exact,
      background: 100,
      rows: times.length,
      model: ctx.model.linear ? 'linear' : `mlp ${ctx.model.spec.hidden.join('x')}`,
      run: runDir,
    }),
  );
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
