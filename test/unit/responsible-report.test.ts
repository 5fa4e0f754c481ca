import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { renderHtml, renderMarkdown, reportDocument, RESPONSIBLE_TITLE, SECTION_IDS } from '../../src/core/report/export';
import { svgToString, whiskerChart, type SvgNode } from '../../src/core/report/svg';
import type { RunRecord } from '../../src/core/report/types';
import { betterSide, energyKindLabel, fmt, fmtRate, importanceChart, privacyCostRows, responsibleView } from '../../src/core/report/view-model';
import { formatEnergy, formatMass } from '../../src/core/sustainability/format';

/** A real `rml train` run with DP-SGD, permutation importance, energy and the pre-run estimate (see test/fixtures/runs/README.md). */
const FIXTURE = path.join(__dirname, '../fixtures/runs/responsible-run/run.json');
const OLD = path.join(__dirname, '../fixtures/runs/example-run/run.json');
const AT = new Date('2026-11-29T00:00:00Z');

type Json = Record<string, unknown>;

function load(file = FIXTURE): RunRecord & Json {
  return JSON.parse(fs.readFileSync(file, 'utf8')) as RunRecord & Json;
}

function section(run: RunRecord) {
  return reportDocument(run, { generatedAt: AT }).sections.find((s) => s.id === 'responsible');
}

/** Every text of an SVG tree. */
function svgNumbers(node: SvgNode): string {
  return svgToString(node);
}

describe('report: features · privacy · energy', () => {
  const run = load();
  const v = responsibleView(run);

  it('reads the fixture\'s importance, DP guarantee, cost of privacy, energy and estimate', () => {
    assert.ok(v);
    const imp = run.explain?.importance;
    assert.ok(imp && v.importance);
    assert.equal(v.importance.repeats, imp.repeats);
    assert.deepEqual(v.importance.features.map((f) => f.feature), imp.features.map((f) => f.feature));
    assert.equal(v.importance.features[0].sd, imp.features[0].sd);
    const dp = run.privacy?.dp;
    assert.ok(dp && v.privacy);
    assert.equal(v.privacy.dp.epsilon, dp.epsilon);
    assert.equal(v.privacy.dp.clippedShare, dp.clippedShare);
    assert.equal(v.privacy.dp.steps, dp.steps);
    assert.ok(v.privacy.cost);
    const acc = v.privacy.cost.rows.find((r) => r.metric === 'accuracy' && r.column === undefined);
    assert.ok(acc);
    assert.equal(acc.without, run.privacy?.cost?.baseline.metrics.accuracy);
    assert.equal(acc.with, run.metrics?.accuracy);
    assert.equal(acc.delta, (run.metrics?.accuracy as number) - (run.privacy?.cost?.baseline.metrics.accuracy as number));
    // Every disparity of both sensitive columns, without and with DP.
    assert.deepEqual([...new Set(v.privacy.cost.rows.map((r) => r.column).filter(Boolean))], ['sex', 'race']);
    assert.ok(v.privacy.cost.rows.some((r) => r.metric === 'demographicParityDifference' && r.column === 'sex'));
    assert.ok(v.energy && v.estimate);
    assert.equal(v.energy.kind, run.energy?.kind);
    assert.equal(v.estimate.energyRatio, (run.energy?.joules as number) / (run.estimate?.joules as number));
    assert.equal(v.estimate.timeRatio, run.timings.trainMs / 1000 / (run.estimate?.seconds as number));
  });

  it('says which side is better by the metric\'s direction (signed differences by |x|)', () => {
    assert.equal(betterSide('accuracy', 0.8, 0.7), 'without');
    assert.equal(betterSide('demographicParityDifference', 0.2, 0.1), 'with');
    assert.equal(betterSide('disparateImpactRatio', 0.7, 0.9), 'with');
    assert.equal(betterSide('mae', 1, 2), 'without');
    assert.equal(betterSide('averageOddsDifference', -0.3, 0.1), 'with');
    assert.equal(betterSide('accuracy', 0.8, 0.8), 'same');
    assert.equal(betterSide('accuracy', null, 0.8), null);
  });

  it('labels an estimate with the CPU and its TDP, and a measurement as RAPL', () => {
    assert.match(energyKindLabel({ kind: 'estimated', processor: { model: 'AMD EPYC', tdp: null, wattsPerCore: 12 } }), /^ESTIMATED, not measured \(TDP table: "AMD EPYC" is not in it; default 12 W per core\)$/);
    assert.equal(
      energyKindLabel({ kind: 'estimated', processor: { model: 'Intel(R) Core(TM) i7-8650U', tdp: { model: 'Core i7-8650U', tdpWatts: 15, cores: 4 }, wattsPerCore: 3.75 } }),
      'ESTIMATED, not measured (TDP table: Core i7-8650U, 15 W TDP ÷ 4 cores = 3.75 W per core)',
    );
    assert.equal(energyKindLabel({ kind: 'measured' }), 'MEASURED (RAPL energy counters)');
  });

  it('exports the section in HTML and Markdown with the run\'s numbers', () => {
    assert.ok((SECTION_IDS as readonly string[]).includes('responsible'));
    const s = section(run);
    assert.ok(s);
    assert.equal(s.title, RESPONSIBLE_TITLE);
    const html = renderHtml(run, { generatedAt: AT });
    const md = renderMarkdown(run, { generatedAt: AT });
    const start = md.indexOf(`\n## ${RESPONSIBLE_TITLE}\n`);
    assert.ok(start > 0);
    const mds = md.slice(start, md.indexOf('\n## ', start + 1));
    const hs = html.slice(html.indexOf('<section id="responsible">'), html.indexOf('<section id="reproducibility">'));
    const dp = run.privacy!.dp;
    for (const text of [mds, hs]) {
      assert.ok(text.includes(`ε = ${fmt(dp.epsilon)}, δ = 1.0e-5`), 'ε and δ');
      assert.ok(text.includes(`${(dp.clippedShare! * 100).toFixed(1)}% of per-example gradients`));
      assert.ok(text.includes('ESTIMATED, not measured (TDP table: &quot;AMD EPYC&quot;') || text.includes('ESTIMATED, not measured (TDP table: "AMD EPYC"'), 'estimate labelled with its CPU');
      assert.ok(text.includes(formatEnergy(run.energy!.joules)));
      assert.ok(text.includes(formatMass(run.energy!.co2e.grams)));
      assert.ok(text.includes('350 gCO₂e/kWh (from the config)'));
      for (const f of run.explain!.importance!.features) assert.ok(text.includes(`${fmtRate(f.mean)} ± ${fmtRate(f.sd)}`), f.feature);
      assert.ok(!/NaN|Infinity/.test(text));
    }
    // The cost of privacy: accuracy without vs with DP, the signed change and the better side.
    const a = run.privacy!.cost!.baseline.metrics.accuracy as number;
    const b = run.metrics!.accuracy as number;
    const sign = b > a ? '+' : b < a ? '−' : '';
    assert.ok(mds.includes(`| Accuracy | ${b >= a ? fmtRate(a) : `**${fmtRate(a)}**`} | ${b > a ? `**${fmtRate(b)}**` : fmtRate(b)} | ${sign}${fmtRate(Math.abs(b - a))} | ${b > a ? 'with DP' : b < a ? 'without DP' : 'same'} |`), 'accuracy row');
    // The importance chart: one bar and one whisker per feature, the repeat count stated.
    const chart = importanceChart(responsibleView(run)!.importance!);
    const svg = svgNumbers(chart);
    assert.equal((svg.match(/class="rml-bar /g) ?? []).length, run.explain!.importance!.features.length);
    assert.equal((svg.match(/class="rml-whisker"/g) ?? []).length, run.explain!.importance!.features.length);
    assert.ok(svg.includes(`over ${run.explain!.importance!.repeats} repeats`));
    assert.ok(hs.includes('<svg') && hs.includes('rml-whisker'));
  });

  it('says plainly when there is no differential privacy, and leaves the section out of runs that record nothing', () => {
    const r = load();
    delete r.privacy;
    const md = renderMarkdown(r, { generatedAt: AT });
    assert.ok(md.includes('No differential privacy: this model was trained without DP-SGD'));
    assert.equal(responsibleView(load(OLD)), null);
    assert.equal(section(load(OLD)), undefined);
  });

  it('never shows NaN: missing fields read "not recorded", ε = ∞ without noise, a zero estimate gives no ratio', () => {
    const r = load();
    const dp = (r.privacy as unknown as Json).dp as Json;
    dp.epsilon = null; // JSON's Infinity
    dp.noiseMultiplier = 0;
    delete dp.clippedShare;
    delete dp.steps;
    delete (r.privacy as unknown as Json).cost;
    const e = r.energy as unknown as Json;
    delete e.cpu;
    delete e.wallSeconds;
    e.co2e = { gramsPerKWh: 'x' };
    (r.estimate as unknown as Json).joules = 0;
    delete (r.estimate as unknown as Json).seconds;
    (r.explain as unknown as Json).importance = { method: 'permutation', metric: 'accuracy', features: [{ feature: 'age', mean: 0.01 }, { feature: 'bad', mean: 'NaN' }] };
    const v2 = responsibleView(r);
    assert.ok(v2?.privacy && v2.energy && v2.estimate && v2.importance);
    assert.equal(v2.estimate.energyRatio, null);
    assert.deepEqual(v2.importance.features, [{ feature: 'age', mean: 0.01, sd: null }]);
    for (const text of [renderMarkdown(r, { generatedAt: AT }), renderHtml(r, { generatedAt: AT })]) {
      assert.ok(!/NaN|Infinity|null/.test(text.slice(text.indexOf('Features · privacy · energy'))), 'no NaN, Infinity or null');
      assert.ok(text.includes('(ε = ∞, δ = 1.0e-5)'));
      assert.ok(text.includes('no noise was added, so there is no privacy guarantee'));
      assert.ok(text.includes('The cost of privacy was not measured'));
      assert.ok(text.includes('not recorded'));
    }
  });

  it('shows a measurement as MEASURED with its RAPL domains and the model beside it', () => {
    const r = load();
    const e = r.energy as unknown as Json;
    e.kind = 'measured';
    e.method = 'rapl';
    e.rapl = { domains: [{ zone: 'intel-rapl:0', name: 'package-0', joules: 40, wraps: 0 }], samples: 3 };
    const md = renderMarkdown(r, { generatedAt: AT });
    assert.ok(md.includes('— MEASURED (RAPL energy counters).'));
    assert.ok(md.includes('| RAPL package-0 | 40 J |'));
    assert.ok(md.includes('TDP-per-core model (for comparison)'));
    assert.ok(!md.includes('ESTIMATED, not measured (TDP'));
  });

  it('lists the cost of privacy for a run without fairness audits (performance only)', () => {
    const r = load();
    delete r.fairness;
    const rows = privacyCostRows(r, { metrics: { accuracy: 0.9 }, fairness: undefined });
    assert.deepEqual(rows.map((x) => x.metric), ['accuracy', 'balancedAccuracy', 'precision', 'recall', 'f1', 'rocAuc']);
    assert.equal(rows[1].without, null);
    assert.equal(rows[1].delta, null);
  });

  it('draws negative importances to the left of zero, with finite coordinates', () => {
    const s = svgToString(whiskerChart({ title: 't', desc: 'd', colour: 0, bars: [{ label: 'a', value: 0.02, err: 0.01, text: 'x' }, { label: 'b', value: -0.01, err: 0.005, text: 'y' }] }));
    assert.ok(!/NaN|Infinity/.test(s));
    assert.ok(s.includes('class="rml-ref"'), 'the zero line');
  });
});
