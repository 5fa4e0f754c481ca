import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { loadConfig } from '../../src/core/config';
import { profileDataset, readCsv } from '../../src/core/data';
import { lintConfigFile } from '../../src/core/lint';
import { fmt, judge, limitFor, limitText, verdictFor } from '../../src/core/report/view-model';
import { columnFindings, loadDataView, loadRun, loadThresholds, maskProfile, MASK, piiColumns } from '../../src/extension/panels/loaders';
import type { ColumnFinding } from '../../src/protocol/messages';
import { makeDataset } from './helpers';

const GERMAN = path.join(__dirname, '../fixtures/german/german.rml.yaml');
const RUN_DIR = path.join(__dirname, '../fixtures/runs/example-run');
/** The engine, statically imported (the extension loads it lazily with import(), which mocha's CommonJS hook cannot follow). */
const ENGINE = async () => ({ loadConfig, readCsv, profileDataset });

describe('panel loaders (host side, no vscode)', () => {
  it('masks every value of PII columns but keeps counts', () => {
    const ds = makeDataset({ email: ['a@x.org', 'b@y.org', 'a@x.org', null], age: ['30', '41', '52', '30'], city: ['Paris', 'Lyon', 'Paris', 'Nice'] });
    const profile = profileDataset(ds);
    const masked = maskProfile(profile, ['email', 'age']);
    const text = JSON.stringify(masked);
    for (const raw of ['a@x.org', 'b@y.org', '"min"', '"max"', '"mean"', '"histogram"']) assert.ok(!text.includes(raw), raw);
    const email = masked.columns.find((c) => c.name === 'email');
    assert.deepEqual(email?.top, [{ value: MASK, count: 2 }, { value: MASK, count: 1 }]);
    assert.equal(email?.missing, 1);
    assert.equal(email?.distinct, 2);
    assert.deepEqual(masked.columns.find((c) => c.name === 'city'), profile.columns.find((c) => c.name === 'city'));
    assert.equal(maskProfile(profile, []), profile);
    assert.ok(JSON.stringify(profile).includes('a@x.org'), 'the input profile is not changed');
  });

  it('keeps column findings and picks the RML001 columns', () => {
    const findings = columnFindings([
      { ruleId: 'RML001', severity: 'error', message: 'PII', column: 'email' },
      { ruleId: 'RML003', message: 'no seed' },
      { ruleId: 'RML004', severity: 'hint', message: 'proxy', column: 'zip' },
      { ruleId: 'RML001', severity: 'warning', message: 'PII again', column: 'email' },
    ]);
    assert.deepEqual(findings.map((f) => [f.column, f.ruleId, f.severity]), [['email', 'RML001', 'error'], ['zip', 'RML004', 'warning'], ['email', 'RML001', 'warning']]);
    assert.deepEqual(piiColumns(findings), ['email']);
  });

  it('profiles a config\'s data with the lint\'s findings, values of PII columns never leaving the host', async () => {
    const lint = async (): Promise<ColumnFinding[]> => [
      { column: 'personal_status', ruleId: 'RML001', severity: 'warning', message: 'personal data' },
      { column: 'age', ruleId: 'RML004', severity: 'warning', message: 'proxy for age_group' },
    ];
    const m = await loadDataView(GERMAN, path.dirname(GERMAN), lint, ENGINE);
    assert.equal(m.type, 'data');
    assert.equal(m.profile.rows, 1000);
    assert.deepEqual(m.masked, ['personal_status']);
    const ps = m.profile.columns.find((c) => c.name === 'personal_status');
    assert.ok(ps && ps.top.length > 0 && ps.top.every((t) => t.value === MASK));
    const text = JSON.stringify(m);
    for (const raw of ['A91', 'A92', 'A93', 'A94']) assert.ok(!text.includes(`"${raw}"`), raw);
    const age = m.profile.columns.find((c) => c.name === 'age');
    assert.ok(age?.histogram && age.top.some((t) => t.value !== MASK));
    assert.equal(m.findings.length, 2);
  });

  it('with the real lint, masks the columns RML001 flags (names, emails)', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rml-pii-'));
    try {
      const given = ['James', 'Mary', 'John', 'Patricia', 'Robert', 'Jennifer', 'Michael', 'Linda'];
      const family = ['Smith', 'Johnson', 'Williams', 'Brown', 'Jones', 'Garcia', 'Miller', 'Davis'];
      const rows = ['name,email,hours,sex,approved'];
      for (let i = 0; i < 80; i++) {
        const g = given[i % 8];
        const f = family[(i * 3) % 8];
        rows.push(`${g} ${f},${g.toLowerCase()}.${f.toLowerCase()}${i}@example.org,${10 + (i % 50)},${i % 2 ? 'F' : 'M'},${i % 3 ? 'yes' : 'no'}`);
      }
      fs.writeFileSync(path.join(dir, 'people.csv'), `${rows.join('\n')}\n`);
      fs.writeFileSync(path.join(dir, 'people.rml.yaml'), 'name: people\ndata:\n  path: people.csv\n  target: approved\n  positive: "yes"\n  sensitive: [sex]\nsplit:\n  seed: 1\n');
      const lint = async (file: string, root: string): Promise<ColumnFinding[]> => columnFindings(await lintConfigFile(file, { root, cache: false }));
      const m = await loadDataView(path.join(dir, 'people.rml.yaml'), dir, lint, ENGINE);
      assert.deepEqual([...(m.masked ?? [])].sort(), ['email', 'name']);
      const text = JSON.stringify(m);
      assert.ok(!text.includes('@example.org') && !text.includes('James '), 'no raw name or email reaches the webview');
      assert.ok(m.profile.columns.find((c) => c.name === 'hours')?.histogram);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('reads a run record, and says why when it cannot', async () => {
    const run = await loadRun(RUN_DIR);
    assert.equal(run.name, 'adult-income');
    await assert.rejects(loadRun(path.join(os.tmpdir(), 'no-such-run-rml')), /There is no run record at .*run\.json \(was the run deleted\?\)/);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rml-run-'));
    try {
      fs.writeFileSync(path.join(dir, 'run.json'), '{ not json');
      await assert.rejects(loadRun(dir), /is not valid JSON/);
      fs.writeFileSync(path.join(dir, 'run.json'), '{"schemaVersion": 2}');
      await assert.rejects(loadRun(dir), /is not a Responsible ML run record/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('reads the config\'s fairness thresholds, or none', async () => {
    const adult = path.join(__dirname, '../../examples/adult/adult.rml.yaml');
    assert.deepEqual(await loadThresholds(adult, path.dirname(adult), ENGINE), { demographicParityDifference: 0.1, equalizedOddsDifference: 0.1, disparateImpactRatio: 0.8 });
    assert.equal(await loadThresholds('/no/such.rml.yaml', '/no', ENGINE), undefined);
  });
});

describe('report view model: thresholds and numbers', () => {
  const t = { demographicParityDifference: 0.1, disparateImpactRatio: 0.8, statisticalParityDifference: 0.05, equalOpportunityDifferenceSigned: 0.1 };

  it('differences are maxima, ratios minima, signed differences maxima on |x|', () => {
    assert.deepEqual(limitFor('demographicParityDifference', t), { metric: 'demographicParityDifference', op: '<=', value: 0.1, abs: false });
    assert.deepEqual(limitFor('disparateImpactRatio', t), { metric: 'disparateImpactRatio', op: '>=', value: 0.8, abs: false });
    assert.equal(limitFor('equalizedOddsDifference', t), undefined);
    assert.equal(judge(0.1, limitFor('demographicParityDifference', t)), 'pass');
    assert.equal(judge(0.1001, limitFor('demographicParityDifference', t)), 'fail');
    assert.equal(judge(0.8, limitFor('disparateImpactRatio', t)), 'pass');
    assert.equal(judge(0.79, limitFor('disparateImpactRatio', t)), 'fail');
    assert.equal(judge(-0.04, limitFor('statisticalParityDifference', t)), 'pass');
    assert.equal(judge(-0.06, limitFor('statisticalParityDifference', t)), 'fail');
    assert.equal(limitText(limitFor('statisticalParityDifference', t)), '|x| ≤ 0.050');
    // The signed block's equalOpportunityDifference is the signed metric.
    assert.equal(limitFor('equalOpportunityDifference', t), undefined);
    assert.equal(limitFor('equalOpportunityDifference', t, true)?.metric, 'equalOpportunityDifferenceSigned');
  });

  it('an undefined value fails; without thresholds the gate\'s failures decide', () => {
    assert.equal(judge(null, limitFor('disparateImpactRatio', t)), 'fail');
    assert.equal(judge(null, undefined), undefined);
    const gate = { passed: false, failures: [{ metric: 'equalizedOddsDifference', column: 'race', value: 0.7, limit: 0.1 }] };
    assert.equal(verdictFor('race', 'equalizedOddsDifference', 0.7, undefined, gate), 'fail');
    assert.equal(verdictFor('sex', 'equalizedOddsDifference', 0.05, undefined, gate), undefined);
  });

  it('formats numbers for people', () => {
    assert.equal(fmt(null), 'undefined');
    assert.equal(fmt(undefined), 'undefined');
    assert.equal(fmt(NaN), 'undefined');
    assert.equal(fmt(32561), '32,561');
    assert.equal(fmt(-1234567), '-1,234,567');
    assert.equal(fmt(0.84520884), '0.845');
    assert.equal(fmt(1234.5678), '1,234.6');
    assert.equal(fmt(0.00002), '2.0e-5');
    assert.equal(fmt(0.5, 2), '0.50');
  });
});
