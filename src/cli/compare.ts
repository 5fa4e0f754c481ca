/**
 * `rml compare <runA> <runB> [--json] [--root DIR]`: two runs side by side (run folders, or
 * configs for their newest completed runs) — what changed in the config, metrics, disparities,
 * the gate, energy and time — with the changes that matter first. Deltas are B − A.
 */
import { relative, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { RmlInputError } from '../core/errors';
import { compareRuns, loadRunSide, type Better, type RunComparison } from '../core/report/compare';
import { metricLabel } from '../core/report/view-model';
import { formatEnergy, formatMass } from '../core/sustainability/format';
import { colors, num, table } from './format';
import { EXIT, type Io } from './io';

export async function compareCommand(args: string[], io: Io): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      json: { type: 'boolean', default: false },
      root: { type: 'string' },
    },
  });
  if (positionals.length !== 2) throw new RmlInputError(`compare takes two runs (run folders or configs), got ${positionals.length}: rml compare <runA> <runB>`);
  const root = resolve(io.cwd, values.root ?? '.');
  const [a, b] = await Promise.all(positionals.map((p) => loadRunSide(resolve(io.cwd, p), { root })));
  const c = compareRuns(a, b);
  io.out(values.json ? JSON.stringify(c, null, 2) + '\n' : formatComparison(c, io) + '\n');
  return EXIT.ok;
}

function delta(x: number | null, digits = 3): string {
  if (x === null) return 'n/a';
  if (x === 0) return '0';
  return `${x > 0 ? '+' : '−'}${Math.abs(x).toFixed(digits)}`;
}

function mark(better: Better, matters: boolean, c: ReturnType<typeof colors>): string {
  if (!matters) return '';
  if (better === 'b') return c.green('★ better');
  if (better === 'a') return c.red('★ worse');
  return c.yellow('★ changed');
}

/** The human report (exported for tests). */
export function formatComparison(cmp: RunComparison, io: Pick<Io, 'cwd' | 'tty'>): string {
  const c = colors(io.tty && !process.env.NO_COLOR);
  const name = (dir: string | null, n: string) => (dir ? relative(io.cwd, dir) || dir : n);
  const lines: string[] = [
    c.bold('Runs'),
    table([
      ['', 'run', 'finished', 'seed', 'backend'],
      ['A', name(cmp.a.dir, cmp.a.name), cmp.a.finishedAt, String(cmp.a.seed), cmp.a.backend],
      ['B', name(cmp.b.dir, cmp.b.name), cmp.b.finishedAt, String(cmp.b.seed), cmp.b.backend],
    ]),
    '',
    c.bold('What matters'),
    ...(cmp.highlights.length > 0 ? cmp.highlights.map((h) => `  ★ ${h}`) : ['  Nothing changed beyond the thresholds below.']),
    '',
    c.bold(`Config changes (${cmp.config.source})`),
    ...(cmp.config.changes.length > 0
      ? [table([['key', 'A', 'B'], ...cmp.config.changes.map((x) => [x.path, x.a ?? '(absent)', x.b ?? '(absent)'])])]
      : ['  None.']),
    c.dim(`  ${cmp.config.note}`),
    '',
  ];
  if (cmp.metrics.length > 0) {
    lines.push(c.bold('Test metrics'), table([['metric', 'A', 'B', 'B − A', ''], ...cmp.metrics.map((m) => [metricLabel(m.metric), num(m.a), num(m.b), delta(m.delta), mark(m.better, m.matters, c)])]), '');
  }
  if (cmp.disparities.length > 0) {
    lines.push(
      c.bold('Fairness'),
      table([
        ['column', 'disparity', 'A', 'B', 'B − A', ''],
        ...cmp.disparities.map((d) => [d.column, metricLabel(d.metric), num(d.a), num(d.b), delta(d.delta), `${mark(d.better, d.matters, c)}${d.matters && d.withinIntervalA ? c.dim(' (within A\'s interval)') : ''}`]),
      ]),
      '',
    );
  }
  const gate = (g: boolean | null) => (g === null ? 'no limits' : g ? 'passed' : 'FAILED');
  lines.push(`${c.bold('Fairness gate')}  A ${gate(cmp.gate.a)} · B ${gate(cmp.gate.b)}`, '');
  const e = cmp.energy;
  const j = (x: number | null) => (x === null ? 'not recorded' : formatEnergy(x));
  const g = (x: number | null) => (x === null ? 'not recorded' : formatMass(x));
  lines.push(
    c.bold(`Energy and time (${e.basis === 'none' ? 'energy not recorded' : e.basis})`),
    table([
      ['', 'A', 'B', 'B ÷ A'],
      ['energy', j(e.aJoules), j(e.bJoules), e.ratio === null ? 'n/a' : `×${e.ratio.toFixed(2)}`],
      ['CO₂e', g(e.aCo2eGrams), g(e.bCo2eGrams), ''],
      ['wall time', `${e.aSeconds.toFixed(2)} s`, `${e.bSeconds.toFixed(2)} s`, e.aSeconds > 0 ? `×${(e.bSeconds / e.aSeconds).toFixed(2)}` : 'n/a'],
    ]),
    c.dim(`  ${e.note}`),
    '',
  );
  if (cmp.warnings.length > 0) lines.push(c.bold('Warnings'), ...cmp.warnings.map((w) => `  ${c.yellow('!')} ${w}`), '');
  const t = cmp.thresholds;
  lines.push(c.dim(`★ = matters: a 0–1 metric moved ≥ ${t.metric}, an error metric ≥ ${t.relativeError * 100}%, a disparity ≥ ${t.disparity} or across its limit, energy ≥ ${t.energy * 100}%.`));
  return lines.join('\n');
}
