/**
 * The `rml train` command end to end (in-process, real engine, real files): the report, the
 * --json keys, the run record, determinism, and the bad-input catalogue (exit 2 with
 * file:line:column, never a crash or a hang).
 */
import { strict as assert } from 'node:assert';
import { mkdtempSync, writeFileSync, readFileSync, readdirSync, existsSync, mkdirSync, cpSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { rml } from './cli-harness';

const FIXTURE = join(__dirname, '..', 'fixtures', 'german');



function workspace(): string {
  const dir = mkdtempSync(join(tmpdir(), 'rml-cli-'));
  cpSync(FIXTURE, dir, { recursive: true });
  return dir;
}

describe('rml train (end to end)', function () {
  let ws: string;
  before(() => {
    ws = workspace();
  });
  after(() => rmSync(ws, { recursive: true, force: true }));

  it('--json prints the documented keys and writes a complete run record', async () => {
    const r = await rml(['train', 'german.rml.yaml', '--json'], ws);
    assert.equal(r.code, 0, r.err);
    const j = JSON.parse(r.out);
    for (const k of ['run', 'backend', 'task', 'data', 'metrics', 'timings', 'epochs']) assert.ok(k in j, `missing ${k}`);
    assert.equal(j.task, 'binary');
    assert.ok(['node', 'wasm', 'cpu'].includes(j.backend));
    assert.deepEqual(Object.keys(j.data).sort(), ['rows', 'test', 'train', 'validation']);
    assert.equal(j.data.rows, 1000);
    assert.equal(j.data.test, 200);
    assert.equal(j.data.validation, 100);
    assert.equal(j.data.train, 700);
    for (const m of ['accuracy', 'balancedAccuracy', 'precision', 'recall', 'f1', 'rocAuc', 'averagePrecision', 'logLoss', 'brier', 'ece']) {
      assert.equal(typeof j.metrics[m], 'number', m);
      assert.ok(Number.isFinite(j.metrics[m]), m);
    }
    for (const t of ['readMs', 'trainMs', 'evaluateMs']) assert.equal(typeof j.timings[t], 'number');
    // The run record.
    assert.ok(j.run.startsWith(join(ws, '.rml', 'runs')));
    for (const f of ['run.json', 'preprocess.json', 'predictions.csv', 'model/model.json', 'model/weights.bin']) assert.ok(existsSync(join(j.run, f)), f);
    const run = JSON.parse(readFileSync(join(j.run, 'run.json'), 'utf8'));
    assert.equal(run.status, 'completed');
    assert.match(run.config.hash, /^[0-9a-f]{64}$/);
    assert.match(run.data.hash, /^[0-9a-f]{64}$/);
    assert.equal(run.seed, 7);
    assert.equal(run.history.length, j.epochs);
    assert.ok(run.versions.tfjs && run.versions.rml && run.versions.node);
    // Sensitive columns and the ignored leak are not inputs.
    for (const c of ['sex', 'age_group', 'credit', 'credit_good']) assert.ok(!run.data.features.includes(c), c);
    const lines = readFileSync(join(j.run, 'predictions.csv'), 'utf8').trim().split('\n');
    assert.equal(lines[0], 'row,line,y_true,y_pred,y_score,sex,age_group');
    assert.equal(lines.length, 201);
    // No temporary folders left behind.
    assert.deepEqual(readdirSync(join(ws, '.rml', 'runs')).filter((n) => n.startsWith('.')), []);
  });

  it('--backend overrides the choice and the report names the backend that ran', async () => {
    const r = await rml(['train', 'german.rml.yaml', '--json', '--backend', 'cpu'], ws);
    assert.equal(r.code, 0, r.err);
    const j = JSON.parse(r.out);
    assert.equal(j.backend, 'cpu');
    assert.equal(JSON.parse(readFileSync(join(j.run, 'run.json'), 'utf8')).backend.name, 'cpu');
    // tfjs-node is not installable offline here: asking for it is a clear input error, not a crash.
    const n = await rml(['train', 'german.rml.yaml', '--backend', 'node'], ws);
    if (n.code !== 0) {
      assert.equal(n.code, 2);
      assert.match(n.err, /backend 'node' was requested but tfjs-node unavailable/);
    }
  });

  it('is deterministic: the same seed gives the same metrics', async () => {
    const a = JSON.parse((await rml(['train', 'german.rml.yaml', '--json'], ws)).out);
    const b = JSON.parse((await rml(['train', 'german.rml.yaml', '--json'], ws)).out);
    assert.deepEqual(a.metrics, b.metrics);
    assert.notEqual(a.run, b.run);
  });

  it('prints a human report with the data summary, training curve, metrics and run folder', async () => {
    const r = await rml(['train', 'german.rml.yaml'], ws);
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /1000 rows/);
    assert.match(r.out, /split: train 700 · validation 100 · test 200/);
    assert.match(r.out, /epochs {2}loss/);
    assert.match(r.out, /accuracy\s+0\.\d{4}/);
    assert.match(r.out, /Run saved to \.rml\/runs\//);
    assert.match(r.out, /backend (wasm|cpu|node)/);
  });

  it('--out writes the run elsewhere; cross-validation reports mean ± sd', async () => {
    const out = join(ws, 'elsewhere');
    writeFileSync(join(ws, 'cv.rml.yaml'), readFileSync(join(ws, 'german.rml.yaml'), 'utf8').replace('train:', 'evaluate:\n  crossValidation: 3\ntrain:'));
    const r = await rml(['train', 'cv.rml.yaml', '--json', '--out', out], ws);
    assert.equal(r.code, 0, r.err);
    const j = JSON.parse(r.out);
    assert.ok(j.run.startsWith(out));
    assert.equal(j.crossValidation.k, 3);
    assert.equal(j.crossValidation.metrics.accuracy.n, 3);
    assert.ok(j.crossValidation.metrics.accuracy.sd >= 0);
  });

  it('trains multiclass and regression configs', async () => {
    writeFileSync(join(ws, 'multi.rml.yaml'), 'name: multi\ndata: { path: german.csv, target: purpose, ignore: [credit] }\nsplit: { seed: 1 }\ntrain: { epochs: 2, seed: 1 }\n');
    const m = JSON.parse((await rml(['train', 'multi.rml.yaml', '--json'], ws)).out);
    assert.equal(m.task, 'multiclass');
    assert.equal(typeof m.metrics.f1Macro, 'number');
    writeFileSync(join(ws, 'reg.rml.yaml'), 'name: reg\ndata: { path: german.csv, target: credit_amount, ignore: [credit] }\nmodel: { type: linear }\nsplit: { seed: 1 }\ntrain: { epochs: 2, seed: 1 }\n');
    const g = JSON.parse((await rml(['train', 'reg.rml.yaml', '--json'], ws)).out);
    assert.equal(g.task, 'regression');
    for (const k of ['mse', 'rmse', 'mae', 'r2']) assert.equal(typeof g.metrics[k], 'number', k);
  });
});

describe('rml train: bad input (exit 2, with file:line:column)', function () {
  let ws: string;
  before(() => {
    ws = workspace();
  });
  after(() => rmSync(ws, { recursive: true, force: true }));

  const base = (over: string) => `name: bad\ndata:\n  path: data.csv\n  target: y\n  positive: "1"\n${over}`;
  const goodCsv = 'a,b,y\n' + Array.from({ length: 40 }, (_, i) => `${i},${i % 3 === 0 ? 'x' : 'z'},${i % 2}`).join('\n') + '\n';

  /** Write a config (and optionally a CSV), run it, expect exit 2 and a located message. */
  async function expectBad(name: string, config: string, csv: string | Buffer | undefined, pattern: RegExp, where?: RegExp) {
    const dir = join(ws, name);
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'c.rml.yaml'), config);
    if (csv !== undefined) writeFileSync(join(dir, 'data.csv'), csv);
    const r = await rml(['train', join(dir, 'c.rml.yaml'), '--root', ws, '--quiet'], ws);
    assert.equal(r.code, 2, `exit code ${r.code}; stderr: ${r.err}`);
    assert.match(r.err, pattern);
    assert.match(r.err, where ?? /:\d+:\d+: /, 'error should carry file:line:column');
    assert.doesNotMatch(r.err, /internal error|at .*\.ts:\d+/, 'no stack traces for bad input');
    return r.err;
  }

  const cases: [string, () => Promise<unknown>][] = [
    ['a missing config file', async () => {
      const r = await rml(['train', 'nope.rml.yaml'], ws);
      assert.equal(r.code, 2);
      assert.match(r.err, /nope\.rml\.yaml/);
    }],
    ['a missing data file', () => expectBad('nodata', base(''), undefined, /not found|does not exist|no such file/i, /c\.rml\.yaml:3:\d+/)],
    ['an empty CSV', () => expectBad('empty', base(''), '', /empty/i, /data\.csv:1:1/)],
    ['a header-only CSV', () => expectBad('headeronly', base(''), 'a,b,y\n', /no data rows|header only|no rows/i, /data\.csv:\d+:\d+/)],
    ['ragged rows', () => expectBad('ragged', base(''), 'a,b,y\n1,2,0\n1,2\n', /field|column/i, /data\.csv:3:\d+/)],
    ['an unclosed quote', () => expectBad('quote', base(''), 'a,b,y\n1,"2,0\n', /quote/i, /data\.csv:2:\d+/)],
    ['an unknown target', () => expectBad('target', base('').replace('target: y', 'target: income'), goodCsv, /unknown target column 'income'.*a, b, y/, /c\.rml\.yaml:4:11/)],
    ['a one-class target', () => expectBad('oneclass', base(''), 'a,y\n' + Array.from({ length: 20 }, (_, i) => `${i},1`).join('\n'), /single class/, /data\.csv:1:\d+/)],
    ['a positive value that is absent', () => expectBad('positive', base('').replace('positive: "1"', 'positive: "yes"'), goodCsv, /positive value 'yes' does not occur/, /c\.rml\.yaml:5:\d+/)],
    ['an all-missing feature column', () => expectBad('allmissing', base(''), 'a,b,y\n' + Array.from({ length: 40 }, (_, i) => `${i},NA,${i % 2}`).join('\n'), /'b'.*(all missing|no values)/, /data\.csv:1:3/)],
    ['text in a numeric column', () => expectBad('text', base(''), 'a,b,y\n' + Array.from({ length: 40 }, (_, i) => `${i === 17 ? 'seventeen' : i},x,${i % 2}`).join('\n'), /'a'.*numeric.*'seventeen'/, /data\.csv:19:1/)],
    ['an unknown config key', () => expectBad('unknownkey', base('traning:\n  epochs: 3\n'), goodCsv, /unknown key 'traning'/i, /c\.rml\.yaml:6:1/)],
    ['a wrong type', () => expectBad('wrongtype', base('train:\n  epochs: ten\n'), goodCsv, /epochs/, /c\.rml\.yaml:7:11/)],
    ['a missing required key', () => expectBad('required', 'name: x\ndata:\n  path: data.csv\n', goodCsv, /target/, /c\.rml\.yaml:\d+:\d+/)],
    ['a YAML syntax error', () => expectBad('yamlsyntax', 'name: x\ndata: [unclosed\n', goodCsv, /./, /c\.rml\.yaml:\d+:\d+/)],
    ['a YAML alias bomb', () => {
      const bomb = 'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\nd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]\ne: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]\nf: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]\ng: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]\nname: x\n';
      return expectBad('bomb', bomb, goodCsv, /alias/i, /c\.rml\.yaml:\d+:\d+/);
    }],
    ['a data path escaping the root', () => expectBad('escape', base('').replace('path: data.csv', 'path: ../../../etc/passwd'), goodCsv, /outside|escapes/i, /c\.rml\.yaml:3:\d+/)],
    ['a 10 MB single line', () => expectBad('hugeline', base(''), 'a,b,y\n' + 'x'.repeat(10 * 1024 * 1024) + ',1,0\n', /too long|longer|exceeds|limit/i, /data\.csv:2:\d+/)],
    ['invalid UTF-8', () => expectBad('utf8', base(''), Buffer.concat([Buffer.from('a,b,y\n1,'), Buffer.from([0xe9]), Buffer.from(',0\n')]), /UTF-8/, /data\.csv:2:\d+/)],
    ['binary content', () => expectBad('binary', base(''), Buffer.from([0x50, 0x4b, 0x03, 0x04, 0x00, 0x00, 0x01, 0x02, 0x0a]), /binary|NUL/i, /data\.csv:1:\d+/)],
    ['an unknown feature column', () => expectBad('feature', base('  features: [a, nope]\n'), goodCsv, /unknown feature column 'nope'/, /c\.rml\.yaml:6:\d+/)],
    ['an unknown sensitive column', () => expectBad('sensitive', base('  sensitive: [gender]\n'), goodCsv, /'gender'/, /c\.rml\.yaml:6:\d+/)],
    ['test + validation >= 1', () => expectBad('fractions', base('split:\n  test: 0.6\n  validation: 0.5\n'), goodCsv, /test.*validation|validation.*test/, /c\.rml\.yaml:\d+:\d+/)],
    ['the target listed as a feature', () => expectBad('targetfeature', base('  features: [a, y]\n'), goodCsv, /target/, /c\.rml\.yaml:\d+:\d+/)],
    ['a continuous target with a logistic model', () => expectBad('continuous', 'name: x\ndata:\n  path: data.csv\n  target: a\n', goodCsv, /continuous/, /c\.rml\.yaml:\d+:\d+/)],
    ['a data path that is a directory', () => expectBad('dir', base('').replace('path: data.csv', 'path: sub'), goodCsv, /director/i, /c\.rml\.yaml:3:\d+|sub:1:1/)],
    ['an unknown CLI option', async () => {
      const r = await rml(['train', 'german.rml.yaml', '--bogus'], ws);
      assert.equal(r.code, 2);
      assert.match(r.err, /bogus/);
    }],
    ['a bad --backend value', async () => {
      const r = await rml(['train', 'german.rml.yaml', '--backend', 'gpu'], ws);
      assert.equal(r.code, 2);
      assert.match(r.err, /--backend must be one of auto, node, wasm, cpu/);
    }],
    ['no config argument', async () => {
      const r = await rml(['train'], ws);
      assert.equal(r.code, 2);
      assert.match(r.err, /exactly one config/);
    }],
    ['an unknown command', async () => {
      const r = await rml(['trian'], ws);
      assert.equal(r.code, 2);
      assert.match(r.err, /unknown command 'trian'/);
    }],
  ];
  for (const [name, run] of cases) it(name, async () => {
    if (name === 'a data path that is a directory') mkdirSync(join(ws, 'dir', 'sub'), { recursive: true });
    await run();
  });

  it('has at least 25 bad-input cases', () => assert.ok(cases.length >= 25));
});
