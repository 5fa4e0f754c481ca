/**
 * The lint's entry points: one config file, one unsaved config text, or every config under some
 * paths. Each parses and validates the config (problems become RML100/RML101 findings), resolves
 * the lint settings (RML103), reads a cached, seeded sample of the data (RML102 when it can't),
 * runs every enabled rule, and applies subsumption, severity overrides and a stable order.
 * No input makes it throw: bad configs and bad data are findings. It throws only for bad
 * options (a ThresholdError), a cancellation (RmlCancelledError), or a bug.
 */
import { promises as fsp } from 'node:fs';
import * as path from 'node:path';
import { MAX_CONFIG_BYTES, parseConfigText, validateConfigText } from '../config';
import { RmlCancelledError, RmlInputError, type SourceLocation } from '../errors';
import { VERSION } from '../version';
import { cachedSample, readResults, resultsKey, writeResults } from './cache';
import { LintContext } from './context';
import { discoverConfigs } from './discover';
import { CONFIG_SCHEMA, CONFIG_SYNTAX, DATA_UNREADABLE, LINT_SETTINGS, RULE_IDS, RULES, RULES_BY_ID, SUBSUMED_BY } from './registry';
import { sampleColumn, sampleToDataset } from './sample';
import type { Column } from '../data/types';
import { effectiveSeverity, resolveSettings } from './settings';
import type { Finding, LintOptions, Range, RuleMeta, SeverityOverride } from './types';

/**
 * Lint a training config file and the data it references.
 * @param file the config (`*.rml.yaml`, `*.rml.yml`, `*.rml.json`)
 * @returns the findings, sorted by file, position and rule
 * @throws ThresholdError for bad `opts.thresholds` / `opts.rules`; RmlCancelledError when cancelled
 */
export async function lintConfigFile(file: string, opts: LintOptions): Promise<Finding[]> {
  const abs = path.resolve(file);
  let text: string;
  try {
    const st = await fsp.stat(abs);
    if (st.isDirectory()) return [problem(CONFIG_SYNTAX, abs, `cannot read config file '${abs}': it is a directory`)];
    if (st.size > MAX_CONFIG_BYTES) return [problem(CONFIG_SYNTAX, abs, `config file is too large (${st.size} bytes; the limit is ${MAX_CONFIG_BYTES} bytes, 1 MB)`)];
    text = new TextDecoder('utf-8', { fatal: true }).decode(await fsp.readFile(abs));
  } catch (err) {
    const code = (err as { code?: unknown } | null)?.code;
    const reason = code === 'ENOENT' ? 'no such file' : code === 'EACCES' || code === 'EPERM' ? 'permission denied' : err instanceof TypeError ? 'it is not valid UTF-8 text' : String(err);
    return finalize([problem(CONFIG_SYNTAX, abs, `cannot read config file '${abs}': ${reason}`)], opts.rules ?? {}, {});
  }
  return lintConfigText(text, abs, opts);
}

/**
 * Lint config text that may not be saved (an editor buffer) and the data it references.
 * @param text the config's content
 * @param file the config's path: chooses YAML or JSON, and `data.path` is relative to its folder
 */
export async function lintConfigText(text: string, file: string, opts: LintOptions): Promise<Finding[]> {
  const abs = path.resolve(file);
  const cliRules = opts.rules ?? {};
  const parsed = parseConfigText(text, abs);
  if (parsed.errors.length > 0) {
    return finalize(parsed.errors.map((e) => problem(CONFIG_SYNTAX, abs, e.message, e.location)), cliRules, {});
  }
  const checked = validateConfigText(text, abs, { root: opts.root });
  const config = checked.config;
  if (!config) {
    return finalize(checked.errors.map((e) => problem(CONFIG_SCHEMA, abs, e.message, e.location)), cliRules, {});
  }
  const rawFairness = (config.raw as { fairness?: { minGroupSize?: unknown } }).fairness;
  const settings = resolveSettings((config.raw as { lint?: unknown }).lint, RULE_IDS, {
    thresholds: opts.thresholds,
    rules: opts.rules,
    minGroupSize: typeof rawFairness?.minGroupSize === 'number' ? rawFairness.minGroupSize : undefined,
  });
  const ctx = new LintContext(config, text, settings.thresholds, opts.now ?? new Date());
  const findings: Finding[] = settings.problems.map((p) => ctx.finding(LINT_SETTINGS, { at: ctx.entryRange(p.path), message: p.message, data: { path: p.path } }));

  const enabled = (meta: RuleMeta) =>
    effectiveSeverity(meta.id, meta.defaultSeverity, undefined, settings.rules, {}) !== 'off' ||
    Object.values(settings.columns).some((c) => c[meta.id] !== undefined && c[meta.id] !== 'off');
  const active = RULES.filter((r) => enabled(r.meta));

  // The data sample, when a rule needs it.
  let sampleKey: string | undefined;
  if (active.some((r) => r.meta.scope === 'data') || enabled(RULES_BY_ID.get('RML010') as RuleMeta)) {
    const d = config.data;
    try {
      const { sample, source, key } = await cachedSample(
        d.resolvedPath,
        {
          delimiter: d.delimiter,
          encoding: d.encoding,
          sampleRows: settings.thresholds.sampleRows,
          seed: settings.thresholds.sampleSeed,
          duplicateColumns: (names) => names, // whole records (RML012)
          signal: opts.signal,
        },
        opts.cache,
        abs,
      );
      // The typed columns are built on first use: with the data rules' findings reused from the
      // results cache, nothing may need them.
      let ds: ReturnType<typeof sampleToDataset> | undefined;
      const single = new Map<string, Column | undefined>();
      ctx.data = {
        sample,
        get ds() {
          ds ??= sampleToDataset(sample, d.missing);
          return ds;
        },
        columnNamed(name: string) {
          if (ds) return ds.byName.get(name);
          if (!single.has(name)) single.set(name, sampleColumn(sample, name, d.missing));
          return single.get(name);
        },
        totalRows: sample.totalRows,
        sampled: sample.rows.length < sample.totalRows,
        source,
      };
      sampleKey = key;
    } catch (err) {
      if (err instanceof RmlCancelledError || !(err instanceof RmlInputError)) throw err;
      const related = err.location && err.location.file !== abs ? [{ ...toRange(err.location), message: 'where the data file goes wrong' }] : undefined;
      findings.push(
        ctx.finding(DATA_UNREADABLE, {
          at: ctx.valueRange(['data', 'path']),
          message: `The data file can't be read: ${err.message}. Training would stop here, and the data rules could not run.`,
          ...(related ? { related } : {}),
          data: { file: d.resolvedPath },
        }),
      );
    }
  }

  if (ctx.data) {
    const present = new Set(ctx.columns);
    for (const col of Object.keys(settings.columns)) {
      if (!present.has(col)) {
        findings.push(
          ctx.finding(LINT_SETTINGS, {
            at: ctx.config.sourceMap.keyRange(['lint', 'columns', col]) ? ctx.range(ctx.config.sourceMap.keyRange(['lint', 'columns', col]) as SourceLocation) : ctx.anchor(['lint', 'columns']),
            message: `lint.columns names column '${col}', which is not in the data file's header; its settings apply to nothing`,
            data: { path: ['lint', 'columns', col] },
          }),
        );
      }
    }
  }

  // The data rules' findings depend only on the config text, the sample and the settings: with
  // the results cache on, an unchanged config and data file reuse them (config and run rules,
  // which read the clock, run records and model cards, always run).
  const dataRules = active.filter((r) => r.meta.scope === 'data').map((r) => r.meta.id);
  const c = opts.cache;
  const key =
    ctx.data && sampleKey !== undefined && c && c.results === true && c.disk !== false
      ? await resultsKey({ version: VERSION, configFile: abs, text, root: path.resolve(opts.root), sampleKey, settings, rules: dataRules })
      : undefined;
  const reused = key !== undefined ? await readResults(abs, key) : undefined;
  const fromData: Finding[] = [];
  for (const rule of active) {
    if (opts.signal?.aborted) throw new RmlCancelledError();
    if (rule.meta.scope === 'data' && (!ctx.data || reused)) continue;
    try {
      const found = await rule.check(ctx);
      (rule.meta.scope === 'data' ? fromData : findings).push(...found);
    } catch (err) {
      if (err instanceof RmlCancelledError) throw err;
      const e = err instanceof Error ? err : new Error(String(err));
      e.message = `lint rule ${rule.meta.id} (${rule.meta.name}) failed on ${abs}: ${e.message}`;
      throw e;
    }
  }
  if (key !== undefined && !reused) await writeResults(abs, key, fromData);
  findings.push(...(reused ?? fromData));
  return finalize(findings, settings.rules, settings.columns);
}

/** What {@link lintWorkspace} found. */
export interface WorkspaceLintResult {
  /** The config files linted, sorted. */
  configs: string[];
  /** Every finding, sorted by file, position and rule; identical findings from two configs sharing a data file appear once. */
  findings: Finding[];
}

/**
 * Discover the training configs under `paths` (files are taken as given; folders are searched,
 * skipping `node_modules`, `.rml` and `.git`) and lint each.
 * @throws RmlInputError when a path does not exist or a named file is not a training config
 */
export async function lintWorkspace(paths: readonly string[], opts: LintOptions): Promise<WorkspaceLintResult> {
  const configs = await discoverConfigs(paths);
  const all: Finding[] = [];
  for (const c of configs) {
    if (opts.signal?.aborted) throw new RmlCancelledError();
    all.push(...(await lintConfigFile(c, opts)));
  }
  return { configs, findings: sortFindings(dedupe(all)) };
}

/**
 * Apply severity overrides: `rules` maps a rule id to a severity or `off` (dropping its findings);
 * `columns` does the same for findings on one dataset column and wins over `rules`.
 */
export function applySeverityOverrides(
  findings: readonly Finding[],
  rules: Readonly<Record<string, SeverityOverride>>,
  columns: Readonly<Record<string, Readonly<Record<string, SeverityOverride>>>> = {},
): Finding[] {
  const out: Finding[] = [];
  for (const f of findings) {
    const sev = effectiveSeverity(f.ruleId, f.severity, f.column, rules as Record<string, SeverityOverride>, columns as Record<string, Record<string, SeverityOverride>>);
    if (sev === 'off') continue;
    out.push(sev === f.severity ? f : { ...f, severity: sev });
  }
  return out;
}

/** Findings in a stable order: file, line, column, rule id, dataset column, message. */
export function sortFindings(findings: Finding[]): Finding[] {
  return findings.sort(
    (a, b) =>
      cmp(a.file, b.file) ||
      a.line - b.line ||
      a.startColumn - b.startColumn ||
      cmp(a.ruleId, b.ruleId) ||
      cmp(a.column ?? '', b.column ?? '') ||
      cmp(a.message, b.message),
  );
}

// ---------------------------------------------------------------------------------------------

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function finalize(findings: Finding[], rules: Record<string, SeverityOverride>, columns: Record<string, Record<string, SeverityOverride>>): Finding[] {
  const kept = applySeverityOverrides(findings, rules, columns);
  // Drop a finding another rule's finding on the same column makes redundant.
  const byColumn = new Set(kept.filter((f) => f.column !== undefined).map((f) => `${f.ruleId}\u0000${f.file}\u0000${f.column}`));
  const filtered = kept.filter((f) => {
    const over = SUBSUMED_BY[f.ruleId];
    if (!over || f.column === undefined) return true;
    return !over.some((id) => byColumn.has(`${id}\u0000${f.file}\u0000${f.column}`));
  });
  return sortFindings(dedupe(filtered));
}

function dedupe(findings: Finding[]): Finding[] {
  const seen = new Set<string>();
  return findings.filter((f) => {
    const key = JSON.stringify([f.ruleId, f.file, f.line, f.startColumn, f.endLine, f.endColumn, f.column ?? '', f.message]);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

function toRange(loc: SourceLocation): Range {
  return { file: loc.file, line: loc.line, startColumn: loc.column, endLine: loc.endLine ?? loc.line, endColumn: loc.endColumn ?? loc.column };
}

/** A config problem finding (RML100/RML101), on the error's location or the first line. */
function problem(meta: RuleMeta, file: string, message: string, location?: SourceLocation): Finding {
  const at = location ? toRange(location) : { file, line: 1, startColumn: 1, endLine: 1, endColumn: 1 };
  return { ruleId: meta.id, ruleName: meta.name, severity: meta.defaultSeverity, message, ...at };
}
