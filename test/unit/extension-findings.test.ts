/** From lint findings to the Problems panel and quick fixes: the pure steps (no VS Code). */
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { lintConfigText, ruleInfo } from '../../src/core/lint';
import { byPosition, configOnlyFixes, distinctFixes, findingKey, fixKey, groupByFile, normalizeRuleSettings, zeroBased, type Finding } from '../../src/extension/diagnostics/findings';

const config = '/ws/adult.rml.yaml';
const csv = '/ws/data/adult.csv';

function finding(over: Partial<Finding>): Finding {
  return { ruleId: 'RML003', ruleName: 'undeclared-sensitive', severity: 'warning', message: 'm', file: config, line: 3, startColumn: 5, endLine: 3, endColumn: 9, ...over };
}

describe('extension: findings', () => {
  it('maps rule settings given by id or by name to ids (the id wins) and reports unknown keys', () => {
    const lookup = (k: string) => ruleInfo(k)?.id;
    const r = normalizeRuleSettings({ 'undeclared-sensitive': 'info', RML003: 'error', 'no-seed': 'off', rml015: 'off', 'no-such-rule': 'error', RML999: 'warning' }, lookup);
    assert.deepEqual(r.rules, { RML003: 'error', RML011: 'off', RML015: 'off' });
    assert.deepEqual(r.unknown, ['no-such-rule', 'RML999']);
    // The order of keys does not matter: the id still wins when it comes first.
    assert.deepEqual(normalizeRuleSettings({ RML003: 'error', 'undeclared-sensitive': 'info' }, lookup).rules, { RML003: 'error' });
  });

  it('groups by the file a finding sits on (config or CSV header)', () => {
    const g = groupByFile([finding({}), finding({ file: csv, line: 1 }), finding({ line: 1 })]);
    assert.deepEqual([...g.keys()], [config, csv]);
    assert.equal(g.get(config)!.length, 2);
  });

  it('converts 1-based end-exclusive ranges to 0-based, and never produces an inverted range', () => {
    assert.deepEqual(zeroBased(finding({})), { startLine: 2, startCharacter: 4, endLine: 2, endCharacter: 8 });
    assert.deepEqual(zeroBased(finding({ line: 0, startColumn: 0, endLine: 0, endColumn: 0 })), { startLine: 0, startCharacter: 0, endLine: 0, endCharacter: 0 });
    assert.deepEqual(zeroBased(finding({ line: 5, startColumn: 9, endLine: 4, endColumn: 1 })), { startLine: 4, startCharacter: 8, endLine: 4, endCharacter: 8 });
  });

  it('offers only fixes whose every edit is on the config (never the CSV)', () => {
    const onConfig = { title: 'Declare it', edits: [{ file: config, line: 11, startColumn: 14, endLine: 11, endColumn: 14, newText: ', age' }] };
    const onCsv = { title: 'Rename the column', edits: [{ file: csv, line: 1, startColumn: 1, endLine: 1, endColumn: 4, newText: 'x' }] };
    const mixed = { title: 'Both', edits: [...onConfig.edits, ...onCsv.edits] };
    const empty = { title: 'Nothing', edits: [] };
    assert.deepEqual(configOnlyFixes(finding({ fixes: [onConfig, onCsv, mixed, empty] }), config).map((f) => f.title), ['Declare it']);
    assert.deepEqual(configOnlyFixes(finding({}), config), []);
  });

  it('identifies a diagnostic by rule, message and range', () => {
    const r = zeroBased(finding({}));
    assert.equal(findingKey('RML003', 'm', r), findingKey('RML003', 'm', { ...r }));
    assert.notEqual(findingKey('RML003', 'm', r), findingKey('RML004', 'm', r));
    assert.notEqual(findingKey('RML003', 'm', r), findingKey('RML003', 'm', { ...r, endCharacter: 9 }));
  });

  it('sorts by position', () => {
    const out = [finding({ line: 4 }), finding({ line: 3, startColumn: 9 }), finding({ line: 3, startColumn: 2 })].sort(byPosition);
    assert.deepEqual(out.map((f) => `${f.line}:${f.startColumn}`), ['3:2', '3:9', '4:5']);
  });

  it('offers each distinct edit once per column: RML002 and RML003 both declaring \'sex\' give one quick fix resolving both (real lint of the flawed fixture)', async () => {
    const dir = resolve(__dirname, '../e2e/workspaces/flawed');
    const file = join(dir, 'loans.rml.yaml');
    const findings = await lintConfigText(readFileSync(file, 'utf8'), file, { root: dir, cache: false });
    const onSex = findings.filter((f) => f.column === 'sex' && (f.ruleId === 'RML002' || f.ruleId === 'RML003'));
    assert.deepEqual(onSex.map((f) => f.ruleId).sort(), ['RML002', 'RML003']);
    const entries = onSex.map((f) => ({ owner: f.ruleId, fixes: configOnlyFixes(f, file) }));
    const offered = entries.flatMap((e) => e.fixes);
    const declare = offered.filter((f) => f.title === "Declare 'sex' in data.sensitive");
    assert.equal(declare.length, 2, 'both rules offer the same declaration');
    assert.equal(fixKey(declare[0]), fixKey(declare[1]));

    const distinct = distinctFixes(entries);
    assert.equal(distinct.length, new Set(offered.map(fixKey)).size);
    assert.equal(distinct.length, offered.length - 1);
    const once = distinct.filter((d) => d.fix.title === "Declare 'sex' in data.sensitive");
    assert.equal(once.length, 1);
    assert.deepEqual(once[0].owners.sort(), ['RML002', 'RML003']);
    assert.equal(once[0].preferred, true);
    // The exclusion is RML002's alone, and still offered.
    const exclude = distinct.filter((d) => d.fix.title.startsWith("Add 'sex' to data.ignore"));
    assert.deepEqual(exclude.map((d) => d.owners), [['RML002']]);
  });

  it('keeps fixes apart when their edits differ, even under the same title', () => {
    const edit = { file: config, line: 11, startColumn: 14, endLine: 11, endColumn: 14, newText: ', age' };
    const a = { title: 'Declare it', edits: [edit] };
    const b = { title: 'Declare it', edits: [{ ...edit, newText: ', sex' }] };
    const r = distinctFixes([{ owner: 1, fixes: [a, b] }, { owner: 2, fixes: [{ ...a, title: 'Same edit, other title' }] }]);
    assert.deepEqual(r.map((d) => [d.fix.title, d.owners, d.preferred]), [['Declare it', [1, 2], true], ['Declare it', [1], false]]);
  });
});
