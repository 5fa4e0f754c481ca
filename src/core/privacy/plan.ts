/**
 * The anonymization config: a YAML or JSON file (schema: `anonymize.schema.json` beside this
 * file) saying what `rml anonymize` does to each column, and which quasi-identifiers
 * `rml privacy` checks. Parsed with the training config's parser (source ranges, YAML alias
 * limits, duplicate keys), validated with ajv, then checked for what a schema cannot say; every
 * problem is reported at its `file:line:column`, all at once.
 *
 * ```yaml
 * columns:
 *   name: drop
 *   email: pseudonymize                      # p_ + 16 hex digits of HMAC-SHA256(salt, value)
 *   phone: { action: mask, keepLast: 2 }     # (***) ***-**67
 *   age: { action: generalize, as: age, width: 10 }      # 37 → 30-39
 *   zip: { action: generalize, as: zip, digits: 3 }      # 02139 → 021*
 *   birth_date: { action: generalize, as: date, to: year }   # 1985-04-12 → 1985
 *   income: { action: generalize, as: number, width: 10000 } # 43250 → [40000..50000)
 * auto: mask               # what --auto does to other columns the PII detectors flag
 * saltFile: secrets/patients.salt
 * ```
 */
import Ajv, { type ErrorObject, type ValidateFunction } from 'ajv';
import { promises as fsp } from 'node:fs';
import * as path from 'node:path';
import { parseConfigText, byLocation } from '../config/parse';
import { formatPath as formatAbsolutePath, type ConfigPath } from '../config/sourcemap';
import type { SourceMap } from '../config/types';
import { locate } from '../config/validate';
import { DEFAULT_MISSING } from '../data/csv';
import { RmlInputError, RmlInputErrors, type SourceLocation } from '../errors';
import type { QiType, QuasiIdentifierSpec } from './hierarchy';
import type { PiiKind } from './pii';
import schemaJson from './anonymize.schema.json';
import { categoryMap, PSEUDONYM_DEFAULTS, type DateUnit, type Generalization, type MaskOptions } from './transforms';

/** What happens to one column. */
export type ColumnAction =
  | { action: 'keep' }
  | { action: 'drop' }
  | ({ action: 'mask' } & MaskOptions)
  | { action: 'pseudonymize'; length: number; prefix: string; lowercase: boolean }
  | { action: 'generalize'; generalization: Generalization };

/** The de-identification of a data set: per-column actions and what --auto does. */
export interface AnonymizationPlan {
  /** Column name → action. Columns not listed are kept (or handled by `auto`). */
  columns: Map<string, ColumnAction>;
  /** The action for columns the PII detectors flag when auto mode is on (default: mask). */
  auto: ColumnAction;
  /** Cells equal to one of these (trimmed) are missing: written unchanged, never transformed. */
  missing: readonly string[];
  /** Salt file from the config (absolute). */
  saltFile?: string;
  /**
   * Drop rows whose combination of these output columns occurs fewer than k times (or, with `l`,
   * whose class holds fewer than l distinct values of the `sensitive` column).
   */
  suppress?: { quasiIdentifiers: string[]; k: number; l?: number; sensitive?: string };
  /** Where each column's entry is in the config (for "unknown column" errors). */
  locations?: Map<string, SourceLocation>;
}

/** k-anonymity targets (the `kAnonymity` section). */
export interface KAnonymityTarget {
  k?: number;
  l?: number;
  sensitive?: string;
  maxSuppression?: number;
  metric?: 'precision' | 'discernibility';
}

/** A loaded anonymization config file. */
export interface AnonymizationConfig {
  /** Absolute path of the config file. */
  file: string;
  plan: AnonymizationPlan;
  /** How to read the input CSV. */
  read: { delimiter?: string; encoding?: 'utf-8' | 'latin1' | 'utf-16le' };
  quasiIdentifiers?: QuasiIdentifierSpec[];
  kAnonymity?: KAnonymityTarget;
  sourceMap: SourceMap;
}

/** The plan with nothing listed: --auto masks what the detectors flag. */
export function defaultPlan(): AnonymizationPlan {
  return { columns: new Map(), auto: { action: 'mask' }, missing: [...DEFAULT_MISSING] };
}

/** The JSON Schema of anonymization configs. */
export function anonymizationSchema(): Readonly<Record<string, unknown>> {
  return schemaJson;
}

/**
 * Read and validate an anonymization config file (`.yaml`/`.yml` or `.json`).
 * @throws RmlInputErrors with every problem, each at its file:line:column
 */
export async function loadAnonymizationConfig(file: string): Promise<AnonymizationConfig> {
  const abs = path.resolve(file);
  let text: string;
  try {
    text = await fsp.readFile(abs, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'not found' : code === 'EISDIR' ? 'is a directory' : (err as Error).message;
    throw new RmlInputError(`anonymization config ${why}: ${abs}`, { file: abs, line: 1, column: 1 });
  }
  return parseAnonymizationConfig(text, abs);
}

/**
 * Parse and validate the text of an anonymization config.
 * @param file its path: chooses YAML or JSON, locates errors and resolves `saltFile`
 * @throws RmlInputErrors with every problem, each at its file:line:column
 */
export function parseAnonymizationConfig(text: string, file: string): AnonymizationConfig {
  const abs = path.resolve(file);
  const parsed = parseConfigText(text, abs);
  if (parsed.errors.length > 0) throw new RmlInputErrors(parsed.errors);
  return anonymizationConfigFromValue(parsed.value, abs, parsed.sourceMap);
}

/**
 * Validate an already-parsed config value (e.g. the `privacy.anonymize` section of a training
 * config, or a plan built by the editor) and turn it into a plan.
 * @param file where relative paths are resolved from and errors point
 * @param sourceMap key ranges for error locations (default: everything at line 1)
 * @throws RmlInputErrors with every problem
 */
export function anonymizationConfigFromValue(value: unknown, file: string, sourceMap: SourceMap = emptySourceMap(file), opts: { prefix?: ConfigPath } = {}): AnonymizationConfig {
  const prefix = opts.prefix ?? [];
  if (prefix.length === 0) return fromValue(value, file, sourceMap);
  const saved = pathPrefix;
  pathPrefix = prefix;
  try {
    return fromValue(value, file, prefixedSourceMap(sourceMap, prefix));
  } finally {
    pathPrefix = saved;
  }
}

/**
 * Key paths in messages are written relative to the config root; when the settings are a
 * section of another file (`privacy.anonymize` of a training config), this is that section's
 * path, prepended by {@link formatPath}. Set only for the duration of a synchronous call.
 */
let pathPrefix: ConfigPath = [];

/** A key path as the user would write it, including the section prefix. */
function formatPath(p: ConfigPath): string {
  return formatAbsolutePath([...pathPrefix, ...p]);
}

function prefixedSourceMap(sm: SourceMap, prefix: ConfigPath): SourceMap {
  return {
    valueRange: (p) => sm.valueRange([...prefix, ...p]),
    keyRange: (p) => sm.keyRange([...prefix, ...p]),
    nearest: (p) => sm.nearest([...prefix, ...p]),
  };
}

function fromValue(value: unknown, file: string, sourceMap: SourceMap): AnonymizationConfig {
  const abs = path.resolve(file);
  if (value === null || value === undefined) {
    throw new RmlInputError('the anonymization config is empty; it needs at least `columns` (or use --auto)', { file: abs, line: 1, column: 1 });
  }
  const errors = validateValue(value, sourceMap);
  if (errors.length > 0) throw new RmlInputErrors(errors);
  const raw = value as RawConfig;
  const semantic: RmlInputError[] = [];
  const columns = new Map<string, ColumnAction>();
  const locations = new Map<string, SourceLocation>();
  for (const [name, action] of Object.entries(raw.columns ?? {})) {
    const p = ['columns', name];
    const a = normalizeAction(action, p, sourceMap, semantic);
    if (a) columns.set(name, a);
    locations.set(name, sourceMap.keyRange(p) ?? locate(sourceMap, p));
  }
  const auto = raw.auto !== undefined ? normalizeAction(raw.auto, ['auto'], sourceMap, semantic) : undefined;
  const plan: AnonymizationPlan = {
    columns,
    auto: auto ?? { action: 'mask' },
    missing: raw.missing ?? [...DEFAULT_MISSING],
    locations,
  };
  if (raw.saltFile !== undefined) plan.saltFile = path.resolve(path.dirname(abs), raw.saltFile);
  if (raw.suppress) {
    const { quasiIdentifiers, k, l, sensitive } = raw.suppress;
    plan.suppress = { quasiIdentifiers: [...quasiIdentifiers], k };
    if (l !== undefined) plan.suppress.l = l;
    if (sensitive !== undefined) plan.suppress.sensitive = sensitive;
    if ((l === undefined) !== (sensitive === undefined)) {
      semantic.push(new RmlInputError(`${formatPath(['suppress'])}: l and sensitive go together (l distinct values of the sensitive column per class)`, locate(sourceMap, ['suppress']), formatPath(['suppress'])));
    } else if (sensitive !== undefined && quasiIdentifiers.includes(sensitive)) {
      semantic.push(new RmlInputError(`${formatPath(['suppress'])}: the sensitive column '${sensitive}' is also a quasi-identifier`, locate(sourceMap, ['suppress', 'sensitive']), formatPath(['suppress', 'sensitive'])));
    }
  }
  const quasiIdentifiers = raw.quasiIdentifiers?.map((q, i) => normalizeQuasi(q, ['quasiIdentifiers', i], sourceMap, semantic));
  if (quasiIdentifiers) {
    const seen = new Map<string, number>();
    quasiIdentifiers.forEach((q, i) => {
      if (seen.has(q.column)) semantic.push(new RmlInputError(`${formatPath(['quasiIdentifiers'])} lists column '${q.column}' twice (items ${seen.get(q.column)} and ${i})`, locate(sourceMap, ['quasiIdentifiers', i]), formatPath(['quasiIdentifiers', i])));
      seen.set(q.column, i);
    });
  }
  if (semantic.length > 0) throw new RmlInputErrors(semantic.sort(byLocation));
  const config: AnonymizationConfig = {
    file: abs,
    plan,
    read: {},
    sourceMap,
  };
  if (raw.delimiter !== undefined) config.read.delimiter = raw.delimiter;
  if (raw.encoding !== undefined) config.read.encoding = raw.encoding;
  if (quasiIdentifiers) config.quasiIdentifiers = quasiIdentifiers;
  if (raw.kAnonymity) config.kAnonymity = { ...raw.kAnonymity };
  return config;
}

/** A plan from a plain object in the config format (columns, auto, missing, saltFile, suppress). */
export function planFromObject(value: unknown, file = path.resolve('anonymize.yaml')): AnonymizationPlan {
  return anonymizationConfigFromValue(value, file).plan;
}

/** A short description of an action, for reports: `generalize: 10-year age bands`. */
export function describeAction(a: ColumnAction): string {
  switch (a.action) {
    case 'keep':
    case 'drop':
      return a.action;
    case 'mask':
      if (a.replace !== undefined) return `mask: replaced by ${JSON.stringify(a.replace)}`;
      if (a.keepLast !== undefined) return `mask: last ${a.keepLast} kept`;
      if (a.kind !== undefined) return `mask: as ${a.kind}`;
      if (a.keepFirst !== undefined) return `mask: first ${a.keepFirst} kept`;
      return 'mask';
    case 'pseudonymize':
      return `pseudonymize: ${a.prefix}+${a.length} hex${a.lowercase ? ', case-insensitive' : ''}`;
    case 'generalize':
      return `generalize: ${describeGeneralization(a.generalization)}`;
  }
}

/** `10-year age bands`, `3-character prefix`, `year`, … */
export function describeGeneralization(g: Generalization): string {
  switch (g.as) {
    case 'age':
      return `${g.width}-year age bands${g.top !== undefined ? `, ${g.top}+` : ''}`;
    case 'number':
      return `ranges of ${g.width}${g.origin ? ` from ${g.origin}` : ''}`;
    case 'zip':
      return g.digits === 0 ? 'suppressed' : `${g.digits}-character prefix`;
    case 'date':
      return g.to;
    case 'category':
      return `${new Set(g.map.values()).size} groups`;
  }
}

/** The config form of an action (what a user would write), for emitted plans. */
export function actionToConfig(a: ColumnAction): string | Record<string, unknown> {
  switch (a.action) {
    case 'keep':
    case 'drop':
      return a.action;
    case 'mask': {
      const { action, ...rest } = a;
      return Object.keys(rest).length === 0 ? action : { action, ...rest };
    }
    case 'pseudonymize': {
      const o: Record<string, unknown> = { action: a.action };
      if (a.length !== PSEUDONYM_DEFAULTS.length) o.length = a.length;
      if (a.prefix !== PSEUDONYM_DEFAULTS.prefix) o.prefix = a.prefix;
      if (a.lowercase) o.lowercase = true;
      return Object.keys(o).length === 1 ? a.action : o;
    }
    case 'generalize': {
      const g = a.generalization;
      if (g.as === 'category') {
        const o: Record<string, unknown> = { action: 'generalize', as: 'category', map: Object.fromEntries(g.map) };
        if (g.other !== undefined) o.other = g.other;
        return o;
      }
      return { action: 'generalize', ...g };
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Validation

interface RawCategory {
  groups?: Record<string, string[]>;
  map?: Record<string, string>;
  other?: string;
}
type RawAction = string | ({ action: string; as?: string; width?: number; top?: number; origin?: number; digits?: number; pad?: number; to?: DateUnit } & MaskOptions & { length?: number; prefix?: string; lowercase?: boolean } & RawCategory);
interface RawQuasi {
  column: string;
  type?: QiType;
  widths?: number[];
  origin?: number;
  top?: number;
  digits?: number[];
  pad?: number;
  units?: DateUnit[];
  levels?: RawCategory[];
  suppress?: boolean;
}
interface RawConfig {
  columns?: Record<string, RawAction>;
  auto?: RawAction;
  saltFile?: string;
  missing?: string[];
  delimiter?: string;
  encoding?: 'utf-8' | 'latin1' | 'utf-16le';
  suppress?: { quasiIdentifiers: string[]; k: number; l?: number; sensitive?: string };
  quasiIdentifiers?: (string | RawQuasi)[];
  kAnonymity?: KAnonymityTarget;
}

let compiled: ValidateFunction | undefined;
function validator(): ValidateFunction {
  compiled ??= new Ajv({ allErrors: true, strict: true, allowUnionTypes: true, verbose: true }).compile(schemaJson);
  return compiled;
}

function validateValue(value: unknown, sm: SourceMap): RmlInputError[] {
  const validate = validator();
  if (validate(value)) return [];
  const errors = (validate.errors ?? []).filter((e) => e.keyword !== 'if' && e.keyword !== 'allOf');
  // A propertyNames failure comes with an inner enum error carrying `propertyName`: keep the inner one.
  const inner = new Set(errors.filter((e) => e.propertyName !== undefined).map((e) => `${e.instancePath}/${e.propertyName}`));
  const out: RmlInputError[] = [];
  const seen = new Set<string>();
  for (const e of errors) {
    if (e.keyword === 'propertyNames' && inner.has(`${e.instancePath}/${String((e.params as { propertyName?: string }).propertyName)}`)) continue;
    const err = toError(e, value, sm);
    const key = `${err.message}@${err.location?.line}:${err.location?.column}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(err);
  }
  return out.sort(byLocation);
}

function toPath(instancePath: string): (string | number)[] {
  if (!instancePath) return [];
  return instancePath
    .slice(1)
    .split('/')
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'))
    .map((s) => (/^\d+$/.test(s) ? Number(s) : s));
}

function valueAt(root: unknown, p: ConfigPath): unknown {
  let cur = root;
  for (const seg of p) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string, unknown>)[String(seg)];
  }
  return cur;
}

function show(v: unknown): string {
  if (typeof v === 'string') return `'${v.length > 40 ? `${v.slice(0, 40)}…` : v}'`;
  if (v === null || v === undefined) return 'nothing';
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'object') return 'an object';
  return String(v);
}

function orList(values: readonly unknown[]): string {
  const s = values.map((v) => (typeof v === 'string' ? v : JSON.stringify(v)));
  return s.length > 1 ? `${s.slice(0, -1).join(', ')} or ${s[s.length - 1]}` : (s[0] ?? '');
}

const HINTS: Record<string, string> = {
  action: 'keep, drop, mask, pseudonymize or generalize',
  as: 'age, number, zip, date or category',
  column: 'the column name',
  width: 'the range width',
  quasiIdentifiers: 'the columns to group rows by',
  k: 'an integer ≥ 2',
};

function toError(e: ErrorObject, root: unknown, sm: SourceMap): RmlInputError {
  const p = toPath(e.instancePath);
  const f = p.length || pathPrefix.length ? formatPath(p) : 'the config';
  const params = e.params as Record<string, unknown>;
  const got = `, got ${show(valueAt(root, p))}`;
  if (e.propertyName !== undefined) {
    const keyPath = [...p, e.propertyName];
    const allowed = Array.isArray(params.allowedValues) ? (params.allowedValues as string[]) : [];
    return new RmlInputError(`unknown key '${e.propertyName}' in ${f}${allowed.length ? `; allowed here: ${allowed.join(', ')}` : ''}`, sm.keyRange(keyPath) ?? locate(sm, p), formatPath(keyPath));
  }
  switch (e.keyword) {
    case 'additionalProperties': {
      const key = String(params.additionalProperty);
      const keyPath = [...p, key];
      const parent = e.parentSchema as { properties?: Record<string, unknown> } | undefined;
      const allowed = parent?.properties ? Object.keys(parent.properties).filter((k) => k !== '$schema') : [];
      return new RmlInputError(`unknown key '${key}'${p.length || pathPrefix.length ? ` in ${f}` : ''}${allowed.length ? `; allowed here: ${allowed.join(', ')}` : ''}`, sm.keyRange(keyPath) ?? locate(sm, p), formatPath(keyPath));
    }
    case 'required': {
      const key = String(params.missingProperty);
      const hint = HINTS[key] ? ` (${HINTS[key]})` : '';
      return new RmlInputError(`${f} needs '${key}'${hint}`, locate(sm, p), formatPath([...p, key]));
    }
    case 'enum': {
      const allowed = Array.isArray(params.allowedValues) ? (params.allowedValues as unknown[]) : [];
      return new RmlInputError(`${f} must be ${allowed.length > 2 ? 'one of ' : ''}${orList(allowed)}${got}`, locate(sm, p), formatPath(p));
    }
    case 'const':
      return new RmlInputError(`${f} must be ${JSON.stringify(params.allowedValue)}${got}`, locate(sm, p), formatPath(p));
    case 'type': {
      const types = String(params.type).split(',').map((t) => (t === 'object' ? 'an object' : t === 'array' ? 'a list' : t === 'integer' ? 'an integer' : t === 'boolean' ? 'true or false' : `a ${t}`));
      return new RmlInputError(`${f} must be ${orList(types)}${got}`, locate(sm, p), formatPath(p));
    }
    case 'minimum':
    case 'maximum':
    case 'exclusiveMinimum':
    case 'exclusiveMaximum':
      return new RmlInputError(`${f} must be ${String(params.comparison)} ${String(params.limit)}${got}`, locate(sm, p), formatPath(p));
    case 'uniqueItems':
      return new RmlInputError(`${f} lists the same item twice (items ${String(params.j)} and ${String(params.i)})`, locate(sm, p), formatPath(p));
    default:
      return new RmlInputError(`${f} ${e.message ?? 'is invalid'}`, locate(sm, p), formatPath(p));
  }
}

function normalizeAction(raw: RawAction, p: ConfigPath, sm: SourceMap, errors: RmlInputError[]): ColumnAction | undefined {
  const at = () => locate(sm, p);
  if (typeof raw === 'string') return defaultAction(raw);
  switch (raw.action) {
    case 'keep':
    case 'drop':
      return { action: raw.action };
    case 'mask': {
      const styles = (['replace', 'keepFirst', 'keepLast', 'kind'] as const).filter((k) => raw[k] !== undefined);
      if (styles.length > 1) {
        errors.push(new RmlInputError(`${formatPath(p)}: choose one of ${styles.join(', ')} (a mask keeps one shape)`, at(), formatPath(p)));
        return undefined;
      }
      const m: { action: 'mask' } & MaskOptions = { action: 'mask' };
      if (raw.replace !== undefined) m.replace = raw.replace;
      if (raw.keepFirst !== undefined) m.keepFirst = raw.keepFirst;
      if (raw.keepLast !== undefined) m.keepLast = raw.keepLast;
      if (raw.kind !== undefined) m.kind = raw.kind as PiiKind;
      return m;
    }
    case 'pseudonymize':
      return {
        action: 'pseudonymize',
        length: raw.length ?? PSEUDONYM_DEFAULTS.length,
        prefix: raw.prefix ?? PSEUDONYM_DEFAULTS.prefix,
        lowercase: raw.lowercase ?? PSEUDONYM_DEFAULTS.lowercase,
      };
    case 'generalize': {
      switch (raw.as) {
        case 'age':
          return { action: 'generalize', generalization: { as: 'age', width: raw.width ?? 10, ...(raw.top !== undefined ? { top: raw.top } : {}) } };
        case 'number':
          return { action: 'generalize', generalization: { as: 'number', width: raw.width ?? 1, origin: raw.origin ?? 0 } };
        case 'zip':
          return { action: 'generalize', generalization: { as: 'zip', digits: raw.digits ?? 3, ...(raw.pad !== undefined ? { pad: raw.pad } : {}) } };
        case 'date':
          return { action: 'generalize', generalization: { as: 'date', to: raw.to ?? 'year' } };
        case 'category': {
          const map = categoryGroups(raw, p, sm, errors);
          if (!map) return undefined;
          return { action: 'generalize', generalization: { as: 'category', map, ...(raw.other !== undefined ? { other: raw.other } : {}) } };
        }
        default:
          return undefined;
      }
    }
    default:
      return undefined;
  }
}

function defaultAction(name: string): ColumnAction | undefined {
  switch (name) {
    case 'keep':
    case 'drop':
      return { action: name };
    case 'mask':
      return { action: 'mask' };
    case 'pseudonymize':
      return { action: 'pseudonymize', ...PSEUDONYM_DEFAULTS };
    default:
      return undefined;
  }
}

function categoryGroups(raw: RawCategory, p: ConfigPath, sm: SourceMap, errors: RmlInputError[]): Map<string, string> | undefined {
  if (Object.keys(raw.groups ?? {}).length === 0 && Object.keys(raw.map ?? {}).length === 0) {
    errors.push(new RmlInputError(`${formatPath(p)} needs 'groups' (group → values) or 'map' (value → group)`, locate(sm, p), formatPath(p)));
    return undefined;
  }
  const owner = new Map<string, string>();
  for (const [group, values] of Object.entries(raw.groups ?? {})) {
    for (const v of values) {
      const prev = owner.get(v.trim());
      if (prev !== undefined && prev !== group) {
        errors.push(new RmlInputError(`${formatPath(p)}: value '${v}' is in two groups ('${prev}' and '${group}')`, locate(sm, [...p, 'groups', group]), formatPath([...p, 'groups', group])));
        return undefined;
      }
      owner.set(v.trim(), group);
    }
  }
  return categoryMap(raw.groups, raw.map);
}

const QI_KEYS: Record<QiType, readonly string[]> = {
  age: ['widths', 'top'],
  number: ['widths', 'origin'],
  zip: ['digits', 'pad'],
  date: ['units'],
  categorical: ['levels'],
};

function normalizeQuasi(raw: string | RawQuasi, p: ConfigPath, sm: SourceMap, errors: RmlInputError[]): QuasiIdentifierSpec {
  if (typeof raw === 'string') return { column: raw };
  const spec: QuasiIdentifierSpec = { column: raw.column };
  const extra = Object.keys(raw).filter((k) => k !== 'column' && k !== 'type' && k !== 'suppress');
  const allowed = raw.type ? QI_KEYS[raw.type] : [];
  for (const k of extra) {
    if (!allowed.includes(k)) {
      const why = raw.type ? `'${k}' does not apply to type ${raw.type} (it takes ${allowed.join(', ')})` : `'${k}' needs a 'type' (age, number, zip, date or categorical)`;
      errors.push(new RmlInputError(`${formatPath(p)}: ${why}`, sm.keyRange([...p, k]) ?? locate(sm, p), formatPath([...p, k])));
    }
  }
  if (raw.type) spec.type = raw.type;
  if (raw.suppress !== undefined) spec.suppress = raw.suppress;
  if (raw.widths) {
    for (let i = 1; i < raw.widths.length; i++) {
      const ratio = raw.widths[i] / raw.widths[i - 1];
      if (!(ratio > 1) || Math.abs(ratio - Math.round(ratio)) > 1e-9) {
        errors.push(new RmlInputError(`${formatPath([...p, 'widths'])}: each width must be a larger multiple of the one before (${raw.widths[i]} is not a multiple of ${raw.widths[i - 1]}), so that the bands nest`, locate(sm, [...p, 'widths', i]), formatPath([...p, 'widths', i])));
      }
    }
    spec.widths = [...raw.widths];
  }
  if (raw.origin !== undefined) spec.origin = raw.origin;
  if (raw.top !== undefined) spec.top = raw.top;
  if (raw.digits) spec.digits = [...raw.digits];
  if (raw.pad !== undefined) spec.pad = raw.pad;
  if (raw.units) spec.units = [...raw.units];
  if (raw.levels) {
    spec.levels = raw.levels.map((l, i) => {
      const map = categoryGroups(l, [...p, 'levels', i], sm, errors) ?? new Map<string, string>();
      return l.other !== undefined ? { map, other: l.other } : { map };
    });
  }
  return spec;
}

function emptySourceMap(file: string): SourceMap {
  return { valueRange: () => undefined, keyRange: () => undefined, nearest: () => ({ file, line: 1, column: 1 }) };
}
