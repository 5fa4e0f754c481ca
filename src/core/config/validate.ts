/**
 * Validation of a parsed config against `rml.schema.json` (ajv, all errors at once), with every
 * ajv error turned into a located, human-readable RmlInputError, plus the semantic checks a
 * JSON Schema can't express (split fractions summing below 1, the target not being a feature…).
 */
import type { ErrorObject } from 'ajv';
import { RmlInputError, type SourceLocation } from '../errors';
import schemaJson from './rml.schema.json';
import { byLocation } from './parse';
import { schemaValidator } from './precompiled';
import { formatPath, type ConfigPath } from './sourcemap';
import type { SourceMap } from './types';

/** Default split fractions (also in the schema), needed for the `test + validation < 1` check. */
const DEFAULT_TEST = 0.2;
const DEFAULT_VALIDATION = 0.1;

/** The JSON Schema of training config files (draft-07), as contributed to VS Code. */
export function configSchema(): Readonly<Record<string, unknown>> {
  return schemaJson;
}

/**
 * Validate a parsed config value: schema errors and semantic errors, all collected (never throws
 * for bad input), each located through the source map and sorted by position.
 * @param value the parsed config (from `parseConfigText`)
 * @param sourceMap the ranges of its keys and values
 * @param file the config file, used when a location falls back to the start of the file
 */
export function validateConfigValue(value: unknown, sourceMap: SourceMap, file: string): RmlInputError[] {
  if (value === null || value === undefined) {
    return [new RmlInputError("the config file is empty; it needs at least 'name' and 'data'", { file, line: 1, column: 1 })];
  }
  if (!isObject(value)) {
    return [new RmlInputError(`the config must be an object of keys and values, got ${describe(value)}`, locate(sourceMap, []))];
  }
  const validate = schemaValidator();
  const ok = validate(value);
  const errors: RmlInputError[] = [];
  if (!ok && validate.errors) {
    // Inside the lint section the lint reports its own problems (RML103, with the known names and
    // a suggestion), and they never stop training: the schema only describes it for the editor.
    const simplified = simplifyAlternatives(validate.errors.filter((e) => !e.instancePath.startsWith('/lint/') && !(e.instancePath === '/lint' && e.keyword === 'additionalProperties')));
    // A propertyNames error is reported by its inner error, which names the reason.
    const named = new Set(simplified.filter((e) => e.propertyName !== undefined).map((e) => `${e.instancePath}/${e.propertyName}`));
    for (const e of simplified) {
      if (e.keyword === 'propertyNames' && named.has(`${e.instancePath}/${String(e.params.propertyName)}`)) continue;
      errors.push(toInputError(e, value, sourceMap));
    }
  }
  errors.push(...semanticErrors(value, sourceMap));
  return dedupe(errors).sort(byLocation);
}

// ---------------------------------------------------------------- helpers

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Where to report a problem with the value at `path` (value, else key if the value is empty, else ancestor). */
export function locate(sm: SourceMap, path: ConfigPath): SourceLocation {
  const p = [...path];
  const v = sm.valueRange(p);
  if (v) {
    const empty = v.endLine === v.line && v.endColumn === v.column;
    return (empty && sm.keyRange(p)) || v;
  }
  return sm.nearest(p);
}

/** The name used in messages: `data.target`, or `the config` for the root. */
function fieldName(path: ConfigPath): string {
  return path.length ? formatPath(path) : 'the config';
}

function describe(v: unknown): string {
  if (v === null || v === undefined) return 'nothing (null)';
  if (typeof v === 'string') return `the string '${v.length > 40 ? `${v.slice(0, 40)}…` : v}'`;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (Array.isArray(v)) return 'a list';
  return 'an object';
}

function showValue(v: unknown): string {
  return typeof v === 'string' ? `'${v}'` : JSON.stringify(v);
}

const TYPE_NAMES: Record<string, string> = {
  string: 'a string',
  number: 'a number',
  integer: 'an integer',
  boolean: 'true or false',
  object: 'an object',
  array: 'a list',
  null: 'null',
};

function typeList(types: string[]): string {
  if (types.length === 1 && types[0] === 'boolean') return 'true or false';
  const names = types.map((t) => (t === 'boolean' ? 'a boolean' : (TYPE_NAMES[t] ?? t)));
  return names.length > 1 ? `${names.slice(0, -1).join(', ')} or ${names[names.length - 1]}` : names[0];
}

function orList(values: unknown[]): string {
  const shown = values.map(showValue);
  return shown.length > 1 ? `${shown.slice(0, -1).join(', ')} or ${shown[shown.length - 1]}` : shown[0];
}

/** Levenshtein distance (small strings only). */
function distance(a: string, b: string): number {
  const prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let diag = prev[0];
    prev[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = prev[j];
      prev[j] = Math.min(prev[j] + 1, prev[j - 1] + 1, diag + (a[i - 1] === b[j - 1] ? 0 : 1));
      diag = tmp;
    }
  }
  return prev[b.length];
}

/** The closest candidate to a misspelt word, if it is close enough. */
function suggest(word: string, candidates: string[]): string | undefined {
  let best: string | undefined;
  let bestD = Infinity;
  for (const c of candidates) {
    const d = c.toLowerCase() === word.toLowerCase() ? 0 : distance(word.toLowerCase(), c.toLowerCase());
    if (d < bestD) {
      best = c;
      bestD = d;
    }
  }
  return best !== undefined && bestD <= Math.max(1, Math.floor(best.length / 3)) ? best : undefined;
}

/** An ajv instance path (`/data/features/0`) as a key path, with numbers for array indices. */
function toPath(instancePath: string, root: unknown): (string | number)[] {
  if (!instancePath) return [];
  const out: (string | number)[] = [];
  let cur: unknown = root;
  for (const raw of instancePath.slice(1).split('/')) {
    const seg = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (Array.isArray(cur)) {
      const i = Number(seg);
      out.push(i);
      cur = cur[i];
    } else {
      out.push(seg);
      cur = isObject(cur) ? cur[seg] : undefined;
    }
  }
  return out;
}

function valueAt(root: unknown, path: ConfigPath): unknown {
  let cur = root;
  for (const seg of path) {
    if (Array.isArray(cur) && typeof seg === 'number') cur = cur[seg];
    else if (isObject(cur)) cur = cur[String(seg)];
    else return undefined;
  }
  return cur;
}

function schemaTypes(schema: unknown): string[] {
  if (!isObject(schema)) return [];
  const t = schema.type;
  return Array.isArray(t) ? t.map(String) : typeof t === 'string' ? [t] : [];
}

/**
 * Replace the errors of failed `anyOf`/`oneOf` alternatives with the errors of the alternative
 * the value was evidently meant for (the ones whose type matches), or with a single
 * "must be X or Y" error when no alternative has the value's type.
 */
function simplifyAlternatives(input: ErrorObject[]): ErrorObject[] {
  let errors = [...input];
  const groups = errors
    .filter((e) => e.keyword === 'anyOf' || e.keyword === 'oneOf')
    .sort((a, b) => b.schemaPath.length - a.schemaPath.length); // innermost first
  for (const group of groups) {
    const prefix = `${group.schemaPath}/`;
    const branches = new Map<number, ErrorObject[]>();
    const inside = (e: ErrorObject) => e.instancePath === group.instancePath || e.instancePath.startsWith(`${group.instancePath}/`);
    for (const e of errors) {
      // The same schema applies to every item of a list: only this value's errors belong here.
      if (!e.schemaPath.startsWith(prefix) || !inside(e)) continue;
      const idx = parseInt(e.schemaPath.slice(prefix.length), 10);
      branches.set(idx, [...(branches.get(idx) ?? []), e]);
    }
    if (branches.size === 0) continue; // oneOf matched several alternatives: keep its own error
    const mismatched = (list: ErrorObject[]) => list.some((e) => e.keyword === 'type' && e.instancePath === group.instancePath);
    const kept = [...branches.values()].filter((list) => !mismatched(list)).flat();
    const branchSet = new Set([...branches.values()].flat());
    errors = errors.filter((e) => e !== group && !branchSet.has(e));
    if (kept.length > 0) {
      errors.push(...kept);
    } else {
      const alternatives = Array.isArray(group.schema) ? group.schema : [];
      const types = [...new Set(alternatives.flatMap(schemaTypes))];
      errors.push({
        ...group,
        keyword: 'type',
        schemaPath: `${group.schemaPath}/type`,
        params: { type: types.join(',') },
        parentSchema: { type: types },
      });
    }
  }
  return errors;
}

function comparisonText(e: ErrorObject): string {
  const p = e.params as { comparison?: string; limit?: number };
  return `${p.comparison ?? ''} ${p.limit ?? ''}`.trim();
}

/** One ajv error as a located RmlInputError. */
function toInputError(e: ErrorObject, root: unknown, sm: SourceMap): RmlInputError {
  const path = toPath(e.instancePath, root);
  const f = fieldName(path);
  const value = valueAt(root, path);
  const got = `, got ${describe(value)}`;
  const field = formatPath(path) || undefined;
  const params = e.params as Record<string, unknown>;
  const numberKind = schemaTypes(e.parentSchema).includes('integer') ? 'an integer' : 'a number';

  switch (e.keyword) {
    case 'additionalProperties': {
      const key = String(params.additionalProperty);
      const allowed = isObject(e.parentSchema) && isObject(e.parentSchema.properties) ? Object.keys(e.parentSchema.properties) : [];
      const near = suggest(key, allowed);
      const hint = near ? ` (did you mean '${near}'?)` : allowed.length ? `; expected one of: ${allowed.join(', ')}` : '';
      const where = path.length ? ` in ${f}` : '';
      const keyPath = [...path, key];
      return new RmlInputError(`unknown key '${key}'${where}${hint}`, sm.keyRange(keyPath) ?? locate(sm, path), formatPath(keyPath));
    }
    case 'required': {
      const key = String(params.missingProperty);
      const where = path.length ? ` in ${f}` : '';
      const keyPath = [...path, key];
      return new RmlInputError(`missing required key '${key}'${where}`, sm.nearest(keyPath), formatPath(keyPath));
    }
    case 'type': {
      const types = String(params.type).split(',');
      return new RmlInputError(`${f} must be ${typeList(types)}${got}`, locate(sm, path), field);
    }
    case 'minimum':
    case 'maximum':
    case 'exclusiveMinimum':
    case 'exclusiveMaximum':
      return new RmlInputError(`${f} must be ${numberKind} ${comparisonText(e)}${got}`, locate(sm, path), field);
    case 'enum': {
      const allowed = Array.isArray(params.allowedValues) ? (params.allowedValues as unknown[]) : [];
      const near = typeof value === 'string' ? suggest(value, allowed.map(String)) : undefined;
      const hint = near ? ` (did you mean '${near}'?)` : '';
      const what = allowed.length <= 2 ? orList(allowed) : `one of ${orList(allowed)}`;
      return new RmlInputError(`${f} must be ${what}${got}${hint}`, locate(sm, path), field);
    }
    case 'const':
      return new RmlInputError(`${f} must be ${showValue(params.allowedValue)}${got}`, locate(sm, path), field);
    case 'minLength':
      return new RmlInputError(
        Number(params.limit) === 1 ? `${f} must not be empty` : `${f} must have at least ${String(params.limit)} characters`,
        locate(sm, path),
        field,
      );
    case 'maxLength':
      return new RmlInputError(`${f} must have at most ${String(params.limit)} characters${got}`, locate(sm, path), field);
    case 'minItems':
      return new RmlInputError(
        Number(params.limit) === 1 ? `${f} must not be an empty list` : `${f} must have at least ${String(params.limit)} items`,
        locate(sm, path),
        field,
      );
    case 'maxItems':
      return new RmlInputError(`${f} must have at most ${String(params.limit)} items`, locate(sm, path), field);
    case 'uniqueItems': {
      const dup = Math.max(Number(params.i), Number(params.j));
      const item = Array.isArray(value) ? value[dup] : undefined;
      const itemPath = [...path, dup];
      return new RmlInputError(`${f} lists ${showValue(item)} more than once`, locate(sm, itemPath), formatPath(itemPath));
    }
    case 'pattern': {
      if (e.propertyName !== undefined) {
        const keyPath = [...path, e.propertyName];
        const why = f === 'lint.rules' ? 'lint rule ids look like RML001' : `keys must match ${String(params.pattern)}`;
        return new RmlInputError(`invalid key '${e.propertyName}' in ${f}: ${why}`, sm.keyRange(keyPath) ?? locate(sm, path), formatPath(keyPath));
      }
      const why = f === 'data.delimiter' ? 'must not contain quotes or line breaks' : `must match the pattern ${String(params.pattern)}`;
      return new RmlInputError(`${f} ${why}${got}`, locate(sm, path), field);
    }
    case 'propertyNames': {
      const name = String(params.propertyName);
      const keyPath = [...path, name];
      return new RmlInputError(`invalid key '${name}' in ${f}`, sm.keyRange(keyPath) ?? locate(sm, path), formatPath(keyPath));
    }
    default:
      return new RmlInputError(`${f} ${e.message ?? 'is invalid'}`, locate(sm, path), field);
  }
}

/** Drop errors with the same message at the same place. */
function dedupe(errors: RmlInputError[]): RmlInputError[] {
  const seen = new Set<string>();
  const out: RmlInputError[] = [];
  for (const e of errors) {
    const l = e.location;
    const k = `${e.message}@${l ? `${l.line}:${l.column}` : ''}`;
    if (seen.has(k)) continue;
    seen.add(k);
    out.push(e);
  }
  return out;
}

// ---------------------------------------------------------------- semantic checks

function strings(v: unknown): string[] {
  return Array.isArray(v) ? v.map((x) => (typeof x === 'string' ? x : '\u0000')) : [];
}

function fraction(v: unknown): number | undefined {
  return typeof v === 'number' && Number.isFinite(v) && v >= 0 && v < 1 ? v : undefined;
}

function round(x: number): string {
  return String(Number(x.toPrecision(12)));
}

/** The checks that JSON Schema can't express. Only parts with the right shape are checked. */
function semanticErrors(cfg: Record<string, unknown>, sm: SourceMap): RmlInputError[] {
  const errors: RmlInputError[] = [];
  const err = (message: string, path: ConfigPath, at = locate(sm, path)) => errors.push(new RmlInputError(message, at, formatPath(path)));
  const data = isObject(cfg.data) ? cfg.data : {};
  const split = isObject(cfg.split) ? cfg.split : {};
  const model = isObject(cfg.model) ? cfg.model : {};
  const train = isObject(cfg.train) ? cfg.train : {};
  const evaluate = isObject(cfg.evaluate) ? cfg.evaluate : {};
  const fairness = isObject(cfg.fairness) ? cfg.fairness : {};

  // data: the target is not an input, ignored or sensitive; a column is not both a feature and ignored.
  const target = typeof data.target === 'string' ? data.target : undefined;
  const features = strings(data.features);
  const ignore = strings(data.ignore);
  const sensitive = strings(data.sensitive);
  if (target !== undefined) {
    features.forEach((c, i) => {
      if (c === target) err(`data.features includes the target column '${target}'; the label can't be a model input`, ['data', 'features', i]);
    });
    ignore.forEach((c, i) => {
      if (c === target) err(`data.ignore includes the target column '${target}'`, ['data', 'ignore', i]);
    });
    sensitive.forEach((c, i) => {
      if (c === target) err(`data.sensitive includes the target column '${target}'; a sensitive attribute can't be the label`, ['data', 'sensitive', i]);
    });
  }
  const featureSet = new Set(features);
  ignore.forEach((c, i) => {
    if (featureSet.has(c) && c !== target) err(`column '${c}' is in both data.features and data.ignore`, ['data', 'ignore', i]);
  });

  // split: something must be left for training.
  const test = split.test === undefined ? DEFAULT_TEST : fraction(split.test);
  const validation = split.validation === undefined ? DEFAULT_VALIDATION : fraction(split.validation);
  if (test !== undefined && validation !== undefined && test + validation >= 1 - 1e-9) {
    const show = (v: number, key: string) => `${round(v)}${split[key] === undefined ? ' (default)' : ''}`;
    const at: ConfigPath = split.test !== undefined ? ['split', 'test'] : ['split', 'validation'];
    err(
      `split.test + split.validation must be < 1 so that rows are left for training (got ${show(test, 'test')} + ${show(validation, 'validation')} = ${round(test + validation)})`,
      at,
    );
  }

  // model: hidden layers, activation and dropout only exist in an mlp.
  const modelType = typeof model.type === 'string' ? model.type : 'logistic';
  if (modelType !== 'mlp') {
    const how = model.type === undefined ? "is 'logistic' by default" : `is '${modelType}'`;
    for (const key of ['hidden', 'activation', 'dropout']) {
      if (model[key] !== undefined) {
        err(`model.${key} only applies to model.type 'mlp' (model.type ${how})`, ['model', key], sm.keyRange(['model', key]) ?? locate(sm, ['model', key]));
      }
    }
  }
  if (modelType === 'linear') {
    if (data.positive !== undefined) err("data.positive is for classification, but model.type 'linear' is regression", ['data', 'positive']);
    if (train.classWeight !== undefined) err("train.classWeight is for classification, but model.type 'linear' is regression", ['train', 'classWeight']);
    if (typeof fairness.mitigation === 'string' && fairness.mitigation !== 'none') {
      err(`fairness.mitigation '${fairness.mitigation}' is for classification, but model.type 'linear' is regression`, ['fairness', 'mitigation']);
    }
  }

  // train: early stopping watches the validation loss.
  if (train.earlyStopping !== undefined && split.validation === 0) {
    err('train.earlyStopping needs validation rows, but split.validation is 0', ['train', 'earlyStopping'], sm.keyRange(['train', 'earlyStopping']));
  }

  // evaluate: one fold is no cross-validation.
  if (evaluate.crossValidation === 1) err('evaluate.crossValidation must be 0 (off) or at least 2 folds, got 1', ['evaluate', 'crossValidation']);

  // fairness: privileged groups and mitigation are defined on sensitive columns.
  const sensitiveSet = new Set(sensitive);
  if (isObject(fairness.privileged)) {
    for (const col of Object.keys(fairness.privileged)) {
      if (!sensitiveSet.has(col)) {
        const p = ['fairness', 'privileged', col];
        err(`fairness.privileged names column '${col}', which is not listed in data.sensitive`, p, sm.keyRange(p) ?? locate(sm, p));
      }
    }
  }
  if (typeof fairness.mitigation === 'string' && fairness.mitigation !== 'none' && sensitive.length === 0 && modelType !== 'linear') {
    err(`fairness.mitigation '${fairness.mitigation}' needs at least one column in data.sensitive`, ['fairness', 'mitigation']);
  }
  return errors;
}
