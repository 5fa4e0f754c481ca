/**
 * Loading a training config: read → parse → validate → check the data path stays inside the
 * workspace root → fill every default, producing a TrainingConfig. All input problems are
 * collected and thrown together as one RmlInputErrors (or returned, for the lint).
 */
import { createHash } from 'node:crypto';
import { promises as fsp, realpathSync } from 'node:fs';
import * as path from 'node:path';
import { RmlInputError, RmlInputErrors } from '../errors';
import { byLocation, configFormat, MAX_CONFIG_BYTES, parseConfigText } from './parse';
import type {
  DataConfig,
  EvaluateConfig,
  FairnessConfig,
  ModelConfig,
  PreprocessConfig,
  SourceMap,
  SplitConfig,
  TrainConfig,
  TrainingConfig,
} from './types';
import { locate, validateConfigValue } from './validate';

/** Options for loading a config. */
export interface LoadConfigOptions {
  /** The workspace root: `data.path` must resolve inside it (symbolic links included). */
  root: string;
}

/** The result of checking a config's text without throwing. */
export interface ConfigValidationResult {
  /** The config with defaults, when there are no errors. */
  config?: TrainingConfig;
  /** Every problem found, sorted by position; empty when the config is valid. */
  errors: RmlInputError[];
}

/** Defaults filled in by the loader (the schema's `default`s say the same). */
export const CONFIG_DEFAULTS = {
  delimiter: ',',
  missing: ['', 'NA', 'N/A', '?', 'null'],
  encoding: 'utf-8',
  test: 0.2,
  validation: 0.1,
  stratify: true,
  preprocessMissing: 'impute',
  scale: 'standard',
  maxCategories: 50,
  modelType: 'logistic',
  mlpHidden: [50],
  activation: 'relu',
  dropout: 0,
  epochs: 20,
  batchSize: 256,
  optimizer: 'adam',
  learningRateAdam: 0.01,
  learningRateSgd: 0.1,
  l1: 0,
  l2: 0,
  patience: 5,
  crossValidation: 0,
  threshold: 0.5,
  mitigation: 'none',
  minGroupSize: 30,
} as const;

/**
 * Read, parse and validate a training config file and fill its defaults.
 * @param file the config file (`*.rml.json`, `*.rml.yaml`, `*.rml.yml`); made absolute
 * @param opts `root`: the workspace root that `data.path` must stay inside
 * @throws RmlInputErrors with every problem (unreadable or missing file, file over 1 MB,
 *   syntax errors, schema and semantic errors, data path outside the root)
 */
export async function loadConfig(file: string, opts: LoadConfigOptions): Promise<TrainingConfig> {
  const abs = path.resolve(file);
  let bytes: Buffer;
  try {
    const st = await fsp.stat(abs);
    if (st.isDirectory()) throw new RmlInputError(`cannot read config file '${abs}': it is a directory`);
    if (st.size > MAX_CONFIG_BYTES) throw tooLarge(abs, st.size);
    bytes = await fsp.readFile(abs);
  } catch (err) {
    if (err instanceof RmlInputError) throw new RmlInputErrors([err]);
    throw new RmlInputErrors([new RmlInputError(`cannot read config file '${abs}': ${ioReason(err)}`)]);
  }
  if (bytes.length > MAX_CONFIG_BYTES) throw new RmlInputErrors([tooLarge(abs, bytes.length)]);
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes); // also drops a byte order mark
  } catch {
    throw new RmlInputErrors([new RmlInputError('config file is not valid UTF-8 text', { file: abs, line: 1, column: 1 })]);
  }
  const result = analyse(text, abs, opts, sha256(bytes));
  if (!result.config) throw new RmlInputErrors(result.errors);
  return result.config;
}

/**
 * Parse and validate config text that may not be saved yet (an editor buffer) and fill its
 * defaults. `hash` is the sha256 of the text's UTF-8 bytes.
 * @param text the config's content
 * @param file the config's path (chooses JSON or YAML; `data.path` is relative to its folder)
 * @param opts `root`: the workspace root that `data.path` must stay inside
 * @throws RmlInputErrors with every problem found
 */
export function loadConfigFromText(text: string, file: string, opts: LoadConfigOptions): TrainingConfig {
  const result = validateConfigText(text, file, opts);
  if (!result.config) throw new RmlInputErrors(result.errors);
  return result.config;
}

/**
 * Check config text and return the config (when valid) and every problem found, sorted by
 * position. Never throws for bad input: this is what the lint and the editor diagnostics use.
 * @param text the config's content
 * @param file the config's path (chooses JSON or YAML; `data.path` is relative to its folder)
 * @param opts `root`: the workspace root that `data.path` must stay inside
 */
export function validateConfigText(text: string, file: string, opts: LoadConfigOptions): ConfigValidationResult {
  const abs = path.resolve(file);
  return analyse(text, abs, opts, sha256(Buffer.from(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text, 'utf8')));
}

// ---------------------------------------------------------------- internals

function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

function tooLarge(file: string, size: number): RmlInputError {
  return new RmlInputError(`config file is too large (${size} bytes; the limit is ${MAX_CONFIG_BYTES} bytes, 1 MB)`, { file, line: 1, column: 1 });
}

function ioReason(err: unknown): string {
  const code = (err as { code?: unknown } | null)?.code;
  if (code === 'ENOENT') return 'no such file';
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
  if (code === 'EISDIR') return 'it is a directory';
  return err instanceof Error ? err.message : String(err);
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function analyse(text: string, file: string, opts: LoadConfigOptions, hash: string): ConfigValidationResult {
  const parsed = parseConfigText(text, file);
  if (parsed.errors.length > 0) return { errors: parsed.errors };
  const { value, sourceMap } = parsed;
  const errors = validateConfigValue(value, sourceMap, file);

  const data = isObject(value) && isObject(value.data) ? value.data : undefined;
  let resolvedPath: string | undefined;
  if (data && typeof data.path === 'string' && data.path !== '') {
    const r = resolveDataPath(data.path, file, opts.root);
    if (typeof r === 'string') resolvedPath = r;
    else errors.push(new RmlInputError(r.error, locate(sourceMap, ['data', 'path']), 'data.path'));
  }
  if (errors.length > 0 || resolvedPath === undefined) return { errors: errors.sort(byLocation) };
  const config = withDefaults(value as RawConfig, {
    file,
    format: configFormat(file, text),
    hash,
    sourceMap,
    resolvedPath,
  });
  return { config, errors: [] };
}

/** Whether `p` is `root` or inside it (both absolute). */
function isInside(root: string, p: string): boolean {
  const norm = (s: string) => (process.platform === 'win32' ? s.toLowerCase() : s);
  const rel = path.relative(norm(root), norm(p));
  return rel === '' || !(rel === '..' || rel.startsWith(`..${path.sep}`) || path.isAbsolute(rel));
}

/** The real path of `p`, resolving symbolic links in its deepest existing ancestor. */
function realpathDeepest(p: string): string {
  const rest: string[] = [];
  let cur = p;
  for (;;) {
    try {
      return path.join(realpathSync.native(cur), ...rest);
    } catch {
      const parent = path.dirname(cur);
      if (parent === cur) return p;
      rest.unshift(path.basename(cur));
      cur = parent;
    }
  }
}

/** Resolve `data.path` against the config's folder; refuse it when it leaves the root. */
function resolveDataPath(dataPath: string, configFile: string, root: string): string | { error: string } {
  if (dataPath.includes('\0')) return { error: 'data.path must not contain NUL characters' };
  const rootAbs = path.resolve(root);
  const resolved = path.resolve(path.dirname(configFile), dataPath);
  if (!isInside(rootAbs, resolved)) {
    return { error: `data.path '${dataPath}' resolves to '${resolved}', outside the workspace root '${rootAbs}'; data files must be inside it` };
  }
  const realRoot = realpathDeepest(rootAbs);
  const real = realpathDeepest(resolved);
  if (!isInside(realRoot, real)) {
    return { error: `data.path '${dataPath}' leads through a symbolic link to '${real}', outside the workspace root '${realRoot}'; data files must be inside it` };
  }
  return resolved;
}

// ---------------------------------------------------------------- defaults

/** The shape of a config that passed validation (every key optional unless required). */
interface RawConfig {
  name: string;
  description?: string;
  data: {
    path: string;
    target: string;
    positive?: string | number | boolean;
    features?: string[];
    ignore?: string[];
    sensitive?: string[];
    license?: string;
    delimiter?: string;
    missing?: string[];
    encoding?: DataConfig['encoding'];
  };
  split?: Partial<SplitConfig>;
  preprocess?: {
    missing?: PreprocessConfig['missing'];
    scale?: PreprocessConfig['scale'];
    categorical?: 'onehot' | { encoding?: 'onehot'; maxCategories?: number };
  };
  model?: Partial<ModelConfig>;
  train?: Omit<Partial<TrainConfig>, 'earlyStopping'> & { earlyStopping?: { patience?: number; metric?: 'val_loss' } };
  evaluate?: Partial<EvaluateConfig>;
  fairness?: {
    thresholds?: Record<string, number>;
    privileged?: Record<string, string | number | boolean>;
    mitigation?: FairnessConfig['mitigation'];
    minGroupSize?: number;
  };
  documentation?: Record<string, unknown>;
  lint?: Record<string, unknown>;
  privacy?: TrainingConfig['privacy'];
  sustainability?: TrainingConfig['sustainability'];
}

interface Meta {
  file: string;
  format: TrainingConfig['format'];
  hash: string;
  sourceMap: SourceMap;
  resolvedPath: string;
}

/** Copy `value` under `key` only when it is defined (keeps absent optionals absent). */
function opt<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: V };
}

function withDefaults(raw: RawConfig, meta: Meta): TrainingConfig {
  const D = CONFIG_DEFAULTS;
  const d = raw.data;
  const data: DataConfig = {
    path: d.path,
    resolvedPath: meta.resolvedPath,
    target: d.target,
    ...opt('positive', d.positive === undefined ? undefined : String(d.positive)),
    ...opt('features', d.features ? [...d.features] : undefined),
    ignore: [...(d.ignore ?? [])],
    sensitive: [...(d.sensitive ?? [])],
    ...opt('license', d.license),
    delimiter: d.delimiter ?? D.delimiter,
    missing: [...(d.missing ?? D.missing)],
    encoding: d.encoding ?? D.encoding,
  };

  const s = raw.split ?? {};
  const split: SplitConfig = {
    test: s.test ?? D.test,
    validation: s.validation ?? D.validation,
    stratify: s.stratify ?? D.stratify,
    ...opt('seed', s.seed),
  };

  const p = raw.preprocess ?? {};
  const cat = typeof p.categorical === 'object' ? p.categorical : {};
  const preprocess: PreprocessConfig = {
    missing: p.missing ?? D.preprocessMissing,
    scale: p.scale ?? D.scale,
    categorical: { encoding: cat.encoding ?? 'onehot', maxCategories: cat.maxCategories ?? D.maxCategories },
  };

  const m = raw.model ?? {};
  const type = m.type ?? D.modelType;
  const model: ModelConfig = {
    type,
    hidden: [...(m.hidden ?? (type === 'mlp' ? D.mlpHidden : []))],
    activation: m.activation ?? D.activation,
    dropout: m.dropout ?? D.dropout,
  };

  const t = raw.train ?? {};
  const optimizer = t.optimizer ?? D.optimizer;
  const train: TrainConfig = {
    epochs: t.epochs ?? D.epochs,
    batchSize: t.batchSize ?? D.batchSize,
    optimizer,
    learningRate: t.learningRate ?? (optimizer === 'sgd' ? D.learningRateSgd : D.learningRateAdam),
    l1: t.l1 ?? D.l1,
    l2: t.l2 ?? D.l2,
    ...opt(
      'earlyStopping',
      t.earlyStopping ? { patience: t.earlyStopping.patience ?? D.patience, metric: t.earlyStopping.metric ?? 'val_loss' } : undefined,
    ),
    ...opt('seed', t.seed),
    ...opt('classWeight', t.classWeight),
  };

  const e = raw.evaluate ?? {};
  const evaluate: EvaluateConfig = {
    crossValidation: e.crossValidation ?? D.crossValidation,
    threshold: e.threshold ?? D.threshold,
  };

  const f = raw.fairness ?? {};
  const fairness: FairnessConfig = {
    thresholds: { ...(f.thresholds ?? {}) },
    privileged: Object.fromEntries(Object.entries(f.privileged ?? {}).map(([k, v]) => [k, String(v)])),
    mitigation: f.mitigation ?? D.mitigation,
    minGroupSize: f.minGroupSize ?? D.minGroupSize,
  };

  return {
    file: meta.file,
    format: meta.format,
    name: raw.name,
    ...opt('description', raw.description),
    data,
    split,
    preprocess,
    model,
    train,
    evaluate,
    fairness,
    documentation: raw.documentation ?? {},
    lint: raw.lint ?? {},
    privacy: raw.privacy ?? {},
    sustainability: raw.sustainability ?? {},
    raw,
    hash: meta.hash,
    sourceMap: meta.sourceMap,
  };
}
