import { strict as assert } from 'node:assert';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { RmlInputError, RmlInputErrors, type SourceLocation } from '../../src/core/errors';
import {
  CONFIG_DEFAULTS,
  configSchema,
  isConfigFile,
  loadConfig,
  loadConfigFromText,
  MAX_CONFIG_BYTES,
  parseConfigText,
  validateConfigText,
  type TrainingConfig,
} from '../../src/core/config';

const FIXTURES = resolve(__dirname, '../fixtures/config');

/** A scratch workspace root in the OS temp folder, removed after the suite. */
const ws = mkdtempSync(join(tmpdir(), 'rml-config-'));
after(() => rmSync(ws, { recursive: true, force: true }));

function write(name: string, text: string | Buffer): string {
  const file = join(ws, name);
  writeFileSync(file, text);
  return file;
}

/** Errors of a config text, checked against the scratch root. */
function errorsOf(text: string, name = 'c.rml.yaml'): RmlInputError[] {
  const r = validateConfigText(text, join(ws, name), { root: ws });
  if (r.errors.length > 0) assert.equal(r.config, undefined, 'no config when there are errors');
  return r.errors;
}

function only(errors: RmlInputError[]): RmlInputError {
  assert.equal(errors.length, 1, `expected one error, got: ${errors.map((e) => e.message).join(' | ')}`);
  return errors[0];
}

/** line:column-endLine:endColumn, for compact range assertions. */
function span(loc: SourceLocation | undefined): string {
  assert.ok(loc, 'expected a location');
  return `${loc.line}:${loc.column}-${loc.endLine}:${loc.endColumn}`;
}

function withoutFileFacts(c: TrainingConfig): Omit<TrainingConfig, 'file' | 'format' | 'hash' | 'sourceMap'> {
  const { file: _f, format: _fmt, hash: _h, sourceMap: _s, ...rest } = c;
  return rest;
}

const MINIMAL_YAML = 'name: demo\ndata:\n  path: d.csv\n  target: y\n';

describe('config: loading', () => {
  it('gives equal TrainingConfigs for equivalent JSON (with comments) and YAML files', async () => {
    const json = await loadConfig(join(FIXTURES, 'full.rml.json'), { root: FIXTURES });
    const yaml = await loadConfig(join(FIXTURES, 'full.rml.yaml'), { root: FIXTURES });
    assert.deepStrictEqual(withoutFileFacts(json), withoutFileFacts(yaml));
    assert.equal(json.format, 'json');
    assert.equal(yaml.format, 'yaml');
    assert.notEqual(json.hash, yaml.hash);
    // A few values that went through conversion or defaults.
    assert.equal(json.data.positive, '>50K');
    assert.deepEqual(json.fairness.privileged, { sex: 'Male', race: '1' });
    assert.equal(json.train.learningRate, 0.1, 'sgd default learning rate');
    assert.deepEqual(json.train.earlyStopping, { patience: 3, metric: 'val_loss' });
    assert.deepEqual(json.preprocess.categorical, { encoding: 'onehot', maxCategories: 20 });
    assert.equal(json.data.resolvedPath, join(FIXTURES, 'data', 'adult.csv'));
    assert.equal(json.documentation.datasheet, 'https://example.org/adult', 'documentation keeps extra keys');
  });

  it('records the absolute file, its format and the sha256 of its bytes', async () => {
    const file = write('hash.rml.yaml', MINIMAL_YAML);
    const c = await loadConfig(file, { root: ws });
    assert.equal(c.file, file);
    assert.equal(c.format, 'yaml');
    assert.equal(c.hash, createHash('sha256').update(readFileSync(file)).digest('hex'));
    assert.deepEqual(c.raw, { name: 'demo', data: { path: 'd.csv', target: 'y' } });
    // The same text from an editor buffer hashes the same.
    assert.equal(loadConfigFromText(MINIMAL_YAML, file, { root: ws }).hash, c.hash);
  });

  it('fills every default for a minimal config', () => {
    const c = loadConfigFromText(MINIMAL_YAML, join(ws, 'min.rml.yaml'), { root: ws });
    assert.equal(c.name, 'demo');
    assert.equal('description' in c, false);
    assert.deepStrictEqual(c.data, {
      path: 'd.csv',
      resolvedPath: join(ws, 'd.csv'),
      target: 'y',
      ignore: [],
      sensitive: [],
      delimiter: ',',
      missing: ['', 'NA', 'N/A', '?', 'null'],
      encoding: 'utf-8',
    });
    assert.deepStrictEqual(c.split, { test: 0.2, validation: 0.1, stratify: true });
    assert.deepStrictEqual(c.preprocess, { missing: 'impute', scale: 'standard', categorical: { encoding: 'onehot', maxCategories: 50 } });
    assert.deepStrictEqual(c.model, { type: 'logistic', hidden: [], activation: 'relu', dropout: 0 });
    assert.deepStrictEqual(c.train, { epochs: 20, batchSize: 256, optimizer: 'adam', learningRate: 0.01, l1: 0, l2: 0 });
    assert.deepStrictEqual(c.evaluate, { crossValidation: 0, threshold: 0.5 });
    assert.deepStrictEqual(c.fairness, { thresholds: {}, privileged: {}, mitigation: 'none', minGroupSize: 30 });
    assert.deepStrictEqual(c.documentation, {});
    assert.deepStrictEqual(c.lint, {});
  });

  it('defaults mlp hidden layers to [50], sgd learning rate to 0.1, and onehot to 50 categories', () => {
    const c = loadConfigFromText(
      `${MINIMAL_YAML}model: {type: mlp}\ntrain: {optimizer: sgd}\npreprocess: {categorical: onehot}\n`,
      join(ws, 'mlp.rml.yaml'),
      { root: ws },
    );
    assert.deepEqual(c.model.hidden, [50]);
    assert.equal(c.train.learningRate, 0.1);
    assert.deepEqual(c.preprocess.categorical, { encoding: 'onehot', maxCategories: 50 });
    const explicit = loadConfigFromText(`${MINIMAL_YAML}train: {optimizer: sgd, learningRate: 0.5}\n`, join(ws, 'lr.rml.yaml'), { root: ws });
    assert.equal(explicit.train.learningRate, 0.5);
  });

  it('turns positive labels and privileged values into text', () => {
    const c = loadConfigFromText(
      'name: n\ndata: {path: d.csv, target: y, positive: true, sensitive: [age, sex]}\nfairness: {privileged: {age: 1, sex: false}}\n',
      join(ws, 'p.rml.yaml'),
      { root: ws },
    );
    assert.equal(c.data.positive, 'true');
    assert.deepStrictEqual(c.fairness.privileged, { age: '1', sex: 'false' });
  });

  it('agrees with the defaults written in the schema', () => {
    const props = (configSchema().properties ?? {}) as Record<string, { properties: Record<string, { default?: unknown }> }>;
    const c = loadConfigFromText(MINIMAL_YAML, join(ws, 'd.rml.yaml'), { root: ws });
    const checks: [string, string, unknown][] = [
      ['data', 'delimiter', c.data.delimiter],
      ['data', 'missing', c.data.missing],
      ['data', 'encoding', c.data.encoding],
      ['split', 'test', c.split.test],
      ['split', 'validation', c.split.validation],
      ['split', 'stratify', c.split.stratify],
      ['preprocess', 'missing', c.preprocess.missing],
      ['preprocess', 'scale', c.preprocess.scale],
      ['model', 'type', c.model.type],
      ['model', 'activation', c.model.activation],
      ['model', 'dropout', c.model.dropout],
      ['train', 'epochs', c.train.epochs],
      ['train', 'batchSize', c.train.batchSize],
      ['train', 'optimizer', c.train.optimizer],
      ['evaluate', 'crossValidation', c.evaluate.crossValidation],
      ['evaluate', 'threshold', c.evaluate.threshold],
      ['fairness', 'mitigation', c.fairness.mitigation],
      ['fairness', 'minGroupSize', c.fairness.minGroupSize],
    ];
    for (const [section, key, loaded] of checks) {
      assert.deepEqual(props[section].properties[key].default, loaded, `${section}.${key}`);
    }
    assert.equal(CONFIG_DEFAULTS.maxCategories, c.preprocess.categorical.maxCategories);
  });

  it('reads JSON with line and block comments and trailing commas', () => {
    const text = [
      '// a config',
      '{',
      '  /* the name */ "name": "demo", // trailing comment',
      '  "data": { "path": "d.csv", "target": "y", },',
      '}',
    ].join('\n');
    const c = loadConfigFromText(text, join(ws, 'c.rml.json'), { root: ws });
    assert.equal(c.name, 'demo');
    assert.equal(c.format, 'json');
    assert.equal(c.data.target, 'y');
  });

  it('accepts a $schema key (for editors), open documentation and lint sections, and privacy and sustainability settings', () => {
    const text = JSON.stringify({
      $schema: './rml.schema.json',
      name: 'n',
      data: { path: 'd.csv', target: 'y' },
      documentation: { anything: [1, 2] },
      lint: { rules: { RML001: 'off' }, extra: true },
      privacy: { dp: { noiseMultiplier: 1.1, clipNorm: 1, delta: 1e-5 } },
      sustainability: { carbonIntensity: { gramsPerKWh: 350, source: 'grid operator 2025' } },
    });
    const r = validateConfigText(text, join(ws, 's.rml.json'), { root: ws });
    assert.deepEqual(r.errors, []);
    assert.deepEqual(r.config?.documentation, { anything: [1, 2] });
    assert.deepEqual(r.config?.privacy, { dp: { noiseMultiplier: 1.1, clipNorm: 1, delta: 1e-5 } });
    assert.deepEqual(r.config?.sustainability, { carbonIntensity: { gramsPerKWh: 350, source: 'grid operator 2025' } });
  });

  it('refuses a privacy.dp without a noise multiplier or budget, and an unknown privacy key, at the key', () => {
    const text = '{\n  "name": "n",\n  "data": { "path": "d.csv", "target": "y" },\n  "privacy": { "dp": { "clipNorm": 1, "delta": 1e-5 }, "pii": [] }\n}\n';
    const r = validateConfigText(text, join(ws, 's.rml.json'), { root: ws });
    assert.ok(r.errors.some((e) => /privacy\.dp/.test(e.message) || e.field === 'privacy.dp'), JSON.stringify(r.errors.map((e) => e.message)));
    const unknown = r.errors.find((e) => /unknown key 'pii'/.test(e.message));
    assert.ok(unknown, JSON.stringify(r.errors.map((e) => e.message)));
    assert.equal(unknown.location?.line, 4);
  });

  it('refuses a missing config file with its path', async () => {
    const missing = join(ws, 'nope.rml.yaml');
    await assert.rejects(loadConfig(missing, { root: ws }), (err: unknown) => {
      assert.ok(err instanceof RmlInputErrors);
      assert.match(err.message, /cannot read config file/);
      assert.ok(err.message.includes(missing), err.message);
      assert.match(err.errors[0].message, /no such file/);
      return true;
    });
  });

  it('refuses a folder given as the config file', async () => {
    const dir = join(ws, 'folder.rml.yaml');
    mkdirSync(dir, { recursive: true });
    await assert.rejects(loadConfig(dir, { root: ws }), /it is a directory/);
  });

  it('refuses a config file larger than 1 MB', async () => {
    const big = `name: big\ndata: {path: d.csv, target: y}\n# ${'x'.repeat(MAX_CONFIG_BYTES)}\n`;
    const file = write('big.rml.yaml', big);
    await assert.rejects(loadConfig(file, { root: ws }), (err: unknown) => {
      assert.ok(err instanceof RmlInputErrors);
      assert.match(err.errors[0].message, /too large .*1 MB/);
      assert.equal(err.errors[0].location?.file, file);
      return true;
    });
    // The same limit applies to text from an editor.
    assert.match(only(parseConfigText(big, 'big.rml.yaml').errors).message, /too large/);
  });

  it('refuses a config file that is not UTF-8', async () => {
    const file = write('latin.rml.yaml', Buffer.from([0x6e, 0x61, 0x6d, 0x65, 0x3a, 0x20, 0xe9, 0xff, 0x0a]));
    await assert.rejects(loadConfig(file, { root: ws }), /not valid UTF-8/);
  });

  it('throws every problem at once as RmlInputErrors', () => {
    assert.throws(
      () => loadConfigFromText('name: 3\ndata: {path: d.csv}\nsplit: {test: 2}\n', join(ws, 'e.rml.yaml'), { root: ws }),
      (err: unknown) => {
        assert.ok(err instanceof RmlInputErrors);
        assert.deepEqual(err.errors.map((e) => e.field), ['name', 'data.target', 'split.test']);
        assert.match(err.message, /e\.rml\.yaml:1:7: name must be a string/);
        return true;
      },
    );
  });
});

describe('config: source ranges', () => {
  it('maps JSON keys and values to 1-based ranges', () => {
    const text = ['{', '  "name": "demo",', '  "data": {', '    "path": "d.csv",', '    "features": ["a", "bc"]', '  }', '}'].join('\n');
    const { sourceMap, errors } = parseConfigText(text, 'x.rml.json');
    assert.deepEqual(errors, []);
    assert.deepEqual(sourceMap.keyRange(['name']), { file: 'x.rml.json', line: 2, column: 3, endLine: 2, endColumn: 9 });
    assert.equal(span(sourceMap.valueRange(['name'])), '2:11-2:17');
    assert.equal(span(sourceMap.keyRange(['data'])), '3:3-3:9');
    assert.equal(span(sourceMap.valueRange(['data'])), '3:11-6:4');
    assert.equal(span(sourceMap.keyRange(['data', 'path'])), '4:5-4:11');
    assert.equal(span(sourceMap.valueRange(['data', 'path'])), '4:13-4:20');
    assert.equal(span(sourceMap.valueRange(['data', 'features', 1])), '5:23-5:27');
    assert.equal(sourceMap.keyRange(['data', 'features', 1]), undefined, 'list items have no key');
    assert.equal(sourceMap.valueRange(['data', 'target']), undefined);
    assert.equal(span(sourceMap.nearest(['data', 'target'])), '3:3-3:9', 'nearest existing ancestor key');
    assert.deepEqual(sourceMap.nearest(['split', 'test']), { file: 'x.rml.json', line: 1, column: 1 });
  });

  it('maps YAML keys and values to 1-based ranges', () => {
    const text = ['# comment', 'name: demo', 'data:', '  path: "d.csv"', '  target: y', '  features: [a, bc]', ''].join('\n');
    const { sourceMap, errors } = parseConfigText(text, 'x.rml.yaml');
    assert.deepEqual(errors, []);
    assert.deepEqual(sourceMap.keyRange(['name']), { file: 'x.rml.yaml', line: 2, column: 1, endLine: 2, endColumn: 5 });
    assert.equal(span(sourceMap.valueRange(['name'])), '2:7-2:11');
    assert.equal(span(sourceMap.keyRange(['data'])), '3:1-3:5');
    assert.equal(sourceMap.valueRange(['data'])?.line, 4);
    assert.equal(sourceMap.valueRange(['data'])?.column, 3);
    assert.equal(span(sourceMap.keyRange(['data', 'path'])), '4:3-4:7');
    assert.equal(span(sourceMap.valueRange(['data', 'path'])), '4:9-4:16', 'quotes included');
    assert.equal(span(sourceMap.valueRange(['data', 'target'])), '5:11-5:12');
    assert.equal(span(sourceMap.valueRange(['data', 'features', 1])), '6:17-6:19');
    assert.equal(span(sourceMap.nearest(['data', 'missing'])), '3:1-3:5');
  });

  it('handles CRLF line endings', () => {
    const { sourceMap } = parseConfigText('name: demo\r\ndata:\r\n  target: y\r\n', 'x.rml.yaml');
    assert.equal(span(sourceMap.valueRange(['data', 'target'])), '3:11-3:12');
    const json = parseConfigText('{\r\n  "a": 1,\r\n  "b": 2\r\n}', 'x.rml.json');
    assert.equal(span(json.sourceMap.valueRange(['b'])), '3:8-3:9');
  });

  it('gives the loaded config a source map for later errors', () => {
    const c = loadConfigFromText(MINIMAL_YAML, join(ws, 'sm.rml.yaml'), { root: ws });
    assert.equal(span(c.sourceMap.valueRange(['data', 'target'])), '4:11-4:12');
    assert.equal(c.sourceMap.valueRange(['model', 'type']), undefined);
    assert.equal(c.sourceMap.nearest(['model', 'type']).line, 1);
  });
});

describe('config: validation errors', () => {
  it('locates an unknown key at the key and suggests the right one', () => {
    const e = only(errorsOf('name: demo\ndata:\n  path: d.csv\n  target: y\n  taget: z\n'));
    assert.equal(e.message, "unknown key 'taget' in data (did you mean 'target'?)");
    assert.equal(e.field, 'data.taget');
    assert.equal(span(e.location), '5:3-5:8');
    assert.equal(e.location?.file, join(ws, 'c.rml.yaml'));
  });

  it('reports an unknown top-level key with the allowed keys', () => {
    const e = only(errorsOf('{"name": "n", "data": {"path": "d.csv", "target": "y"}, "zzz": 1}', 'c.rml.json'));
    assert.match(e.message, /^unknown key 'zzz'; expected one of: .*name, description, data, split/);
    assert.equal(span(e.location), '1:57-1:62');
  });

  it('reports a wrong type at the value', () => {
    const e = only(errorsOf(`${MINIMAL_YAML}split:\n  test: "0.2"\n`));
    assert.equal(e.message, "split.test must be a number, got the string '0.2'");
    assert.equal(e.field, 'split.test');
    assert.equal(span(e.location), '6:9-6:14');
  });

  it('reports numbers out of range with the bound', () => {
    const errors = errorsOf(`${MINIMAL_YAML}split: {test: 1}\ntrain: {epochs: 0, learningRate: 0}\n`);
    assert.deepEqual(
      errors.map((e) => e.message),
      ['split.test must be a number < 1, got 1', 'train.epochs must be an integer >= 1, got 0', 'train.learningRate must be a number > 0, got 0'],
    );
    assert.equal(span(errors[0].location), '5:15-5:16');
  });

  it('reports bad enum values with a suggestion', () => {
    const e = only(errorsOf(`${MINIMAL_YAML}preprocess: {scale: stdandard}\n`));
    assert.equal(e.message, "preprocess.scale must be one of 'standard', 'minmax' or 'none', got the string 'stdandard' (did you mean 'standard'?)");
    assert.equal(span(e.location), '5:21-5:30');
  });

  it('reports a missing required key at the nearest ancestor key', () => {
    const e = only(errorsOf('name: demo\ndata:\n  path: d.csv\n'));
    assert.equal(e.message, "missing required key 'target' in data");
    assert.equal(e.field, 'data.target');
    assert.equal(span(e.location), '2:1-2:5');
    const top = errorsOf('data: {path: d.csv, target: y}\n');
    assert.equal(only(top).message, "missing required key 'name'");
    assert.equal(top[0].location?.line, 1);
    assert.equal(top[0].location?.column, 1);
  });

  it('reports an empty section at its key', () => {
    const e = only(errorsOf(`${MINIMAL_YAML}split:\n`));
    assert.equal(e.message, 'split must be an object, got nothing (null)');
    assert.equal(span(e.location), '5:1-5:6');
  });

  it('collects every error at once, in file order', () => {
    const text = [
      'name: ""', // 1
      'data:', // 2
      '  path: d.csv', // 3
      '  features: [a, y, a]', // 4
      'split: {test: 0.5, validation: 0.6}', // 5
      'model: {type: forest}', // 6
      'train: {optimizer: adam, bogus: 1}', // 7
      'fairness:', // 8
      '  thresholds: {demographicParityRatio: 2}', // 9
      'lint: {rules: {RML001: loud}}', // 10: the lint's own setting, reported by the lint (RML103), never a config error
    ].join('\n');
    const errors = errorsOf(text);
    assert.deepEqual(
      errors.map((e) => [e.location?.line, e.field]),
      [
        [1, 'name'],
        [2, 'data.target'],
        [4, 'data.features[2]'],
        [5, 'split.test'],
        [6, 'model.type'],
        [7, 'train.bogus'],
        [9, 'fairness.thresholds.demographicParityRatio'],
      ],
    );
    assert.equal(errors[0].message, 'name must not be empty');
    assert.equal(errors[2].message, "data.features lists 'a' more than once");
    assert.equal(span(errors[2].location), '4:20-4:21');
  });

  it('refuses test + validation >= 1, counting defaults', () => {
    const both = only(errorsOf(`${MINIMAL_YAML}split: {test: 0.7, validation: 0.3}\n`));
    assert.match(both.message, /^split\.test \+ split\.validation must be < 1 .*\(got 0\.7 \+ 0\.3 = 1\)$/);
    assert.equal(span(both.location), '5:15-5:18');
    const withDefault = only(errorsOf(`${MINIMAL_YAML}split: {test: 0.95}\n`));
    assert.match(withDefault.message, /got 0\.95 \+ 0\.1 \(default\) = 1\.05/);
    assert.deepEqual(errorsOf(`${MINIMAL_YAML}split: {test: 0.5, validation: 0.4}\n`), []);
  });

  it('refuses the target among the features and a column both used and ignored', () => {
    const errors = errorsOf('name: n\ndata:\n  path: d.csv\n  target: y\n  features: [a, y]\n  ignore: [a]\n');
    assert.deepEqual(
      errors.map((e) => [e.field, span(e.location)]),
      [
        ['data.features[1]', '5:17-5:18'],
        ['data.ignore[0]', '6:12-6:13'],
      ],
    );
    assert.match(errors[0].message, /target column 'y'/);
    assert.match(errors[1].message, /both data\.features and data\.ignore/);
  });

  it('checks settings that contradict each other', () => {
    const errors = errorsOf(
      [
        'name: n',
        'data: {path: d.csv, target: y, sensitive: [sex]}',
        'split: {validation: 0}',
        'model: {hidden: [10]}',
        'train: {earlyStopping: {patience: 2}}',
        'evaluate: {crossValidation: 1}',
        'fairness: {privileged: {race: white}}',
      ].join('\n'),
    );
    assert.deepEqual(
      errors.map((e) => e.field),
      ['model.hidden', 'train.earlyStopping', 'evaluate.crossValidation', 'fairness.privileged.race'],
    );
    assert.match(errors[0].message, /only applies to model\.type 'mlp' \(model\.type is 'logistic' by default\)/);
    assert.match(errors[1].message, /split\.validation is 0/);
    assert.match(errors[3].message, /not listed in data\.sensitive/);
  });

  it('picks the alternative meant by the value for keys with two forms', () => {
    const bad = errorsOf(`${MINIMAL_YAML}preprocess: {categorical: {encoding: onehot, maxCategories: 0}}\n`);
    assert.equal(only(bad).message, 'preprocess.categorical.maxCategories must be an integer >= 1, got 0');
    assert.equal(only(errorsOf(`${MINIMAL_YAML}preprocess: {categorical: 5}\n`)).message, 'preprocess.categorical must be a string or an object, got 5');
    assert.equal(only(errorsOf(`${MINIMAL_YAML}preprocess: {categorical: ordinal}\n`)).message, "preprocess.categorical must be 'onehot', got the string 'ordinal'");
  });

  it('refuses YAML .nan and .inf where numbers are expected', () => {
    const e = only(errorsOf(`${MINIMAL_YAML}evaluate: {threshold: .nan}\n`));
    assert.equal(e.message, 'evaluate.threshold must be a number, got NaN');
  });

  it('refuses a __proto__ key as an unknown key without polluting prototypes', () => {
    const e = only(errorsOf('{"name": "n", "data": {"path": "d.csv", "target": "y", "__proto__": {"polluted": 1}}}', 'c.rml.json'));
    assert.match(e.message, /^unknown key '__proto__' in data/);
    assert.equal(({} as Record<string, unknown>).polluted, undefined);
  });

  it('reports a config that is not an object, or empty', () => {
    assert.match(only(errorsOf('- a\n- b\n')).message, /must be an object of keys and values, got a list/);
    assert.equal(only(errorsOf('# nothing\n')).message, 'the config file is empty');
    assert.equal(only(errorsOf('// nothing', 'c.rml.json')).message, 'the config file is empty');
  });

  it('never throws from validateConfigText for bad input', () => {
    for (const [text, name] of [
      ['{', 'a.rml.json'],
      ['"just a string"', 'a.rml.json'],
      ['null', 'a.rml.json'],
      [':\n  - ]', 'a.rml.yaml'],
      ['\u0000\u0001', 'a.rml.yaml'],
      ['name: [', 'a.rml.yml'],
    ]) {
      const r = validateConfigText(text, join(ws, name), { root: ws });
      assert.equal(r.config, undefined, text);
      assert.ok(r.errors.length > 0, text);
      assert.ok(r.errors.every((e) => e instanceof RmlInputError && e.location?.line !== undefined), text);
    }
  });
});

describe('config: syntax errors and YAML safety', () => {
  it('reports JSON syntax errors with their location', () => {
    const errors = parseConfigText('{\n  "name": "n"\n  "data": {}\n}', 'x.rml.json').errors;
    const e = errors[0];
    assert.equal(e.message, "JSON syntax error: expected ',' between items");
    assert.equal(span(e.location), '3:3-3:9');
    const unterminated = parseConfigText('{"name": "n', 'x.rml.json').errors;
    assert.equal(unterminated[0].message, 'JSON syntax error: unterminated string');
    assert.equal(unterminated[0].location?.column, 10);
  });

  it('reports YAML syntax errors with their location', () => {
    const e = parseConfigText('name: n\ndata: [a, b\nsplit: {}\n', 'x.rml.yaml').errors[0];
    assert.match(e.message, /^YAML syntax error: /);
    assert.equal(e.location?.line, 3);
    assert.equal(e.location?.column, 1);
    const tab = parseConfigText('name: n\ndata:\n\tpath: x\n', 'x.rml.yaml').errors;
    assert.ok(tab.length > 0);
    assert.equal(tab[0].location?.line, 3);
  });

  it('refuses a second YAML document', () => {
    const e = only(parseConfigText('name: a\n---\nname: b\n', 'x.rml.yaml').errors);
    assert.match(e.message, /single YAML document/);
    assert.equal(e.location?.line, 2);
  });

  it('refuses a YAML alias bomb instead of expanding it', () => {
    const levels = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]'];
    const names = 'abcdefghij';
    for (let i = 1; i < names.length; i++) {
      const prev = `*${names[i - 1]}`;
      levels.push(`${names[i]}: &${names[i]} [${Array(9).fill(prev).join(',')}]`);
    }
    const bomb = `${levels.join('\n')}\n`; // 9^10 ≈ 3.5 billion "lol"s if expanded
    const r = parseConfigText(bomb, 'bomb.rml.yaml');
    const e = only(r.errors);
    assert.match(e.message, /alias bomb/);
    assert.equal(r.value, undefined);
    assert.equal(e.location?.line, 2, 'points at the first alias');
    assert.throws(() => loadConfigFromText(bomb, join(ws, 'bomb.rml.yaml'), { root: ws }), RmlInputErrors);
  });

  it('still allows a few ordinary anchors and aliases', () => {
    const c = loadConfigFromText('name: n\ndata:\n  path: d.csv\n  target: y\n  sensitive: &s [sex]\n  ignore: *s\n', join(ws, 'a.rml.yaml'), { root: ws });
    assert.deepEqual(c.data.ignore, ['sex']);
  });

  it('refuses duplicate YAML keys at the second key', () => {
    const e = only(parseConfigText('name: a\ndata:\n  target: y\n  target: z\n', 'x.rml.yaml').errors);
    assert.equal(e.message, "duplicate key 'target' in data (first defined on line 3)");
    assert.equal(span(e.location), '4:3-4:9');
    assert.equal(e.field, 'data.target');
  });

  it('refuses duplicate JSON keys too', () => {
    const e = only(parseConfigText('{"name": "a",\n "name": "b"}', 'x.rml.json').errors);
    assert.equal(e.message, "duplicate key 'name' (first defined on line 1)");
    assert.equal(span(e.location), '2:2-2:8');
  });

  it('refuses custom YAML tags', () => {
    const e = only(parseConfigText('name: !!js/function "x"\n', 'x.rml.yaml').errors);
    assert.match(e.message, /YAML tag '!!js\/function' is not allowed/);
    assert.equal(span(e.location), '1:7-1:20');
    assert.match(only(parseConfigText('name: !secret abc\n', 'x.rml.yaml').errors).message, /tag '!secret'/);
    assert.deepEqual(parseConfigText('name: !!str 12\n', 'x.rml.yaml').value, { name: '12' }, 'core tags are fine');
  });

  it('refuses absurdly deep nesting', () => {
    const deep = parseConfigText(`${'['.repeat(200)}${']'.repeat(200)}`, 'x.rml.json');
    assert.match(only(deep.errors).message, /nested too deeply/);
  });
});

describe('config: data path containment', () => {
  it('refuses a relative data path that escapes the root, at the data.path value', () => {
    const e = only(errorsOf('name: n\ndata:\n  path: ../../etc/passwd\n  target: y\n'));
    assert.match(e.message, /^data\.path '\.\.\/\.\.\/etc\/passwd' resolves to .* outside the workspace root/);
    assert.equal(e.field, 'data.path');
    assert.equal(span(e.location), '3:9-3:25');
  });

  it('refuses an absolute data path outside the root', () => {
    const outside = resolve(ws, '..', 'elsewhere.csv');
    const e = only(errorsOf(JSON.stringify({ name: 'n', data: { path: outside, target: 'y' } }), 'c.rml.json'));
    assert.match(e.message, /outside the workspace root/);
    assert.equal(e.location?.line, 1);
    assert.equal(e.location?.column, 28);
  });

  it('accepts an absolute data path inside the root and resolves relative paths against the config folder', () => {
    const inside = join(ws, 'sub', 'd.csv');
    const c = loadConfigFromText(JSON.stringify({ name: 'n', data: { path: inside, target: 'y' } }), join(ws, 'abs.rml.json'), { root: ws });
    assert.equal(c.data.resolvedPath, inside);
    const nested = loadConfigFromText('name: n\ndata: {path: ../d.csv, target: y}\n', join(ws, 'sub', 'n.rml.yaml'), { root: ws });
    assert.equal(nested.data.resolvedPath, join(ws, 'd.csv'));
  });

  it('refuses a data path that leaves the root through a symbolic link', function () {
    const outside = mkdtempSync(join(tmpdir(), 'rml-outside-'));
    try {
      writeFileSync(join(outside, 'secret.csv'), 'a,b\n1,2\n');
      try {
        symlinkSync(outside, join(ws, 'link'), 'dir');
      } catch {
        this.skip(); // symlinks need privileges on some Windows setups
      }
      const e = only(errorsOf('name: n\ndata: {path: link/secret.csv, target: y}\n'));
      assert.match(e.message, /symbolic link/);
      assert.equal(span(e.location), '2:14-2:29');
    } finally {
      rmSync(outside, { recursive: true, force: true });
    }
  });
});

describe('config: schema and file names', () => {
  it('is a draft-07 schema with docs on every property', () => {
    const schema = configSchema();
    assert.equal(schema.$schema, 'http://json-schema.org/draft-07/schema#');
    assert.deepEqual(schema.required, ['name', 'data']);
    assert.equal(schema.additionalProperties, false);
    const missing: string[] = [];
    const walk = (node: unknown, where: string) => {
      if (typeof node !== 'object' || node === null) return;
      const n = node as Record<string, unknown>;
      if (n.properties && typeof n.properties === 'object') {
        for (const [key, sub] of Object.entries(n.properties as Record<string, Record<string, unknown>>)) {
          // `true` marks a key as allowed inside anyOf; its docs are on the key itself. The keys of
          // privacy.anonymize.suppress are documented in suppress's own description.
          if (typeof sub !== 'object' || where === '.privacy.anonymize.suppress') continue;
          if (typeof sub.description !== 'string' || typeof sub.markdownDescription !== 'string') missing.push(`${where}.${key}`);
          walk(sub, `${where}.${key}`);
        }
      }
      for (const k of ['anyOf', 'allOf', 'items', 'additionalProperties']) {
        const v = n[k];
        if (Array.isArray(v)) v.forEach((x) => walk(x, where));
        else walk(v, where);
      }
    };
    walk(schema, '');
    assert.deepEqual(missing, []);
    const props = schema.properties as Record<string, Record<string, unknown>>;
    for (const section of ['data', 'split', 'preprocess', 'model', 'train', 'evaluate', 'fairness']) {
      assert.equal(props[section].additionalProperties, false, section);
    }
    assert.deepEqual((props.data as { required: string[] }).required, ['path', 'target']);
  });

  it('recognises config file names', () => {
    assert.equal(isConfigFile('/a/b/adult.rml.json'), true);
    assert.equal(isConfigFile('adult.rml.yaml'), true);
    assert.equal(isConfigFile('C:\\x\\adult.rml.yml'), true);
    assert.equal(isConfigFile('adult.json'), false);
    assert.equal(isConfigFile('adult.rml.json.bak'), false);
    assert.equal(isConfigFile('rml.yaml'), false);
  });
});
