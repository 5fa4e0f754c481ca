/**
 * `rml anonymize <csv> --out <new.csv> [--config <anon.yaml|json>] [--auto] [--salt-file F] [--force] [--json]`:
 * write a de-identified copy of a CSV file; the original is never changed.
 */
import { parseArgs } from 'node:util';
import { relative, resolve } from 'node:path';
import { RmlInputError } from '../core/errors';
import { defaultPlan, loadAnonymizationConfig, writeAnonymizedCopy, type AnonymizeResult } from '../core/privacy';
import { colors, table } from './format';
import { EXIT, type Io } from './io';

const ENCODINGS = ['utf-8', 'latin1', 'utf-16le'] as const;
type Encoding = (typeof ENCODINGS)[number];

export const ANONYMIZE_USAGE = 'rml anonymize <csv> --out <new.csv> [--config <anon.yaml|json>] [--auto] [--salt-file F] [--force] [--json] [--delimiter D] [--encoding utf-8|latin1|utf-16le]';

export async function anonymizeCommand(args: string[], io: Io): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      config: { type: 'string', short: 'c' },
      out: { type: 'string', short: 'o' },
      'salt-file': { type: 'string' },
      auto: { type: 'boolean', default: false },
      force: { type: 'boolean', default: false },
      json: { type: 'boolean', default: false },
      delimiter: { type: 'string' },
      encoding: { type: 'string' },
    },
  });
  if (positionals.length !== 1) throw new RmlInputError(`anonymize takes exactly one CSV file (got ${positionals.length}): ${ANONYMIZE_USAGE}`);
  if (!values.out) throw new RmlInputError(`anonymize needs --out <new.csv>: it writes a de-identified copy and never changes the original (${ANONYMIZE_USAGE})`);
  if (!values.config && !values.auto) throw new RmlInputError('anonymize needs --config <anon.yaml> (what to do with each column), --auto (mask every column the PII detectors flag), or both');
  if (values.encoding !== undefined && !(ENCODINGS as readonly string[]).includes(values.encoding)) {
    throw new RmlInputError(`--encoding must be one of ${ENCODINGS.join(', ')} (got '${values.encoding}')`);
  }
  const input = resolve(io.cwd, positionals[0]);
  const out = resolve(io.cwd, values.out);
  const config = values.config ? await loadAnonymizationConfig(resolve(io.cwd, values.config)) : undefined;
  const plan = config?.plan ?? defaultPlan();
  const result = await writeAnonymizedCopy(input, plan, out, {
    auto: values.auto,
    force: values.force,
    saltFile: values['salt-file'] !== undefined ? resolve(io.cwd, values['salt-file']) : undefined,
    read: {
      delimiter: values.delimiter ?? config?.read.delimiter,
      encoding: (values.encoding as Encoding | undefined) ?? config?.read.encoding,
    },
    protect: config ? [config.file] : [],
  });
  if (values.json) io.out(JSON.stringify(anonymizeJson(result), null, 2) + '\n');
  else io.out(anonymizeText(result, io.cwd, colors(io.tty && !process.env.NO_COLOR)) + '\n');
  return EXIT.ok;
}

/** The documented `--json` shape (README "rml anonymize"). */
export function anonymizeJson(r: AnonymizeResult) {
  return {
    input: r.input,
    output: r.output,
    rows: r.rows,
    rowsWritten: r.rowsWritten,
    suppressedRows: r.suppressedRows,
    columnsIn: r.columnsIn,
    columnsOut: r.columnsOut,
    columns: r.columns.map((c) => ({
      column: c.column,
      action: c.action,
      description: c.description,
      auto: c.auto,
      changed: c.changed,
      unreadable: c.unreadable,
      missing: c.missing,
      pii: c.pii.map((p) => ({ kind: p.kind, share: round(p.share), ...(p.example !== undefined ? { example: p.example } : {}) })),
    })),
    auto: r.auto,
    residualPii: r.residualPii.map((p) => ({ column: p.column, kind: p.kind, matched: p.matched, checked: p.checked, ...(p.example !== undefined ? { example: p.example } : {}) })),
    salt: r.salt ?? null,
    inputSha256: r.inputSha256,
    outputSha256: r.outputSha256,
    inputUnchanged: r.inputUnchanged,
    warnings: r.warnings,
  };
}

function round(v: number): number {
  return Math.round(v * 1000) / 1000;
}

function anonymizeText(r: AnonymizeResult, cwd: string, c: ReturnType<typeof colors>): string {
  const rel = (p: string) => relative(cwd, p) || p;
  const lines: string[] = [];
  lines.push(c.bold(`De-identified copy: ${rel(r.input)} → ${rel(r.output)}`));
  lines.push(`  ${r.rowsWritten} of ${r.rows} rows written${r.suppressedRows ? ` (${r.suppressedRows} suppressed: rare quasi-identifier combinations)` : ''}, ${r.columnsOut} of ${r.columnsIn} columns`);
  lines.push('');
  const rows: string[][] = [['column', 'action', 'changed', 'PII found (masked example)']];
  for (const col of r.columns) {
    const pii = col.pii.map((p) => `${p.kind}${p.example ? ` ${p.example}` : ''}`).join('; ');
    rows.push([col.column, `${col.description}${col.auto ? ' (auto)' : ''}`, col.action === 'drop' ? '' : String(col.changed), pii]);
  }
  lines.push(table(rows));
  if (r.salt) {
    lines.push('');
    lines.push(`Salt: ${rel(r.salt.file)} (${r.salt.created ? 'created' : 'reused'}). Keep it private and out of version control: with it, pseudonyms are`);
    lines.push('  stable across runs, and anyone holding it can test guesses against them.');
  }
  lines.push('');
  lines.push(c.dim(`Input unchanged (sha256 ${r.inputSha256.slice(0, 16)}…); output sha256 ${r.outputSha256.slice(0, 16)}…`));
  for (const w of r.warnings) lines.push(c.yellow(`warning: ${w}`));
  return lines.join('\n');
}
