/**
 * Lint performance on a config plus a ~50 MB CSV (the goal: ≤ 2 s cold, ≤ 300 ms warm).
 *
 * Generates the CSV once (deterministic, seeded; under the OS temp folder, or BENCH_LINT_DIR),
 * then measures `lintConfigFile` (module loading excluded):
 * - coldMs: no sample cache at all (the byte scan, the sample parse and every rule), in this
 *   process after a first lint has compiled the code;
 * - warmMs: the sample read back from the disk cache (.rml/cache), as a new `rml lint` would;
 * - warmMemoryMs: the sample still in memory, as the editor re-lints;
 * - coldProcessMs / warmProcessMs: the same cold and disk-warm lints as the first call of a
 *   fresh process, where nothing is compiled yet (what one `rml lint` pays, minus startup).
 * Each is the median of BENCH_REPEATS (default 3) runs. Prints one JSON line:
 * { coldMs, warmMs, warmMemoryMs, coldProcessMs, warmProcessMs, bytes, rows, sampleRows, findings }.
 *
 *   npx tsx scripts/bench/lint.ts [--mb 50]
 */
import { execFileSync } from 'node:child_process';
import { createWriteStream, existsSync, mkdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
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

/** In a child process: one lint, timed, printed as JSON. */
async function child(config: string, root: string): Promise<void> {
  const t0 = performance.now();
  await lintConfigFile(config, { root });
  console.log(JSON.stringify({ ms: performance.now() - t0 }));
}

function inFreshProcess(config: string, root: string): number {
  const out = execFileSync(process.execPath, ['--import', 'tsx', __filename, '--child', config, root], { encoding: 'utf8' });
  return (JSON.parse(out.trim().split('\n').pop() ?? '{}') as { ms: number }).ms;
}

async function main(): Promise<void> {
  const childArg = process.argv.indexOf('--child');
  if (childArg >= 0) return child(process.argv[childArg + 1], process.argv[childArg + 2]);
  const mbArg = process.argv.indexOf('--mb');
  const mb = mbArg >= 0 ? Number(process.argv[mbArg + 1]) : 50;
  const repeats = Number(process.env.BENCH_REPEATS ?? 3);
  const dir = process.env.BENCH_LINT_DIR ?? join(tmpdir(), `rml-bench-lint-${mb}mb`);
  mkdirSync(dir, { recursive: true });
  const csv = join(dir, 'people.csv');
  const target = mb * 1024 * 1024;
  if (!existsSync(csv) || Math.abs(statSync(csv).size - target) > 1024 * 1024) await generate(csv, target);
  const config = join(dir, 'people.rml.yaml');
  writeFileSync(
    config,
    [
      'name: bench-people',
      'data:',
      '  path: people.csv',
      '  target: approved',
      '  positive: "yes"',
      '  sensitive: [sex, race]',
      '  ignore: [id]',
      'split: { test: 0.2, seed: 1 }',
      '',
    ].join('\n'),
  );
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
  const coldProcess: number[] = [];
  const warmProcess: number[] = [];
  for (let r = 0; r < repeats; r++) {
    rmSync(cacheDirFor(config), { recursive: true, force: true });
    coldProcess.push(inFreshProcess(config, dir));
    warmProcess.push(inFreshProcess(config, dir));
  }
  const { totalRows, sampleRows } = await rowsOf(csv, config);
  console.log(
    JSON.stringify({
      coldMs: Math.round(median(cold)),
      warmMs: Math.round(median(warm)),
      warmMemoryMs: Math.round(median(warmMemory)),
      coldProcessMs: Math.round(median(coldProcess)),
      warmProcessMs: Math.round(median(warmProcess)),
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
