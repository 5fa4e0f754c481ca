/** The code lens's run summaries and the run index (pure; no VS Code). */
import { strict as assert } from 'node:assert';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RunIndex } from '../../src/extension/runs/run-index';
import { failureText, formatNumber, gateSentence, lensTitle, lensTooltip, relativeTime, runInfo } from '../../src/extension/runs/summary';
import { configFolderOfRun } from '../../src/extension/paths';

const fixture = join(__dirname, '..', 'fixtures', 'runs', 'example-run');
const record = JSON.parse(readFileSync(join(fixture, 'run.json'), 'utf8')) as Record<string, unknown>;

describe('extension: run summaries', () => {
  it('summarises a completed binary run with fairness and a failed gate', () => {
    const info = runInfo('/x/.rml/runs/r', record);
    assert.equal(info.status, 'completed');
    assert.equal(info.headline?.label, 'acc');
    // The largest demographic parity difference over the audited columns (race here).
    assert.equal(info.fairness?.label, 'DPD');
    assert.equal(info.fairness?.column, 'race');
    assert.equal(info.gate?.passed, false);
    const title = lensTitle(info);
    assert.match(title, /^Last run: acc 0\.\d{1,3} · DPD 0\.\d{1,3} ✗$/);
    assert.match(lensTooltip(info), /fairness gate: FAILED\n {2}✗ sex: demographicParityDifference 0\.171 \(limit <= 0\.1\)/);
    assert.match(gateSentence(info.gate!), /^the fairness gate failed: sex: demographicParityDifference 0\.171 \(limit <= 0\.1\) and \d+ more$/);
  });

  it('says "cancelled at epoch k/n" for a cancelled run', () => {
    const info = runInfo('/d', { status: 'cancelled', epochs: 3, train: { epochs: 30 }, metrics: null });
    assert.equal(lensTitle(info), 'Last run: cancelled at epoch 3/30');
  });

  it('shows R² for regression and a passed gate with ✓', () => {
    const info = runInfo('/d', { status: 'completed', task: 'regression', metrics: { r2: 0.71234, rmse: 3.2 }, fairness: { sex: { meanPredictionDifference: -0.5 } }, gate: { passed: true, failures: [] } });
    assert.equal(lensTitle(info), 'Last run: R² 0.712 · MPD -0.5 ✓');
  });

  it('never throws on malformed records (hand-edited or from another version)', () => {
    for (const bad of [null, 42, 'x', [], { status: 7, metrics: 'no', fairness: [1], gate: { passed: 'yes' } }, { metrics: { accuracy: NaN } }]) {
      const info = runInfo('/d', bad);
      assert.equal(info.status, 'unknown');
      assert.equal(lensTitle(info), 'Last run: no test metrics');
    }
  });

  it('formats numbers and ages compactly', () => {
    assert.equal(formatNumber(0.85234), '0.852');
    assert.equal(formatNumber(12.345), '12.3');
    assert.equal(formatNumber(0), '0');
    assert.equal(formatNumber(0.00001), '1.0e-5');
    const now = new Date('2026-01-01T12:00:00Z');
    assert.equal(relativeTime(new Date('2026-01-01T11:59:30Z'), now), 'just now');
    assert.equal(relativeTime(new Date('2026-01-01T11:55:00Z'), now), '5 min ago');
    assert.equal(relativeTime(new Date('2025-12-31T12:00:00Z'), now), '1 day ago');
    assert.equal(failureText({ metric: 'disparateImpactRatio', column: null, value: null, op: '>=', limit: 0.8 }), 'disparateImpactRatio undefined (limit >= 0.8)');
  });
});

describe('extension: run index', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'rml-runs-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const addRun = (folder: string, name: string, configFile: string, status = 'completed') => {
    const run = join(dir, '.rml', 'runs', folder);
    mkdirSync(run, { recursive: true });
    writeFileSync(join(run, 'run.json'), JSON.stringify({ ...record, name, status, config: { file: configFile, hash: 'h' } }));
    return run;
  };

  it('finds the newest run of each config among the runs of its folder, and skips temporary folders', async () => {
    const a = join(dir, 'a.rml.yaml');
    const b = join(dir, 'b.rml.yaml');
    addRun('2026-01-01T00-00-00-000Z-a', 'a', a);
    const newest = addRun('2026-01-02T00-00-00-000Z-a', 'a', a, 'cancelled');
    addRun('2026-01-03T00-00-00-000Z-b', 'b', b);
    mkdirSync(join(dir, '.rml', 'runs', '.tmp-2026-01-04-a-1234'));
    const index = new RunIndex();
    assert.equal((await index.latest(a))?.dir, newest);
    assert.equal((await index.latestCompleted(a))?.dir, join(dir, '.rml', 'runs', '2026-01-01T00-00-00-000Z-a'));
    assert.equal((await index.runsOf(b)).length, 1);
  });

  it('matches runs by file name when the folder was moved', async () => {
    addRun('2026-01-01T00-00-00-000Z-a', 'a', '/elsewhere/a.rml.yaml');
    assert.ok(await new RunIndex().latest(join(dir, 'a.rml.yaml')));
  });

  it('caches per folder until invalidated, and tells listeners', async () => {
    const a = join(dir, 'a.rml.yaml');
    const index = new RunIndex();
    assert.equal(await index.latest(a), undefined);
    const run = addRun('2026-01-01T00-00-00-000Z-a', 'a', a);
    assert.equal(await index.latest(a), undefined, 'cached');
    const told: string[] = [];
    index.onDidChange((f) => told.push(f));
    const folder = configFolderOfRun(run);
    assert.equal(folder, dir);
    index.invalidateFolder(folder!);
    assert.deepEqual(told, [dir]);
    assert.equal((await index.latest(a))?.dir, run);
  });

  it('reads the committed example run fixture', async () => {
    const copy = join(dir, '.rml', 'runs', 'example-run');
    cpSync(fixture, copy, { recursive: true });
    const runs = await new RunIndex().runsIn(dir);
    assert.equal(runs.length, 1);
    assert.equal(runs[0].status, 'completed');
  });
});
