/**
 * Lint performance on a config plus a ~50 MB CSV (the issue's goal: ≤ 2 s cold, ≤ 300 ms warm).
 *
 * Generates the CSV once (deterministic, seeded; under the OS temp folder, or BENCH_LINT_DIR),
 * then measures:
 * - in this process, `lintConfigFile` (module loading excluded): coldMs with no cache at all (the
 *   byte scan, the sample parse and every rule), warmMs with the sample read back from the disk
 *   cache (.rml/cache), warmMemoryMs with the sample still in memory (the editor re-linting);
 * - what a user pays, `node bin/rml.js lint <config>` in a fresh process (needs `npm run build`),
 *   wall from spawn to exit and the child's CPU (user + system): cli.cold (no .rml/cache),
 *   cli.warm (unchanged config and data: the sample and the data rules' findings come from the
 *   cache) and cli.edited (the config's text changed, so the data rules run again on the cached
 *   sample).
 * - the editor: the same config linted through the lint worker (dist/lint-worker.js, as the
 *   extension runs it, sample cache in memory only), with the longest stall of this (host)
 *   thread's event loop while the worker lints: editor.lintMs and editor.hostStallMs.
 * Each is the median of BENCH_REPEATS (default 5) runs. Prints one JSON line:
 * { coldMs, warmMs, warmMemoryMs, cli: { cold, warm, edited: { wallMs, cpuMs } }, editor: { lintMs, hostStallMs }, bytes, rows, sampleRows, findings }.
 *
 *   npx tsx scripts/bench/lint.ts [--mb 50]
 */
import { spawnSync } from 'node:child_process';
import { createWriteStream, existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { LintClient } from '../../src/extension/diagnostics/lint-client';
import { clearMemoryCache, lintConfigFile } from '../../src/core/lint';
import { cachedSample, cacheDirFor } from '../../src/core/lint/cache';
import { DEFAULT_SAMPLE_ROWS, DEFAULT_SAMPLE_SEED } from '../../src/core/lint/sample';
import { Rng } from '../../src/core/util/random';

const GIVEN = ['james', 'mary', 'john', 'patricia', 'robert', 'jennifer', 'michael', 'linda', 'carlos', 'aisha', 'wei', 'fatima', 'olga', 'kwame'];
const FAMILY = ['smith', 'johnson', 'garcia', 'nguyen', 'okafor', 'kowalski', 'tanaka', 'silva', 'muller', 'haddad'];
const EDU = ['HS-grad', 'Some-college', 'Bachelors', 'Masters', 'Assoc-voc', 'Doctorate', '11th'];
const OCC = ['Tech-support', 'Craft-repair', 'Sales', 'Exec-managerial', 'Prof-specialty', 'Handlers-cleaners', 'Adm-clerical', 'Transport-moving'];
const MARITAL = ['Married-civ-spouse', 'Never-married', 'Divorced', 'Separated', 'Widowed'];
const RACE: [string, number][] = [['White', 0.7], ['Black', 0.12], ['Asian-Pac-Islander', 0.08], ['Amer-Indian-Eskimo', 0.05], ['Other', 0.05]];

function weighted(rng: Rng, items: readonly [string, number][]): string {
  let u = rng.next();
  for (const [v, w] of items) {
    if (u < w) return v;
    u -= w;
  }
  return items[items.length - 1][0];
}

async function generate(file: string, bytes: number): Promise<void> {
  const out = createWriteStream(file);
  const rng = new Rng(42);
  out.write('id,name,email,age,sex,race,zip,education,occupation,marital,hours,capital,score,approved\n');
  let written = 0;
  for (let i = 1; written < bytes; i++) {
    const g = GIVEN[rng.int(GIVEN.length)];
    const f = FAMILY[rng.int(FAMILY.length)];
    const race = weighted(rng, RACE);
    const age = 18 + rng.int(60);
    const hours = Math.max(1, Math.round(40 + 10 * rng.normal()));
    const score = rng.normal();
    const edu = rng.int(EDU.length);
    const p = 1 / (1 + Math.exp(-(0.8 * score + 0.15 * edu + 0.02 * (hours - 40) - 1)));
    const line = `${i},"${g} ${f}",${g}.${f}${i}@example.com,${age},${rng.next() < 0.5 ? 'Female' : 'Male'},${race},${10000 + rng.int(90000)},${EDU[edu]},${OCC[rng.int(OCC.length)]},${MARITAL[rng.int(MARITAL.length)]},${hours},${rng.next() < 0.9 ? 0 : rng.int(20000)},${score.toFixed(4)},${rng.next() < p ? 'yes' : 'no'}\n`;
    written += Buffer.byteLength(line);
    if (!out.write(line)) await new Promise<void>((r) => out.once('drain', () => r()));
  }
  await new Promise<void>((resolve, reject) => out.end((err?: Error | null) => (err ? reject(err) : resolve())));
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

const repoRoot = join(__dirname, '..', '..');

/** One `rml lint` in a fresh process: wall time from spawn to exit, and the child's CPU time. */
function cliLint(config: string, cwd: string): { wallMs: number; cpuMs: number } {
  const cpuFile = join(cwd, `.bench-cpu-${process.pid}`);
  rmSync(cpuFile, { force: true });
  const t0 = performance.now();
  const r = spawnSync(process.execPath, ['--require', join(__dirname, 'cpu-preload.cjs'), join(repoRoot, 'bin', 'rml.js'), 'lint', config, '--fail-on', 'never'], {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, RML_BENCH_CPU_FILE: cpuFile },
  });
  const wallMs = performance.now() - t0;
  if (r.status !== 0) throw new Error(`rml lint exited ${r.status}: ${r.stderr}`);
  const cpuMs = Number(readFileSync(cpuFile, 'utf8').trim());
  rmSync(cpuFile, { force: true });
  return { wallMs, cpuMs };
}

function medianOf(runs: { wallMs: number; cpuMs: number }[]): { wallMs: number; cpuMs: number } {
  return { wallMs: Math.round(median(runs.map((r) => r.wallMs))), cpuMs: Math.round(median(runs.map((r) => r.cpuMs))) };
}

async function main(): Promise<void> {
  const mbArg = process.argv.indexOf('--mb');
  const mb = mbArg >= 0 ? Number(process.argv[mbArg + 1]) : 50;
  const repeats = Math.max(5, Number(process.env.BENCH_REPEATS ?? 5));
  const dir = process.env.BENCH_LINT_DIR ?? join(tmpdir(), `rml-bench-lint-${mb}mb`);
  mkdirSync(dir, { recursive: true });
  const csv = join(dir, 'people.csv');
  const target = mb * 1024 * 1024;
  if (!existsSync(csv) || Math.abs(statSync(csv).size - target) > 1024 * 1024) await generate(csv, target);
  const config = join(dir, 'people.rml.yaml');
  const configLines = [
    'name: bench-people',
    'data:',
    '  path: people.csv',
    '  target: approved',
    '  positive: "yes"',
    '  sensitive: [sex, race]',
    '  ignore: [id]',
    'split: { test: 0.2, seed: 1 }',
    '',
  ];
  writeFileSync(config, configLines.join('\n'));
  const opts = { root: dir };
  const cold: number[] = [];
  const warm: number[] = [];
  const warmMemory: number[] = [];
  let findings = 0;
  for (let r = 0; r < repeats; r++) {
    rmSync(cacheDirFor(config), { recursive: true, force: true });
    clearMemoryCache();
    let t0 = performance.now();
    findings = (await lintConfigFile(config, opts)).length;
    cold.push(performance.now() - t0);

    clearMemoryCache(); // as a new process: the sample comes from .rml/cache
    t0 = performance.now();
    await lintConfigFile(config, opts);
    warm.push(performance.now() - t0);

    t0 = performance.now(); // as the editor: still in memory
    await lintConfigFile(config, opts);
    warmMemory.push(performance.now() - t0);
  }
  if (!existsSync(join(repoRoot, 'dist', 'cli-lint.js'))) throw new Error('dist/cli-lint.js is missing: run `npm run build` first');
  const cliCold: { wallMs: number; cpuMs: number }[] = [];
  const cliWarm: { wallMs: number; cpuMs: number }[] = [];
  const cliEdited: { wallMs: number; cpuMs: number }[] = [];
  for (let r = 0; r < repeats; r++) {
    rmSync(cacheDirFor(config), { recursive: true, force: true });
    cliCold.push(cliLint(config, dir));
    cliWarm.push(cliLint(config, dir));
    // An edit that changes the text (and the cache key) but not the findings: a comment.
    writeFileSync(config, [...configLines.slice(0, -1), `# edit ${r}`, ''].join('\n'));
    cliEdited.push(cliLint(config, dir));
    writeFileSync(config, configLines.join('\n'));
  }
  const client = new LintClient(join(repoRoot, 'dist', 'lint-worker.js'), (level, m) => console.error(`${level}: ${m}`));
  const editorLint: number[] = [];
  const hostStall: number[] = [];
  try {
    for (let r = 0; r < repeats; r++) {
      const lag = monitorEventLoopDelay({ resolution: 1 });
      lag.enable();
      const t0 = performance.now();
      await client.lint({ configFile: config, root: dir, rules: {}, diskCache: false });
      editorLint.push(performance.now() - t0);
      lag.disable();
      hostStall.push(lag.max / 1e6);
    }
  } finally {
    client.dispose();
  }
  const { totalRows, sampleRows } = await rowsOf(csv, config);
  console.log(
    JSON.stringify({
      coldMs: Math.round(median(cold)),
      warmMs: Math.round(median(warm)),
      warmMemoryMs: Math.round(median(warmMemory)),
      cli: { cold: medianOf(cliCold), warm: medianOf(cliWarm), edited: medianOf(cliEdited) },
      editor: { lintMs: Math.round(median(editorLint)), hostStallMs: Math.round(median(hostStall) * 10) / 10 },
      bytes: statSync(csv).size,
      rows: totalRows,
      sampleRows,
      findings,
    }),
  );
}

/** Rows in the file, from the sample the runs above cached. */
async function rowsOf(csv: string, config: string): Promise<{ totalRows: number; sampleRows: number }> {
  const { sample } = await cachedSample(csv, { sampleRows: DEFAULT_SAMPLE_ROWS, seed: DEFAULT_SAMPLE_SEED }, { memory: false, disk: false }, config);
  return { totalRows: sample.totalRows, sampleRows: sample.rows.length };
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
