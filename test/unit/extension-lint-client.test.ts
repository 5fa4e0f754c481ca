/**
 * The editor's lint worker (src/extension/lint-worker.ts, bundled as the build does) through its
 * host-side client: findings with documentation links, rule settings, the data
 * file as an input, unsaved text, cancellation, a missing file, the data view's profile, and the lint running on the worker's
 * thread while the host's event loop keeps serving (how long the host would stall is measured in
 * scripts/bench/lint.ts, not asserted here).
 */
import { strict as assert } from 'node:assert';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { threadId } from 'node:worker_threads';
import { LintClient, LintError } from '../../src/extension/diagnostics/lint-client';
import { workerBundle } from './extension-bundles';

const root = join(__dirname, '..', '..');

describe('extension: lint worker client', function () {
  this.timeout(120_000);
  let ws: string;
  let client: LintClient;
  const logged: string[] = [];

  before(async () => {
    const workerFile = await workerBundle('lint');
    ws = mkdtempSync(join(tmpdir(), 'rml-lint-'));
    cpSync(join(root, 'examples', 'adult'), ws, { recursive: true, filter: (src) => !src.includes(join('adult', '.rml')) });
    client = new LintClient(workerFile, (level, m) => logged.push(`${level}: ${m}`));
  });
  after(() => {
    client.dispose();
    rmSync(ws, { recursive: true, force: true });
  });

  const config = () => join(ws, 'adult.rml.yaml');

  it('lints on the worker thread while the host keeps serving, with help links and the data file as input', async () => {
    // A host timer that fires while the lint is in flight: the host's event loop is not blocked.
    let pending = true;
    let ticksWhilePending = 0;
    const timer = setInterval(() => {
      if (pending) ticksWhilePending++;
    }, 1);
    let r;
    try {
      r = await client.lint({ configFile: config(), root: ws, rules: {}, diskCache: false });
    } finally {
      pending = false;
      clearInterval(timer);
    }
    assert.equal(threadId, 0, 'the test runs on the main thread');
    assert.ok(r.thread > 0, `the lint ran on thread ${r.thread}, a worker, not the host's thread 0`);
    assert.ok(ticksWhilePending >= 1, 'the host serviced a timer while the worker was linting');
    const csv = join(ws, 'data', 'adult.csv');
    assert.deepEqual(r.inputs, [csv]);
    const onCsv = r.findings.filter((f) => f.file === csv);
    assert.ok(onCsv.some((f) => f.ruleId === 'RML003' && f.column === 'age' && f.line === 1), 'RML003 on the age header cell');
    for (const f of r.findings) assert.match(f.helpUri ?? '', new RegExp(`#${f.ruleId.toLowerCase()}$`));
    const fix = r.findings.find((f) => f.ruleId === 'RML003')?.fixes?.[0];
    assert.ok(fix && fix.edits.every((e) => e.file === config()), 'fixes edit the config only');
    assert.ok(r.ms > 0, 'the worker reports its own time');
  });

  it('applies rml.lint.rules by id or name, and reports unknown keys', async () => {
    const r = await client.lint({ configFile: config(), root: ws, rules: { 'undeclared-sensitive': 'off', RML002: 'error', bogus: 'error' }, diskCache: false });
    assert.ok(!r.findings.some((f) => f.ruleId === 'RML003'));
    assert.ok(r.findings.filter((f) => f.ruleId === 'RML002').every((f) => f.severity === 'error'));
    assert.deepEqual(r.unknownRules, ['bogus']);
  });

  it('lints unsaved text: a schema error is a finding on the config', async () => {
    const text = readFileSync(config(), 'utf8').replace('  target: income', '  targt: income');
    const r = await client.lint({ configFile: config(), text, root: ws, rules: {}, diskCache: false });
    const f = r.findings.find((x) => x.ruleId === 'RML101' && /targt/.test(x.message));
    assert.ok(f, JSON.stringify(r.findings.map((x) => x.message)));
    assert.equal(f.file, config());
  });

  it('rejects with "missing" for a config that does not exist, and "cancelled" when aborted', async () => {
    await assert.rejects(client.lint({ configFile: join(ws, 'gone.rml.yaml'), root: ws, rules: {}, diskCache: false }), (e: unknown) => e instanceof LintError && e.kind === 'missing');
    const abort = new AbortController();
    const p = client.lint({ configFile: config(), root: ws, rules: {}, diskCache: false }, abort.signal);
    abort.abort();
    await assert.rejects(p, (e: unknown) => e instanceof LintError && e.kind === 'cancelled');
    // The worker keeps serving after a cancel.
    assert.ok((await client.lint({ configFile: config(), root: ws, rules: {}, diskCache: false })).findings.length > 0);
    assert.deepEqual(logged.filter((l) => l.startsWith('error')), []);
  });

  it('describes a CSV for a new config: columns, and the PII and protected-attribute detectors', async () => {
    const d = await client.describe(join(ws, 'data', 'adult.csv'));
    assert.equal(d.rows, 32561);
    assert.equal(d.columns.length, 15);
    const income = d.columns.find((c) => c.name === 'income')!;
    assert.equal(income.distinct, 2);
    assert.deepEqual(d.sensitive.map((s) => s.name).sort(), ['age', 'marital-status', 'native-country', 'race', 'sex']);
    assert.deepEqual(d.pii, []);
    const compas = join(root, '..', 'shared', 'data', 'compas-scores-two-years.csv');
    if (existsSync(compas)) {
      const c = await client.describe(compas);
      assert.deepEqual(c.pii.map((p) => p.name), ['name', 'first', 'last', 'dob']);
      assert.ok(c.pii.every((p) => /^personal data: /.test(p.reason)));
    }
    await assert.rejects(client.describe(join(ws, 'nope.csv')), (e: unknown) => e instanceof LintError && e.kind === 'input');
  });

  it('profiles a config\'s data for the data view in the worker, with its column findings', async () => {
    const m = await client.profile(config(), ws);
    assert.equal(m.type, 'data');
    assert.equal(m.profile.rows, 32561);
    const workclass = m.profile.columns.find((c) => c.name === 'workclass')!;
    assert.ok(workclass.missing > 0, 'workclass has missing values ("?")');
    assert.ok(m.findings.some((f) => f.ruleId === 'RML003' && f.column === 'age'));
    assert.deepEqual(m.masked, []);
    await assert.rejects(client.profile(join(ws, 'gone.rml.yaml'), ws), (e: unknown) => e instanceof LintError && e.kind === 'input');
  });

  it('writes a de-identified copy beside the CSV, never changing the original, and locates data.path', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rml-deid-'));
    try {
      cpSync(join(root, 'test', 'fixtures', 'lint', 'flawed'), dir, { recursive: true });
      const configFile = join(dir, 'customers.rml.yaml');
      const csv = join(dir, 'customers.csv');
      const before = readFileSync(csv, 'utf8');
      const text = readFileSync(configFile, 'utf8');
      const r = await client.deidentify(configFile, text, dir);
      assert.equal(r.output, join(dir, 'customers.deidentified.csv'));
      assert.equal(readFileSync(csv, 'utf8'), before, 'the original is unchanged');
      const columns = r.actions.map((a) => a.column);
      for (const c of ['full_name', 'email', 'phone', 'ssn']) assert.ok(columns.includes(c), `${c} de-identified (${columns.join(', ')})`);
      assert.deepEqual(r.residual, []);
      const copy = readFileSync(r.output, 'utf8');
      const emails = before.split('\n')[1].split(',');
      assert.ok(!copy.includes(emails.find((v) => v.includes('@'))!), 'no original e-mail address in the copy');
      // data.path's value, as written in the config.
      const line = text.split('\n')[r.dataPath.line - 1];
      assert.equal(line.slice(r.dataPath.startColumn - 1, r.dataPath.endColumn - 1), 'customers.csv');
      assert.equal(r.format, 'yaml');
      // A second copy does not replace the first.
      assert.equal((await client.deidentify(configFile, text, dir)).output, join(dir, 'customers.deidentified-2.csv'));
      // Nothing to do: a clean data set is refused with a reason.
      await assert.rejects(client.deidentify(config(), readFileSync(config(), 'utf8'), ws), (e: unknown) => e instanceof LintError && e.kind === 'input' && /nothing to de-identify/.test(e.message));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
