/**
 * What every run records besides metrics and fairness (src/core/engine.ts): energy and CO₂e with
 * their label, the pre-run estimate, the training-settings hash, permutation importance on the
 * test split, and with `privacy.dp` the DP-SGD guarantee and the cost of privacy.
 */
import { strict as assert } from 'node:assert';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../../src/core/config';
import { configTrainingHash } from '../../src/core/config/hash';
import { runConfigFile } from '../../src/core/engine';
import { RmlInputError } from '../../src/core/errors';
import { computeEpsilon } from '../../src/core/privacy/accountant';
import { buildModelCard, renderCardMarkdown } from '../../src/core/report/card';
import { fmt } from '../../src/core/report/view-model';
import { JOULES_PER_KWH } from '../../src/core/sustainability';
import { rml } from './cli-harness';

const FIXTURE = join(__dirname, '..', 'fixtures', 'german');
const BASE = readFileSync(join(FIXTURE, 'german.rml.yaml'), 'utf8');

describe('engine: what a run records besides its metrics', function () {
  this.timeout(60_000);
  let ws: string;
  const write = (name: string, text: string) => {
    writeFileSync(join(ws, name), text);
    return join(ws, name);
  };
  const run = (file: string, opts: Parameters<typeof runConfigFile>[1] = { root: ws }) => runConfigFile(file, { backend: 'cpu', dryRun: true, ...opts });

  before(() => {
    ws = mkdtempSync(join(tmpdir(), 'rml-engine-record-'));
    cpSync(FIXTURE, ws, { recursive: true });
  });
  after(() => rmSync(ws, { recursive: true, force: true }));

  describe('a plain run', () => {
    let r: Awaited<ReturnType<typeof run>>['record'];
    let estimated: unknown;
    before(async () => {
      r = (await run(join(ws, 'german.rml.yaml'), { root: ws, onEstimate: (e) => (estimated = e) })).record;
    });

    it('records energy with its label, CPU and wall time, and CO₂e = kWh × intensity', () => {
      const e = r.energy!;
      assert.ok(e, 'energy is recorded');
      assert.ok(e.kind === 'measured' || e.kind === 'estimated');
      assert.ok(e.joules > 0 && Number.isFinite(e.joules));
      assert.ok(e.cpu.seconds >= 0 && e.wallSeconds > 0);
      assert.equal(e.co2e.origin, 'default');
      assert.ok(Math.abs(e.co2e.grams - (e.joules / JOULES_PER_KWH) * e.co2e.gramsPerKWh) < 1e-12);
    });

    it('records the pre-run estimate it announced, labelled estimated', () => {
      assert.ok(r.estimate);
      assert.equal(r.estimate.kind, 'estimated');
      assert.deepEqual(estimated, r.estimate);
      assert.ok(r.estimate.joules > 0);
    });

    it('records the hash of the training settings next to the file hash', async () => {
      const config = await loadConfig(join(ws, 'german.rml.yaml'), { root: ws });
      assert.equal(r.config.trainingHash, configTrainingHash(config.raw));
      assert.equal(r.config.hash, config.hash);
    });

    it('stores permutation importance of every feature on the test rows, largest first', () => {
      const imp = r.explain!.importance!;
      assert.equal(imp.method, 'permutation');
      assert.equal(imp.metric, 'accuracy');
      assert.equal(imp.rows, r.data.test);
      assert.equal(imp.repeats, 5);
      assert.deepEqual(imp.features.map((f) => f.feature).sort(), [...r.data.features].sort());
      for (let i = 1; i < imp.features.length; i++) assert.ok(imp.features[i - 1].mean >= imp.features[i].mean);
      assert.ok(imp.features.every((f) => Number.isFinite(f.mean) && f.sd >= 0));
      assert.equal(r.metrics!.accuracy, imp.baseline, 'the unpermuted score is the run\'s test accuracy');
      assert.equal(r.privacy, undefined);
    });
  });

  it('ranks a planted informative feature first', async () => {
    // y = [x > 0]; noise1, noise2 are unrelated.
    let seed = 12345;
    const rand = () => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32);
    const lines = ['noise1,x,noise2,y'];
    for (let i = 0; i < 600; i++) {
      const x = rand() * 2 - 1;
      lines.push(`${rand().toFixed(4)},${x.toFixed(4)},${rand().toFixed(4)},${x > 0 ? 1 : 0}`);
    }
    write('planted.csv', lines.join('\n') + '\n');
    const file = write('planted.rml.yaml', 'name: planted\ndata: { path: planted.csv, target: y, positive: "1" }\nsplit: { seed: 3 }\ntrain: { epochs: 20, seed: 3, learningRate: 0.05 }\n');
    const { record } = await run(file);
    assert.equal(record.explain!.importance!.features[0].feature, 'x');
    assert.ok(record.explain!.importance!.features[0].mean > 0.2);
  });

  it('takes the grid intensity from the config before the editor setting', async () => {
    const file = write('carbon.rml.yaml', `${BASE.replace('name: german-credit', 'name: carbon')}sustainability:\n  carbonIntensity: { gramsPerKWh: 120, source: test grid }\n`);
    const a = (await run(file, { root: ws, carbonIntensity: 700, importanceRepeats: 0 })).record;
    assert.equal(a.energy!.co2e.gramsPerKWh, 120);
    assert.equal(a.energy!.co2e.origin, 'config');
    assert.match(a.energy!.co2e.source, /test grid/);
    assert.equal(a.explain, undefined, 'importanceRepeats: 0 skips the importance');
    const b = (await run(join(ws, 'german.rml.yaml'), { root: ws, carbonIntensity: 700, importanceRepeats: 0 })).record;
    assert.equal(b.energy!.co2e.gramsPerKWh, 700);
    assert.equal(b.energy!.co2e.origin, 'setting');
    assert.equal(b.estimate!.co2e.gramsPerKWh, 700, 'the estimate uses the same intensity');
  });

  describe('privacy.dp', () => {
    const dpConfig = (dp: string, name = 'dp') => write(`${name}.rml.yaml`, `${BASE.replace('name: german-credit', `name: ${name}`)}privacy:\n  dp: ${dp}\n`);

    it('trains with DP-SGD, reports ε from the accountant for the steps taken, and the non-private model as the cost', async () => {
      const file = dpConfig('{ noiseMultiplier: 1.3, clipNorm: 1.0, delta: 1.0e-4 }');
      const { record: r } = await run(file);
      const { record: plain } = await run(join(ws, 'german.rml.yaml'));
      const dp = r.privacy!.dp;
      // Independently: q = B/n, steps = epochs trained · ⌈n/B⌉, ε from the RDP accountant.
      const n = r.data.train;
      const q = 64 / n;
      const steps = r.epochs * Math.ceil(n / 64);
      assert.equal(dp.steps, steps);
      assert.equal(dp.sampleRate, q);
      assert.equal(dp.noiseMultiplier, 1.3);
      assert.equal(dp.noiseMultiplierSource, 'config');
      assert.ok(Math.abs(dp.epsilon - computeEpsilon({ noiseMultiplier: 1.3, sampleRate: q, steps, delta: 1e-4 }).epsilon) < 1e-12);
      assert.ok(dp.clippedShare !== null && dp.clippedShare >= 0 && dp.clippedShare <= 1);
      // The baseline is exactly the run without privacy.dp: same split, seed and settings.
      const cost = r.privacy!.cost!;
      assert.deepEqual(cost.baseline.metrics, plain.metrics);
      assert.deepEqual(cost.baseline.fairness, plain.fairness);
      assert.deepEqual(cost.baseline.gate, undefined, 'no thresholds in the fixture: no gate');
      assert.notDeepEqual(r.metrics, plain.metrics, 'DP-SGD changes the model');
      assert.ok(r.energy && r.estimate!.joules > plain.estimate!.joules, 'the estimate counts the extra non-private training');
    });

    it('the model card shows ε and the cost of privacy with the run\'s numbers', async () => {
      const file = join(ws, 'dp.rml.yaml');
      const { record: r } = await run(file);
      const md = renderCardMarkdown(buildModelCard({ run: r, config: await loadConfig(file, { root: ws }) }));
      assert.ok(md.includes(`| Guarantee | (ε = ${fmt(r.privacy!.dp.epsilon)}, δ = 1.0e-4)-differential privacy for the training rows |`));
      const a = r.privacy!.cost!.baseline.metrics.accuracy!;
      const b = r.metrics!.accuracy!;
      assert.ok(md.includes(`| Accuracy | ${fmt(a)} | ${fmt(b)} | ${b - a >= 0 ? '+' : '−'}${fmt(Math.abs(b - a))} |`), 'accuracy without and with DP');
      assert.match(md, /\| sex: Demographic parity difference \| \d\.\d{3} \| \d\.\d{3} \| [+−]\d\.\d{3} \|/);
    });

    it('takes the noise multiplier from targetEpsilon and meets the budget', async () => {
      const { record: r } = await run(dpConfig('{ targetEpsilon: 3, clipNorm: 1.0, delta: 1.0e-4 }', 'dp-budget'));
      const dp = r.privacy!.dp;
      assert.equal(dp.noiseMultiplierSource, 'targetEpsilon');
      assert.ok(dp.noiseMultiplier > 0);
      assert.ok(dp.epsilon <= 3 * (1 + 1e-9), `ε ${dp.epsilon}`);
      assert.equal(dp.withinBudget, true);
    });

    it('refuses, before training, a noise multiplier whose ε exceeds targetEpsilon, at targetEpsilon', async () => {
      const file = dpConfig('\n    noiseMultiplier: 0.3\n    clipNorm: 1.0\n    delta: 1.0e-4\n    targetEpsilon: 0.5', 'dp-over');
      await assert.rejects(run(file), (e: unknown) => {
        assert.ok(e instanceof RmlInputError);
        assert.equal(e.field, 'privacy.dp.targetEpsilon');
        assert.match(e.message, /exceeds the budget/);
        assert.equal(e.location?.file, file);
        const line = readFileSync(file, 'utf8').split('\n').findIndex((l) => l.includes('targetEpsilon')) + 1;
        assert.equal(e.location?.line, line);
        return true;
      });
    });

    it('rml train prints ε and the cost of privacy, and --json carries them', async () => {
      const text = await rml(['train', 'dp.rml.yaml', '--backend', 'cpu'], ws);
      assert.equal(text.code, 0);
      const out = text.out;
      assert.match(out, /Differential privacy \(DP-SGD\)/);
      assert.match(out, /\(ε = \d+\.\d{3}, δ = 1\.0e-4\)/);
      assert.match(out, /without DP\s+with DP\s+cost of privacy/);
      assert.match(out, /Energy {2}\((MEASURED|ESTIMATED, not measured)\)/);
      assert.match(out, /Top features/);
      const json = await rml(['train', 'dp.rml.yaml', '--backend', 'cpu', '--json'], ws);
      assert.equal(json.code, 0);
      const j = JSON.parse(json.out) as { privacy: { dp: { epsilon: number } }; energy: { kind: string }; importance: { features: unknown[] } };
      assert.ok(j.privacy.dp.epsilon > 0);
      assert.ok(['measured', 'estimated'].includes(j.energy.kind));
      assert.ok(j.importance.features.length > 0);
    });
  });
});
