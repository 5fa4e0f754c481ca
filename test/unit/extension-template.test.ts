/** "New training config from CSV": suggestions and the generated YAML (pure; no VS Code). */
import { strict as assert } from 'node:assert';
import { join } from 'node:path';
import { parse } from 'yaml';
import { validateConfigText } from '../../src/core/config';
import { configName, configTemplate, identifierReason, suggestPositive, suggestTarget, taskFor, yamlScalar, type ColumnSummary, type TemplateInput } from '../../src/extension/commands/config-template';

const col = (name: string, over: Partial<ColumnSummary> = {}): ColumnSummary => ({ name, type: 'categorical', distinct: 5, missing: 0, top: [], ...over });

const base: TemplateInput = {
  name: 'adult',
  dataPath: 'data/adult.csv',
  csvName: 'adult.csv',
  rows: 32561,
  target: 'income',
  targetReason: 'suggested (its name is typical of a label)',
  task: 'binary',
  positive: '>50K',
  sensitive: [{ name: 'sex', reason: 'protected attribute: sex' }, { name: 'race', reason: 'protected attribute: race' }],
  ignore: [{ name: 'email', reason: 'personal data: email address (100% of 1000 sampled values)' }],
  seed: 42,
};

const root = join(__dirname, '..', '..');
const configFile = join(root, 'examples', 'adult', 'new.rml.yaml');

describe('extension: new config from a CSV', () => {
  it('suggests a target named like a label, else the last column', () => {
    assert.equal(suggestTarget([col('age'), col('Income'), col('sex')])?.name, 'Income');
    assert.equal(suggestTarget([col('a'), col('b')])?.name, 'b');
    assert.equal(suggestTarget([]), undefined);
  });

  it('chooses the task as the engine does', () => {
    assert.equal(taskFor(col('y', { distinct: 2 })), 'binary');
    assert.equal(taskFor(col('y', { type: 'numeric', distinct: 200, integer: true })), 'regression');
    assert.equal(taskFor(col('y', { type: 'numeric', distinct: 12, integer: false })), 'regression');
    assert.equal(taskFor(col('y', { type: 'numeric', distinct: 5, integer: true })), 'multiclass');
    assert.equal(taskFor(col('y', { distinct: 4 })), 'multiclass');
  });

  it('suggests the favourable value: one that reads favourable, else the rarer one', () => {
    assert.equal(suggestPositive(col('income', { distinct: 2, top: [{ value: '<=50K', count: 24720 }, { value: '>50K', count: 7841 }] })), '>50K');
    assert.equal(suggestPositive(col('y', { distinct: 2, top: [{ value: 'no', count: 9 }, { value: 'yes', count: 1 }] })), 'yes');
    assert.equal(suggestPositive(col('y', { distinct: 2, top: [{ value: 'A', count: 9 }, { value: 'B', count: 1 }] })), 'B');
  });

  it('flags identifiers but not ordinary high-cardinality numbers', () => {
    assert.match(identifierReason(col('name', { distinct: 1000 }), 1000) ?? '', /identifier/);
    assert.match(identifierReason(col('customer_id', { type: 'numeric', integer: true, distinct: 1000 }), 1000) ?? '', /identifier/);
    assert.equal(identifierReason(col('fnlwgt', { type: 'numeric', integer: true, distinct: 900 }), 1000), undefined);
    assert.equal(identifierReason(col('workclass', { distinct: 9 }), 1000), undefined);
  });

  it('quotes YAML scalars only when needed, and they read back unchanged', () => {
    for (const s of ['income', 'native-country', '>50K', 'yes', 'No', 'null', '1', 'a: b', 'x #y', ' lead', 'trail ', 'é', '"q"', "it's"]) {
      assert.equal(parse(`v: ${yamlScalar(s)}`).v, s, s);
    }
    assert.equal(yamlScalar('income'), 'income');
    assert.equal(yamlScalar('yes'), '"yes"');
  });

  it('names the config after the CSV', () => {
    assert.equal(configName('Adult Income (2024).csv'), 'adult-income-2024');
    assert.equal(configName('???.csv'), 'model');
  });

  for (const [what, input] of [
    ['binary, with sensitive columns', base],
    ['binary, nothing detected', { ...base, sensitive: [], ignore: [] }],
    ['multiclass', { ...base, task: 'multiclass', positive: undefined }],
    ['regression', { ...base, task: 'regression', positive: undefined, sensitive: [] }],
    ['awkward column names', { ...base, target: 'yes', sensitive: [{ name: 'a: b', reason: 'r' }], ignore: [{ name: '#id', reason: 'r' }] }],
  ] as [string, TemplateInput][]) {
    it(`writes a valid, commented config (${what})`, () => {
      const text = configTemplate(input);
      const r = validateConfigText(text, configFile, { root });
      assert.deepEqual(r.errors.map((e) => `${e.location?.line}: ${e.message}`), []);
      const c = r.config!;
      assert.equal(c.data.target, input.target);
      assert.equal(c.data.positive, input.positive);
      assert.deepEqual(c.data.sensitive, input.sensitive.map((s) => s.name));
      assert.deepEqual(c.data.ignore, input.ignore.map((s) => s.name));
      assert.equal(c.split.seed, 42);
      assert.equal(c.train.seed, 42);
      assert.ok(c.split.test > 0, 'a held-out test split');
      if (input.task === 'regression') assert.equal(c.model.type, 'linear');
      const thresholds = Object.keys(c.fairness.thresholds);
      assert.deepEqual(thresholds.length > 0, input.task === 'binary' && input.sensitive.length > 0);
      // Every choice is explained.
      for (const s of [...input.sensitive, ...input.ignore]) assert.ok(text.includes(`# ${s.reason}`), s.reason);
      assert.match(text, /^# Responsible ML training config for adult\.csv \(32561 rows\)\./);
    });
  }
});
