import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { escapeMarkdown, renderHtml, renderMarkdown, reportDocument, SECTION_IDS } from '../../src/core/report/export';
import type { RunRecord } from '../../src/core/report/types';
import { DISPARITY_KEYS, fmt, fmtInterval, fmtRate, reportExtras, ruleText, thresholdsOf } from '../../src/core/report/view-model';

/** The hand-made run record of test/fixtures/runs (see its README): a real run plus fairness sections. */
const FIXTURE = path.join(__dirname, '../fixtures/runs/example-run/run.json');
const THRESHOLDS = { demographicParityDifference: 0.1, equalizedOddsDifference: 0.1, disparateImpactRatio: 0.8 };
const AT = new Date('2026-11-28T14:00:00Z');

function fixture(): RunRecord {
  return JSON.parse(fs.readFileSync(FIXTURE, 'utf8')) as RunRecord;
}

type Json = Record<string, unknown>;

/** The value at a key path of the fixture's JSON. */
function at(path: string[]): unknown {
  let o: unknown = JSON.parse(fs.readFileSync(FIXTURE, 'utf8'));
  for (const k of path) o = (o as Json)[k];
  return o;
}

/** The fixture with edits: each sets the value at a key path (undefined deletes it). */
function edited(...edits: [string[], unknown][]): RunRecord {
  const r = JSON.parse(fs.readFileSync(FIXTURE, 'utf8')) as Json;
  for (const [path, value] of edits) {
    let o = r;
    for (const k of path.slice(0, -1)) o = o[k] as Json;
    const last = path[path.length - 1];
    if (value === undefined) delete o[last];
    else o[last] = value;
  }
  return r as unknown as RunRecord;
}

/** The text of `<section id="id">…</section>` (top-level sections do not nest in each other). */
function htmlSection(html: string, id: string): string {
  const start = html.indexOf(`<section id="${id}">`);
  assert.ok(start >= 0, `the HTML has no section ${id}`);
  const next = html.indexOf('\n<section id="', start + 1);
  return html.slice(start, next < 0 ? undefined : next);
}

/** The Markdown between `## title` and the next `## `. */
function mdSection(md: string, title: string): string {
  const start = md.indexOf(`\n## ${title}\n`);
  assert.ok(start >= 0, `the Markdown has no section ${title}`);
  const next = md.indexOf('\n## ', start + 1);
  return md.slice(start, next < 0 ? undefined : next);
}

const TITLES: Record<(typeof SECTION_IDS)[number], string> = {
  summary: 'Summary',
  data: 'Data',
  metrics: 'Test metrics',
  confusion: 'Confusion matrix',
  curves: 'Curves',
  training: 'Training',
  fairness: 'Fairness',
  mitigation: 'Mitigation',
  responsible: 'Features · privacy · energy',
  'cross-validation': 'Cross-validation',
  reproducibility: 'Reproducibility',
};

describe('report export (HTML and Markdown)', () => {
  const run = fixture();
  const x = reportExtras(run);
  const html = renderHtml(run, { thresholds: THRESHOLDS, dir: '/runs/example', generatedAt: AT });
  const md = renderMarkdown(run, { thresholds: THRESHOLDS, dir: '/runs/example', generatedAt: AT });

  it('reads every optional section of the fixture', () => {
    assert.ok(x.fairness && x.gate && x.sweep && x.mitigation);
    assert.deepEqual(Object.keys(x.fairness), ['sex', 'race']);
  });

  it('has every section, in order, in both formats', () => {
    const doc = reportDocument(run, { thresholds: THRESHOLDS, generatedAt: AT });
    // The fixture predates the run record's explain, privacy and energy fields (see responsible-report.test.ts).
    const ids = SECTION_IDS.filter((id) => id !== 'responsible');
    assert.deepEqual(doc.sections.map((s) => s.id), ids);
    let last = -1;
    for (const id of ids) {
      const i = html.indexOf(`<section id="${id}">`);
      assert.ok(i > last, `HTML section ${id} is missing or out of order`);
      last = i;
    }
    last = -1;
    for (const id of ids) {
      const i = md.indexOf(`\n## ${TITLES[id]}\n`);
      assert.ok(i > last, `Markdown section ${TITLES[id]} is missing or out of order`);
      last = i;
    }
    for (const column of ['sex', 'race']) {
      assert.ok(html.includes(`<section id="fairness-${column}"><h3>Sensitive column: ${column}</h3>`));
      assert.ok(md.includes(`### Sensitive column: ${column}`));
    }
  });

  it('shows the run\'s data summary and test metrics', () => {
    for (const [text, id, title] of [[html, 'data', 'Data'], [md, 'data', 'Data']] as const) {
      const s = text === html ? htmlSection(text, id) : mdSection(text, title);
      for (const n of [run.data.rows, run.data.train, run.data.validation, run.data.test, run.data.encodedFeatures]) assert.ok(s.includes(fmt(n)), `data: ${fmt(n)}`);
    }
    const hm = htmlSection(html, 'metrics');
    const mm = mdSection(md, 'Test metrics');
    for (const [k, v] of Object.entries(run.metrics ?? {})) {
      assert.ok(hm.includes(`<td class="num">${fmtRate(v)}</td>`), `HTML metric ${k} = ${fmtRate(v)}`);
      assert.ok(mm.includes(`| ${fmtRate(v)} |`), `Markdown metric ${k} = ${fmtRate(v)}`);
    }
    assert.equal(fmtRate(run.metrics?.accuracy), '0.845');
  });

  it('shows the confusion matrix counts', () => {
    const c = run.evaluation?.confusion;
    assert.ok(c);
    const hc = htmlSection(html, 'confusion');
    const mc = mdSection(md, 'Confusion matrix');
    for (const [k, v] of Object.entries(c)) {
      const cell = `${fmt(v)} (${k.toUpperCase()})`;
      assert.ok(hc.includes(cell) && mc.includes(cell), cell);
    }
  });

  it('draws ROC, PR and calibration curves as SVG in HTML and describes them in Markdown', () => {
    const hc = htmlSection(html, 'curves');
    assert.equal((hc.match(/<svg /g) ?? []).length, 3);
    for (const t of ['ROC curve', 'Precision–recall curve', 'Calibration']) assert.ok(hc.includes(`<title>${t}</title>`), t);
    const roc = run.evaluation?.curves?.roc;
    assert.ok(roc);
    // One path point per ROC point.
    const path = /<path d="(M[^"]+)" class="rml-line rml-s0"/.exec(hc);
    assert.ok(path);
    assert.equal(path[1].split(/[ML]/).filter(Boolean).length, roc.fpr.length);
    const mc = mdSection(md, 'Curves');
    assert.ok(mc.includes(`> ROC curve: True-positive rate against false-positive rate over all thresholds; ROC AUC ${fmtRate(run.metrics?.rocAuc)}.`));
    const cal = run.evaluation?.curves?.calibration;
    assert.ok(cal);
    for (const v of cal.count) assert.ok(mc.includes(`| ${fmt(v)} |`));
  });

  it('lists the training history', () => {
    const ht = htmlSection(html, 'training');
    for (const h of run.history) {
      assert.ok(ht.includes(fmtRate(h.loss)) && ht.includes(fmtRate(h.valLoss)) && ht.includes(fmtRate(h.valMetric)), `epoch ${h.epoch}`);
    }
    assert.ok(ht.includes(`${run.bestEpoch} (best)`));
  });

  it('shows per column the disparities with intervals, thresholds and pass/fail', () => {
    assert.ok(x.fairness);
    for (const [column, col] of Object.entries(x.fairness)) {
      const start = md.indexOf(`### Sensitive column: ${column}`);
      const end = md.indexOf('\n### ', start + 1);
      const s = md.slice(start, end < 0 ? md.indexOf('\n## ', start) : end);
      for (const k of DISPARITY_KEYS) {
        const v = col.values[k];
        assert.ok(s.includes(`| ${fmtRate(v)} | ${escapeMarkdown(fmtInterval(col.intervals?.[k] ?? null))} |`), `${column} ${k}`);
      }
      for (const [g, m] of Object.entries(col.groups)) {
        for (const key of ['n', 'selectionRate', 'tpr', 'fpr', 'precision'] as const) assert.ok(s.includes((key === 'n' ? fmt : fmtRate)(m[key])), `${column} ${g} ${key}`);
      }
    }
    const sex = md.slice(md.indexOf('### Sensitive column: sex'), md.indexOf('### Sensitive column: race'));
    // DPD 0.171 > 0.1 fails; EOD 0.082 ≤ 0.1 passes; DIR 0.298 < 0.8 fails; no threshold, no verdict.
    assert.match(sex, /\| Demographic parity difference \| 0\.171 \| \\\[0\.156, 0\.188\\\] \| ≤ 0\.100 \| \*\*✗ fail\*\* \|/);
    assert.match(sex, /\| Equalized odds difference \| 0\.082 \| \\\[0\.062, 0\.153\\\] \| ≤ 0\.100 \| ✓ pass \|/);
    assert.match(sex, /\| Disparate impact ratio \| 0\.298 \| \\\[0\.251, 0\.340\\\] \| ≥ 0\.800 \| \*\*✗ fail\*\* \|/);
    assert.match(sex, /\| Equal opportunity ratio \| 0\.859 \| \\\[0\.737, 0\.962\\\] \| {2}\| {2}\|/);
    // The harmed group (lowest selection rate) is marked in the table and the HTML bar charts.
    assert.ok(sex.includes('**Female (harmed)**'));
    const hs = html.slice(html.indexOf('<section id="fairness-sex">'), html.indexOf('<section id="fairness-race">'));
    assert.equal((hs.match(/class="rml-bar rml-s\d rml-harmed"/g) ?? []).length, 3);
    assert.ok(hs.includes('<td class="harmed">Female (harmed)</td>') || hs.includes('<th class="harmed">Female (harmed)</th>'));
  });

  it('shows the gate failures and the signed metrics', () => {
    assert.ok(x.gate);
    const hs = htmlSection(html, 'summary');
    assert.ok(hs.includes('Fairness gate: ✗ failed (5 limits not met).'));
    for (const f of x.gate.failures) assert.ok(hs.includes(`<td class="fail num">${fmtRate(f.value)}</td>`), `${f.column} ${f.metric}`);
    assert.ok(md.includes('Signed metrics: unprivileged vs privileged sex = "Male"'));
    assert.ok(md.includes('| Statistical parity difference | -0.171 | \\[-0.188, -0.156\\] |'));
  });

  it('shows mitigation before and after with the change', () => {
    const mm = mdSection(md, 'Mitigation');
    assert.ok(mm.includes('Method: threshold-demographic-parity (on sex).'));
    assert.ok(mm.includes('| Accuracy | 0.845 | 0.838 | −0.007 |'));
    assert.match(mm, /\| Demographic parity difference \| 0\.171 \| 0\.079 \| −0\.092 \| ≤ 0\.100 \| \*\*✗ fail\*\* \| ✓ pass \|/);
  });

  it('shows how the mitigation was done: groups\' rules, where it was fitted, the gate before and after', () => {
    const mm = mdSection(md, 'Mitigation');
    assert.ok(mm.includes('Per-group thresholds on the model'));
    assert.ok(mm.includes('Fitted on the validation split (3,256 rows).'));
    assert.ok(mm.includes('Fairness gate: before ✗ failed (5), after ✗ failed (5).'));
    assert.ok(mm.includes('| Female | score ≥ 0.300 | fitted |') && mm.includes('| Male | score ≥ 0.560 | fitted |'));
    assert.equal(ruleText({ mixture: [{ threshold: 0.4, weight: 0.25 }, { threshold: 0.6, weight: 0.75 }], constant: { weight: 0.1, rate: 0.5 } }),
      'score ≥ 0.400 (weight 0.250); score ≥ 0.600 (weight 0.750); with probability 0.100: positive at random with rate 0.500');
    assert.equal(ruleText(null), 'unknown');
    const r = edited(
      [['mitigation', 'method'], 'reweighing'],
      [['mitigation', 'thresholds'], undefined],
      [['mitigation', 'fitOn'], 'train'],
      [['mitigation', 'fitRows'], 22793],
      [['mitigation', 'weights'], [{ group: 'Female', label: 1, n: 800, weight: 2.1 }, { group: 'Male', label: 1, n: 5000, weight: 0.9 }]],
      [['mitigation', 'warnings'], ['one cell is small']],
    );
    const m2 = renderMarkdown(r, { generatedAt: AT });
    assert.ok(m2.includes('| Female | 1 | 800 | 2.100 |') && m2.includes('- ⚠ one cell is small'));
  });

  it('judges by the limits the run recorded, over the thresholds given', () => {
    assert.deepEqual(thresholdsOf(run), THRESHOLDS);
    const strict = renderMarkdown(run, { thresholds: { demographicParityDifference: 0.5 }, generatedAt: AT });
    assert.ok(strict.includes('| Demographic parity difference | 0.171 | \\[0.156, 0.188\\] | ≤ 0.100 | **✗ fail** |'));
    const r = edited([['gate', 'limits'], undefined]);
    const given = renderMarkdown(r, { thresholds: { demographicParityDifference: 0.5 }, generatedAt: AT });
    assert.ok(given.includes('| Demographic parity difference | 0.171 | \\[0.156, 0.188\\] | ≤ 0.500 | ✓ pass |'));
  });

  it('shows a multiclass audit class by class, and a regression audit with its own metrics', () => {
    const sex = at(['fairness', 'sex']);
    const multi = edited([['fairness'], { sex: { classes: { low: sex, high: sex } } }]);
    assert.deepEqual(Object.keys(reportExtras(multi).fairness ?? {}), ['sex · class low', 'sex · class high']);
    assert.ok(renderMarkdown(multi, { generatedAt: AT }).includes('### Sensitive column: sex · class high'));
    const regression = {
      sex: {
        groups: { Female: { n: 10, meanPrediction: 31.5, meanTrue: 30, mae: 4.25 }, Male: { n: 12, meanPrediction: 40, meanTrue: 41, mae: 3.5 } },
        meanPredictionDifference: 8.5, meanPredictionRatio: 0.7875, maeDifference: 0.75,
        extremes: { meanPrediction: { min: 'Female', max: 'Male' }, mae: { min: 'Male', max: 'Female' } }, warnings: [],
      },
    };
    const r = edited([['fairness'], regression], [['sweep'], undefined], [['mitigation'], undefined]);
    const h = renderHtml(r, { generatedAt: AT });
    const m = renderMarkdown(r, { generatedAt: AT });
    assert.ok(m.includes('| Mean prediction difference | 8.500 |') && m.includes('| Mean prediction ratio | 0.787 |'));
    assert.ok(m.includes('| Female | 10 | 4.250 | 31.500 | 30.000 |'));
    assert.ok(h.includes('<title>Mean prediction by sex</title>') && h.includes('<title>Mean absolute error by sex</title>'));
  });

  it('shows a multiclass confusion matrix and per-class metrics', () => {
    const perClass = [
      { label: 0, precision: 5 / 7, recall: 5 / 6, f1: 0.769, support: 6 },
      { label: 1, precision: 7 / 9, recall: 0.7, f1: 0.737, support: 10 },
      { label: 2, precision: 0.9, recall: 0.9, f1: 0.9, support: 10 },
    ];
    const r = edited(
      [['task'], 'multiclass'],
      [['classes'], ['low', 'mid', 'high']],
      [['metrics'], { accuracy: 21 / 26, f1Macro: 0.802 }],
      [['evaluation'], { task: 'multiclass', metrics: { accuracy: 21 / 26 }, confusionMatrix: [[5, 1, 0], [2, 7, 1], [0, 1, 9]], perClass }],
      [['fairness'], undefined], [['gate'], undefined], [['sweep'], undefined], [['mitigation'], undefined],
    );
    const m = renderMarkdown(r, { generatedAt: AT });
    const c = mdSection(m, 'Confusion matrix');
    assert.ok(c.includes('| True \\\\ predicted | low | mid | high |'));
    assert.ok(c.includes('| **mid** | 2 | 7 | 1 |'));
    const t = mdSection(m, 'Test metrics');
    assert.ok(t.includes('| mid | 0.778 | 0.700 | 0.737 | 10 |'));
    assert.ok(t.includes('| F1 (macro) | 0.802 |'));
    assert.deepEqual(reportDocument(r, { generatedAt: AT }).sections.map((x) => x.id), ['summary', 'data', 'metrics', 'confusion', 'training', 'cross-validation', 'reproducibility']);
  });

  it('shows the warnings of a column', () => {
    const r = edited([['fairness', 'race', 'warnings'], [{ kind: 'small-group', group: 'Other', message: 'The group "Other" of race has 29 rows (fewer than 30); its rates are unreliable.' }]]);
    assert.ok(renderMarkdown(r, { generatedAt: AT }).includes('- ⚠ The group "Other" of race has 29 rows (fewer than 30); its rates are unreliable.'));
  });

  it('shows cross-validation and reproducibility', () => {
    const cv = mdSection(md, 'Cross-validation');
    assert.ok(cv.includes('| Accuracy | 0.847 | 0.004 | 5 |'));
    const r = mdSection(md, 'Reproducibility');
    assert.ok(r.includes(run.config.hash) && r.includes(run.data.hash) && r.includes(`| Seed | ${run.seed} |`));
  });

  it('writes "undefined" for a null metric, and an undefined metric fails its threshold', () => {
    const r = edited([['fairness', 'sex', 'disparateImpactRatio'], null]);
    const out = renderMarkdown(r, { thresholds: THRESHOLDS, generatedAt: AT });
    assert.match(out, /\| Disparate impact ratio \| undefined \| \\\[0\.251, 0\.340\\\] \| ≥ 0\.800 \| \*\*✗ fail\*\* \|/);
  });

  it('leaves out the sections a run does not have', () => {
    const r = edited([['fairness'], undefined], [['gate'], undefined], [['sweep'], undefined], [['mitigation'], undefined], [['crossValidation'], undefined]);
    const doc = reportDocument(r, { generatedAt: AT });
    assert.deepEqual(doc.sections.map((s) => s.id), ['summary', 'data', 'metrics', 'confusion', 'curves', 'training', 'reproducibility']);
    assert.ok(!renderHtml(r, { generatedAt: AT }).includes('Fairness gate'));
  });

  it('is self-contained and escapes every text', () => {
    assert.ok(html.includes(`<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">`));
    assert.ok(!/<script/i.test(html));
    assert.ok(!/(src|href)="(https?:)?\/\//i.test(html));
    const r = edited([['name'], '<script>alert(1)</script>'], [['fairness', 'sex', 'groups', 'a|b <i>'], at(['fairness', 'sex', 'groups', 'Male'])]);
    const h = renderHtml(r, { generatedAt: AT });
    assert.ok(!h.includes('<script>alert(1)') && h.includes('&lt;script&gt;alert(1)&lt;/script&gt;'));
    assert.ok(h.includes('a|b &lt;i&gt;') && !h.includes('<i>'));
    const m = renderMarkdown(r, { generatedAt: AT });
    assert.ok(m.includes('a\\|b \\<i\\>'));
    assert.equal(escapeMarkdown('x|y*z_[a]`<b>'), 'x\\|y\\*z\\_\\[a\\]\\`\\<b\\>');
  });

  it('is deterministic for a fixed generation time', () => {
    assert.equal(renderHtml(run, { thresholds: THRESHOLDS, dir: '/runs/example', generatedAt: AT }), html);
    assert.equal(renderMarkdown(run, { thresholds: THRESHOLDS, dir: '/runs/example', generatedAt: AT }), md);
  });
});
