import { strict as assert } from 'node:assert';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runConfigFile } from '../../src/core/engine';
import { loadRun } from '../../src/core/report/load';
import { readCsv } from '../../src/core/data';
import { transform } from '../../src/core/pipeline/preprocess';
import { loadBackend } from '../../src/core/model/backend';
import { predict } from '../../src/core/model/train';
import { RmlInputError } from '../../src/core/errors';

describe('run folders', () => {
  let ws: string;
  before(() => {
    ws = mkdtempSync(join(tmpdir(), 'rml-load-'));
    cpSync(join(__dirname, '..', 'fixtures', 'german'), ws, { recursive: true });
  });
  after(() => rmSync(ws, { recursive: true, force: true }));

  it('loadRun reads back weights that predict exactly what the run predicted', async () => {
    const r = await runConfigFile(join(ws, 'german.rml.yaml'), { root: ws });
    const run = await loadRun(r.dir);
    assert.equal(run.record.status, 'completed');
    assert.ok(run.weights);
    const ds = await readCsv(join(ws, 'german.csv'));
    const b = await loadBackend('auto');
    // Compare the y_score saved in predictions.csv with a fresh prediction from the loaded model.
    const lines = readFileSync(join(r.dir, 'predictions.csv'), 'utf8').trim().split('\n').slice(1, 21);
    const rows = lines.map((l) => Number(l.split(',')[0]));
    const p = predict(b.tf, run.weights!, transform(run.preprocessor, ds, rows), rows.length);
    lines.forEach((l, i) => assert.ok(Math.abs(Number(l.split(',')[4]) - p[i]) < 1e-5, `row ${rows[i]}`));
  });

  it('refuses a folder that is not a run, and a corrupt run.json, with the file named', async () => {
    await assert.rejects(loadRun(ws), (e: unknown) => e instanceof RmlInputError && /not a run folder/.test(e.message));
    const dir = mkdtempSync(join(tmpdir(), 'rml-badrun-'));
    writeFileSync(join(dir, 'run.json'), '{ nope');
    await assert.rejects(loadRun(dir), (e: unknown) => e instanceof RmlInputError && /run\.json is not valid JSON/.test(e.message));
    rmSync(dir, { recursive: true, force: true });
  });
});
