/**
 * Model cards: every section is present and its numbers are the run's (a real run of the German
 * credit fixture, and a hand-written run record with every optional section); hostile strings are
 * escaped in Markdown and HTML; no data value reaches the card; the provenance comment round-trips;
 * staleness follows config, documentation and data edits; and `rml card` writes and checks cards.
 */
import { strict as assert } from 'node:assert';
import { createHash } from 'node:crypto';
import { appendFileSync, cpSync, existsSync, mkdtempSync, readFileSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { rml } from './cli-harness';
import { runConfigFile, type RunResult } from '../../src/core/engine';
import {
  buildModelCard,
  CARD_SECTIONS,
  cardStaleness,
  configDocumentationHash,
  configTrainingHash,
  escapeCardMarkdown,
  loadCardInputs,
  readCardProvenance,
  renderCardHtml,
  renderCardMarkdown,
  stalenessOf,
  type CardInputs,
  type CardRun,
  type ModelCard,
} from '../../src/core/report/card';
import { startEnergyMeter } from '../../src/core/sustainability';
import { formatEnergy } from '../../src/core/sustainability/format';
import { fmt } from '../../src/core/report/view-model';

const GERMAN = join(__dirname, '..', 'fixtures', 'german');
const CARD_FIXTURE = join(__dirname, '..', 'fixtures', 'card');

const TITLES = ['Model details', 'Intended use', 'Data', 'Quantitative analysis', 'Considerations', 'Explainability', 'Privacy', 'Energy and CO₂e', 'Reproducibility'];

const DOCS = `
documentation:
  intendedUse: Ranking credit applications for a second human review.
  owners: [Credit Risk Team]
  version: 0.3.0
`;

/** The rows of the Markdown table whose caption is `caption` (after `after`, if given), as cell arrays keyed by the header. */
function mdTable(md: string, caption: string, after = ''): Record<string, string>[] {
  const start = md.indexOf(after);
  assert.ok(start >= 0, `no "${after}" in the card`);
  const at = md.indexOf(`*${escapeCardMarkdown(caption)}*`, start);
  assert.ok(at >= 0, `no table "${caption}" after "${after}"`);
  const lines = md.slice(at).split('\n').slice(2);
  const cells = (line: string) => line.slice(1, -1).split(/(?<!\\)\|/).map((c) => c.trim());
  const head = cells(lines[0]);
  const rows: Record<string, string>[] = [];
  for (const line of lines.slice(2)) {
    if (!line.startsWith('|')) break;
    const c = cells(line);
    rows.push(Object.fromEntries(head.map((h, i) => [h, c[i]])));
  }
  return rows;
}

/** A card's number cell equals the run's value (3 decimals, as printed). */
function sameNumber(cell: string | undefined, value: number | null | undefined, what: string): void {
  assert.ok(cell !== undefined, `${what}: no cell`);
  if (value === null || value === undefined) {
    assert.equal(cell, 'undefined', what);
    return;
  }
  const parsed = Number(cell.replace(/,/g, '').replace('−', '-'));
  assert.ok(Math.abs(parsed - value) <= 5e-4 + 1e-12, `${what}: card says ${cell}, run says ${value}`);
}


/** Copies the hand-written fixture and points its run record at the copies. */
function fixtureWorkspace(): { ws: string; runDir: string } {
  const ws = mkdtempSync(join(tmpdir(), 'rml-cardfx-'));
  cpSync(CARD_FIXTURE, ws, { recursive: true });
  const runDir = join(ws, 'run');
  const rec = JSON.parse(readFileSync(join(runDir, 'run.json'), 'utf8')) as CardRun;
  rec.config.file = join(ws, 'people.rml.yaml');
  rec.data.file = join(ws, 'people.csv');
  writeFileSync(join(runDir, 'run.json'), JSON.stringify(rec, null, 1));
  return { ws, runDir };
}

describe('model card: a real run (German credit)', function () {
  let ws: string;
  let result: RunResult;
  let inputs: CardInputs & { runDir: string };
  let card: ModelCard;
  let md: string;
  let html: string;

  before(async () => {
    ws = mkdtempSync(join(tmpdir(), 'rml-card-'));
    cpSync(GERMAN, ws, { recursive: true });
    appendFileSync(join(ws, 'german.rml.yaml'), DOCS);
    result = await runConfigFile(join(ws, 'german.rml.yaml'), { root: ws });
    inputs = await loadCardInputs(join(ws, 'german.rml.yaml'), { root: ws });
    card = buildModelCard({ ...inputs, cardFile: join(ws, 'MODEL_CARD.md') });
    md = renderCardMarkdown(card);
    html = renderCardHtml(card);
  });
  after(() => rmSync(ws, { recursive: true, force: true }));

  it('finds the newest completed run of a config and reads its config', () => {
    assert.equal(inputs.runDir, result.dir);
    assert.equal(inputs.config?.hash, result.record.config.hash);
    assert.equal(inputs.dataHashNow, result.record.data.hash);
    assert.deepEqual(inputs.pii, []);
  });

  it('has every section, in Markdown and HTML, and none is empty', () => {
    assert.deepEqual(card.sections.map((s) => s.id), CARD_SECTIONS.filter((s) => s !== 'additional-documentation'));
    for (const s of card.sections) assert.ok(s.blocks.length > 0, s.id);
    for (const t of TITLES) {
      assert.ok(md.includes(`\n## ${escapeCardMarkdown(t)}\n`), `Markdown lacks ${t}`);
      assert.ok(html.includes(`<h2>${t}</h2>`), `HTML lacks ${t}`);
    }
  });

  it('says what is not documented, and shows what is', () => {
    for (const key of ['documentation.outOfScope', 'documentation.limitations', 'documentation.ethicalConsiderations', 'documentation.license', 'data.license', 'description']) {
      assert.ok(md.includes(`Not documented — add \`${key}\` to the config (german.rml.yaml).`), key);
    }
    assert.ok(md.includes('Ranking credit applications for a second human review.'));
    assert.ok(md.includes('| Owners | Credit Risk Team |'));
    assert.ok(md.includes('| Version | 0.3.0 |'));
    const top = result.record.explain!.importance!.features[0];
    assert.ok(md.includes(`| 1 | ${escapeCardMarkdown(top.feature)} | ${fmt(top.mean)} ± ${fmt(top.sd)} |`), 'the top feature and its importance are the run\'s');
    const noExplain = renderCardMarkdown(buildModelCard({ ...inputs, run: { ...inputs.run, explain: undefined } }));
    assert.ok(noExplain.includes('Not recorded for this run (it was made before runs stored their permutation importance'));
  });

  it('its test metrics are the run\'s', () => {
    const rows = mdTable(md, 'Test metrics');
    const metrics = result.record.metrics as unknown as Record<string, number | null>;
    assert.equal(rows.length, Object.keys(metrics).length);
    const byLabel = new Map(rows.map((r) => [r.Metric, r]));
    const labels: Record<string, string> = { accuracy: 'Accuracy', balancedAccuracy: 'Balanced accuracy', f1: 'F1', rocAuc: 'ROC AUC', logLoss: 'Log loss', brier: 'Brier score' };
    for (const [k, label] of Object.entries(labels)) sameNumber(byLabel.get(label)?.[`Test (${result.record.data.test} rows)`], metrics[k], k);
  });

  it('its fairness tables are the run\'s: every group rate and every disparity with its interval', () => {
    const fairness = result.record.fairness as unknown as Record<string, { groups: Record<string, Record<string, number | null>>; intervals: Record<string, [number, number] | null> } & Record<string, unknown>>;
    for (const column of ['sex', 'age_group']) {
      const groups = mdTable(md, `Per-group metrics of ${column} on the test split`);
      assert.deepEqual(groups.map((g) => g.Group), Object.keys(fairness[column].groups));
      for (const g of groups) {
        const run = fairness[column].groups[g.Group];
        sameNumber(g.Rows, run.n, `${column}/${g.Group} n`);
        sameNumber(g['Selection rate'], run.selectionRate, `${column}/${g.Group} selection rate`);
        sameNumber(g.TPR, run.tpr, `${column}/${g.Group} TPR`);
        sameNumber(g.FPR, run.fpr, `${column}/${g.Group} FPR`);
        sameNumber(g.Precision, run.precision, `${column}/${g.Group} precision`);
      }
      const disp = mdTable(md, `Disparities across the groups of ${column}`);
      const dpd = disp.find((r) => r.Disparity === 'Demographic parity difference')!;
      sameNumber(dpd.Value, fairness[column].demographicParityDifference as number, `${column} DPD`);
      const interval = fairness[column].intervals.demographicParityDifference!;
      const cell = dpd['95% bootstrap interval (1000 resamples)'];
      const [lo, hi] = cell.replace(/\\/g, '').slice(1, -1).split(', ');
      sameNumber(lo, interval[0], `${column} DPD low`);
      sameNumber(hi, interval[1], `${column} DPD high`);
    }
  });

  it('its data and reproducibility facts are the run\'s', () => {
    const r = result.record;
    const data = new Map(mdTable(md.replace('## Data\n\n', '## Data\n\n*Data*\n\n'), 'Data').map((x) => [x.Field, x.Value]));
    assert.equal(data.get('SHA-256'), `\`${r.data.hash}\``);
    assert.match(data.get('Split')!, new RegExp(`^train ${r.data.train} .* validation ${r.data.validation} .* test ${r.data.test} `));
    assert.match(md, new RegExp(`\\| Config SHA-256 \\| \`${r.config.hash}\` \\|`));
    assert.match(md, new RegExp(`\\| Seed \\| ${r.seed} \\|`));
    assert.match(md, new RegExp(`\\| Backend \\| ${r.backend.name} ${r.backend.version}`));
  });

  it('without an energy report it says so and gives only a labelled estimate; with one, its figure and label', async () => {
    const e = result.record.energy!;
    assert.ok(md.includes(`| Energy | ${formatEnergy(e.joules)} — ${e.kind === 'measured' ? 'MEASURED with the RAPL energy counters' : 'ESTIMATED with the TDP-per-core model, not measured'} |`), 'the run\'s own energy figure and label');
    const old = renderCardMarkdown(buildModelCard({ ...inputs, run: { ...inputs.run, energy: undefined } }));
    assert.match(old, /Not recorded: this run was made before runs metered their energy/);
    assert.match(old, /A rough figure, ESTIMATED \(not measured\)/);
    const energy = await startEnergyMeter({ powercapRoot: null }).stop();
    const withEnergy = renderCardMarkdown(buildModelCard({ ...inputs, run: { ...inputs.run, energy } }));
    assert.ok(withEnergy.includes(`| Energy | ${formatEnergy(energy.joules)} — ESTIMATED with the TDP-per-core model, not measured |`));
    assert.ok(withEnergy.includes('IEA world average 2024, the default'));
  });

  it('the provenance comment round-trips in both formats', () => {
    assert.deepEqual(readCardProvenance(md), card.provenance);
    assert.deepEqual(readCardProvenance(html), card.provenance);
    assert.equal(card.provenance.config.file, 'german.rml.yaml');
    assert.equal(card.provenance.data.hash, result.record.data.hash);
    assert.equal(card.provenance.runConfig.trainingHash, card.provenance.config.trainingHash);
  });

  describe('staleness', () => {
    const cfg = () => join(ws, 'german.rml.yaml');
    let original: string;
    before(() => {
      writeFileSync(join(ws, 'MODEL_CARD.md'), md);
      original = readFileSync(cfg(), 'utf8');
    });
    afterEach(() => writeFileSync(cfg(), original));

    it('a fresh card is not stale', async () => {
      const s = await cardStaleness(join(ws, 'MODEL_CARD.md'), cfg());
      assert.deepEqual(s.reasons, []);
      assert.equal(s.stale, false);
    });

    it('comments and formatting leave it fresh', async () => {
      writeFileSync(cfg(), `# a new comment\n${original}\n\n`);
      assert.equal((await cardStaleness(join(ws, 'MODEL_CARD.md'), cfg())).stale, false);
    });

    it('a documentation edit makes it stale (regenerate only)', async () => {
      writeFileSync(cfg(), original.replace('version: 0.3.0', 'version: 0.4.0'));
      const s = await cardStaleness(join(ws, 'MODEL_CARD.md'), cfg());
      assert.equal(s.stale, true);
      assert.deepEqual(s.reasons.map((r) => r.kind), ['documentation-changed']);
    });

    it('a training edit makes it stale (retrain)', async () => {
      writeFileSync(cfg(), original.replace('epochs: 8', 'epochs: 9'));
      const s = await cardStaleness(join(ws, 'MODEL_CARD.md'), cfg());
      assert.deepEqual(s.reasons.map((r) => r.kind), ['config-changed']);
      assert.match(s.reasons[0].message, /retrain/);
    });

    it('a data edit makes it stale; a missing data file too', async () => {
      const csv = join(ws, 'german.csv');
      const bytes = readFileSync(csv);
      try {
        writeFileSync(csv, Buffer.concat([bytes, Buffer.from(bytes.toString('utf8').split('\n')[1] + '\n')]));
        assert.deepEqual((await cardStaleness(join(ws, 'MODEL_CARD.md'), cfg())).reasons.map((r) => r.kind), ['data-changed']);
        unlinkSync(csv);
        assert.deepEqual((await cardStaleness(join(ws, 'MODEL_CARD.md'), cfg())).reasons.map((r) => r.kind), ['data-missing']);
        // A known hash (the lint's cached sample) is used as given.
        assert.equal((await cardStaleness(join(ws, 'MODEL_CARD.md'), cfg(), { dataHash: result.record.data.hash })).stale, false);
      } finally {
        writeFileSync(csv, bytes);
      }
    });

    it('a card without provenance, or of another config, is reported as such', async () => {
      writeFileSync(join(ws, 'PLAIN.md'), '# A hand-written card\n');
      assert.deepEqual((await cardStaleness(join(ws, 'PLAIN.md'), cfg())).reasons.map((r) => r.kind), ['no-provenance']);
      writeFileSync(join(ws, 'other.rml.yaml'), original);
      assert.deepEqual((await cardStaleness(join(ws, 'MODEL_CARD.md'), join(ws, 'other.rml.yaml'))).reasons.map((r) => r.kind), ['other-config']);
    });

    it('stalenessOf: without the run\'s training hash, any config edit counts as a training change', () => {
      const p = { ...card.provenance, runConfig: { hash: card.provenance.runConfig.hash, trainingHash: null } };
      const now = { configHash: 'other', trainingHash: card.provenance.config.trainingHash, documentationHash: card.provenance.config.documentationHash, dataHash: p.data.hash, dataFile: 'german.csv' };
      assert.deepEqual(stalenessOf(p, now).map((r) => r.kind), ['config-changed']);
      assert.deepEqual(stalenessOf(card.provenance, now), []);
    });
  });

  describe('rml card', () => {
    it('writes MODEL_CARD.md beside the config, then --check says it is up to date (exit 0), and out of date after an edit (exit 1)', async () => {
      rmSync(join(ws, 'MODEL_CARD.md'), { force: true });
      const r = await rml(['card', 'german.rml.yaml'], ws);
      assert.equal(r.code, 0, r.err);
      assert.match(r.out, /^Wrote MODEL_CARD\.md \(Markdown\) from run \.rml\/runs\//);
      assert.match(r.out, /6 fields are not documented yet: description, documentation\.license, documentation\.outOfScope, data\.license, documentation\.limitations, documentation\.ethicalConsiderations\./);
      assert.ok(readCardProvenance(readFileSync(join(ws, 'MODEL_CARD.md'), 'utf8')));
      const ok = await rml(['card', 'german.rml.yaml', '--check'], ws);
      assert.equal(ok.code, 0, ok.out + ok.err);
      assert.match(ok.out, /is up to date/);
      const original = readFileSync(join(ws, 'german.rml.yaml'), 'utf8');
      writeFileSync(join(ws, 'german.rml.yaml'), original.replace('seed: 7', 'seed: 8'));
      try {
        const stale = await rml(['card', 'german.rml.yaml', '--check', '--json'], ws);
        assert.equal(stale.code, 1);
        const j = JSON.parse(stale.out);
        assert.equal(j.stale, true);
        assert.equal(j.reasons[0].kind, 'config-changed');
      } finally {
        writeFileSync(join(ws, 'german.rml.yaml'), original);
      }
    });

    it('--html --out writes HTML; --out - prints; a run folder works as the target', async () => {
      const r = await rml(['card', result.dir, '--html', '--out', 'card.html', '--json'], ws);
      assert.equal(r.code, 0, r.err);
      assert.equal(JSON.parse(r.out).format, 'html');
      assert.match(readFileSync(join(ws, 'card.html'), 'utf8'), /^<!DOCTYPE html>/);
      const p = await rml(['card', 'german.rml.yaml', '--out', '-', '--no-pii-scan'], ws);
      assert.equal(p.code, 0, p.err);
      assert.match(p.out, /^<!-- rml:model-card /);
      assert.match(p.out, /The data file was not scanned for personal data \(the scan was turned off\)/);
    });

    it('refuses to overwrite a file that is not this config\'s card (exit 2), unless --force', async () => {
      writeFileSync(join(ws, 'NOTES.md'), '# my notes\n');
      const r = await rml(['card', 'german.rml.yaml', '--out', 'NOTES.md'], ws);
      assert.equal(r.code, 2);
      assert.match(r.err, /is not a Responsible ML model card/);
      assert.equal(readFileSync(join(ws, 'NOTES.md'), 'utf8'), '# my notes\n');
      assert.equal((await rml(['card', 'german.rml.yaml', '--out', 'NOTES.md', '--force'], ws)).code, 0);
    });

    it('refuses to overwrite a card edited since it was generated (exit 2), unless --force; regenerates an unedited one', async () => {
      assert.equal((await rml(['card', 'german.rml.yaml', '--out', 'EDITED.md', '--no-pii-scan'], ws)).code, 0);
      assert.equal((await rml(['card', 'german.rml.yaml', '--out', 'EDITED.md', '--no-pii-scan'], ws)).code, 0, 'an unedited card is regenerated');
      const edited = readFileSync(join(ws, 'EDITED.md'), 'utf8').replace('## Intended use', '## Intended use\n\nOur own words.');
      writeFileSync(join(ws, 'EDITED.md'), edited);
      const r = await rml(['card', 'german.rml.yaml', '--out', 'EDITED.md', '--no-pii-scan'], ws);
      assert.equal(r.code, 2);
      assert.match(r.err, /was edited since it was generated/);
      assert.equal(readFileSync(join(ws, 'EDITED.md'), 'utf8'), edited);
      assert.equal((await rml(['card', 'german.rml.yaml', '--out', 'EDITED.md', '--no-pii-scan', '--force'], ws)).code, 0);
      assert.ok(!readFileSync(join(ws, 'EDITED.md'), 'utf8').includes('Our own words.'));
    });

    it('bad targets are bad input (exit 2)', async () => {
      assert.equal((await rml(['card'], ws)).code, 2);
      assert.equal((await rml(['card', 'german.csv'], ws)).code, 2);
      const empty = mkdtempSync(join(tmpdir(), 'rml-card-empty-'));
      cpSync(GERMAN, empty, { recursive: true });
      const r = await rml(['card', 'german.rml.yaml'], empty);
      assert.equal(r.code, 2);
      assert.match(r.err, /no completed run of german\.rml\.yaml/);
      rmSync(empty, { recursive: true, force: true });
    });
  });
});

describe('model card: a hand-written run with every section', () => {
  let ws: string;
  let runDir: string;
  let card: ModelCard;
  let md: string;
  let html: string;
  let run: CardRun;

  before(async () => {
    ({ ws, runDir } = fixtureWorkspace());
    const inputs = await loadCardInputs(runDir, { root: ws });
    run = inputs.run;
    card = buildModelCard({ ...inputs, cardFile: join(ws, 'MODEL_CARD.md'), generatedAt: new Date('2026-11-21T00:00:00Z') });
    md = renderCardMarkdown(card);
    html = renderCardHtml(card);
  });
  after(() => rmSync(ws, { recursive: true, force: true }));

  it('the fixture\'s hashes match its files (so the card is fresh)', async () => {
    assert.equal(run.data.hash, createHash('sha256').update(readFileSync(join(ws, 'people.csv'))).digest('hex'));
    assert.equal(run.config.hash, createHash('sha256').update(readFileSync(join(ws, 'people.rml.yaml'))).digest('hex'));
    writeFileSync(join(ws, 'MODEL_CARD.md'), md);
    assert.equal((await cardStaleness(join(ws, 'MODEL_CARD.md'), join(ws, 'people.rml.yaml'))).stale, false);
  });

  it('metrics with cross-validation mean ± sd, the failed gate and signed metrics', () => {
    const rows = new Map(mdTable(md, 'Test metrics').map((r) => [r.Metric, r]));
    assert.equal(rows.get('Accuracy')?.['5-fold cross-validation (mean ± sd)'], '0.805 ± 0.012 (5 folds)');
    assert.equal(rows.get('F1')?.['5-fold cross-validation (mean ± sd)'], '0.671 ± 0.034 (5 folds)');
    assert.equal(rows.get('ROC AUC')?.['5-fold cross-validation (mean ± sd)'], '0.850 (1 fold)');
    assert.equal(rows.get('Precision')?.['5-fold cross-validation (mean ± sd)'], '—');
    assert.match(md, /Fairness gate: FAILED — demographicParityDifference of region is 0\.200, above the limit 0\.1\./);
    const region = new Map(mdTable(md, 'Disparities across the groups of region').map((r) => [r.Disparity, r]));
    assert.equal(region.get('Demographic parity difference')?.Result, 'FAIL');
    assert.equal(region.get('Demographic parity difference')?.Limit, '≤ 0.100');
    assert.equal(region.get('Equalized odds ratio')?.['95% bootstrap interval (1000 resamples)'], 'undefined');
    const sex = new Map(mdTable(md, 'Disparities across the groups of sex').map((r) => [r.Disparity, r]));
    assert.equal(sex.get('Demographic parity difference')?.Result, 'pass');
    sameNumber(sex.get('Statistical parity difference (privileged: male)')?.Value, -0.07, 'SPD');
  });

  it('mitigation before/after, explainability, DP and measured energy are the run\'s', () => {
    const mit = new Map(mdTable(md, 'Before and after the mitigation, on the same test rows').map((r) => [r.Metric, r]));
    assert.deepEqual(mit.get('Accuracy'), { Metric: 'Accuracy', Before: '0.812', After: '0.808', Change: '−0.004' });
    assert.deepEqual(mit.get('Demographic parity difference (sex)'), { Metric: 'Demographic parity difference (sex)', Before: '0.150', After: '0.070', Change: '−0.080' });
    const imp = mdTable(md, 'Feature importance');
    assert.deepEqual(imp.map((r) => [r.Rank, r.Feature, r['Importance (mean ± sd)']]), [['1', 'hours', '0.120 ± 0.010'], ['2', 'age', '0.050 ± 0.020']]);
    assert.match(md, /\| Guarantee \| \(ε = 2\.370, δ = 1\.0e-5\)-differential privacy for the training rows \|/);
    assert.match(md, /\| Energy \| 55 J — MEASURED with the RAPL energy counters \|/);
    assert.match(md, /\| CO₂e \| 6\.8 mg — computed from measured energy × 445 gCO₂e\/kWh \|/);
    assert.match(md, /\| Modelled \(for comparison\) \| 24\.2 J estimated with the TDP-per-core model \|/);
    assert.match(md, /Not documented — add `documentation\.limitations` to the config \(people\.rml\.yaml\)\./);
    assert.ok(card.sections.some((s) => s.id === 'additional-documentation'));
    assert.match(md, /### caveats\n\nAn extra &lt;b&gt;section&lt;\/b&gt;/);
  });

  it('names the PII column but never quotes data values', () => {
    assert.match(md, /- `email`: looks like email addresses \(header and values\) — excluded \(data\.ignore\)\./);
    const emails = readFileSync(join(ws, 'people.csv'), 'utf8').trim().split('\n').slice(1).map((l) => l.split(',')[0]);
    assert.equal(emails.length, 40);
    for (const text of [md, html]) {
      for (const e of emails) assert.ok(!text.includes(e), `the card quotes ${e}`);
      assert.ok(!/@mail-example\.org/.test(text));
    }
  });

  it('Markdown: hostile strings are inert (entities for HTML, backslashes for Markdown syntax)', () => {
    assert.ok(!/<script|<img|<b>|<i>|<\/td>/i.test(md.replace(/^<!-- rml:model-card .* -->$/m, '')));
    assert.match(md, /\| Description \| Approves &lt;script&gt;alert\("description"\)&lt;\/script&gt; applications &amp; more \|/);
    assert.ok(md.includes('Screening &lt;script&gt;alert("intended")&lt;/script&gt; \\| pipes \\| and \\[a link](javascript:alert(1)) \\`code\\`'));
    assert.ok(md.includes('- Anything with \\*\\*bold\\*\\* and \\_emphasis\\_'));
    assert.ok(md.includes('| &lt;img src=x onerror=alert(1)&gt; | 3 |'));
    // Every table row keeps its column count despite the pipes in the text.
    const intended = md.split('\n').filter((l) => l.includes('Screening'));
    assert.equal(intended.length, 1);
    assert.ok(!intended[0].startsWith('|'));
  });

  it('HTML: self-contained, no script or remote content, hostile strings escaped, tables intact', () => {
    assert.ok(!/<script/i.test(html));
    assert.ok(!/<img/i.test(html));
    assert.ok(!/\s(?:src|href)\s*=\s*["']?(?:https?:|javascript:|\/\/)/i.test(html));
    assert.ok(html.includes('Approves &lt;script&gt;alert(&quot;description&quot;)&lt;/script&gt; applications &amp; more'));
    assert.ok(html.includes('Reviewed by a person &lt;/td&gt;&lt;/tr&gt;&lt;tr&gt;&lt;td&gt;injected'));
    assert.ok(html.includes('<th scope="row">&lt;img src=x onerror=alert(1)&gt;</th>'));
    assert.equal((html.match(/<table>/g) ?? []).length, (html.match(/<\/table>/g) ?? []).length);
    assert.equal((html.match(/<tr>/g) ?? []).length, (html.match(/<\/tr>/g) ?? []).length);
    // The CSP allows only the inline stylesheet, by its hash.
    const csp = /<meta http-equiv="Content-Security-Policy" content="([^"]+)">/.exec(html)?.[1] ?? '';
    assert.match(csp, /^default-src 'none'; style-src 'sha256-[A-Za-z0-9+/=]+'; img-src data:$/);
    const style = /<style>([\s\S]*?)<\/style>/.exec(html)?.[1] ?? '';
    assert.ok(csp.includes(`'sha256-${createHash('sha256').update(style, 'utf8').digest('base64')}'`));
  });

  it('the provenance comment cannot be closed early by a hostile path', () => {
    const hostile = buildModelCard({ run: { ...run, name: 'x --> <script>alert(1)</script>' }, generatedAt: new Date(0) });
    for (const text of [renderCardMarkdown(hostile), renderCardHtml(hostile)]) {
      const comment = /<!-- rml:model-card [\s\S]*? -->/.exec(text)![0];
      assert.ok(!comment.slice(4, -3).includes('--'));
      assert.ok(!/<script/i.test(comment));
      assert.equal(readCardProvenance(text)?.run.name, 'x --> <script>alert(1)</script>');
    }
  });

  it('a run without config still gets a complete card, saying why the documentation is missing', () => {
    const c = buildModelCard({ run, configProblem: '/gone.rml.yaml no longer exists' });
    const text = renderCardMarkdown(c);
    assert.match(text, /Not available — documentation\.intendedUse is read from the config, which could not be read \(\/gone\.rml\.yaml no longer exists\)\./);
    for (const s of c.sections) assert.ok(s.blocks.length > 0, s.id);
  });

  it('multiclass audits get one table per class; regression audits their own metrics', () => {
    const sex = (run.fairness as Record<string, unknown>).sex;
    const multi = renderCardMarkdown(buildModelCard({ run: { ...run, task: 'multiclass', fairness: { sex: { classes: { low: sex, high: sex } } } } as unknown as CardRun }));
    assert.match(multi, /### Fairness by sex · class low \(one-vs-rest\)/);
    assert.match(multi, /### Fairness by sex · class high \(one-vs-rest\)/);
    const regression = {
      sex: { groups: { f: { n: 10, meanPrediction: 2.5, meanTrue: 2.4, mae: 0.31 }, m: { n: 12, meanPrediction: 3, meanTrue: 3.1, mae: 0.2 } }, meanPredictionDifference: 0.5, meanPredictionRatio: 0.8333, maeDifference: 0.11, extremes: null, warnings: [] },
    };
    const reg = renderCardMarkdown(buildModelCard({ run: { ...run, task: 'regression', gate: undefined, fairness: regression } as unknown as CardRun }));
    const rows = new Map(mdTable(reg, 'Disparities across the groups of sex').map((r) => [r.Disparity, r.Value]));
    assert.equal(rows.get('Mean prediction difference'), '0.500');
    assert.equal(rows.get('MAE difference'), '0.110');
    assert.deepEqual(mdTable(reg, 'Per-group metrics of sex on the test split').map((r) => r.Rows), ['10', '12']);
  });

  it('training and documentation hashes ignore what they should', () => {
    const raw = { name: 'a', data: { path: 'x.csv', target: 'y', license: 'MIT' }, train: { epochs: 3 }, documentation: { version: 1 }, lint: { rules: {} } };
    const moved = { lint: {}, documentation: { version: 2 }, train: { epochs: 3 }, data: { license: 'CC0', target: 'y', path: 'x.csv' }, name: 'a' };
    assert.equal(configTrainingHash(raw), configTrainingHash(moved));
    assert.notEqual(configDocumentationHash(raw), configDocumentationHash(moved));
    assert.notEqual(configTrainingHash(raw), configTrainingHash({ ...raw, train: { epochs: 4 } }));
  });

  it('loadCardInputs refuses a folder that is not a run', async () => {
    await assert.rejects(loadCardInputs(ws, { root: ws }), /not a run folder/);
    assert.ok(existsSync(join(ws, 'people.csv')));
  });
});
