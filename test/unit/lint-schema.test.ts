/**
 * The config schema's `lint` and `fairness.thresholds` sections: the lint section lists every
 * rule id and threshold of the lint's registry (written by scripts/lint-schema.ts), the
 * thresholds list every metric the fairness gate accepts, and the lint section's problems are
 * the lint's own (RML103) and never make a config invalid for training.
 */
import { strict as assert } from 'node:assert';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import schema from '../../src/core/config/rml.schema.json';
import { validateConfigText } from '../../src/core/config';
import { GATE_METRICS } from '../../src/core/fairness/gate';
import { lintConfigText, RULE_METAS, THRESHOLDS } from '../../src/core/lint';
import { lintSchema } from '../../scripts/lint-schema';

type Props = Record<string, { description: string; type?: string; minimum?: number; exclusiveMinimum?: number; maximum?: number; default?: number; enum?: string[] }>;
const lint = schema.properties.lint as unknown as { properties: { rules: { properties: Props }; thresholds: { properties: Props }; columns: unknown } };
const fairness = schema.properties.fairness.properties.thresholds.properties as unknown as Props;

describe('config schema: lint and fairness thresholds', () => {
  it('the lint section is what scripts/lint-schema.ts writes from the registry (run it after adding a rule or threshold)', () => {
    assert.deepEqual(schema.properties.lint, lintSchema());
  });

  it('lists every rule id and every threshold, with its range and default', () => {
    assert.deepEqual(Object.keys(lint.properties.rules.properties), RULE_METAS.map((m) => m.id));
    for (const m of RULE_METAS) {
      assert.deepEqual(lint.properties.rules.properties[m.id].enum, ['off', 'error', 'warning', 'info']);
      assert.ok(lint.properties.rules.properties[m.id].description.startsWith(`${m.name} (default ${m.defaultSeverity})`), m.id);
    }
    assert.deepEqual(Object.keys(lint.properties.thresholds.properties), Object.keys(THRESHOLDS));
    for (const [name, t] of Object.entries(THRESHOLDS)) {
      const p = lint.properties.thresholds.properties[name];
      assert.equal(p.default, t.default, name);
      assert.equal(p.maximum, t.max, name);
      assert.equal(t.minInclusive === false ? p.exclusiveMinimum : p.minimum, t.min, name);
      assert.equal(p.type, t.integer ? 'integer' : 'number', name);
    }
    assert.ok(lint.properties.columns, 'lint.columns is described');
  });

  it('fairness.thresholds accepts exactly the metrics of the fairness gate', () => {
    assert.deepEqual(Object.keys(fairness).sort(), Object.keys(GATE_METRICS).sort());
  });

  it('describes disparateImpactRatio as Fairlearn\'s min/max ratio and disparateImpact as AIF360\'s unprivileged/privileged ratio', () => {
    assert.match(fairness.disparateImpactRatio.description, /Fairlearn's demographic parity ratio: the smallest group selection rate divided by the largest/);
    assert.match(fairness.disparateImpactRatio.description, /no privileged group needed/);
    assert.doesNotMatch(fairness.disparateImpactRatio.description, /over the privileged group/);
    assert.match(fairness.disparateImpact.description, /AIF360.*unprivileged rows divided by that of the privileged group/);
    for (const signed of ['statisticalParityDifference', 'averageOddsDifference', 'equalOpportunityDifferenceSigned']) {
      assert.equal(GATE_METRICS[signed], 'signed-difference');
      assert.match(fairness[signed].description, /absolute value/, signed);
    }
  });

  describe('validation', () => {
    let dir: string;
    before(() => {
      dir = mkdtempSync(join(tmpdir(), 'rml-lint-schema-'));
      writeFileSync(join(dir, 'd.csv'), 'a,g,y\n1,x,1\n2,y,0\n3,x,1\n4,y,0\n');
    });
    after(() => rmSync(dir, { recursive: true, force: true }));
    const base = 'name: s\ndata: {path: d.csv, target: y, positive: "1", sensitive: [g]}\nsplit: {test: 0.25, seed: 1}\n';

    it('accepts every gate metric as a threshold and every lint setting the lint knows', () => {
      const thresholds = Object.keys(GATE_METRICS).map((m) => `    ${m}: 0.5`).join('\n');
      const rules = RULE_METAS.map((m) => `    ${m.id}: info`).join('\n');
      const settings = Object.entries(THRESHOLDS).map(([n, t]) => `    ${n}: ${t.default}`).join('\n');
      const text = `${base}fairness:\n  thresholds:\n${thresholds}\nlint:\n  rules:\n${rules}\n  thresholds:\n${settings}\n  columns:\n    a: {RML005: off}\n`;
      const r = validateConfigText(text, join(dir, 's.rml.yaml'), { root: dir });
      assert.deepEqual(r.errors.map((e) => e.message), []);
    });

    it('leaves a bad lint section to the lint (RML103, with suggestions): training still accepts the config', async () => {
      const text = `${base}lint:\n  rules: {RML001: loud, RML999: off}\n  thresholds: {sampleRow: 100, proxyCramersV: 2}\n  bogus: 1\n`;
      const file = join(dir, 'bad.rml.yaml');
      assert.deepEqual(validateConfigText(text, file, { root: dir }).errors.map((e) => e.message), []);
      const findings = await lintConfigText(text, file, { root: dir, cache: false });
      const settings = findings.filter((f) => f.ruleId === 'RML103').map((f) => f.message);
      assert.ok(!findings.some((f) => f.ruleId === 'RML101'));
      assert.equal(settings.length, 5, JSON.stringify(settings));
      assert.ok(settings.some((m) => /lint\.rules\.RML001 must be off, error, warning or info, got "loud"/.test(m)));
      assert.ok(settings.some((m) => /did you mean 'sampleRows'/.test(m)));
    });

    it('still refuses a lint section that is not an object', () => {
      const r = validateConfigText(`${base}lint: 5\n`, join(dir, 'x.rml.yaml'), { root: dir });
      assert.equal(r.errors.length, 1);
      assert.equal(r.errors[0].field, 'lint');
    });
  });
});
