/**
 * `rml lint` in-process: text, JSON and SARIF output, exit codes and bad input. The SARIF log is
 * validated against the SARIF 2.1.0 schema's definitions of everything rml writes
 * (test/fixtures/lint/sarif-schema-2.1.0-subset.json, copied from the OASIS schema).
 */
import { strict as assert } from 'node:assert';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Ajv from 'ajv';
import { main, type Io } from '../../src/cli/main';
import { RULE_METAS } from '../../src/core/lint';
import sarifSchema from '../fixtures/lint/sarif-schema-2.1.0-subset.json';

const FIXTURES = join(__dirname, '..', 'fixtures', 'lint');

async function rml(args: string[], cwd: string): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const io: Io = { out: (s) => (out += s), err: (s) => (err += s), tty: false, cwd };
  const code = await main(args, io);
  return { code, out, err };
}

/** RFC 3986 URI and URI reference, as far as SARIF consumers rely on them. */
const ajv = new Ajv({
  allErrors: true,
  strict: false,
  formats: {
    uri: (s: string) => /^[A-Za-z][A-Za-z0-9+.-]*:[^\s]*$/.test(s),
    'uri-reference': (s: string) => /^[^\s\\]*$/.test(s) && !/%(?![0-9A-Fa-f]{2})/.test(s),
    'date-time': true,
  },
});
const validateSarif = ajv.compile(sarifSchema);

interface SarifResult {
  ruleId: string;
  ruleIndex: number;
  level: string;
  message: { text: string };
  locations: { physicalLocation: { artifactLocation: { uri: string; uriBaseId?: string }; region: { startLine: number; startColumn: number; endLine?: number; endColumn?: number } } }[];
  relatedLocations?: unknown[];
  fixes?: { description: { text: string }; artifactChanges: { artifactLocation: { uri: string }; replacements: unknown[] }[] }[];
  partialFingerprints: Record<string, string>;
}
interface SarifLogShape {
  version: string;
  runs: { tool: { driver: { name: string; rules: { id: string; name: string; helpUri: string; shortDescription: { text: string }; fullDescription: { text: string }; defaultConfiguration: { level: string } }[] } }; results: SarifResult[]; columnKind: string }[];
}

describe('rml lint (CLI)', function () {
  this.timeout(120_000);
  let ws: string;
  before(() => {
    ws = mkdtempSync(join(tmpdir(), 'rml-lint-cli-'));
    cpSync(join(FIXTURES, 'flawed'), join(ws, 'flawed'), { recursive: true });
    cpSync(join(FIXTURES, 'clean'), join(ws, 'clean'), { recursive: true });
    cpSync(join(FIXTURES, 'problems'), join(ws, 'problems'), { recursive: true });
  });
  after(() => rmSync(ws, { recursive: true, force: true }));

  it('text: compiler-style lines grouped by file, then a summary; exit 1 on errors', async () => {
    const r = await rml(['lint', 'flawed', '--no-cache'], ws);
    assert.equal(r.code, 1, r.err);
    const lines = r.out.trimEnd().split('\n');
    const findingLines = lines.filter((l) => /^flawed\//.test(l));
    assert.ok(findingLines.length >= 25);
    for (const l of findingLines) assert.match(l, /^flawed\/[\w.-]+:\d+:\d+ (error|warning|info) RML\d{3} \S/);
    assert.ok(r.out.includes("flawed/customers.csv:1:13 error RML001 Column 'full_name' holds person names"));
    // Grouped: one block per file, separated by a blank line.
    const files = findingLines.map((l) => l.split(':')[0]);
    const blocks = r.out.split('\n\n').map((b) => new Set(b.split('\n').filter((l) => /^flawed\//.test(l)).map((l) => l.split(':')[0])));
    assert.ok(blocks.every((b) => b.size <= 1));
    assert.equal(new Set(files).size, 4);
    assert.match(lines[lines.length - 2], /^✖ \d+ problems \(\d+ errors, \d+ warnings, \d+ info\) in 3 configs$/);
  });

  it('text: a clean workspace exits 0 and says so; --fail-on decides the level', async () => {
    const clean = await rml(['lint', 'clean', '--no-cache'], ws);
    assert.equal(clean.code, 0, clean.out + clean.err);
    assert.equal(clean.out.trim(), '✔ no problems in 1 config');
    const holdout = await rml(['lint', 'flawed/thresholds.rml.yaml', '--no-cache'], ws); // warnings and info only
    assert.equal(holdout.code, 0);
    assert.equal((await rml(['lint', 'flawed/thresholds.rml.yaml', '--no-cache', '--fail-on', 'warning'], ws)).code, 1);
    assert.equal((await rml(['lint', 'flawed', '--no-cache', '--fail-on', 'never'], ws)).code, 0);
    const quiet = await rml(['lint', 'flawed', '--no-cache', '--quiet'], ws);
    assert.ok(!/ (warning|info) RML/.test(quiet.out));
  });

  it('--rule and --threshold change the result', async () => {
    const off = await rml(['lint', 'flawed/customers.rml.yaml', '--no-cache', '--format', 'json', '--rule', 'RML001=off', '--rule', 'rml006=warning', '--rule', 'RML013=off'], ws);
    const findings = JSON.parse(off.out) as { ruleId: string; severity: string }[];
    assert.ok(!findings.some((f) => f.ruleId === 'RML001'));
    assert.ok(findings.filter((f) => f.ruleId === 'RML006').every((f) => f.severity === 'warning'));
    assert.equal(off.code, 0, 'no error left');
    const t = await rml(['lint', 'flawed/customers.rml.yaml', '--no-cache', '--format', 'json', '--threshold', 'minorityClassShare=0.01'], ws);
    assert.ok(!(JSON.parse(t.out) as { ruleId: string }[]).some((f) => f.ruleId === 'RML007'));
  });

  it('json: an array with the documented keys', async () => {
    const r = await rml(['lint', 'flawed', '--no-cache', '--format', 'json'], ws);
    assert.equal(r.code, 1);
    const findings = JSON.parse(r.out) as Record<string, unknown>[];
    assert.ok(findings.length >= 25);
    for (const f of findings) {
      for (const k of ['ruleId', 'severity', 'message', 'file', 'line', 'startColumn', 'endLine', 'endColumn', 'helpUri']) assert.ok(k in f, k);
      assert.ok(['error', 'warning', 'info'].includes(String(f.severity)));
      assert.ok(String(f.file).startsWith(join(ws, 'flawed')));
    }
    const pii = findings.find((f) => f.ruleId === 'RML001' && f.column === 'email');
    assert.ok(pii);
    assert.equal(pii.file, join(ws, 'flawed', 'customers.csv'));
    assert.deepEqual([pii.line, pii.startColumn, pii.endLine, pii.endColumn], [1, 23, 1, 28]);
    assert.ok(Array.isArray(pii.fixes));
  });

  it('sarif: a valid SARIF 2.1.0 log with every rule, relative URIs, regions and fixes', async () => {
    const r = await rml(['lint', 'flawed', 'problems', '--no-cache', '--format', 'sarif', '--fail-on', 'never'], ws);
    assert.equal(r.code, 0, r.err);
    const log = JSON.parse(r.out) as SarifLogShape;
    const ok = validateSarif(log);
    assert.ok(ok, JSON.stringify(validateSarif.errors?.slice(0, 5), null, 2));
    assert.equal(log.version, '2.1.0');
    const run = log.runs[0];
    assert.equal(run.columnKind, 'utf16CodeUnits');
    const rules = run.tool.driver.rules;
    assert.deepEqual(rules.map((x) => x.id), RULE_METAS.map((m) => m.id));
    for (const rule of rules) {
      assert.match(rule.helpUri, /^https:\/\/github\.com\/responsible-ml\/responsible-ml\/blob\/main\/docs\/rules\.md#rml\d{3}$/);
      assert.ok(rule.shortDescription.text && rule.fullDescription.text && rule.name);
      assert.ok(['error', 'warning', 'note'].includes(rule.defaultConfiguration.level));
    }
    assert.ok(run.results.length >= 40);
    for (const res of run.results) {
      assert.equal(rules[res.ruleIndex].id, res.ruleId);
      assert.ok(['error', 'warning', 'note'].includes(res.level));
      const loc = res.locations[0].physicalLocation;
      assert.equal(loc.artifactLocation.uriBaseId, '%SRCROOT%');
      assert.match(loc.artifactLocation.uri, /^(flawed|problems)\/[\w.%-]+$/);
      assert.ok(loc.region.startLine >= 1 && loc.region.startColumn >= 1);
      assert.ok(Object.values(res.partialFingerprints)[0].length === 32);
    }
    const email = run.results.find((x) => x.ruleId === 'RML001' && x.message.text.includes("'email'"));
    assert.deepEqual(email?.locations[0].physicalLocation, { artifactLocation: { uri: 'flawed/customers.csv', uriBaseId: '%SRCROOT%' }, region: { startLine: 1, startColumn: 23, endLine: 1, endColumn: 28 } });
    assert.equal(email?.fixes?.[0].artifactChanges[0].artifactLocation.uri, 'flawed/customers.rml.yaml');
    assert.ok(run.results.some((x) => (x.relatedLocations ?? []).length > 0));
    // Fingerprints do not depend on line numbers: the same finding after an edit above it keeps it.
    const fp = (out: string) => (JSON.parse(out) as SarifLogShape).runs[0].results.find((x) => x.ruleId === 'RML016')?.partialFingerprints;
    const before = fp(r.out);
    const cfg = join(ws, 'flawed', 'customers.rml.yaml');
    const text = readFileSync(cfg, 'utf8');
    writeFileSync(cfg, `# a new comment line\n${text}`);
    const moved = await rml(['lint', 'flawed', '--no-cache', '--format', 'sarif', '--fail-on', 'never'], ws);
    writeFileSync(cfg, text);
    assert.deepEqual(fp(moved.out), before);
  });

  it('sarif: --root makes URIs relative to it; --output writes the file', async () => {
    const out = join(ws, 'reports', 'rml.sarif');
    const r = await rml(['lint', 'flawed/holdout.rml.json', '--no-cache', '--format', 'sarif', '--root', 'flawed', '--output', out, '--fail-on', 'never'], ws);
    assert.equal(r.code, 0, r.err);
    assert.equal(r.out, '');
    assert.ok(existsSync(out));
    const log = JSON.parse(readFileSync(out, 'utf8')) as SarifLogShape;
    assert.ok(validateSarif(log));
    assert.ok(log.runs[0].results.every((x) => x.locations[0].physicalLocation.artifactLocation.uri === 'holdout.rml.json'));
  });

  it('exit code 2 for bad input', async () => {
    const cases: string[][] = [
      ['lint', 'no-such-folder'],
      ['lint', 'flawed/customers.csv'],
      ['lint', 'flawed', '--format', 'xml'],
      ['lint', 'flawed', '--fail-on', 'sometimes'],
      ['lint', 'flawed', '--rule', 'RML999=off'],
      ['lint', 'flawed', '--rule', 'RML001'],
      ['lint', 'flawed', '--threshold', 'nope=1'],
      ['lint', 'flawed', '--threshold', 'proxyCramersV=abc'],
      ['lint', 'flawed', '--threshold', 'proxyCramersV=7'],
      ['lint', 'flawed', '--bogus'],
    ];
    for (const args of cases) {
      const r = await rml(args, ws);
      assert.equal(r.code, 2, `${args.join(' ')}: ${r.out}${r.err}`);
      assert.match(r.err, /^rml: /, args.join(' '));
    }
    const empty = mkdtempSync(join(tmpdir(), 'rml-lint-empty-'));
    try {
      const r = await rml(['lint'], empty);
      assert.equal(r.code, 2);
      assert.match(r.err, /no training configs/);
    } finally {
      rmSync(empty, { recursive: true, force: true });
    }
  });

  it('a broken config is a finding (exit 1), not bad input', async () => {
    const r = await rml(['lint', 'problems/syntax.rml.yaml', '--no-cache'], ws);
    assert.equal(r.code, 1);
    assert.match(r.out, /problems\/syntax\.rml\.yaml:5:1 error RML100 YAML syntax error/);
  });

  it('prints its help', async () => {
    const r = await rml(['lint', '--help'], ws);
    assert.equal(r.code, 0);
    assert.match(r.out, /Usage: rml lint \[paths\.\.\.\]/);
    assert.match((await rml(['help'], ws)).out, /rml lint \[paths\.\.\.\]/);
  });
});
