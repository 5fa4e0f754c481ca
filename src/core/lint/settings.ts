/**
 * The lint's settings: numeric thresholds (config `lint.thresholds`, CLI `--threshold`), rule
 * severities (`lint.rules`, `--rule`) and per-column severities (`lint.columns`), with their
 * defaults, resolution order and validation. Problems with the settings themselves are RML103.
 */
import { DEFAULT_SAMPLE_ROWS, DEFAULT_SAMPLE_SEED } from './sample';
import type { Severity, SeverityOverride } from './types';

/** One threshold: its default, which rule reads it, what it means and its allowed range. */
export interface ThresholdSpec {
  default: number;
  rules: string[];
  description: string;
  min: number;
  max: number;
  integer?: boolean;
  /** Whether `min` itself is allowed (default true). */
  minInclusive?: boolean;
}

/** Every threshold the rules read, by name (documented in docs/rules.md, "Settings"). */
export const THRESHOLDS: Readonly<Record<string, ThresholdSpec>> = Object.freeze({
  sampleRows: { default: DEFAULT_SAMPLE_ROWS, rules: ['data rules'], description: 'rows drawn from the data file for the data rules', min: 100, max: 1_000_000, integer: true },
  sampleSeed: { default: DEFAULT_SAMPLE_SEED, rules: ['data rules'], description: 'seed of the row sample', min: 0, max: 4294967295, integer: true },
  piiValueShare: { default: 0.5, rules: ['RML001'], description: 'share of sampled values matching a PII pattern that flags a column on values alone', min: 0, max: 1, minInclusive: false },
  piiHeaderValueShare: { default: 0.1, rules: ['RML001'], description: 'share needed when the header also names the kind', min: 0, max: 1, minInclusive: false },
  sensitiveValueShare: { default: 0.8, rules: ['RML002', 'RML003'], description: 'share of values in a protected-attribute lexicon that flags a column on values alone', min: 0, max: 1, minInclusive: false },
  proxyCramersV: { default: 0.5, rules: ['RML004'], description: "bias-corrected Cramér's V at or above which a feature is a proxy", min: 0, max: 1, minInclusive: false },
  proxyBins: { default: 5, rules: ['RML004', 'RML009'], description: 'quantile bins for numeric columns with more than 10 distinct values', min: 2, max: 50, integer: true },
  identifierUniqueShare: { default: 0.95, rules: ['RML005'], description: 'share of distinct values at or above which a feature is an identifier', min: 0, max: 1, minInclusive: false },
  leakageAuc: { default: 0.98, rules: ['RML006'], description: 'single-feature ROC AUC at or above which a feature leaks the target', min: 0.5, max: 1, minInclusive: false },
  leakageCorrelation: { default: 0.98, rules: ['RML006'], description: 'absolute correlation with a numeric target at or above which a feature leaks it', min: 0, max: 1, minInclusive: false },
  leakagePureShare: { default: 0.3, rules: ['RML006'], description: 'share of rows whose target a feature value determines at or above which it leaks', min: 0, max: 1, minInclusive: false },
  leakageSuspectAuc: { default: 0.8, rules: ['RML006'], description: 'single-feature AUC from which a dominant feature is reported as a suspected leak (warning)', min: 0.5, max: 1, minInclusive: false },
  leakageSuspectMargin: { default: 0.01, rules: ['RML006'], description: 'AUC lead over a naive-Bayes combination of all the other features that makes a feature a suspected leak', min: 0, max: 0.5 },
  minorityClassShare: { default: 0.1, rules: ['RML007'], description: 'minority class share below which the classes are imbalanced', min: 0, max: 0.5, minInclusive: false },
  minGroupTestRows: { default: 30, rules: ['RML008'], description: 'expected test rows below which a group is under-represented (default: fairness.minGroupSize)', min: 1, max: 1_000_000, integer: true },
  minGroupShare: { default: 0.05, rules: ['RML008'], description: 'share of rows below which a group is under-represented', min: 0, max: 1 },
  missingDisparityRatio: { default: 2, rules: ['RML009'], description: "ratio of a group's missing rate to the other groups' at or above which missing values concentrate", min: 1, max: 1000 },
  missingDisparityMinDifference: { default: 0.02, rules: ['RML009'], description: 'smallest gap in missing rate worth reporting', min: 0, max: 1 },
  minTestRows: { default: 30, rules: ['RML010'], description: 'expected test rows below which the holdout is too small', min: 1, max: 1_000_000, integer: true },
  duplicateRowShare: { default: 0.01, rules: ['RML012'], description: 'share of duplicate rows at or above which RML012 reports them', min: 0, max: 1 },
  maxEpochs: { default: 50, rules: ['RML016'], description: 'epochs above which training without early stopping is reported', min: 1, max: 1_000_000, integer: true },
});

/** Resolved thresholds: every name of {@link THRESHOLDS} with its value. */
export type Thresholds = Record<keyof typeof THRESHOLDS, number>;

/** A problem with the lint settings (becomes an RML103 finding at `path`). */
export interface SettingsProblem {
  path: (string | number)[];
  message: string;
}

/** The lint settings after resolution. */
export interface ResolvedSettings {
  thresholds: Thresholds;
  /** Severity per rule id (config, then options). */
  rules: Record<string, SeverityOverride>;
  /** Severity per column and rule id (config `lint.columns`). */
  columns: Record<string, Record<string, SeverityOverride>>;
  problems: SettingsProblem[];
}

const SEVERITIES = new Set<string>(['off', 'error', 'warning', 'info']);

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * Resolve the settings: defaults, then the config's `lint` section, then the caller's options
 * (CLI flags). `minGroupTestRows` defaults to `fairness.minGroupSize` when the config sets it.
 * Unknown names, out-of-range values and malformed entries are reported and ignored.
 * @param lint the config's raw `lint` value
 * @param knownRules every rule id (unknown ids in `lint.rules` are reported)
 */
export function resolveSettings(
  lint: unknown,
  knownRules: ReadonlySet<string>,
  opts: { thresholds?: Record<string, number>; rules?: Record<string, SeverityOverride>; minGroupSize?: number } = {},
): ResolvedSettings {
  const problems: SettingsProblem[] = [];
  const thresholds = Object.fromEntries(Object.entries(THRESHOLDS).map(([k, s]) => [k, s.default])) as Thresholds;
  if (opts.minGroupSize !== undefined) thresholds.minGroupTestRows = opts.minGroupSize;
  const rules: Record<string, SeverityOverride> = {};
  const columns: Record<string, Record<string, SeverityOverride>> = {};
  const section = isObject(lint) ? lint : {};

  const setThreshold = (name: string, value: unknown, path: (string | number)[] | undefined): void => {
    const spec = THRESHOLDS[name];
    const report = (message: string) => {
      if (path) problems.push({ path, message });
      else throw new ThresholdError(message);
    };
    if (!spec) {
      const near = suggest(name, Object.keys(THRESHOLDS));
      report(`unknown lint threshold '${name}'${near ? ` (did you mean '${near}'?)` : ''}; known thresholds: ${Object.keys(THRESHOLDS).join(', ')}`);
      return;
    }
    if (typeof value !== 'number' || !Number.isFinite(value)) {
      report(`lint threshold '${name}' must be a number`);
      return;
    }
    const low = spec.minInclusive === false ? value <= spec.min : value < spec.min;
    if (low || value > spec.max || (spec.integer && !Number.isInteger(value))) {
      const range = `${spec.minInclusive === false ? '(' : '['}${spec.min}, ${spec.max}]`;
      report(`lint threshold '${name}' must be ${spec.integer ? 'an integer ' : ''}in ${range}, got ${value}`);
      return;
    }
    thresholds[name] = value;
  };

  if (isObject(section.thresholds)) {
    for (const [name, value] of Object.entries(section.thresholds)) setThreshold(name, value, ['lint', 'thresholds', name]);
  }
  for (const key of ['rules', 'thresholds'] as const) {
    if (section[key] !== undefined && !isObject(section[key])) problems.push({ path: ['lint', key], message: `lint.${key} must map ${key === 'rules' ? 'rule ids to off, error, warning or info' : 'threshold names to numbers'}` });
  }
  if (isObject(section.rules)) {
    for (const [id, sev] of Object.entries(section.rules)) {
      if (!knownRules.has(id)) {
        problems.push({ path: ['lint', 'rules', id], message: `unknown lint rule '${id}'; rules are ${[...knownRules].join(', ')}` });
        continue;
      }
      if (typeof sev === 'string' && SEVERITIES.has(sev)) rules[id] = sev as SeverityOverride;
      else problems.push({ path: ['lint', 'rules', id], message: `lint.rules.${id} must be off, error, warning or info, got ${JSON.stringify(sev)}` });
    }
  }
  if (section.columns !== undefined) {
    if (!isObject(section.columns)) {
      problems.push({ path: ['lint', 'columns'], message: 'lint.columns must map column names to { RMLxxx: off | error | warning | info }' });
    } else {
      for (const [col, entry] of Object.entries(section.columns)) {
        if (!isObject(entry)) {
          problems.push({ path: ['lint', 'columns', col], message: `lint.columns['${col}'] must map rule ids to off, error, warning or info` });
          continue;
        }
        const out: Record<string, SeverityOverride> = {};
        for (const [id, sev] of Object.entries(entry)) {
          if (!knownRules.has(id)) problems.push({ path: ['lint', 'columns', col, id], message: `unknown lint rule '${id}' in lint.columns['${col}']` });
          else if (typeof sev !== 'string' || !SEVERITIES.has(sev)) problems.push({ path: ['lint', 'columns', col, id], message: `lint.columns['${col}'].${id} must be off, error, warning or info` });
          else out[id] = sev as SeverityOverride;
        }
        columns[col] = out;
      }
    }
  }
  for (const key of Object.keys(section)) {
    if (!['rules', 'thresholds', 'columns'].includes(key)) {
      problems.push({ path: ['lint', key], message: `unknown lint setting '${key}'; the lint section takes rules, thresholds and columns` });
    }
  }
  // The caller's options come last and are not located in the config: bad ones throw.
  for (const [name, value] of Object.entries(opts.thresholds ?? {})) setThreshold(name, value, undefined);
  for (const [id, sev] of Object.entries(opts.rules ?? {})) {
    if (!knownRules.has(id)) throw new ThresholdError(`unknown lint rule '${id}'`);
    if (!SEVERITIES.has(sev)) throw new ThresholdError(`severity of ${id} must be off, error, warning or info, got '${sev}'`);
    rules[id] = sev;
  }
  return { thresholds, rules, columns, problems };
}

/** A bad threshold or rule given by the caller (a CLI flag), not by the config: bad input. */
export class ThresholdError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ThresholdError';
  }
}

/** The effective severity of a rule's finding on an optional column, after the overrides. */
export function effectiveSeverity(
  ruleId: string,
  base: Severity,
  column: string | undefined,
  rules: Record<string, SeverityOverride>,
  columns: Record<string, Record<string, SeverityOverride>>,
): SeverityOverride {
  const perColumn = column !== undefined ? columns[column]?.[ruleId] : undefined;
  return perColumn ?? rules[ruleId] ?? base;
}

/** The closest name within edit distance 2, for "did you mean" hints. */
export function suggest(word: string, candidates: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestD = 3;
  for (const c of candidates) {
    const d = distance(word.toLowerCase(), c.toLowerCase());
    if (d < bestD) {
      bestD = d;
      best = c;
    }
  }
  return best;
}

function distance(a: string, b: string): number {
  const dp = Array.from({ length: a.length + 1 }, (_, i) => [i, ...new Array<number>(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) dp[0][j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      dp[i][j] = Math.min(dp[i - 1][j] + 1, dp[i][j - 1] + 1, dp[i - 1][j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
  }
  return dp[a.length][b.length];
}
