/** Small builders for unit tests: in-memory datasets and configs without touching the disk. */
import type { TrainingConfig, SourceMap } from '../../src/core/config/types';
import type { Column, Dataset } from '../../src/core/data/types';

/** A dataset from columns of text values (null = missing); numeric columns are detected. */
export function makeDataset(cols: Record<string, (string | null)[]>, file = '/tmp/test.csv'): Dataset {
  const names = Object.keys(cols);
  const rowCount = cols[names[0]].length;
  const columns: Column[] = names.map((name, index) => {
    const values = cols[name];
    const present = values.filter((v): v is string => v !== null);
    const numeric = present.length > 0 && present.every((v) => v.trim() !== '' && Number.isFinite(Number(v)));
    return {
      name,
      index,
      type: numeric ? 'numeric' : 'categorical',
      values,
      numbers: numeric ? Float64Array.from(values, (v) => (v === null ? NaN : Number(v))) : undefined,
      missing: values.length - present.length,
    };
  });
  let col = 1;
  return {
    file,
    columns,
    byName: new Map(columns.map((c) => [c.name, c])),
    rowCount,
    rowLines: Uint32Array.from({ length: rowCount }, (_, i) => i + 2),
    header: names.map((name) => {
      const cell = { name, original: name, line: 1, startColumn: col, endColumn: col + name.length };
      col += name.length + 1;
      return cell;
    }),
    warnings: [],
    hash: 'test',
  };
}

const fakeSourceMap: SourceMap = {
  valueRange: () => undefined,
  keyRange: () => undefined,
  nearest: () => ({ file: '/tmp/test.rml.yaml', line: 1, column: 1 }),
};

type DeepPartial<T> = { [K in keyof T]?: T[K] extends object ? DeepPartial<T[K]> : T[K] };

/** A full TrainingConfig with defaults, overridden section by section. */
export function makeConfig(over: DeepPartial<TrainingConfig> & { data: { target: string } }): TrainingConfig {
  const base: TrainingConfig = {
    file: '/tmp/test.rml.yaml',
    format: 'yaml',
    name: 'test',
    data: { path: 'test.csv', resolvedPath: '/tmp/test.csv', target: over.data.target, ignore: [], sensitive: [], delimiter: ',', missing: ['', 'NA', 'N/A', '?', 'null'], encoding: 'utf-8' },
    split: { test: 0.2, validation: 0.1, stratify: true, seed: 1 },
    preprocess: { missing: 'impute', scale: 'standard', categorical: { encoding: 'onehot', maxCategories: 50 } },
    model: { type: 'logistic', hidden: [], activation: 'relu', dropout: 0 },
    train: { epochs: 20, batchSize: 256, optimizer: 'adam', learningRate: 0.01, l1: 0, l2: 0, seed: 1 },
    evaluate: { crossValidation: 0, threshold: 0.5 },
    fairness: { thresholds: {}, privileged: {}, mitigation: 'none', minGroupSize: 30 },
    documentation: {},
    lint: {},
    privacy: {},
    sustainability: {},
    raw: {},
    hash: 'test',
    sourceMap: fakeSourceMap,
  };
  for (const [k, v] of Object.entries(over)) {
    const key = k as keyof TrainingConfig;
    const cur = base[key];
    (base as unknown as Record<string, unknown>)[key] =
      cur && typeof cur === 'object' && !Array.isArray(cur) && v && typeof v === 'object' && !Array.isArray(v) ? { ...cur, ...v } : v;
  }
  return base;
}
