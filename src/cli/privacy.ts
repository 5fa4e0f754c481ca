/**
 * `rml privacy <csv> --quasi age,zip,sex [--sensitive S] [--k 5] [--l L] [--json]` (alias `rml kanon`):
 * k-anonymity, l-diversity and the generalisation that reaches a target k.
 *
 * `rml epsilon --noise-multiplier σ (--sample-rate q --steps T | --rows n --batch-size B --epochs E) --delta δ [--json]`:
 * the (ε, δ) of DP-SGD from the RDP accountant (or, with --target-epsilon, the noise it needs).
 */
import { parseArgs } from 'node:util';
import { relative, resolve } from 'node:path';
import { readCsv } from '../core/data';
import { RmlInputError } from '../core/errors';
import {
  analyzeKAnonymity,
  computeEpsilon,
  K_ANONYMITY_DEFAULTS,
  loadAnonymizationConfig,
  noiseMultiplierForEpsilon,
  type AnonymizationConfig,
  type ClassListing,
  type GeneralizationNode,
  type KAnonymityResult,
  type QiType,
  type QuasiIdentifierSpec,
  type RdpConversion,
} from '../core/privacy';
import { stringify as toYaml } from 'yaml';
import { colors, num, table } from './format';
import { EXIT, type Io } from './io';

export const PRIVACY_USAGE =
  'rml privacy <csv> --quasi COL[:type],… [--sensitive COL] [--k 5] [--l L] [--max-suppression 0.01] [--metric precision|discernibility] [--config anon.yaml] [--no-search] [--top 5] [--json]';
export const EPSILON_USAGE =
  'rml epsilon (--noise-multiplier σ | --target-epsilon ε) (--sample-rate q --steps T | --rows n --batch-size B --epochs E) --delta δ [--conversion improved|standard] [--json]';

const QI_TYPES: readonly QiType[] = ['age', 'number', 'zip', 'date', 'categorical'];

export async function privacyCommand(args: string[], io: Io): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      quasi: { type: 'string', short: 'q', multiple: true },
      sensitive: { type: 'string', short: 's' },
      k: { type: 'string' },
      l: { type: 'string' },
      'max-suppression': { type: 'string' },
      metric: { type: 'string' },
      config: { type: 'string', short: 'c' },
      'no-search': { type: 'boolean', default: false },
      top: { type: 'string' },
      json: { type: 'boolean', default: false },
      delimiter: { type: 'string' },
      encoding: { type: 'string' },
    },
  });
  if (positionals.length !== 1) throw new RmlInputError(`privacy takes exactly one CSV file (got ${positionals.length}): ${PRIVACY_USAGE}`);
  const config: AnonymizationConfig | undefined = values.config ? await loadAnonymizationConfig(resolve(io.cwd, values.config)) : undefined;
  const target = config?.kAnonymity ?? {};
  const quasi = quasiSpecs(values.quasi ?? [], config);
  if (quasi.length === 0) throw new RmlInputError(`privacy needs the quasi-identifiers: --quasi age,zip,sex (or quasiIdentifiers in --config): ${PRIVACY_USAGE}`);
  const metric = values.metric ?? target.metric ?? K_ANONYMITY_DEFAULTS.metric;
  if (metric !== 'precision' && metric !== 'discernibility') throw new RmlInputError(`--metric must be precision or discernibility (got '${metric}')`);
  const encoding = values.encoding ?? config?.read.encoding;
  if (encoding !== undefined && encoding !== 'utf-8' && encoding !== 'latin1' && encoding !== 'utf-16le') throw new RmlInputError(`--encoding must be one of utf-8, latin1, utf-16le (got '${encoding}')`);

  const file = resolve(io.cwd, positionals[0]);
  const ds = await readCsv(file, { delimiter: values.delimiter ?? config?.read.delimiter, encoding, missing: config ? [...config.plan.missing] : undefined });
  const result = analyzeKAnonymity(ds, quasi, {
    k: values.k !== undefined ? integer('--k', values.k) : target.k,
    l: values.l !== undefined ? integer('--l', values.l) : target.l,
    sensitive: values.sensitive ?? target.sensitive,
    maxSuppression: values['max-suppression'] !== undefined ? share('--max-suppression', values['max-suppression']) : target.maxSuppression,
    metric,
    search: !values['no-search'],
    smallest: values.top !== undefined ? integer('--top', values.top) : undefined,
  });
  if (values.json) io.out(JSON.stringify({ file, ...result }, null, 2) + '\n');
  else io.out(privacyText(file, result, io.cwd, colors(io.tty && !process.env.NO_COLOR)) + '\n');
  return EXIT.ok;
}

/** `--quasi age,zip:zip,sex` (repeatable), with the config's hierarchies for the columns it describes. */
function quasiSpecs(flags: string[], config?: AnonymizationConfig): QuasiIdentifierSpec[] {
  const fromConfig = new Map((config?.quasiIdentifiers ?? []).map((q) => [q.column, q]));
  const items = flags.flatMap((f) => f.split(',')).map((s) => s.trim()).filter((s) => s.length > 0);
  if (items.length === 0) return config?.quasiIdentifiers ?? [];
  return items.map((item) => {
    const colon = item.lastIndexOf(':');
    const type = colon > 0 ? item.slice(colon + 1) : undefined;
    if (type !== undefined && (QI_TYPES as readonly string[]).includes(type)) {
      const column = item.slice(0, colon);
      return { ...(fromConfig.get(column) ?? {}), column, type: type as QiType };
    }
    return fromConfig.get(item) ?? { column: item };
  });
}

function integer(flag: string, v: string): number {
  const n = Number(v);
  if (!Number.isInteger(n)) throw new RmlInputError(`${flag} must be a whole number (got '${v}')`);
  return n;
}

function share(flag: string, v: string): number {
  const n = v.endsWith('%') ? Number(v.slice(0, -1)) / 100 : Number(v);
  if (!Number.isFinite(n)) throw new RmlInputError(`${flag} must be a share like 0.01 or 1% (got '${v}')`);
  return n;
}

function pct(v: number): string {
  return `${(100 * v).toFixed(v > 0 && v < 0.001 ? 2 : 1)}%`;
}

function classTable(classes: ClassListing[], columns: string[], withSensitive: boolean): string {
  const rows: string[][] = [['size', ...columns, ...(withSensitive ? ['distinct sensitive'] : [])]];
  for (const c of classes) rows.push([String(c.size), ...columns.map((q) => c.values[q] ?? ''), ...(withSensitive ? [String(c.distinctSensitive ?? '')] : [])]);
  return table(rows, { indent: '    ' });
}

function describeNode(n: GeneralizationNode): string {
  return n.levels.map((l) => `${l.column}: ${l.level === 0 ? 'kept' : l.name}`).join(', ');
}

function privacyText(file: string, r: KAnonymityResult, cwd: string, c: ReturnType<typeof colors>): string {
  const lines: string[] = [];
  const columns = r.quasiIdentifiers.map((q) => q.column);
  lines.push(c.bold(`Privacy · ${relative(cwd, file) || file} (${r.rows} rows)`));
  lines.push(`  quasi-identifiers: ${r.quasiIdentifiers.map((q) => `${q.column} (${q.type}${q.inferred ? ', inferred' : ''}${q.pii.length ? `, PII: ${q.pii.join(', ')}` : ''})`).join(', ')}`);
  lines.push('');
  const verdict = r.meetsK ? c.green(`meets k = ${r.targetK}`) : c.red(`below the target k = ${r.targetK}`);
  lines.push(c.bold('k-anonymity') + `  k = ${r.k} (${verdict}); ${r.classes} equivalence classes`);
  if (!r.meetsK) {
    lines.push(`  ${r.rowsBelowK} rows (${pct(r.rowsBelowK / r.rows)}) are in ${r.classesBelowK} classes smaller than ${r.targetK}: ${r.classSizes.map((s) => `${s.classes} of size ${s.size}`).join(', ')}`);
  }
  lines.push(`  smallest classes:`);
  lines.push(classTable(r.smallest, columns, r.lDiversity !== undefined));
  if (r.lDiversity) {
    const l = r.lDiversity;
    lines.push('');
    const lv = l.targetL !== undefined ? ` (${l.meetsL ? c.green(`meets l = ${l.targetL}`) : c.red(`below the target l = ${l.targetL}`)})` : '';
    lines.push(c.bold('l-diversity') + ` of '${l.sensitive}': distinct l = ${l.l}${lv}, entropy l = ${num(l.entropyL, 2)}`);
    if (l.singleValuedClasses > 0) lines.push(`  ${l.singleValuedClasses} classes (${l.rowsInSingleValuedClasses} rows) share a single sensitive value: membership reveals it`);
  }
  const s = r.search;
  if (s) {
    lines.push('');
    const goal = `k = ${s.targetK}${s.targetL !== undefined ? `, l = ${s.targetL}` : ''}`;
    lines.push(c.bold(`Generalization reaching ${goal}`) + c.dim(`  (${s.nodes} lattice nodes searched, suppression ≤ ${pct(s.maxSuppression)} = ${s.suppressionLimit} rows, least ${s.metric} loss)`));
    if (!s.best) {
      lines.push(c.yellow(`  none: no combination of the hierarchies' levels reaches ${goal} with at most ${s.suppressionLimit} rows suppressed; allow more suppression (--max-suppression) or fewer quasi-identifiers`));
    } else {
      const b = s.best;
      lines.push(`  ${describeNode(b)}`);
      lines.push(`  → k = ${b.k}${b.l !== undefined ? `, l = ${b.l}` : ''}, ${b.keptClasses} classes, ${b.suppressedRows} rows suppressed (${pct(b.suppressedShare)}); precision loss ${num(b.precisionLoss, 3)}, discernibility ${b.discernibility}`);
      lines.push('  smallest classes after it:');
      lines.push(classTable(b.smallest, columns, false));
      if (s.alternatives.length) {
        lines.push('  other minimal generalizations:');
        for (const a of s.alternatives) lines.push(`    ${describeNode(a)}  → k = ${a.k}, ${a.suppressedRows} suppressed, precision loss ${num(a.precisionLoss, 3)}`);
      }
      lines.push('  to apply it: rml anonymize <csv> --config <file> --out <new.csv>, with this in the config:');
      for (const line of toYaml(b.plan).trimEnd().split('\n')) lines.push(`    ${line}`);
    }
  }
  lines.push('');
  for (const n of r.notes) lines.push(c.dim(`note: ${n}`));
  return lines.join('\n');
}

// ---------------------------------------------------------------------------------------------
// rml epsilon

export async function epsilonCommand(args: string[], io: Io): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      'noise-multiplier': { type: 'string' },
      'target-epsilon': { type: 'string' },
      'sample-rate': { type: 'string' },
      steps: { type: 'string' },
      rows: { type: 'string' },
      'batch-size': { type: 'string' },
      epochs: { type: 'string' },
      delta: { type: 'string' },
      conversion: { type: 'string', default: 'improved' },
      json: { type: 'boolean', default: false },
    },
  });
  if (positionals.length > 0) throw new RmlInputError(`epsilon takes options only: ${EPSILON_USAGE}`);
  const number = (flag: string, v: string | undefined): number | undefined => {
    if (v === undefined) return undefined;
    const n = Number(v);
    if (!Number.isFinite(n)) throw new RmlInputError(`--${flag} must be a number (got '${v}')`);
    return n;
  };
  const sigma = number('noise-multiplier', values['noise-multiplier']);
  const targetEpsilon = number('target-epsilon', values['target-epsilon']);
  const delta = number('delta', values.delta);
  if (delta === undefined) throw new RmlInputError(`epsilon needs --delta (e.g. 1e-5, below 1/rows): ${EPSILON_USAGE}`);
  if (!(delta > 0 && delta < 1)) throw new RmlInputError(`--delta must be in (0, 1) (got ${delta})`);
  if ((sigma === undefined) === (targetEpsilon === undefined)) throw new RmlInputError(`epsilon needs exactly one of --noise-multiplier and --target-epsilon: ${EPSILON_USAGE}`);
  const conversion = values.conversion as RdpConversion;
  if (conversion !== 'improved' && conversion !== 'standard') throw new RmlInputError(`--conversion must be improved or standard (got '${values.conversion}')`);

  let sampleRate = number('sample-rate', values['sample-rate']);
  let steps = number('steps', values.steps);
  const rows = number('rows', values.rows);
  const batch = number('batch-size', values['batch-size']);
  const epochs = number('epochs', values.epochs);
  if (rows !== undefined || batch !== undefined || epochs !== undefined) {
    if (rows === undefined || batch === undefined || epochs === undefined) throw new RmlInputError('--rows, --batch-size and --epochs go together');
    if (!(Number.isInteger(rows) && rows > 0 && Number.isInteger(batch) && batch > 0 && Number.isInteger(epochs) && epochs >= 0)) {
      throw new RmlInputError('--rows and --batch-size must be whole numbers > 0, --epochs a whole number ≥ 0');
    }
    if (sampleRate !== undefined || steps !== undefined) throw new RmlInputError('give either --sample-rate and --steps, or --rows, --batch-size and --epochs');
    sampleRate = Math.min(1, batch / rows);
    steps = epochs * Math.ceil(rows / batch);
  }
  if (sampleRate === undefined || steps === undefined) throw new RmlInputError(`epsilon needs --sample-rate and --steps, or --rows, --batch-size and --epochs: ${EPSILON_USAGE}`);
  if (!(sampleRate >= 0 && sampleRate <= 1)) throw new RmlInputError(`the sample rate must be in [0, 1] (got ${sampleRate})`);
  if (!(Number.isInteger(steps) && steps >= 0)) throw new RmlInputError(`--steps must be a whole number ≥ 0 (got ${steps})`);
  if (sigma !== undefined && !(sigma > 0)) throw new RmlInputError(`--noise-multiplier must be > 0 (got ${sigma})`);

  const noiseMultiplier = sigma ?? noiseMultiplierForEpsilon({ targetEpsilon: targetEpsilon!, sampleRate, steps, delta, conversion });
  const r = computeEpsilon({ noiseMultiplier, sampleRate, steps, delta, conversion });
  const doc = {
    epsilon: Number.isFinite(r.epsilon) ? r.epsilon : null,
    delta,
    noiseMultiplier,
    noiseMultiplierSource: sigma !== undefined ? 'given' : 'targetEpsilon',
    sampleRate,
    steps,
    optimalOrder: r.optimalOrder,
    atBoundary: r.atBoundary,
    accountant: 'rdp',
    conversion,
    assumptions: 'Poisson sampling at rate q, add-or-remove-one-example neighbours, every step released',
  };
  if (values.json) {
    io.out(JSON.stringify(doc, null, 2) + '\n');
  } else {
    const lines = [
      `ε = ${num(r.epsilon, 4, '∞')} at δ = ${delta}  (RDP accountant, ${conversion} conversion, best order α = ${r.optimalOrder})`,
      `  noise multiplier ${sigma !== undefined ? noiseMultiplier : `${num(noiseMultiplier, 4)} (the smallest reaching ε ≤ ${targetEpsilon})`}, sample rate q = ${num(sampleRate, 6)}, ${steps} steps`,
      '  assumes Poisson sampling at rate q and add-or-remove-one-example neighbours; every intermediate model is covered',
    ];
    if (r.atBoundary) lines.push('  note: the best order is at the edge of the orders tried; ε may be slightly overstated');
    io.out(lines.join('\n') + '\n');
  }
  return EXIT.ok;
}
