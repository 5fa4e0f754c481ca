/**
 * `rml audit` end to end (in-process, real files): the --json keys (checked exactly), the numbers
 * against an independent reference, the human report, the gate's exit 3, and every bad input's
 * exit 2 with its message.
 *
 * Sources of the expected numbers:
 * - [ref]: test/fixtures/audit/reference.py (pandas + scikit-learn 1.2, Fairlearn's and AIF360's
 *   formulas as their source computes them), pasted as literals; the tests need neither Python
 *   nor /work/shared.
 * - [hand]: worked out in the comment next to the assertion.
 */
import { strict as assert } from 'node:assert';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main, type Io } from '../../src/cli/main';

const FIXTURE = join(__dirname, '..', 'fixtures', 'audit', 'compas_lr_audit.csv');

interface Captured {
  code: number;
  out: string;
  err: string;
}

async function rml(args: string[], cwd = process.cwd()): Promise<Captured> {
  let out = '';
  let err = '';
  const io: Io = { out: (s) => (out += s), err: (s) => (err += s), tty: false, cwd };
  const code = await main(args, io);
  return { code, out, err };
}

type Json = Record<string, unknown>;
const obj = (v: unknown): Json => v as Json;
const keys = (v: unknown): string[] => Object.keys(obj(v));

const base = ['audit', '--data', FIXTURE, '--label', 'y_true'];

const GROUP_KEYS = ['n', 'selectionRate', 'baseRate', 'accuracy', 'tpr', 'fpr', 'fnr', 'tnr', 'precision', 'rocAuc'];
const DISPARITIES = [
  'demographicParityDifference',
  'demographicParityRatio',
  'equalizedOddsDifference',
  'equalizedOddsRatio',
  'equalOpportunityDifference',
  'equalOpportunityRatio',
  'disparateImpactRatio',
];

function close(actual: unknown, expected: number, what: string, tol = 1e-12): void {
  assert.equal(typeof actual, 'number', `${what} should be a number`);
  assert.ok(Math.abs((actual as number) - expected) <= tol, `${what}: ${String(actual)} vs ${expected}`);
}

describe('rml audit: --json', function () {
  let j: Json;
  before(async () => {
    const r = await rml([...base, '--pred', 'y_pred', '--score', 'y_score', '--sensitive', 'race,sex', '--privileged', 'race=Caucasian', '--bootstrap', '200', '--seed', '3', '--intersections', '--json']);
    assert.equal(r.code, 0, r.err);
    j = JSON.parse(r.out) as Json;
  });

  it('has exactly the documented keys, in order', () => {
    assert.deepEqual(keys(j), ['rows', 'overall', 'sensitive', 'intersections', 'gate', 'timings']);
    assert.deepEqual(keys(j.overall), ['accuracy', 'balancedAccuracy', 'precision', 'recall', 'f1', 'selectionRate', 'baseRate', 'rocAuc', 'tp', 'fp', 'tn', 'fn']);
    assert.deepEqual(keys(j.sensitive), ['race', 'sex']);
    const race = obj(obj(j.sensitive).race);
    assert.deepEqual(keys(race), ['groups', ...DISPARITIES, 'signed', 'intervals', 'bootstrap', 'extremes', 'theilIndex', 'warnings']);
    // Without --privileged, sex has no signed block (and so no signed intervals).
    const sex = obj(obj(j.sensitive).sex);
    assert.deepEqual(keys(sex), ['groups', ...DISPARITIES, 'intervals', 'bootstrap', 'extremes', 'theilIndex', 'warnings']);
    assert.deepEqual(keys(race.groups), ['African-American', 'Asian', 'Caucasian', 'Hispanic', 'Native American', 'Other']);
    for (const g of Object.values(obj(race.groups))) assert.deepEqual(keys(g), GROUP_KEYS);
    assert.deepEqual(keys(race.signed), ['privileged', 'statisticalParityDifference', 'disparateImpact', 'equalOpportunityDifference', 'averageOddsDifference']);
    assert.deepEqual(keys(race.intervals), [...DISPARITIES, 'statisticalParityDifference', 'disparateImpact', 'equalOpportunityDifferenceSigned', 'averageOddsDifference', 'theilIndex']);
    assert.deepEqual(keys(sex.intervals), [...DISPARITIES, 'theilIndex']);
    for (const w of race.warnings as unknown[]) assert.deepEqual(keys(w), ['kind', 'group', 'message']);
    assert.deepEqual(keys(j.intersections), ['race&sex']);
    assert.deepEqual(keys(obj(j.intersections)['race&sex']), keys(sex));
    assert.deepEqual(keys(j.gate), ['passed', 'failures', 'limits']);
    assert.deepEqual(j.gate, { passed: true, failures: [], limits: [] });
    assert.deepEqual(keys(j.timings), ['readMs', 'computeMs']);
    assert.equal(j.rows, 2165);
  });

  it('matches the reference: overall metrics and confusion counts [ref: sklearn]', () => {
    const o = obj(j.overall);
    close(o.accuracy, 0.6706697459584295, 'accuracy');
    close(o.balancedAccuracy, 0.6595673141418346, 'balancedAccuracy');
    close(o.precision, 0.676962676962677, 'precision');
    close(o.recall, 0.5323886639676113, 'recall');
    close(o.f1, 0.5960339943342776, 'f1');
    close(o.rocAuc, 0.7239004846604453, 'rocAuc');
    assert.deepEqual([o.tp, o.fp, o.tn, o.fn], [526, 251, 926, 462]);
  });

  it('matches the reference: per-group rates, ROC AUC, disparities and signed metrics [ref]', () => {
    const race = obj(obj(j.sensitive).race);
    const cauc = obj(obj(race.groups).Caucasian);
    assert.equal(cauc.n, 738);
    close(cauc.selectionRate, 0.2588075880758808, 'SR');
    close(cauc.tpr, 0.40484429065743943, 'TPR');
    close(cauc.fpr, 0.16481069042316257, 'FPR');
    close(cauc.precision, 0.612565445026178, 'precision');
    const auc: Record<string, number> = {
      'African-American': 0.7198805460750852, Asian: 0.8148148148148149, Caucasian: 0.691290141105571,
      Hispanic: 0.7317522321428572, 'Native American': 0.7777777777777779, Other: 0.7339030206677266,
    };
    for (const [g, v] of Object.entries(auc)) close(obj(obj(race.groups)[g]).rocAuc, v, `rocAuc ${g}`, 1e-12);
    close(race.demographicParityDifference, 0.5, 'race DPD');
    close(race.demographicParityRatio, 0, 'race DPR');
    close(race.equalizedOddsDifference, 0.6666666666666666, 'race EOD');
    const sex = obj(obj(j.sensitive).sex);
    close(sex.demographicParityDifference, 0.26995229250279174, 'sex DPD');
    close(sex.demographicParityRatio, 0.34220248057734204, 'sex DPR');
    close(sex.equalizedOddsDifference, 0.3253688572203075, 'sex EOD');
    close(sex.equalOpportunityDifference, 0.3253688572203075, 'sex EOppD');
    const s = obj(race.signed);
    assert.equal(s.privileged, 'Caucasian');
    close(s.statisticalParityDifference, 0.15184412881269665, 'SPD');
    close(s.disparateImpact, 1.5867066338417284, 'DI');
    close(s.equalOpportunityDifference, 0.1802773116315448, 'EOppD signed');
    close(s.averageOddsDifference, 0.12929924467012519, 'AOD');
    const rs = obj(obj(j.intersections)['race&sex']);
    assert.equal(keys(rs.groups).length, 12);
    assert.ok(keys(rs.groups).includes('African-American & Female'));
    close(rs.demographicParityDifference, 0.6, 'race&sex DPD');
    close(rs.equalizedOddsDifference, 1, 'race&sex EOD');
  });

  it('the bootstrap is seeded: the same --seed gives the same intervals, another seed others', async () => {
    const run = async (seed: string) => obj(obj(JSON.parse((await rml([...base, '--pred', 'y_pred', '--sensitive', 'sex', '--bootstrap', '200', '--seed', seed, '--json'])).out) as Json).sensitive).sex;
    const a = obj(await run('3'));
    const b = obj(await run('3'));
    const c = obj(await run('4'));
    assert.deepEqual(a.intervals, b.intervals);
    assert.notDeepEqual(a.intervals, c.intervals);
    assert.deepEqual(obj(a.bootstrap).resamples, 200);
    // The interval brackets the point estimate.
    const [lo, hi] = obj(a.intervals).demographicParityDifference as [number, number];
    assert.ok(lo <= (a.demographicParityDifference as number) && (a.demographicParityDifference as number) <= hi);
  });

  it('--score with the default threshold 0.5 gives the same predictions as --pred (y_pred = y_score ≥ 0.5 in the fixture)', async () => {
    const fromScore = JSON.parse((await rml([...base, '--score', 'y_score', '--sensitive', 'race', '--json'])).out) as Json;
    assert.deepEqual(obj(j.overall), obj(fromScore.overall));
    assert.deepEqual(obj(obj(j.sensitive).race).groups, obj(obj(fromScore.sensitive).race).groups);
  });

  it('--score-positive flips scores written for the other label: same ROC AUC, predictions 1 − score ≥ 0.5 [ref]', async () => {
    // Favourable = did not reoffend (0); y_score = P(reoffend). AUC(1 − y, 1 − s) = AUC(y, s) = 0.7239… [ref],
    // and 1 − s ≥ 0.5 ⇔ s ≤ 0.5 ⇔ y_pred = 0 (no score is exactly 0.5 in the fixture).
    const flipped = await rml([...base, '--positive', '0', '--score', 'y_score', '--score-positive', '1', '--sensitive', 'race', '--json']);
    assert.equal(flipped.code, 0, flipped.err);
    const fromPred = await rml([...base, '--positive', '0', '--pred', 'y_pred', '--sensitive', 'race', '--json']);
    const a = obj((JSON.parse(flipped.out) as Json).overall);
    const b = obj((JSON.parse(fromPred.out) as Json).overall);
    close(a.rocAuc, 0.7239004846604453, 'rocAuc');
    assert.deepEqual([a.tp, a.fp, a.tn, a.fn], [b.tp, b.fp, b.tn, b.fn]);
    // TP with positive 0 = TN with positive 1 [ref: 926].
    assert.equal(a.tp, 926);
    assert.match(flipped.err, /1 − score is used for the positive label '0'/);
  });

  it('without scores, rocAuc is null overall and per group; without --intersections there is no intersections key', async () => {
    const r = JSON.parse((await rml([...base, '--pred', 'y_pred', '--sensitive', 'race', '--json'])).out) as Json;
    assert.equal(obj(r.overall).rocAuc, null);
    for (const g of Object.values(obj(obj(obj(r.sensitive).race).groups))) assert.equal(obj(g).rocAuc, null);
    assert.deepEqual(keys(r), ['rows', 'overall', 'sensitive', 'gate', 'timings']);
    assert.ok(!('intervals' in obj(obj(r.sensitive).race)));
  });

  it('a label with more than two values is audited one-vs-rest with --positive (COMPAS "High" = decile ≥ 8, so accuracy 1) [ref]', async () => {
    const r = await rml(['audit', '--data', FIXTURE, '--label', 'score_text', '--positive', 'High', '--score', 'decile_score', '--threshold', '8', '--sensitive', 'race', '--json']);
    assert.equal(r.code, 0, r.err);
    const out = JSON.parse(r.out) as Json;
    assert.equal(obj(out.overall).accuracy, 1);
    // With perfect predictions the selection rates are the base rates: DPD = max − min base rate of "High".
    close(obj(obj(out.sensitive).race).demographicParityDifference, 0.5, 'DPD');
    assert.match(r.err, /one-vs-rest/);
  });
});

describe('rml audit: the fairness gate', function () {
  it('exits 3 with the failures (metric, column, value, limit) when a limit is breached', async () => {
    const r = await rml([...base, '--pred', 'y_pred', '--sensitive', 'race,sex', '--fail-on', 'demographicParityDifference<=0.3,sex:disparateImpactRatio>=0.8', '--json']);
    assert.equal(r.code, 3, r.err);
    const g = obj((JSON.parse(r.out) as Json).gate);
    assert.equal(g.passed, false);
    const failures = g.failures as Json[];
    // race DPD 0.5 > 0.3 fails; sex DPD 0.2700 passes; sex DI 0.3422 < 0.8 fails [ref].
    assert.deepEqual(failures.map((f) => [f.metric, f.column, f.limit]), [['demographicParityDifference', 'race', 0.3], ['disparateImpactRatio', 'sex', 0.8]]);
    for (const f of failures) assert.deepEqual(keys(f), ['metric', 'column', 'value', 'limit', 'op', 'reason', 'message']);
    close(failures[1].value, 0.34220248057734204, 'sex DI');
    assert.match(r.err, /fairness gate failed/);
  });

  it('prints a table of what failed by how much in the human report', async () => {
    const r = await rml([...base, '--pred', 'y_pred', '--sensitive', 'sex', '--fail-on', 'demographicParityDifference<=0.1,disparateImpactRatio>=0.8']);
    assert.equal(r.code, 3);
    assert.match(r.out, /Fairness gate: FAILED/);
    // 0.2700 − 0.1 = 0.1700 over; 0.8 − 0.3422 = 0.4578 under [ref values, hand subtraction].
    assert.match(r.out, /sex\s+demographicParityDifference\s+0\.2700\s+<= 0\.1\s+0\.1700 over/);
    assert.match(r.out, /sex\s+disparateImpactRatio\s+0\.3422\s+>= 0\.8\s+0\.4578 under/);
  });

  it('exits 0 when every limit holds; signed metrics are gated by absolute value', async () => {
    const r = await rml([...base, '--pred', 'y_pred', '--sensitive', 'race', '--privileged', 'race=Caucasian', '--fail-on', 'statisticalParityDifference<=0.2', '--json']);
    assert.equal(r.code, 0, r.err);
    assert.equal(obj((JSON.parse(r.out) as Json).gate).passed, true);
    const human = await rml([...base, '--pred', 'y_pred', '--sensitive', 'sex', '--fail-on', 'demographicParityDifference<=0.9']);
    assert.equal(human.code, 0);
    assert.match(human.out, /Fairness gate: passed \(1 limit: demographicParityDifference <= 0\.9\)/);
  });

  it('applies column-less limits to the --sensitive columns only; an intersection is gated when named', async () => {
    const args = [...base, '--pred', 'y_pred', '--sensitive', 'race,sex', '--intersections', '--json'];
    const loose = await rml([...args, '--fail-on', 'equalizedOddsDifference<=0.7']);
    // race 0.667 and sex 0.325 pass; race&sex (1.0) is not gated by a column-less limit.
    assert.equal(loose.code, 0, loose.err);
    const named = await rml([...args, '--fail-on', 'race&sex:equalizedOddsDifference<=0.7']);
    assert.equal(named.code, 3);
    assert.deepEqual((obj((JSON.parse(named.out) as Json).gate).failures as Json[]).map((f) => f.column), ['race&sex']);
  });

  it('a limit on a signed metric without --privileged fails as not computed', async () => {
    const r = await rml([...base, '--pred', 'y_pred', '--sensitive', 'sex', '--fail-on', 'averageOddsDifference<=0.1', '--json']);
    assert.equal(r.code, 3);
    const f = (obj((JSON.parse(r.out) as Json).gate).failures as Json[])[0];
    assert.equal(f.reason, 'not-computed');
  });
});

describe('rml audit: the human report', function () {
  it('shows a table per column, marks the harmed group, names the four-fifths rule', async () => {
    const r = await rml([...base, '--pred', 'y_pred', '--score', 'y_score', '--sensitive', 'sex,race', '--positive', '1']);
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /^Fairness audit · /);
    assert.match(r.out, /2,165 rows · positive \(favourable\) label: '1'/);
    assert.match(r.out, /group\s+n\s+selection\s+base rate\s+accuracy\s+TPR\s+FPR\s+FNR\s+precision\s+ROC AUC/);
    // Female: selection 0.1404 < Male 0.4104 [ref: 0.4104 − 0.1404 = 0.2700].
    assert.match(r.out, /Female\s+413\s+0\.1404.*◀ lowest selection rate, lowest TPR/);
    assert.match(r.out, /disparate impact ratio 0\.3422: FAILS the four-fifths rule \(< 0\.8\); Female is selected at 34\.2% of the rate of Male/);
    // Small groups are starred and, when the lowest group is one of them, the lowest reliable group is marked too.
    assert.match(r.out, /Asian\*\s+12/);
    assert.match(r.out, /\* fewer than 30 rows: its rates are unreliable/);
    assert.match(r.out, /Other\s+105.*◀ lowest selection rate of groups ≥ 30 rows/);
    assert.match(r.out, /Fairness gate: no limits set/);
  });

  it('says when the positive label was inferred', async () => {
    const r = await rml([...base, '--pred', 'y_pred', '--sensitive', 'sex']);
    assert.equal(r.code, 0);
    assert.match(r.out, /label: '1' \(inferred\)/);
    assert.match(r.out, /note: the positive \(favourable\) label was taken to be '1'/);
  });
});

describe('rml audit: input handling', function () {
  let dir: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'rml-audit-'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  function csv(name: string, text: string): string {
    const p = join(dir, name);
    writeFileSync(p, text);
    return p;
  }
  const rows = (n: number, f: (i: number) => string) => Array.from({ length: n }, (_, i) => f(i)).join('\n') + '\n';

  it('missing sensitive values are their own "(missing)" group, not an error', async () => {
    const f = csv('missing-group.csv', 'y,p,g\n' + rows(40, (i) => `${i % 2},${i % 3 === 0 ? 1 : 0},${i % 4 === 0 ? '' : i % 4 === 1 ? 'NA' : 'a'}`));
    const r = await rml(['audit', '--data', f, '--label', 'y', '--pred', 'p', '--sensitive', 'g', '--json']);
    assert.equal(r.code, 0, r.err);
    // Rows 0,4,8,… (i % 4 = 0, empty) and 1,5,9,… (NA) are missing: 20 rows; the other 20 are 'a'.
    const groups = obj(obj(obj((JSON.parse(r.out) as Json).sensitive).g).groups);
    assert.deepEqual(keys(groups), ['(missing)', 'a']);
    assert.equal(obj(groups['(missing)']).n, 20);
  });

  it('predictions are matched to labels numerically: 1.0 predicts the label 1', async () => {
    const f = csv('floats.csv', 'y,p,g\n' + rows(8, (i) => `${i % 2},${i < 4 ? '1.0' : '0.0'},${i % 2 === 0 ? 'a' : 'b'}`));
    const r = await rml(['audit', '--data', f, '--label', 'y', '--pred', 'p', '--sensitive', 'g', '--json']);
    assert.equal(r.code, 0, r.err);
    // Rows 0–3 predicted positive: 0,1,2,3 → TP rows 1,3; FP rows 0,2 [hand].
    const o = obj((JSON.parse(r.out) as Json).overall);
    assert.deepEqual([o.tp, o.fp, o.tn, o.fn], [2, 2, 2, 2]);
  });

  it('--pred-positive reads predictions coded differently from the label', async () => {
    const f = csv('codes.csv', 'y,p,g\n' + rows(8, (i) => `${i % 2 ? 'good' : 'bad'},${i < 4 ? 'Y' : 'N'},a`));
    const r = await rml(['audit', '--data', f, '--label', 'y', '--positive', 'good', '--pred', 'p', '--pred-positive', 'Y', '--sensitive', 'g', '--json']);
    assert.equal(r.code, 0, r.err);
    const o = obj((JSON.parse(r.out) as Json).overall);
    assert.deepEqual([o.tp, o.fp, o.tn, o.fn], [2, 2, 2, 2]);
    // One group: the disparities are undefined (null) and a warning says why.
    const g = obj(obj((JSON.parse(r.out) as Json).sensitive).g);
    assert.equal(g.demographicParityDifference, null);
    assert.ok((g.warnings as Json[]).some((w) => w.kind === 'single-group'));
  });

  const bad: [string, () => Promise<Captured>, RegExp][] = [
    ['a label with more than two values and no --positive', () => rml(['audit', '--data', FIXTURE, '--label', 'score_text', '--pred', 'y_pred', '--sensitive', 'race']), /label column 'score_text' has 3 distinct values .*'High'.*pass --positive <value>/],
    ['a two-valued label that is not 0/1, true/false or no/yes, without --positive', () => rml(['audit', '--data', csv('yn.csv', 'y,p,g\n' + rows(6, (i) => `${i % 2 ? '>50K' : '<=50K'},${i % 2 ? '>50K' : '<=50K'},a`)), '--label', 'y', '--pred', 'p', '--sensitive', 'g']), /'<=50K', '>50K'.*pass --positive <value> to say which one is the favourable outcome/],
    ['a --positive that is not a label value', () => rml([...base, '--positive', 'yes', '--pred', 'y_pred', '--sensitive', 'race']), /--positive 'yes' does not occur in the label column 'y_true' \(values: '0', '1'\)/],
    ['a non-numeric score, naming the line', () => rml([...base, '--score', 'race', '--sensitive', 'sex']), /score column 'race' is not numeric: 'African-American' at line 2/],
    ['a missing score, naming the line', () => rml(['audit', '--data', csv('noscore.csv', 'y,s,g\n1,0.9,a\n0,,b\n1,0.2,a\n'), '--label', 'y', '--score', 's', '--sensitive', 'g']), /noscore\.csv:3:1: the score column 's' has a missing value at line 3/],
    ['a missing label, naming the line', () => rml(['audit', '--data', csv('nolabel.csv', 'y,p,g\n1,1,a\n0,0,b\nNA,1,a\n'), '--label', 'y', '--pred', 'p', '--sensitive', 'g']), /label column 'y' has a missing value at line 4/],
    ['a sensitive column with thousands of distinct values', () => rml(['audit', '--data', csv('ids.csv', 'y,p,id\n' + rows(2500, (i) => `${i % 2},${i % 3 === 0 ? 1 : 0},person${i}`)), '--label', 'y', '--pred', 'p', '--sensitive', 'id']), /sensitive column 'id' has 2,500 distinct values, more than --max-groups 1000.*Bin it/],
    ['an empty file', () => rml(['audit', '--data', csv('empty.csv', ''), '--label', 'y', '--pred', 'p', '--sensitive', 'g']), /empty/],
    ['a header-only file', () => rml(['audit', '--data', csv('header.csv', 'y,p,g\n'), '--label', 'y', '--pred', 'p', '--sensitive', 'g']), /no data rows/],
    ['prediction values outside the label\'s value space, naming them', () => rml([...base, '--pred', 'score_text', '--sensitive', 'race']), /prediction column 'score_text' has values that are not in the label's value space: 'High', 'Medium', 'Low' \(first at line 2; the label 'y_true' has '0', '1'\)/],
    ['--pred-positive with a prediction column of more than two values', () => rml([...base, '--pred', 'score_text', '--pred-positive', 'High', '--sensitive', 'race']), /prediction column 'score_text' has 3 distinct values/],
    ['an unknown label column, listing the available ones', () => rml(['audit', '--data', FIXTURE, '--label', 'two_year_recid', '--pred', 'y_pred', '--sensitive', 'race']), /--label: unknown column 'two_year_recid'; available: race, sex, age_cat, decile_score, score_text, y_true, y_pred, y_score/],
    ['an unknown sensitive column, with a close-match hint', () => rml([...base, '--pred', 'y_pred', '--sensitive', 'Race']), /--sensitive: unknown column 'Race' \(did you mean 'race'\?\); available: /],
    ['bad --fail-on syntax', () => rml([...base, '--pred', 'y_pred', '--sensitive', 'race', '--fail-on', 'demographicParityDifference=0.1']), /bad --fail-on entry "demographicParityDifference=0\.1": expected <metric><op><number>/],
    ['an unknown --fail-on metric', () => rml([...base, '--pred', 'y_pred', '--sensitive', 'race', '--fail-on', 'parity<=0.1']), /unknown fairness metric "parity"; known metrics: demographicParityDifference/],
    ['a --fail-on column that was not audited', () => rml([...base, '--pred', 'y_pred', '--sensitive', 'race', '--fail-on', 'sex:demographicParityDifference<=0.1']), /names the column "sex", which was not audited \(audited: race\)/],
    ['a --privileged value that does not occur, listing the groups', () => rml([...base, '--pred', 'y_pred', '--sensitive', 'race', '--privileged', 'race=caucasian']), /'caucasian' does not occur in 'race' \(groups: 'African-American', 'Asian', 'Caucasian'/],
    ['a --privileged column that is not sensitive', () => rml([...base, '--pred', 'y_pred', '--sensitive', 'race', '--privileged', 'sex=Male']), /--privileged names 'sex', which is not a --sensitive column/],
    ['neither --pred nor --score', () => rml([...base, '--sensitive', 'race']), /--pred <col>, or its scores with --score <col>/],
    ['no --sensitive', () => rml([...base, '--pred', 'y_pred']), /--sensitive is required/],
    ['no --data', () => rml(['audit', '--label', 'y', '--pred', 'p', '--sensitive', 'g']), /--data is required/],
    ['--threshold together with --pred', () => rml([...base, '--pred', 'y_pred', '--score', 'y_score', '--threshold', '0.3', '--sensitive', 'race']), /--threshold applies when predictions come from --score/],
    ['a non-numeric --threshold', () => rml([...base, '--score', 'y_score', '--threshold', 'half', '--sensitive', 'race']), /--threshold must be a number \(got 'half'\)/],
    ['--intersections with one sensitive column', () => rml([...base, '--pred', 'y_pred', '--sensitive', 'race', '--intersections']), /--intersections needs at least two --sensitive columns/],
    ['a bad --bootstrap count', () => rml([...base, '--pred', 'y_pred', '--sensitive', 'race', '--bootstrap', '0']), /--bootstrap must be an integer ≥ 1 \(got '0'\)/],
    ['the label as a sensitive column', () => rml([...base, '--pred', 'y_pred', '--sensitive', 'y_true']), /--sensitive includes the label column 'y_true'/],
    ['--score-positive that is not the other label value', () => rml([...base, '--positive', '0', '--score', 'y_score', '--score-positive', '2', '--sensitive', 'race']), /--score-positive '2' must be the other value of a two-valued label/],
    ['a missing data file', () => rml(['audit', '--data', join(dir, 'nope.csv'), '--label', 'y', '--pred', 'p', '--sensitive', 'g']), /not found/],
    ['an unknown option', () => rml([...base, '--pred', 'y_pred', '--sensitive', 'race', '--bogus']), /bogus/],
  ];
  for (const [name, run, pattern] of bad) {
    it(`bad input: ${name} → exit 2 with a clear message`, async () => {
      const r = await run();
      assert.equal(r.code, 2, `exit ${r.code}; stderr: ${r.err}; stdout: ${r.out.slice(0, 200)}`);
      assert.match(r.err, pattern);
      assert.doesNotMatch(r.err, /internal error|at .*\.ts:\d+/, 'no stack trace for bad input');
      assert.equal(r.out, '', 'nothing on stdout');
    });
  }
});
