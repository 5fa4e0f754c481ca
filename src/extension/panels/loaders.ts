/**
 * What the panels read from disk, without 'vscode' (unit-tested): a run record, the config's
 * fairness thresholds, and the dataset profile with its findings and PII masking. Heavy modules
 * (the config parser, the CSV reader, the lint) load on first use, so activation stays fast.
 */
import { promises as fsp } from 'node:fs';
import * as path from 'node:path';
import type { ColumnProfile, DatasetProfile } from '../../core/data/types';
import type { RunRecord } from '../../core/report/types';
import { PII_RULE, type ColumnFinding, type HostMessage } from '../../protocol/messages';

/** Reads `<dir>/run.json`; throws an Error with a sentence for people when it is missing or malformed. */
export async function loadRun(dir: string): Promise<RunRecord> {
  const file = path.join(dir, 'run.json');
  let text: string;
  try {
    text = await fsp.readFile(file, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new Error(code === 'ENOENT' ? `There is no run record at ${file} (was the run deleted?).` : `Cannot read ${file}: ${(e as Error).message}`);
  }
  let run: unknown;
  try {
    run = JSON.parse(text);
  } catch (e) {
    throw new Error(`${file} is not valid JSON: ${(e as Error).message}`);
  }
  const r = run as Partial<RunRecord> | null;
  if (!r || typeof r !== 'object' || r.schemaVersion !== 1 || typeof r.name !== 'string' || !r.data || !Array.isArray(r.history) || !r.model) {
    throw new Error(`${file} is not a Responsible ML run record (schemaVersion 1).`);
  }
  return r as RunRecord;
}

/** The engine functions the loaders need, loaded on first use (tests pass them directly). */
export interface Engine {
  loadConfig: typeof import('../../core/config').loadConfig;
  readCsv: typeof import('../../core/data').readCsv;
  profileDataset: typeof import('../../core/data').profileDataset;
}

async function engine(): Promise<Engine> {
  const [config, data] = await Promise.all([import('../../core/config'), import('../../core/data')]);
  return { loadConfig: config.loadConfig, readCsv: data.readCsv, profileDataset: data.profileDataset };
}

/** The config's `fairness.thresholds`, or undefined when the config cannot be read or has none. */
export async function loadThresholds(configFile: string, root: string, load: () => Promise<Engine> = engine): Promise<Record<string, number> | undefined> {
  try {
    const { loadConfig } = await load();
    const config = await loadConfig(configFile, { root });
    const t = config.fairness.thresholds;
    return Object.keys(t).length > 0 ? { ...t } : undefined;
  } catch {
    return undefined;
  }
}

/** The mark shown instead of a PII column's values. */
export const MASK = '●●●●';

/**
 * Removes the values of `columns` from a profile: each top value's text becomes {@link MASK}
 * (counts are kept), and numeric summaries (min, max, mean, std, histogram) are dropped, since
 * they are values too. Returns a new profile; the input is not changed.
 */
export function maskProfile(profile: DatasetProfile, columns: readonly string[]): DatasetProfile {
  if (columns.length === 0) return profile;
  const hide = new Set(columns);
  return {
    ...profile,
    columns: profile.columns.map((c): ColumnProfile => {
      if (!hide.has(c.name)) return c;
      return { name: c.name, type: c.type, missing: c.missing, distinct: c.distinct, top: c.top.map((t) => ({ value: MASK, count: t.count })) };
    }),
  };
}

/** Findings with a column, as the data view shows them; undefined severities become 'warning'. */
export function columnFindings(findings: readonly { column?: string; ruleId: string; severity?: string; message: string }[]): ColumnFinding[] {
  const out: ColumnFinding[] = [];
  for (const f of findings) {
    if (!f.column) continue;
    const severity = f.severity === 'error' || f.severity === 'info' ? f.severity : 'warning';
    out.push({ column: f.column, ruleId: f.ruleId, severity, message: f.message });
  }
  return out;
}

/** The columns flagged as personal data (rule RML001). */
export function piiColumns(findings: readonly ColumnFinding[]): string[] {
  return [...new Set(findings.filter((f) => f.ruleId === PII_RULE).map((f) => f.column))];
}

/** A lint of the config: the findings that name a column. Injected, so tests can pass their own. */
export type ColumnLinter = (configFile: string, root: string) => Promise<ColumnFinding[]>;

/**
 * The data view's message: the config's CSV read with the config's options, profiled, its column
 * findings from `lint`, and the PII columns masked before anything leaves the host.
 */
export async function loadDataView(
  configFile: string,
  root: string,
  lint: ColumnLinter,
  load: () => Promise<Engine> = engine,
): Promise<Extract<HostMessage, { type: 'data' }>> {
  const { loadConfig, readCsv, profileDataset } = await load();
  const config = await loadConfig(configFile, { root });
  const ds = await readCsv(config.data.resolvedPath, { delimiter: config.data.delimiter, missing: config.data.missing, encoding: config.data.encoding });
  const profile = profileDataset(ds, { topK: 8, bins: 20 });
  const findings = await lint(configFile, root);
  const masked = piiColumns(findings);
  return { type: 'data', profile: maskProfile(profile, masked), findings, configFile, masked };
}
