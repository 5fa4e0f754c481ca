/**
 * RML017 stale-model-card on the fixtures of test/fixtures/lint/cards (MODEL_CARD.md and
 * MODEL_CARD.html written by `rml card` from a run of loans.rml.yaml on loans.csv; a hand-written
 * card without provenance under no-provenance/), and RML016's figures against the engine's own
 * pre-run estimate.
 */
import { strict as assert } from 'node:assert';
import { appendFileSync, cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runConfigFile } from '../../src/core/engine';
import { RmlCancelledError } from '../../src/core/errors';
import { lintConfigFile, lintConfigText, RULES_BY_ID, toSarif, type Finding } from '../../src/core/lint';
import { describeEstimate } from '../../src/core/sustainability/format';
import { defaultCardPath, DEFAULT_CARD_NAME } from '../../src/core/report/card';
import { MODEL_CARD_GLOB } from '../../src/extension/paths';
import type { RunEstimate } from '../../src/core/sustainability/types';

const CARDS = join(__dirname, '..', 'fixtures', 'lint', 'cards');

describe('lint: RML017 stale-model-card', function () {
  this.timeout(60_000);
  let ws: string;
  let config: string;
  const opts = () => ({ root: ws, cache: false as const });
  const rml017 = async (file = config): Promise<Finding[]> => (await lintConfigFile(file, opts())).filter((f) => f.ruleId === 'RML017');
  const lineOf = (file: string, needle: string) => readFileSync(file, 'utf8').split('\n').findIndex((l) => l.includes(needle)) + 1;

  beforeEach(() => {
    ws = mkdtempSync(join(tmpdir(), 'rml-lint-cards-'));
    cpSync(CARDS, ws, { recursive: true });
    config = join(ws, 'loans.rml.yaml');
  });
  afterEach(() => rmSync(ws, { recursive: true, force: true }));

  it('is a registered warning with documentation and SARIF metadata', () => {
    const meta = RULES_BY_ID.get('RML017');
    assert.equal(meta?.name, 'stale-model-card');
    assert.equal(meta?.defaultSeverity, 'warning');
    assert.match(meta?.helpUri ?? '', /docs\/rules\.md#rml017$/);
    const rule = toSarif([], ws).runs[0].tool.driver.rules.find((r) => r.id === 'RML017');
    assert.equal(rule?.helpUri, meta?.helpUri);
    const pkg = JSON.parse(readFileSync(join(__dirname, '..', '..', 'package.json'), 'utf8')) as { contributes: { configuration: { properties: Record<string, { properties?: Record<string, unknown> }> } } };
    assert.ok(pkg.contributes.configuration.properties['rml.lint.rules'].properties?.RML017, 'rml.lint.rules lists RML017');
  });

  it('the editor watches the cards the rule reads (MODEL_CARD.md and .html beside a config)', () => {
    assert.equal(MODEL_CARD_GLOB, `**/${DEFAULT_CARD_NAME}.{md,html}`);
    assert.equal(defaultCardPath(config), join(ws, 'MODEL_CARD.md'));
    assert.equal(defaultCardPath(config, true), join(ws, 'MODEL_CARD.html'));
  });

  it('says nothing about fresh cards (Markdown and HTML), nor after a comment-only edit', async () => {
    assert.deepEqual(await rml017(), []);
    appendFileSync(config, '# a comment changes neither the training settings nor the documentation\n');
    assert.deepEqual(await rml017(), []);
  });

  it('reports each card after a training setting changed: on the config\'s first key, with the reason and the card\'s provenance line', async () => {
    writeFileSync(config, readFileSync(config, 'utf8').replace('epochs: 3', 'epochs: 4'));
    const found = await rml017();
    assert.equal(found.length, 2, JSON.stringify(found.map((f) => f.message)));
    const md = found.find((f) => f.related?.[0].file === join(ws, 'MODEL_CARD.md'));
    const html = found.find((f) => f.related?.[0].file === join(ws, 'MODEL_CARD.html'));
    assert.ok(md && html);
    for (const f of [md, html]) {
      assert.equal(f.severity, 'warning');
      assert.equal(f.file, config);
      assert.equal(f.line, lineOf(config, 'name: loans-card'));
      assert.deepEqual(f.data?.reasons, ['config-changed']);
      assert.match(f.message, /is out of date: The config's training settings changed since run \.rml\/runs\/.*retrain \(rml train\) and regenerate the card \(rml card\)\./);
    }
    assert.match(md.message, /^The model card MODEL_CARD\.md \(made 2026-11-29 \d\d:\d\d UTC from run /);
    assert.equal(md.related?.[0].line, lineOf(join(ws, 'MODEL_CARD.md'), 'rml:model-card'));
    assert.equal(html.related?.[0].line, lineOf(join(ws, 'MODEL_CARD.html'), 'rml:model-card'));
    assert.ok(html.related?.[0].line && html.related[0].line > 1, 'the HTML card\'s provenance is not on its first line');
  });

  it('tells a documentation-only edit (regenerate) from a data change (retrain), and judges unsaved text', async () => {
    rmSync(join(ws, 'MODEL_CARD.html'));
    const text = readFileSync(config, 'utf8');
    const docs = (await lintConfigText(text.replace('limitations: Synthetic data.', 'limitations: Synthetic data, 160 rows.'), config, opts())).filter((f) => f.ruleId === 'RML017');
    assert.deepEqual(docs.map((f) => f.data?.reasons), [['documentation-changed']]);
    assert.deepEqual(await rml017(), [], 'the saved file is unchanged');
    appendFileSync(join(ws, 'loans.csv'), '50,40,north,yes\n');
    const data = await rml017();
    assert.deepEqual(data.map((f) => f.data?.reasons), [['data-changed']]);
    assert.match(data[0].message, /The data file loans\.csv changed since run/);
  });

  it('reports a card without provenance, and nothing when there is no card', async () => {
    const other = join(ws, 'no-provenance', 'loans.rml.yaml');
    const found = await rml017(other);
    assert.equal(found.length, 1);
    assert.deepEqual(found[0].data?.reasons, ['no-provenance']);
    assert.match(found[0].message, /MODEL_CARD\.md has no Responsible ML provenance comment, so its freshness is unknown: regenerate it with rml card\./);
    assert.equal(found[0].related?.[0].line, 1);
    rmSync(join(ws, 'no-provenance', 'MODEL_CARD.md'));
    assert.deepEqual(await rml017(other), []);
  });
});

describe('lint: RML016 uses the pre-run estimate', function () {
  this.timeout(120_000);
  let ws: string;
  before(() => {
    ws = mkdtempSync(join(tmpdir(), 'rml-lint-rml016-'));
    cpSync(CARDS, ws, { recursive: true });
  });
  after(() => rmSync(ws, { recursive: true, force: true }));

  it('gives the time and energy `rml train` estimates before training, and says so', async () => {
    const config = join(ws, 'loans.rml.yaml');
    writeFileSync(config, readFileSync(config, 'utf8').replace('train: { epochs: 3, seed: 5 }', 'train: { epochs: 200, seed: 5 }'));
    const [f] = (await lintConfigFile(config, { root: ws, cache: false })).filter((x) => x.ruleId === 'RML016');
    assert.ok(f, 'RML016 fires on 200 epochs without early stopping');
    // The engine's own estimate, given before it trains (then cancelled, or a short dry run).
    let engine: RunEstimate | undefined;
    const abort = new AbortController();
    await runConfigFile(config, { root: ws, dryRun: true, signal: abort.signal, onEstimate: (e) => { engine = e; abort.abort(); } }).catch((e: unknown) => {
      if (!(e instanceof RmlCancelledError)) throw e;
    });
    assert.ok(engine);
    const est = f.data?.estimate as { seconds: number; joules: number; co2eGrams: number };
    assert.equal(est.joules, engine.joules);
    assert.equal(est.seconds, engine.seconds);
    assert.equal(est.co2eGrams, engine.co2e.grams);
    assert.ok(f.message.includes(describeEstimate(engine)), f.message);
    assert.match(f.message, /The pre-run estimate \(the one `rml train` prints\) for this config on 160 rows is ≈ /);
  });
});
