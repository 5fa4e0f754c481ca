/**
 * The config editor behind the quick fixes: minimal edits that keep the file's layout, in YAML
 * (block and flow) and JSON (multi-line and one-line), and that always parse back to the
 * intended value.
 */
import { strict as assert } from 'node:assert';
import { parseConfigText } from '../../src/core/config';
import { applyTextEdits, ConfigEditor, yamlScalar } from '../../src/core/lint/edits';
import type { TextEdit } from '../../src/core/lint/types';

function edit(text: string, format: 'json' | 'yaml', f: (e: ConfigEditor) => TextEdit[] | undefined): string {
  const edits = f(new ConfigEditor(text, format === 'json' ? '/w/c.rml.json' : '/w/c.rml.yaml', format));
  assert.ok(edits, 'edits were computed');
  const out = applyTextEdits(text, edits);
  const parsed = parseConfigText(out, format === 'json' ? '/w/c.rml.json' : '/w/c.rml.yaml');
  assert.deepEqual(parsed.errors.map((e) => e.message), [], out);
  return out;
}

const value = (text: string, format: 'json' | 'yaml') => parseConfigText(text, format === 'json' ? '/w/c.rml.json' : '/w/c.rml.yaml').value as Record<string, Record<string, unknown>>;

const BLOCK = `# top comment
name: x   # keep me
data:
  path: a.csv
  target: y
  ignore:
  sensitive:
    - sex   # declared
    - race

  features: [a, b]
split: {test: 0.2}
`;

const JSON_TEXT = `{
  // comment
  "name": "x",
  "data": {
    "path": "a.csv",
    "target": "y",
    "ignore": ["id"],
    "sensitive": [
      "sex"
    ]
  }
}
`;

describe('lint: config edits', () => {
  it('YAML: appends to a block list at its indentation, keeping comments', () => {
    const out = edit(BLOCK, 'yaml', (e) => e.addToList(['data', 'sensitive'], 'age'));
    assert.ok(out.includes('    - race\n    - age\n'), out);
    assert.ok(out.includes('# declared') && out.includes('# keep me'));
    assert.deepEqual(value(out, 'yaml').data.sensitive, ['sex', 'race', 'age']);
  });

  it('YAML: fills an empty key, appends to a flow list, removes items', () => {
    assert.deepEqual(value(edit(BLOCK, 'yaml', (e) => e.addToList(['data', 'ignore'], 'id')), 'yaml').data.ignore, ['id']);
    assert.ok(edit(BLOCK, 'yaml', (e) => e.addToList(['data', 'features'], 'c')).includes('features: [a, b, c]'));
    assert.ok(edit(BLOCK, 'yaml', (e) => e.removeFromList(['data', 'features'], 0)).includes('features: [b]'));
    assert.ok(edit(BLOCK, 'yaml', (e) => e.removeFromList(['data', 'features'], 1)).includes('features: [a]'));
    const out = edit(BLOCK, 'yaml', (e) => e.removeFromList(['data', 'sensitive'], 0));
    assert.ok(out.includes('  sensitive:\n    - race\n'), out);
    const only = edit('name: x\ndata:\n  path: a\n  target: y\n  ignore:\n    - id\n', 'yaml', (e) => e.removeFromList(['data', 'ignore'], 0));
    assert.deepEqual(value(only, 'yaml').data.ignore, []);
  });

  it('YAML: adds keys to flow and block mappings and creates missing sections', () => {
    assert.ok(edit(BLOCK, 'yaml', (e) => e.set(['split', 'seed'], 42)).includes('split: {test: 0.2, seed: 42}'));
    const out = edit(BLOCK, 'yaml', (e) => e.set(['train', 'earlyStopping'], { patience: 5, metric: 'val_loss' }));
    assert.ok(out.endsWith('train:\n  earlyStopping:\n    patience: 5\n    metric: val_loss\n'), out);
    const positive = edit(BLOCK, 'yaml', (e) => e.set(['data', 'positive'], '1'));
    assert.equal(value(positive, 'yaml').data.positive, '1', 'a numeric-looking string stays a string');
  });

  it('YAML: copies a four-space indentation and handles a file without a final newline', () => {
    const text = 'name: x\ndata:\n    path: a.csv\n    target: y';
    const out = edit(text, 'yaml', (e) => e.set(['split', 'seed'], 7));
    assert.equal(out, 'name: x\ndata:\n    path: a.csv\n    target: y\nsplit:\n    seed: 7');
    const added = edit(text, 'yaml', (e) => e.addToList(['data', 'ignore'], 'id'));
    assert.ok(added.endsWith('    target: y\n    ignore: [id]'), added);
  });

  it('YAML: replaces a scalar in place', () => {
    const out = edit('name: x\ndata: {path: a, target: y}\nsplit:\n  test: 0   # none\n', 'yaml', (e) => e.set(['split', 'test'], 0.2));
    assert.ok(out.includes('  test: 0.2   # none'), out);
  });

  it('JSON: multi-line and one-line layouts are kept', () => {
    const out = edit(JSON_TEXT, 'json', (e) => e.addToList(['data', 'sensitive'], 'age'));
    assert.ok(out.includes('"sensitive": [\n      "sex",\n      "age"\n    ]'), out);
    assert.ok(edit(JSON_TEXT, 'json', (e) => e.addToList(['data', 'ignore'], 'ssn')).includes('"ignore": ["id", "ssn"]'));
    const split = edit(JSON_TEXT, 'json', (e) => e.set(['split', 'seed'], 42));
    assert.ok(split.includes('  },\n  "split": {\n    "seed": 42\n  }\n}'), split);
    const one = edit('{"name":"x","data":{"path":"a.csv","target":"y"}}', 'json', (e) => e.set(['train', 'earlyStopping'], { patience: 5 }));
    assert.equal(one, '{"name":"x","data":{"path":"a.csv","target":"y"}, "train": { "earlyStopping": { "patience": 5 } }}');
    const removed = edit(JSON_TEXT, 'json', (e) => e.removeFromList(['data', 'sensitive'], 0));
    assert.deepEqual(value(removed, 'json').data.sensitive, []);
  });

  it('setMany adds only the missing keys', () => {
    const text = 'name: x\ndata: {path: a, target: y}\ndocumentation:\n  intendedUse: Research.\n';
    const out = edit(text, 'yaml', (e) => e.setMany(['documentation'], { intendedUse: 'TODO', owners: ['TODO: a team'] }));
    assert.ok(out.includes('  intendedUse: Research.\n  owners: ["TODO: a team"]\n'), out);
  });

  it('edits at the same spot apply in the order given', () => {
    const text = 'a: 1\n';
    const at = { file: 'f', line: 2, startColumn: 1, endLine: 2, endColumn: 1 };
    assert.equal(applyTextEdits(text, [{ ...at, newText: 'b: 2\n' }, { ...at, newText: 'c: 3\n' }]), 'a: 1\nb: 2\nc: 3\n');
    assert.throws(() => applyTextEdits('abc', [{ file: 'f', line: 1, startColumn: 1, endLine: 1, endColumn: 3, newText: 'x' }, { file: 'f', line: 1, startColumn: 2, endLine: 1, endColumn: 4, newText: 'y' }]), /overlapping/);
  });

  it('quotes YAML scalars only when they would not read back as the same string', () => {
    assert.equal(yamlScalar('age'), 'age');
    assert.equal(yamlScalar('native-country'), 'native-country');
    for (const s of ['yes', 'No', 'null', '1', '0.5', 'a: b', 'x #y', ' lead', '[x]', 'a,b', '']) {
      const q = yamlScalar(s);
      assert.equal(q, JSON.stringify(s), s);
    }
  });

  it('returns undefined when it cannot edit (a missing list, a bad index, a broken file)', () => {
    assert.equal(new ConfigEditor(BLOCK, '/w/c.rml.yaml', 'yaml').removeFromList(['data', 'nothing'], 0), undefined);
    assert.equal(new ConfigEditor(BLOCK, '/w/c.rml.yaml', 'yaml').removeFromList(['data', 'features'], 5), undefined);
    assert.equal(new ConfigEditor('name: [', '/w/c.rml.yaml', 'yaml').set(['split', 'seed'], 1), undefined);
  });
});
