/**
 * `rml lint [paths...]`: find the training configs under the paths, lint each with its data, and
 * print the findings as compiler-style text, JSON or SARIF 2.1.0.
 *
 * Exit codes: 0 no finding at or above --fail-on (default error) · 1 findings at that level ·
 * 2 bad input (unknown option, missing path, a named file that is not a config, no config found,
 * a bad --rule or --threshold). A config that does not parse is a finding (RML100), not bad input.
 */
import { promises as fsp } from 'node:fs';
import { dirname, relative, resolve } from 'node:path';
import { randomBytes } from 'node:crypto';
import { parseArgs } from 'node:util';
import { RmlInputError } from '../core/errors';
import { lintWorkspace, RULE_IDS, RULES_BY_ID, THRESHOLDS, ThresholdError, toSarif, type Finding, type Severity, type SeverityOverride } from '../core/lint';
import { colors } from './format';
import { EXIT, type Io } from './io';

const FORMATS = ['text', 'json', 'sarif'] as const;
const FAIL_ON = ['error', 'warning', 'info', 'never'] as const;
const RANK: Record<Severity, number> = { info: 1, warning: 2, error: 3 };

export const LINT_USAGE = `Usage: rml lint [paths...] [options]

Lint the training configs (*.rml.json, *.rml.yaml, *.rml.yml) under the paths (default: the
current folder; node_modules, .rml and .git are skipped) and the data they reference.

Options:
  --format text|json|sarif     output format (default text)
  --fail-on error|warning|info|never
                               exit with 1 when a finding is at or above this level (default error)
  --root DIR                   workspace root: data paths must stay inside it, SARIF paths are
                               relative to it (default: the current folder)
  --rule RMLxxx=SEVERITY       set a rule's severity (off, error, warning, info); repeatable
  --threshold NAME=VALUE       set a lint threshold (see docs/rules.md); repeatable
  --output FILE, -o FILE       write the report to FILE instead of standard output
  --no-cache                   draw the data samples afresh (no .rml/cache)
  --quiet, -q                  text format: errors only

Exit codes: 0 nothing at the --fail-on level, 1 findings at that level, 2 bad input.`;

/** Run `rml lint`; resolves to the exit code. */
export async function lintCommand(args: string[], io: Io): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      format: { type: 'string', default: 'text' },
      'fail-on': { type: 'string', default: 'error' },
      root: { type: 'string' },
      rule: { type: 'string', multiple: true, default: [] },
      threshold: { type: 'string', multiple: true, default: [] },
      output: { type: 'string', short: 'o' },
      'no-cache': { type: 'boolean', default: false },
      quiet: { type: 'boolean', short: 'q', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    io.out(LINT_USAGE + '\n');
    return EXIT.ok;
  }
  const format = values.format as (typeof FORMATS)[number];
  if (!FORMATS.includes(format)) throw new RmlInputError(`--format must be one of ${FORMATS.join(', ')} (got '${values.format}')`);
  const failOn = values['fail-on'] as (typeof FAIL_ON)[number];
  if (!FAIL_ON.includes(failOn)) throw new RmlInputError(`--fail-on must be one of ${FAIL_ON.join(', ')} (got '${values['fail-on']}')`);
  const rules = parseRules(values.rule ?? []);
  const thresholds = parseThresholds(values.threshold ?? []);
  const root = resolve(io.cwd, values.root ?? '.');
  const paths = (positionals.length > 0 ? positionals : ['.']).map((p) => resolve(io.cwd, p));

  let result;
  try {
    result = await lintWorkspace(paths, { root, rules, thresholds, cache: values['no-cache'] ? false : { memory: true, disk: true, results: true } });
  } catch (e) {
    if (e instanceof ThresholdError) throw new RmlInputError(e.message);
    throw e;
  }
  if (result.configs.length === 0) {
    throw new RmlInputError(`no training configs (*.rml.json, *.rml.yaml, *.rml.yml) found under ${positionals.length > 0 ? positionals.join(', ') : io.cwd}`);
  }
  const findings = result.findings;

  let report: string;
  if (format === 'json') report = JSON.stringify(findings.map(jsonFinding), null, 2) + '\n';
  else if (format === 'sarif') report = JSON.stringify(toSarif(findings, root), null, 2) + '\n';
  else {
    const shown = values.quiet ? findings.filter((f) => f.severity === 'error') : findings;
    report = textReport(shown, result.configs.length, io.cwd, colors(io.tty && !values.output && !process.env.NO_COLOR));
  }
  if (values.output) await writeAtomically(resolve(io.cwd, values.output), report);
  else io.out(report);

  if (failOn === 'never') return EXIT.ok;
  const limit = RANK[failOn];
  return findings.some((f) => RANK[f.severity] >= limit) ? 1 : EXIT.ok;
}

/** The documented JSON shape: the finding with its help link (paths absolute). */
function jsonFinding(f: Finding): Record<string, unknown> {
  return {
    ruleId: f.ruleId,
    ruleName: f.ruleName,
    severity: f.severity,
    message: f.message,
    file: f.file,
    line: f.line,
    startColumn: f.startColumn,
    endLine: f.endLine,
    endColumn: f.endColumn,
    ...(f.column !== undefined ? { column: f.column } : {}),
    helpUri: RULES_BY_ID.get(f.ruleId)?.helpUri,
    ...(f.related ? { related: f.related } : {}),
    ...(f.fixes ? { fixes: f.fixes } : {}),
    ...(f.data ? { data: f.data } : {}),
  };
}

/**
 * Compiler-style text: `file:line:col severity RMLxxx message`, grouped by file (a blank line
 * between files), paths relative to the current folder, then a summary line.
 */
export function textReport(findings: readonly Finding[], configs: number, cwd: string, c: ReturnType<typeof colors>): string {
  const lines: string[] = [];
  let last: string | undefined;
  const sev = (s: Severity) => (s === 'error' ? c.red('error') : s === 'warning' ? c.yellow('warning') : c.cyan('info'));
  for (const f of findings) {
    const file = relative(cwd, f.file) || f.file;
    if (last !== undefined && last !== f.file) lines.push('');
    last = f.file;
    lines.push(`${c.bold(`${file}:${f.line}:${f.startColumn}`)} ${sev(f.severity)} ${c.dim(f.ruleId)} ${f.message}`);
  }
  const n = (s: Severity) => findings.filter((f) => f.severity === s).length;
  const plural = (k: number, w: string) => `${k} ${w}${k === 1 ? '' : 's'}`;
  const where = plural(configs, 'config');
  if (findings.length === 0) {
    lines.push(c.green(`✔ no problems in ${where}`));
  } else {
    if (lines.length > 0) lines.push('');
    const fixable = findings.filter((f) => f.fixes && f.fixes.length > 0).length;
    const summary = `✖ ${plural(findings.length, 'problem')} (${plural(n('error'), 'error')}, ${plural(n('warning'), 'warning')}, ${n('info')} info) in ${where}`;
    lines.push(n('error') > 0 ? c.red(summary) : c.yellow(summary));
    if (fixable > 0) lines.push(c.dim(`  ${fixable} with a quick fix in the editor; see docs/rules.md for every rule`));
  }
  return lines.join('\n') + '\n';
}

function parseRules(list: string[]): Record<string, SeverityOverride> {
  const out: Record<string, SeverityOverride> = {};
  for (const item of list) {
    const m = /^\s*([A-Za-z0-9-]+)\s*[=:]\s*(off|error|warning|info)\s*$/.exec(item);
    if (!m) throw new RmlInputError(`--rule takes RMLxxx=off|error|warning|info (got '${item}')`);
    const id = m[1].toUpperCase();
    if (!RULE_IDS.has(id)) throw new RmlInputError(`--rule: unknown rule '${m[1]}'; rules are ${[...RULE_IDS].join(', ')}`);
    out[id] = m[2] as SeverityOverride;
  }
  return out;
}

function parseThresholds(list: string[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const item of list) {
    const m = /^\s*([A-Za-z][A-Za-z0-9]*)\s*[=:]\s*(\S+)\s*$/.exec(item);
    if (!m) throw new RmlInputError(`--threshold takes NAME=VALUE (got '${item}')`);
    if (!(m[1] in THRESHOLDS)) throw new RmlInputError(`--threshold: unknown threshold '${m[1]}'; thresholds are ${Object.keys(THRESHOLDS).join(', ')}`);
    const v = Number(m[2]);
    if (!Number.isFinite(v)) throw new RmlInputError(`--threshold ${m[1]} must be a number (got '${m[2]}')`);
    out[m[1]] = v;
  }
  return out;
}

async function writeAtomically(file: string, text: string): Promise<void> {
  await fsp.mkdir(dirname(file), { recursive: true });
  const tmp = `${file}.tmp-${randomBytes(4).toString('hex')}`;
  try {
    await fsp.writeFile(tmp, text);
    await fsp.rename(tmp, file);
  } catch (e) {
    await fsp.rm(tmp, { force: true });
    throw new RmlInputError(`cannot write ${file}: ${e instanceof Error ? e.message : String(e)}`);
  }
}
