/**
 * The extension's settings as a typed table: key, JSON type and a parser that accepts only
 * well-formed values. Pure (no 'vscode' import): `settings.ts` reads them from VS Code, and a unit
 * test checks this table against package.json's `contributes.configuration`, whose `default`s are
 * the only defaults (they are read back through `inspect`, never repeated here).
 */
import { MAX_CARBON_INTENSITY } from '../core/sustainability/carbon';

export type Backend = 'auto' | 'node' | 'wasm' | 'cpu';
export type LintRun = 'onType' | 'onSave';
/** A finding's severity. */
export type Severity = 'info' | 'warning' | 'error';
/** A rule's severity override; `off` drops its findings. */
export type RuleSetting = Severity | 'off';

export const BACKENDS: readonly Backend[] = ['auto', 'node', 'wasm', 'cpu'];
export const LINT_RUN: readonly LintRun[] = ['onType', 'onSave'];
export const RULE_SETTINGS: readonly RuleSetting[] = ['off', 'info', 'warning', 'error'];

/** Every setting, typed. */
export interface Settings {
  /** `rml.training.backend`: the TensorFlow.js backend for training. */
  backend: Backend;
  /** `rml.training.showPanel`: open the live training view when a training starts. */
  showTrainingPanel: boolean;
  /** `rml.training.openReport`: open the report when a training completes. */
  openReportOnCompletion: boolean;
  /** `rml.lint.enable`: lint training configs and their data. */
  lintEnable: boolean;
  /** `rml.lint.run`: lint while typing, or only on save. */
  lintRun: LintRun;
  /** `rml.lint.delay`: milliseconds to wait after a change before linting. */
  lintDelay: number;
  /** `rml.lint.rules`: rule id or name → severity override or `off`. */
  lintRules: Readonly<Record<string, RuleSetting>>;
  /** `rml.codeLens.enable`: show the code lenses on training configs. */
  codeLensEnable: boolean;
  /** `rml.sustainability.carbonIntensity`: gCO₂e per kWh for the CO₂e estimates; null = the config's, else the default. */
  carbonIntensity: number | null;
}

/** The JSON type of a setting as declared in package.json. */
export type JsonType = 'string' | 'boolean' | 'number' | 'object' | readonly ['number', 'null'];

export interface SettingSpec<T> {
  /** The key under `rml.`. */
  key: string;
  type: JsonType;
  /** Allowed values, when the setting is an enum (must equal package.json's `enum`). */
  enum?: readonly string[];
  /** The value when well-formed, else undefined. */
  parse(value: unknown): T | undefined;
}

const oneOf =
  <T extends string>(values: readonly T[]) =>
  (v: unknown): T | undefined =>
    typeof v === 'string' && (values as readonly string[]).includes(v) ? (v as T) : undefined;
const bool = (v: unknown): boolean | undefined => (typeof v === 'boolean' ? v : undefined);
/** A carbon intensity in gCO₂e/kWh (as the engine accepts it), or null when unset. */
const intensity = (v: unknown): number | null | undefined => (v === null ? null : typeof v === 'number' && Number.isFinite(v) && v >= 0 && v <= MAX_CARBON_INTENSITY ? v : undefined);
const delay = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) && v >= 0 && v <= 10_000 ? v : undefined);

/** `rml.lint.rules`: keep well-formed entries, drop the rest (one bad entry must not discard all). */
function ruleMap(v: unknown): Record<string, RuleSetting> | undefined {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return undefined;
  const out: Record<string, RuleSetting> = Object.create(null) as Record<string, RuleSetting>;
  for (const [k, s] of Object.entries(v as Record<string, unknown>)) {
    const parsed = oneOf(RULE_SETTINGS)(s);
    if (parsed) out[k] = parsed;
  }
  return out;
}

/** The table: one entry per setting. */
export const SETTINGS: { readonly [K in keyof Settings]: SettingSpec<Settings[K]> } = {
  backend: { key: 'training.backend', type: 'string', enum: BACKENDS, parse: oneOf(BACKENDS) },
  showTrainingPanel: { key: 'training.showPanel', type: 'boolean', parse: bool },
  openReportOnCompletion: { key: 'training.openReport', type: 'boolean', parse: bool },
  lintEnable: { key: 'lint.enable', type: 'boolean', parse: bool },
  lintRun: { key: 'lint.run', type: 'string', enum: LINT_RUN, parse: oneOf(LINT_RUN) },
  lintDelay: { key: 'lint.delay', type: 'number', parse: delay },
  lintRules: { key: 'lint.rules', type: 'object', parse: ruleMap },
  codeLensEnable: { key: 'codeLens.enable', type: 'boolean', parse: bool },
  carbonIntensity: { key: 'sustainability.carbonIntensity', type: ['number', 'null'], parse: intensity },
};

/**
 * Build the typed settings from a reader. `get` returns the effective value (user, workspace or
 * the package.json default); `fallback` returns the package.json default, used when the user's
 * value is malformed.
 * @throws Error when even the default is malformed (package.json and this table disagree; a unit
 *   test guards against it)
 */
export function readSettingsWith(get: (key: string) => unknown, fallback: (key: string) => unknown): Settings {
  const read = <K extends keyof Settings>(name: K): Settings[K] => {
    const spec = SETTINGS[name] as SettingSpec<Settings[K]>;
    const value = spec.parse(get(spec.key)) ?? spec.parse(fallback(spec.key));
    if (value === undefined) throw new Error(`setting rml.${spec.key} has no valid default in package.json`);
    return value;
  };
  return {
    backend: read('backend'),
    showTrainingPanel: read('showTrainingPanel'),
    openReportOnCompletion: read('openReportOnCompletion'),
    lintEnable: read('lintEnable'),
    lintRun: read('lintRun'),
    lintDelay: read('lintDelay'),
    lintRules: read('lintRules'),
    codeLensEnable: read('codeLensEnable'),
    carbonIntensity: read('carbonIntensity'),
  };
}
