/**
 * Sustainability: the energy meter (RAPL through a fake powercap folder, wrap-around included;
 * the estimated path with fixed clocks), the TDP table, CO₂e arithmetic, the grid intensity's
 * precedence, and the pre-run estimate. Every expected number is worked by hand in the test.
 */
import { strict as assert } from 'node:assert';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  co2eGrams,
  counterDelta,
  DEFAULT_CARBON_INTENSITY,
  DEFAULT_THROUGHPUT,
  DEFAULT_WATTS_PER_CORE,
  describeEnergy,
  detectProcessor,
  discoverRaplZones,
  estimateRun,
  estimateTrainingEnergy,
  flopsPerSample,
  formatEnergy,
  formatMass,
  joulesToKWh,
  lookupTdp,
  measureThroughput,
  parameterCount,
  parseCpuInfo,
  processorSpec,
  resolveCarbonIntensity,
  startEnergyMeter,
  type EnergyReport,
  type MeterClock,
  type Throughput,
} from '../../src/core/sustainability';
import { RmlInputError } from '../../src/core/errors';
import type { RunRecord } from '../../src/core/report/types';
import { makeConfig } from './helpers';

/** A clock whose readings the test sets. */
function fakeClock(): MeterClock & { set(ms: number, userUs: number, systemUs: number, rssBytes: number): void } {
  let now = 0;
  let cpu = { user: 0, system: 0 };
  let rss = 0;
  return {
    now: () => now,
    cpuUsage: () => ({ ...cpu }),
    maxRssBytes: () => rss,
    set(ms, userUs, systemUs, rssBytes) {
      now = ms;
      cpu = { user: userUs, system: systemUs };
      rss = rssBytes;
    },
  };
}

/** A powercap folder with zones: id → { name, energy, max }. Returns a setter for energy_uj. */
function fakePowercap(zones: Record<string, { name: string; energy: number | 'unreadable'; max: number }>): { root: string; set(id: string, uj: number): void } {
  const root = mkdtempSync(join(tmpdir(), 'rml-powercap-'));
  for (const [id, z] of Object.entries(zones)) {
    mkdirSync(join(root, id));
    writeFileSync(join(root, id, 'name'), `${z.name}\n`);
    writeFileSync(join(root, id, 'max_energy_range_uj'), `${z.max}\n`);
    // A folder where the file should be makes the read fail, as a root-only file does for a user.
    if (z.energy === 'unreadable') mkdirSync(join(root, id, 'energy_uj'));
    else writeFileSync(join(root, id, 'energy_uj'), `${z.energy}\n`);
  }
  return { root, set: (id, uj) => writeFileSync(join(root, id, 'energy_uj'), `${uj}\n`) };
}

const XEON = processorSpec('Intel(R) Xeon(R) Gold 6148 CPU @ 2.40GHz', 40);

describe('sustainability: RAPL counters', () => {
  const roots: string[] = [];
  after(() => roots.forEach((r) => rmSync(r, { recursive: true, force: true })));

  it('counterDelta: a plain increase, and a wrap-around at max_energy_range_uj', () => {
    assert.deepEqual(counterDelta(100, 350, 1000), { uj: 250, wrapped: false });
    // 900 → wraps at 1000 → 150: (1000 − 900) + 150 = 250.
    assert.deepEqual(counterDelta(900, 150, 1000), { uj: 250, wrapped: true });
  });

  it('sums package and dram zones (not core/uncore sub-zones or the mmio duplicate), handling a wrap, and labels it measured', async () => {
    const MAX = 262_143_328_850;
    const pc = fakePowercap({
      'intel-rapl:0': { name: 'package-0', energy: MAX - 2_000_000, max: MAX },
      'intel-rapl:0:0': { name: 'core', energy: 5_000_000, max: MAX },
      'intel-rapl:0:2': { name: 'dram', energy: 1_000_000, max: 65_712_999_613 },
      'intel-rapl:1': { name: 'package-1', energy: 10_000_000, max: MAX },
      'intel-rapl-mmio:0': { name: 'package-0', energy: 7, max: MAX },
    });
    roots.push(pc.root);
    const found = discoverRaplZones(pc.root);
    assert.equal(found.status, 'available');
    assert.deepEqual(found.zones.map((z) => z.id), ['intel-rapl:0', 'intel-rapl:0:2', 'intel-rapl:1']);

    const clock = fakeClock();
    const meter = startEnergyMeter({ powercapRoot: pc.root, clock, processor: XEON, pollMs: 3_600_000 });
    // Mid-run: package-0 wraps (MAX − 2 J → 1 J: 3 J), dram +0.5 J, package-1 +4 J.
    pc.set('intel-rapl:0', 1_000_000);
    pc.set('intel-rapl:0:2', 1_500_000);
    pc.set('intel-rapl:1', 14_000_000);
    pc.set('intel-rapl:0:0', 999_000_000); // a sub-zone of the package: never added
    meter.sample();
    // End: package-0 +6 J, dram +1 J, package-1 +2 J.
    pc.set('intel-rapl:0', 7_000_000);
    pc.set('intel-rapl:0:2', 2_500_000);
    pc.set('intel-rapl:1', 16_000_000);
    clock.set(5000, 8_000_000, 1_000_000, 1e9);
    const e = await meter.stop();
    assert.equal(e.kind, 'measured');
    assert.equal(e.method, 'rapl');
    // package-0: 3 + 6 = 9 J; dram 0.5 + 1 = 1.5 J; package-1 4 + 2 = 6 J; total 16.5 J.
    assert.deepEqual(e.rapl?.domains, [
      { zone: 'intel-rapl:0', name: 'package-0', joules: 9, wraps: 1 },
      { zone: 'intel-rapl:0:2', name: 'dram', joules: 1.5, wraps: 0 },
      { zone: 'intel-rapl:1', name: 'package-1', joules: 6, wraps: 0 },
    ]);
    assert.equal(e.joules, 16.5);
    assert.equal(e.kWh, 16.5 / 3.6e6);
    assert.equal(e.rapl?.samples, 3);
    assert.match(e.basis, /^Measured with the RAPL energy counters \(package-0, dram, package-1\)/);
    assert.match(e.basis, /1 counter wrap-around accounted for/);
    assert.match(e.basis, /whole machine/);
    // The model is still computed, for comparisons: 9 CPU-s × 7.5 W + 5 s × 1 GB × 0.3725 W/GB = 67.5 + 1.8625.
    assert.equal(e.modelled.joules, 67.5 + 1.8625);
    // CO₂e of the measured energy at the default 445 g/kWh: 16.5 / 3.6e6 × 445.
    assert.ok(Math.abs(e.co2e.grams - (16.5 * 445) / 3.6e6) < 1e-15);
    // Stopping again returns the same report.
    assert.equal(await meter.stop(), e);
  });

  it('uses psys when there is no package zone', () => {
    const pc = fakePowercap({ 'intel-rapl:0': { name: 'psys', energy: 10, max: 1000 }, 'intel-rapl:0:0': { name: 'core', energy: 10, max: 1000 } });
    roots.push(pc.root);
    const found = discoverRaplZones(pc.root);
    assert.equal(found.status, 'available');
    assert.deepEqual(found.zones.map((z) => z.name), ['psys']);
  });

  it('finds amd-rapl zones too', () => {
    const pc = fakePowercap({ 'amd-rapl:0': { name: 'package-0', energy: 10, max: 1000 } });
    roots.push(pc.root);
    const found = discoverRaplZones(pc.root);
    assert.deepEqual(found.zones.map((z) => z.id), ['amd-rapl:0']);
  });

  it('an unreadable counter (root-only since Linux 5.10) falls back to the estimate and says why', async () => {
    const pc = fakePowercap({ 'intel-rapl:0': { name: 'package-0', energy: 'unreadable', max: 1000 } });
    roots.push(pc.root);
    const found = discoverRaplZones(pc.root);
    assert.equal(found.status, 'unreadable');
    const clock = fakeClock();
    const meter = startEnergyMeter({ powercapRoot: pc.root, clock, processor: XEON });
    clock.set(1000, 1_000_000, 0, 0);
    const e = await meter.stop();
    assert.equal(e.kind, 'estimated');
    assert.ok(e.notes.some((n) => /not readable by this user.*CVE-2020-8694/.test(n)), e.notes.join('\n'));
  });

  it('counters that never advance are not passed off as a measurement', async () => {
    const pc = fakePowercap({ 'intel-rapl:0': { name: 'package-0', energy: 500, max: 1000 } });
    roots.push(pc.root);
    const clock = fakeClock();
    const meter = startEnergyMeter({ powercapRoot: pc.root, clock, processor: XEON });
    clock.set(2000, 2_000_000, 0, 0);
    const e = await meter.stop();
    assert.equal(e.kind, 'estimated');
    assert.equal(e.rapl, undefined);
    assert.ok(e.notes.some((n) => /did not advance/.test(n)));
  });

  it('a missing powercap folder is reported as absent', () => {
    const found = discoverRaplZones(join(tmpdir(), 'rml-no-such-powercap'));
    assert.equal(found.status, 'absent');
  });
});

describe('sustainability: the estimated path', () => {
  it('CPU-seconds × W per core + memory, labelled estimated with its basis (worked by hand)', async () => {
    const clock = fakeClock();
    clock.set(1000, 500_000, 100_000, 0);
    const meter = startEnergyMeter({ powercapRoot: null, clock, processor: XEON, carbonIntensity: { gramsPerKWh: 300, origin: 'config', source: 'the config' } });
    // 4 s later: user +2.5 s, system +0.5 s, peak RSS 2 GB.
    clock.set(5000, 3_000_000, 600_000, 2e9);
    const e = await meter.stop();
    assert.equal(e.kind, 'estimated');
    assert.equal(e.method, 'tdp-per-core');
    assert.equal(e.wallSeconds, 4);
    assert.deepEqual(e.cpu, { userSeconds: 2.5, systemSeconds: 0.5, seconds: 3, scope: 'process' });
    // Xeon Gold 6148: 150 W / 20 cores = 7.5 W per core; 3 s × 7.5 = 22.5 J; memory 4 s × 2 GB × 0.3725 = 2.98 J.
    assert.equal(e.processor.wattsPerCore, 7.5);
    assert.equal(e.modelled.cpuJoules, 22.5);
    assert.ok(Math.abs(e.modelled.memoryJoules - 2.98) < 1e-12);
    assert.ok(Math.abs(e.joules - 25.48) < 1e-12);
    // 25.48 J = 25.48 / 3.6e6 kWh; × 300 g/kWh = 0.0021233… g.
    assert.ok(Math.abs(e.co2e.grams - (25.48 / 3.6e6) * 300) < 1e-15);
    assert.equal(e.co2e.origin, 'config');
    assert.match(e.basis, /^Estimated, not measured: CPU time 3\.00 s × 7\.50 W per core \(Intel Xeon Gold 6148: TDP 150 W ÷ 20 cores = 7\.5 W per core/);
    assert.match(e.basis, /Green Algorithms/);
    assert.ok(e.notes.some((n) => /RAPL was not tried/.test(n)));
    assert.match(describeEnergy(e), /^25\.5 J, estimated \(TDP-per-core model\)/);
    // The report is plain JSON.
    assert.deepEqual(JSON.parse(JSON.stringify(e)), e);
  });

  it('a shared process (the extension host) is noted', async () => {
    const clock = fakeClock();
    const e = await startEnergyMeter({ powercapRoot: null, clock, processor: XEON, sharedProcess: true }).stop();
    assert.ok(e.notes.some((n) => /extension host/.test(n)));
  });

  it('on this machine: RAPL is used exactly when discovery finds readable zones', async () => {
    const found = discoverRaplZones();
    const e = await startEnergyMeter().stop();
    if (found.status !== 'available') {
      assert.equal(e.kind, 'estimated');
      assert.ok(e.notes.some((n) => n.startsWith('RAPL unavailable')), e.notes.join('\n'));
    } else {
      assert.equal(e.rapl?.domains.length, found.zones.length);
    }
    assert.ok(e.joules >= 0 && Number.isFinite(e.joules));
    assert.equal(e.cpu.scope, 'process');
  });
});

describe('sustainability: processors and TDP', () => {
  it('looks up common model names (trademarks, clock speed and "Processor" ignored)', () => {
    assert.equal(lookupTdp('Intel(R) Xeon(R) Gold 6148 CPU @ 2.40GHz')?.tdpWatts, 150);
    const epyc = processorSpec('AMD EPYC 7763 64-Core Processor', 128);
    assert.equal(epyc.wattsPerCore, 280 / 64);
    assert.match(epyc.basis, /CodeCarbon/);
    assert.equal(lookupTdp('Intel(R) Core(TM) i7-10700K CPU @ 3.80GHz')?.tdpWatts, 125);
    assert.equal(lookupTdp('Intel(R) Core(TM) i7-10700 CPU @ 2.90GHz')?.tdpWatts, 65);
  });

  it('an unknown model uses Green Algorithms\' 12 W per core, and says so', () => {
    const p = processorSpec('AMD EPYC', 2);
    assert.equal(p.tdp, null);
    assert.equal(p.wattsPerCore, DEFAULT_WATTS_PER_CORE);
    assert.equal(DEFAULT_WATTS_PER_CORE, 12);
    assert.match(p.basis, /"AMD EPYC" is not in the TDP table: Green Algorithms' default of 12 W per core/);
    assert.match(processorSpec(null, 1).basis, /the processor model is unknown/);
  });

  it('parses /proc/cpuinfo', () => {
    const text = 'processor\t: 0\nvendor_id\t: GenuineIntel\nmodel name\t: Intel(R) Xeon(R) Gold 6148 CPU @ 2.40GHz\n\nprocessor\t: 1\nmodel name\t: Intel(R) Xeon(R) Gold 6148 CPU @ 2.40GHz\n';
    assert.deepEqual(parseCpuInfo(text), { model: 'Intel(R) Xeon(R) Gold 6148 CPU @ 2.40GHz', logicalCpus: 2 });
    const p = detectProcessor({ cpuinfo: text });
    assert.equal(p.wattsPerCore, 7.5);
    assert.equal(p.logicalCpus, 2);
  });
});

describe('sustainability: CO₂e and grid intensity', () => {
  it('CO₂e = kWh × g/kWh (by hand)', () => {
    assert.equal(joulesToKWh(3.6e6), 1);
    assert.equal(co2eGrams(3.6e6, 445), 445);
    assert.equal(co2eGrams(7.2e6, 300), 600);
    assert.equal(co2eGrams(1800, 400), 0.2); // 0.5 Wh × 0.4 g/Wh
  });

  it('the default is the IEA 2024 world average, cited', () => {
    assert.equal(DEFAULT_CARBON_INTENSITY.gramsPerKWh, 445);
    assert.equal(DEFAULT_CARBON_INTENSITY.origin, 'default');
    assert.match(DEFAULT_CARBON_INTENSITY.source, /IEA, Electricity 2025 .*2024|2024.*IEA, Electricity 2025/);
    assert.match(DEFAULT_CARBON_INTENSITY.source, /iea\.org\/reports\/electricity-2025\/emissions/);
  });

  it('precedence: config, then setting, then environment, then default; bad values are input errors', () => {
    const env = { RML_CARBON_INTENSITY: '120' };
    assert.deepEqual(resolveCarbonIntensity({ configRaw: { sustainability: { carbonIntensity: { gramsPerKWh: 56, source: 'RTE 2025' } } }, setting: 200, env }), {
      gramsPerKWh: 56,
      origin: 'config',
      source: 'the config (sustainability.carbonIntensity): RTE 2025',
    });
    assert.equal(resolveCarbonIntensity({ configRaw: { name: 'x' }, setting: 200, env }).origin, 'setting');
    assert.equal(resolveCarbonIntensity({ setting: null, env }).gramsPerKWh, 120);
    assert.equal(resolveCarbonIntensity({ env: {} }).gramsPerKWh, 445);
    assert.throws(() => resolveCarbonIntensity({ env: { RML_CARBON_INTENSITY: 'lots' } }), RmlInputError);
    assert.throws(() => resolveCarbonIntensity({ setting: -1 }), RmlInputError);
    assert.throws(() => resolveCarbonIntensity({ configRaw: { sustainability: { carbonIntensity: 'low' } } }), RmlInputError);
  });

  it('formats energy and mass for people', () => {
    assert.equal(formatEnergy(850), '850 J');
    assert.equal(formatEnergy(3600 * 12.4), '12.4 Wh');
    assert.equal(formatEnergy(3.6e6 * 1.25), '1.25 kWh');
    assert.equal(formatMass(0.12), '120 mg');
    assert.equal(formatMass(3.4), '3.4 g');
    assert.equal(formatMass(1200), '1.2 kg');
  });
});

describe('sustainability: estimates before a run', () => {
  const throughput: Throughput = { flopsPerSecond: 1e9, overheadSecondsPerSample: 1e-6, cpuPerWall: 2, kind: 'assumed', basis: 'test' };
  const tenWatts = processorSpec(null, 1);
  tenWatts.wattsPerCore = 10;

  it('FLOPs of a dense network (by hand)', () => {
    // 10 → 5 → 1: params 10·5+5 + 5·1+1 = 61.
    assert.equal(parameterCount(10, [5], 1), 61);
    // forward: (2·10·5 + 2·5) + (2·5·1 + 2·1) = 110 + 12 = 122; train: 3·122 + 10·61/61 (Adam, batch 61) = 376.
    assert.deepEqual(flopsPerSample(10, [5], 1, 61, 'adam'), { forward: 122, train: 376 });
    // SGD: 2 FLOPs per parameter per batch.
    assert.equal(flopsPerSample(10, [5], 1, 61, 'sgd').train, 366 + 2);
  });

  it('estimateRun: seconds, CPU-seconds, joules and CO₂e (by hand), labelled estimated', () => {
    const e = estimateRun(
      { rows: 1000, features: 10, hidden: [5], epochs: 2, batchSize: 61, validationRows: 100, testRows: 50, earlyStopping: true },
      { throughput, processor: tenWatts, carbonIntensity: { gramsPerKWh: 400, origin: 'setting', source: 's' } },
    );
    assert.equal(e.kind, 'estimated');
    assert.equal(e.trainingSamples, 2000);
    assert.equal(e.inferenceSamples, 250); // 100 × 2 epochs + 50
    // 2000 × (1e-6 + 376e-9) + 250 × (1e-6 + 122e-9) = 2.752e-3 + 2.805e-4 = 3.0325e-3 s.
    assert.ok(Math.abs(e.seconds - 3.0325e-3) < 1e-15);
    assert.ok(Math.abs(e.cpuSeconds - 6.065e-3) < 1e-15);
    assert.ok(Math.abs(e.joules - 6.065e-2) < 1e-14);
    assert.ok(Math.abs(e.co2e.grams - (6.065e-2 / 3.6e6) * 400) < 1e-18);
    assert.equal(e.totalFlops, 2000 * 376 + 250 * 122);
    assert.equal(e.upperBound, true);
    assert.match(e.basis, /^Estimated before the run/);
    assert.ok(e.assumptions.some((a) => /upper bound/.test(a)));
  });

  it('estimateTrainingEnergy: splits, cross-validation folds and the reweighing baseline from the config', () => {
    const config = makeConfig({
      data: { target: 'y' },
      split: { test: 0.2, validation: 0.1 },
      model: { type: 'mlp', hidden: [8], activation: 'relu', dropout: 0 },
      train: { epochs: 10, batchSize: 32, optimizer: 'adam' },
      evaluate: { crossValidation: 5, threshold: 0.5 },
      fairness: { mitigation: 'reweighing' },
    });
    const e = estimateTrainingEnergy(config, { rows: 1000, encodedFeatures: 20 }, { throughput, processor: tenWatts });
    // train 700, validation 100, test 200. Final + baseline: 2 × 700 × 10 = 14,000; folds: 5 × 640 × 10 = 32,000.
    assert.equal(e.trainingSamples, 14_000 + 32_000);
    // Forward only: 2 × (100 × 10 + 200) + the 800 pooled rows predicted once by their folds.
    assert.equal(e.inferenceSamples, 2 * 1200 + 800);
    assert.equal(e.flopsPerSample.forward, 2 * 20 * 8 + 16 + 2 * 8 + 2);
    assert.equal(e.upperBound, false);
    const lower = estimateTrainingEnergy(config, { rows: 1000, features: 5 }, { throughput, processor: tenWatts });
    assert.ok(lower.assumptions.some((a) => /one-hot encoding .* the estimate is low/.test(a)));
    // The config's grid intensity is used when it sets one; a bad one falls back to the default and says so.
    const green = estimateTrainingEnergy({ ...config, raw: { sustainability: { carbonIntensity: 50 } } }, { rows: 1000, encodedFeatures: 20 }, { throughput, processor: tenWatts });
    assert.equal(green.co2e.gramsPerKWh, 50);
    assert.equal(green.co2e.origin, 'config');
    const bad = estimateTrainingEnergy({ ...config, raw: { sustainability: { carbonIntensity: -3 } } }, { rows: 1000, encodedFeatures: 20 }, { throughput, processor: tenWatts });
    assert.equal(bad.co2e.gramsPerKWh, 445);
    assert.ok(bad.assumptions.some((a) => /carbon intensity was not used/.test(a)));
  });

  it('measureThroughput calibrates on a finished run: re-estimating that run gives its recorded time', () => {
    const run = {
      status: 'completed',
      name: 'r',
      finishedAt: '2026-01-01T00:00:00.000Z',
      backend: { name: 'wasm' },
      data: { train: 700, validation: 100 },
      model: { inputs: 57, hidden: [16], outputs: 1 },
      train: { batchSize: 64, optimizer: 'adam' },
      history: [{ ms: 120 }, { ms: 80 }],
      energy: { wallSeconds: 4, cpu: { seconds: 6 } } as EnergyReport,
    } as unknown as RunRecord & { energy: EnergyReport };
    const t = measureThroughput(run);
    assert.ok(t);
    assert.equal(t.kind, 'measured');
    assert.equal(t.cpuPerWall, 1.5);
    const e = estimateRun({ rows: 700, features: 57, hidden: [16], epochs: 2, batchSize: 64, validationRows: 100 }, { throughput: t, processor: tenWatts });
    assert.ok(Math.abs(e.seconds - 0.2) < 1e-12, String(e.seconds));
    assert.equal(measureThroughput({ ...run, history: [] }), null);
  });

  it('refuses impossible shapes', () => {
    assert.throws(() => estimateRun({ rows: 10, features: 0, hidden: [], epochs: 1, batchSize: 1 }), /features/);
    assert.throws(() => estimateRun({ rows: 10, features: 3, hidden: [0], epochs: 1, batchSize: 1 }), /hidden/);
  });

  it('the default throughput is documented as assumed', () => {
    assert.equal(DEFAULT_THROUGHPUT.kind, 'assumed');
    assert.match(DEFAULT_THROUGHPUT.basis, /assumed/);
  });
});
