/**
 * What the rules see: the loaded config and its text, the resolved thresholds, the data sample
 * (when the data could be read), and shared, memoised analyses (column roles, PII and
 * protected-attribute detection, the target's labels, column encodings), plus helpers that turn
 * config paths and columns into ranges and build the common fixes.
 */
import type { Task, TrainingConfig } from '../config/types';
import type { Column, Dataset } from '../data/types';
import type { SourceLocation } from '../errors';
import { detectPii, maskPii, type PiiColumnMatch } from '../privacy/pii';
import { ConfigEditor, type EditValue } from './edits';
import type { SampleSource } from './cache';
import type { RawSample } from './sample';
import { detectProtectedAttribute, type ProtectedDetection } from './sensitive';
import type { Thresholds } from './settings';
import { capCategories, encodeCategories, quantileBins, twoFolds, type Encoded } from './stats';
import type { Finding, Fix, Range, RelatedLocation, RuleMeta, Severity, TextEdit } from './types';

/** The data sample as the rules see it. */
export interface DataContext {
  sample: RawSample;
  /** The sampled rows as a Dataset (missing tokens applied, types inferred). */
  ds: Dataset;
  /** Rows in the whole file. */
  totalRows: number;
  /** Whether `ds` holds fewer rows than the file. */
  sampled: boolean;
  source: SampleSource;
  /** One typed column by name, without building `ds` when it is not built yet (default: from `ds`). */
  columnNamed?: (name: string) => Column | undefined;
}

/** The target column as labels, on the sampled rows. */
export interface TargetInfo {
  column: Column;
  task: Task;
  /** Binary: [`not <positive>`, positive]; multiclass: the sorted class values; regression: []. */
  classes: string[];
  /** Per sampled row: 0/1 (binary), the class index (multiclass) or the value (regression); NaN where missing. */
  y: Float64Array;
  /** Rows per class (classification). */
  counts: number[];
  /** Sampled rows with a target value. */
  labelled: number;
}

/** Arguments of {@link LintContext.finding}. */
export interface FindingArgs {
  at: Range;
  message: string;
  severity?: Severity;
  column?: string;
  related?: RelatedLocation[];
  fixes?: (Fix | undefined)[];
  data?: Record<string, unknown>;
}

export class LintContext {
  readonly editor: ConfigEditor;
  data: DataContext | undefined;
  private readonly memo = new Map<string, unknown>();

  constructor(
    readonly config: TrainingConfig,
    readonly text: string,
    readonly thresholds: Thresholds,
    readonly now: Date,
  ) {
    this.editor = new ConfigEditor(text, config.file, config.format);
  }

  get file(): string {
    return this.config.file;
  }

  // ------------------------------------------------------------------------------------------
  // Findings

  /** A finding of `meta`'s rule (severity defaults to the rule's; fixes that could not be built are dropped). */
  finding(meta: RuleMeta, a: FindingArgs): Finding {
    const f: Finding = { ruleId: meta.id, ruleName: meta.name, severity: a.severity ?? meta.defaultSeverity, message: a.message, ...a.at };
    if (a.column !== undefined) f.column = a.column;
    if (a.related && a.related.length > 0) f.related = a.related;
    const fixes = (a.fixes ?? []).filter((x): x is Fix => x !== undefined && x.edits.length > 0);
    if (fixes.length > 0) f.fixes = fixes;
    if (a.data) f.data = a.data;
    return f;
  }

  /** A fix from edits, or undefined when the edits could not be computed. */
  fix(title: string, ...edits: (TextEdit[] | undefined)[]): Fix | undefined {
    if (edits.some((e) => e === undefined)) return undefined;
    const all = edits.flat() as TextEdit[];
    return all.length > 0 ? { title, edits: all } : undefined;
  }

  // ------------------------------------------------------------------------------------------
  // Config access and ranges

  /** The raw (as written, before defaults) config value at `path`. */
  raw(path: readonly (string | number)[]): unknown {
    let v: unknown = this.config.raw;
    for (const seg of path) {
      if (typeof v !== 'object' || v === null) return undefined;
      v = (v as Record<string | number, unknown>)[seg];
    }
    return v;
  }

  /** Whether the config sets `path` itself (not by default). */
  has(path: readonly (string | number)[]): boolean {
    return this.raw(path) !== undefined;
  }

  /** A source location as a Range (a missing end makes it an empty range at the start). */
  range(loc: SourceLocation): Range {
    return { file: loc.file, line: loc.line, startColumn: loc.column, endLine: loc.endLine ?? loc.line, endColumn: loc.endColumn ?? loc.column };
  }

  /** The value at `path`, else the {@link anchor} of `path`. */
  valueRange(path: (string | number)[]): Range {
    const v = this.config.sourceMap.valueRange(path);
    return v ? this.range(v) : this.anchor(path);
  }

  /** From the key's start to the value's end (a whole `key: value` entry), else the anchor. */
  entryRange(path: (string | number)[]): Range {
    const k = this.config.sourceMap.keyRange(path);
    const v = this.config.sourceMap.valueRange(path);
    if (k && v) return { file: k.file, line: k.line, startColumn: k.column, endLine: v.endLine ?? v.line, endColumn: v.endColumn ?? v.column };
    return this.valueRange(path);
  }

  /**
   * Where to report something about `path` when it may be absent: the key of `path` or of its
   * closest existing ancestor, else the config's first key (usually `name`).
   */
  anchor(path: (string | number)[]): Range {
    for (let n = path.length; n > 0; n--) {
      const k = this.config.sourceMap.keyRange(path.slice(0, n));
      if (k) return this.range(k);
    }
    const raw = this.config.raw;
    const first = typeof raw === 'object' && raw !== null ? Object.keys(raw)[0] : undefined;
    const k = first !== undefined ? this.config.sourceMap.keyRange([first]) : undefined;
    return k ? this.range(k) : { file: this.file, line: 1, startColumn: 1, endLine: 1, endColumn: 1 };
  }

  /** The header cell of a data column (line 1 of the data file when unknown). */
  headerRange(column: string): Range {
    const file = this.data?.sample.file ?? this.config.data.resolvedPath;
    const cell = this.data?.ds.header.find((h) => h.name === column);
    if (!cell) return { file, line: 1, startColumn: 1, endLine: 1, endColumn: 1 };
    return { file, line: cell.line, startColumn: cell.startColumn, endLine: cell.line, endColumn: Math.max(cell.endColumn, cell.startColumn) };
  }

  /** The config entries that name `column` (target, features, sensitive, ignore, privileged), else `data.path`. */
  related(column: string): RelatedLocation[] {
    const out: RelatedLocation[] = [];
    const d = this.config.data;
    const at = (path: (string | number)[], message: string) => {
      const loc = this.config.sourceMap.valueRange(path);
      if (loc) out.push({ ...this.range(loc), message });
    };
    if (d.target === column) at(['data', 'target'], `'${column}' is the target (data.target)`);
    d.features?.forEach((f, i) => f === column && at(['data', 'features', i], `'${column}' is listed in data.features`));
    d.sensitive.forEach((f, i) => f === column && at(['data', 'sensitive', i], `'${column}' is declared in data.sensitive`));
    d.ignore.forEach((f, i) => f === column && at(['data', 'ignore', i], `'${column}' is listed in data.ignore`));
    if (out.length === 0) at(['data', 'path'], `the data file, read by this config (data.path)`);
    return out;
  }

  // ------------------------------------------------------------------------------------------
  // Column roles

  /** Names of the data columns, in file order (empty without data). */
  get columns(): string[] {
    if (!this.data) return [];
    return this.memoize('columns', () => (this.data ? this.data.sample.header.map((h) => h.name) : []));
  }

  /** The model inputs: `data.features` as listed (those in the data), else every column but target, ignore and sensitive. */
  get inputs(): string[] {
    return this.memoize('inputs', () => inputColumns(this.config, this.columns));
  }

  isInput(column: string): boolean {
    return this.memoize('inputSet', () => new Set(this.inputs)).has(column);
  }

  /** Declared sensitive columns present in the data. */
  get declared(): string[] {
    return this.memoize('declared', () => {
      const present = new Set(this.columns);
      return this.config.data.sensitive.filter((s) => present.has(s));
    });
  }

  column(name: string): Column | undefined {
    if (!this.data) return undefined;
    return this.data.columnNamed ? this.data.columnNamed(name) : this.data.ds.byName.get(name);
  }

  // ------------------------------------------------------------------------------------------
  // Shared analyses

  /** PII detected in a column (RML001), strongest evidence first. */
  pii(column: string): PiiColumnMatch[] {
    return this.memoize(`pii:${column}`, () => {
      const col = this.column(column);
      if (!col) return [];
      return detectPii(col.name, col.values, { valueShare: this.thresholds.piiValueShare, headerValueShare: this.thresholds.piiHeaderValueShare, now: this.now });
    });
  }

  /** The protected attribute a column looks like, if any. */
  protectedAttribute(column: string): ProtectedDetection | undefined {
    return this.memoize(`protected:${column}`, () => {
      const col = this.column(column);
      if (!col || column === this.config.data.target) return undefined;
      return detectProtectedAttribute(col.name, col.values, { valueShare: this.thresholds.sensitiveValueShare });
    });
  }

  /** Columns that look protected but are not declared (nor the target), in file order. */
  get detected(): string[] {
    return this.memoize('detected', () => {
      const declared = new Set(this.config.data.sensitive);
      return this.columns.filter((c) => !declared.has(c) && c !== this.config.data.target && this.protectedAttribute(c) !== undefined);
    });
  }

  /** Declared and detected sensitive columns (the set RML004 and RML009 check against). */
  get sensitiveColumns(): { column: string; declared: boolean }[] {
    return this.memoize('sensitiveColumns', () => [
      ...this.declared.map((column) => ({ column, declared: true })),
      ...this.detected.map((column) => ({ column, declared: false })),
    ]);
  }

  /**
   * The target as labels on the sampled rows, with the task decided as the engine decides it
   * (model.type linear → regression; data.positive → binary; a numeric target with non-integer
   * or more than 20 distinct values → regression; else multiclass). Undefined when the target
   * column is absent or has no values.
   */
  get target(): TargetInfo | undefined {
    return this.memoize('target', () => {
      const col = this.column(this.config.data.target);
      if (!col) return undefined;
      const n = col.values.length;
      const y = new Float64Array(n).fill(NaN);
      let labelled = 0;
      for (const v of col.values) if (v !== null) labelled++;
      if (labelled === 0) return undefined;
      const positive = this.config.data.positive;
      const regression =
        this.config.model.type === 'linear' || (positive === undefined && col.type === 'numeric' && col.numbers !== undefined && looksContinuous(col.numbers));
      if (regression) {
        if (!col.numbers) return undefined;
        for (let i = 0; i < n; i++) y[i] = col.numbers[i];
        return { column: col, task: 'regression', classes: [], y, counts: [], labelled };
      }
      if (positive !== undefined) {
        const counts = [0, 0];
        for (let i = 0; i < n; i++) {
          const v = col.values[i];
          if (v === null) continue;
          y[i] = v === positive ? 1 : 0;
          counts[y[i]]++;
        }
        return { column: col, task: 'binary', classes: [`not ${positive}`, positive], y, counts, labelled };
      }
      const distinct = [...new Set(col.values.filter((v): v is string => v !== null))].sort(compareLabels);
      const index = new Map(distinct.map((v, i) => [v, i]));
      const counts = new Array<number>(distinct.length).fill(0);
      for (let i = 0; i < n; i++) {
        const v = col.values[i];
        if (v === null) continue;
        y[i] = index.get(v) as number;
        counts[y[i]]++;
      }
      return { column: col, task: 'multiclass', classes: distinct, y, counts, labelled };
    });
  }

  /** A column as groups for association statistics: categories (at most 50), or quantile bins for numeric columns with more than 10 distinct values. */
  groups(column: string): Encoded | undefined {
    return this.memoize(`groups:${column}`, () => {
      const col = this.column(column);
      if (!col) return undefined;
      if (col.type === 'numeric' && col.numbers && distinctCount(col.numbers) > 10) return quantileBins(col.numbers, this.thresholds.proxyBins);
      const all = this.categories(column);
      return all ? capCategories(all, 50) : undefined;
    });
  }

  /** Every distinct value of a column as a code (first-appearance order; missing = -1). */
  categories(column: string): Encoded | undefined {
    return this.memoize(`categories:${column}`, () => {
      const col = this.column(column);
      return col ? encodeCategories(col.values, Infinity) : undefined;
    });
  }

  /** The seeded two-fold split of the sampled rows used by cross-fitted statistics. */
  folds(n: number): Uint8Array {
    return this.memoize(`folds:${n}`, () => twoFolds(n, 0x5eed));
  }

  /** A value of a column as it may appear in a message: masked when the column holds personal data (RML001's detectors). */
  display(column: string, value: string): string {
    const pii = this.pii(column)[0];
    return pii ? maskPii(pii.kind, value) : value;
  }

  /** Distinct non-missing values of a column in the sample. */
  distinct(column: string): number {
    return this.categories(column)?.labels.length ?? 0;
  }

  /** Memoise a computation for this lint run. */
  memoize<T>(key: string, compute: () => T): T {
    if (this.memo.has(key)) return this.memo.get(key) as T;
    const v = compute();
    this.memo.set(key, v);
    return v;
  }

  // ------------------------------------------------------------------------------------------
  // Common fixes

  /** Stop using a column as a feature: remove it from an explicit data.features, else add it to data.ignore. */
  excludeFix(column: string): Fix | undefined {
    const features = this.config.data.features;
    if (features) {
      const i = features.indexOf(column);
      if (i < 0 || features.length < 2) return undefined;
      return this.fix(`Remove '${column}' from data.features`, this.editor.removeFromList(['data', 'features'], i));
    }
    if (this.config.data.ignore.includes(column)) return undefined;
    return this.fix(`Add '${column}' to data.ignore (stop using it as a feature)`, this.editor.addToList(['data', 'ignore'], column));
  }

  /** Declare a column sensitive (moving it out of data.ignore when it is there). */
  declareFix(column: string): Fix | undefined {
    if (this.config.data.sensitive.includes(column)) return undefined;
    const i = this.config.data.ignore.indexOf(column);
    const add = this.editor.addToList(['data', 'sensitive'], column);
    if (i >= 0) return this.fix(`Move '${column}' from data.ignore to data.sensitive`, add, this.editor.removeFromList(['data', 'ignore'], i));
    return this.fix(`Declare '${column}' in data.sensitive`, add);
  }

  /** A fix that sets one config value. */
  setFix(title: string, path: (string | number)[], value: EditValue): Fix | undefined {
    return this.fix(title, this.editor.set(path, value));
  }
}

/** The model inputs among the data's columns: `data.features` as listed (those present), else every column but target, ignore and sensitive. */
export function inputColumns(config: TrainingConfig, columns: readonly string[]): string[] {
  const d = config.data;
  const present = new Set(columns);
  if (d.features) return d.features.filter((f) => present.has(f) && f !== d.target);
  const excluded = new Set([d.target, ...d.ignore, ...d.sensitive]);
  return columns.filter((c) => !excluded.has(c));
}

/** The engine's rule: any non-integer value, or more than 20 distinct values. */
function looksContinuous(xs: Float64Array): boolean {
  const seen = new Set<number>();
  for (const x of xs) {
    if (x !== x) continue;
    if (!Number.isInteger(x)) return true;
    seen.add(x);
    if (seen.size > 20) return true;
  }
  return false;
}

function distinctCount(xs: Float64Array): number {
  const seen = new Set<number>();
  for (const x of xs) {
    if (x === x) seen.add(x);
    if (seen.size > 10) break;
  }
  return seen.size;
}

/** Numbers in numeric order, then text in code-unit order (as the engine sorts class labels). */
export function compareLabels(a: string, b: string): number {
  const x = Number(a);
  const y = Number(b);
  const an = a.trim() !== '' && Number.isFinite(x);
  const bn = b.trim() !== '' && Number.isFinite(y);
  if (an && bn) return x - y;
  if (an !== bn) return an ? -1 : 1;
  return a < b ? -1 : a > b ? 1 : 0;
}
