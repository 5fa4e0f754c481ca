/**
 * "Audit Predictions…" without the editor: the pure picker steps (suggestions, examples, options,
 * the equivalent command line), and the audit itself in the lint worker through its client, with
 * messages in the picker's terms and the same numbers as `rml audit --json`.
 */
import { strict as assert } from 'node:assert';
import { join } from 'node:path';
import { main, type Io } from '../../src/cli/main';
import { auditCsv, CLI_TERMS } from '../../src/core/fairness/audit-csv';
import { auditOptions, cliEquivalent, EDITOR_TERMS, examples, foreignPredictionValues, isScoreColumn, suggestFavourable, suggestLabel, suggestPrediction, type AuditPicks } from '../../src/extension/commands/audit-picks';
import type { ColumnSummary } from '../../src/extension/commands/config-template';
import { LintClient, LintError } from '../../src/extension/diagnostics/lint-client';
import { workerBundle } from './extension-bundles';

const root = join(__dirname, '..', '..');
const CSV = join(root, 'test', 'e2e', 'workspaces', 'audit', 'predictions.csv');

function col(over: Partial<ColumnSummary> & { name: string }): ColumnSummary {
  return { type: 'categorical', distinct: 2, missing: 0, top: [], ...over };
}

async function cliJson(args: string[]): Promise<Record<string, unknown>> {
  let out = '';
  const io: Io = { out: (s) => (out += s), err: () => undefined, tty: false, cwd: root };
  await main(['audit', ...args, '--json'], io);
  return JSON.parse(out) as Record<string, unknown>;
}

describe('extension: Audit Predictions', function () {
  this.timeout(120_000);

  describe('picker steps', () => {
    const columns = [
      col({ name: 'email', distinct: 600, top: [{ value: 'j***@e***.com', count: 1 }] }),
      col({ name: 'sex', top: [{ value: 'Female', count: 323 }, { value: 'Male', count: 277 }] }),
      col({ name: 'y_true', type: 'numeric', integer: true, top: [{ value: '1', count: 325 }, { value: '0', count: 275 }] }),
      col({ name: 'score', type: 'numeric', integer: false, distinct: 590, min: 0.02, max: 0.98, top: [{ value: '0.5169', count: 2 }] }),
      col({ name: 'y_pred', type: 'numeric', integer: true, top: [{ value: '0', count: 320 }, { value: '1', count: 280 }] }),
    ];

    it('suggests the ground truth as the label, the prediction column, and the favourable value as the CLI infers it', () => {
      assert.equal(suggestLabel(columns), 'y_true');
      assert.equal(suggestPrediction(columns, 'y_true'), 'y_pred');
      assert.equal(suggestPrediction(columns.filter((c) => c.name !== 'y_pred'), 'y_true'), 'score');
      assert.equal(suggestFavourable(columns[2]), '1');
      assert.equal(suggestFavourable(col({ name: 'ok', top: [{ value: 'Yes', count: 3 }, { value: 'No', count: 5 }] })), 'Yes');
      // Without a typical name, never a prediction or score column.
      assert.equal(suggestLabel([col({ name: 'predicted' }), col({ name: 'outcome_prob', type: 'numeric' }), col({ name: 'repaid' })]), 'repaid');
    });

    it('tells scores from predicted labels, and finds predictions coded differently from the label', () => {
      assert.equal(isScoreColumn(columns[3]), true);
      assert.equal(isScoreColumn(columns[4]), false);
      assert.equal(isScoreColumn(col({ name: 'risk_score', type: 'numeric', integer: true, distinct: 10 })), true);
      assert.deepEqual(foreignPredictionValues(columns[4], columns[2], '1'), []);
      assert.deepEqual(foreignPredictionValues(col({ name: 'p', top: [{ value: 'Y', count: 1 }, { value: 'N', count: 1 }] }), columns[2], '1'), ['Y', 'N']);
      // 1 and 1.0 are the same value, as in the audit.
      assert.deepEqual(foreignPredictionValues(col({ name: 'p', top: [{ value: '1.0', count: 1 }] }), columns[2], '1'), []);
    });

    it('shows example values, marked as masked for personal data (masked upstream, no range)', () => {
      const pii = new Set(['email']);
      assert.equal(examples(columns[1], pii), 'e.g. Female, Male');
      assert.equal(examples(columns[0], pii), 'personal data, masked: j***@e***.com, …');
      assert.match(examples(columns[3], pii) ?? '', /range 0\.02 to 0\.98/);
    });

    it('makes the audit options and the same audit as an rml audit command line', () => {
      const picks: AuditPicks = { data: CSV, label: 'y_true', positive: '1', prediction: { kind: 'score', column: 'score', threshold: 0.4 }, sensitive: ['sex', 'race'], privileged: { race: 'White, non-Hispanic' }, intersections: true, bootstrap: 1000, limits: [{ metric: 'demographicParityDifference', op: '<=', value: 0.1 }] };
      const o = auditOptions(picks);
      assert.equal(o.score, 'score');
      assert.equal(o.threshold, 0.4);
      assert.equal(o.pred, undefined);
      assert.equal(o.intersections, true);
      assert.equal(o.minGroupSize, undefined);
      assert.equal(
        cliEquivalent(o, 'data/predictions.csv'),
        "rml audit --data data/predictions.csv --label y_true --positive 1 --score score --threshold 0.4 --sensitive sex,race --privileged 'race=White, non-Hispanic' --intersections --bootstrap 1000 --seed 0 --fail-on 'demographicParityDifference<=0.1'",
      );
      assert.equal(auditOptions({ ...picks, sensitive: ['sex'] }).intersections, false, 'one column has no intersections');
    });
  });

  describe('the audit in core, named in the picker\'s terms', () => {
    it('names picker steps instead of flags in bad-input messages', async () => {
      const o = { data: CSV, label: 'y_truth', positive: '1', pred: 'y_pred', sensitive: ['sex'], privileged: {}, intersections: false, bootstrap: 0, limits: [], seed: 0 };
      await assert.rejects(auditCsv(o, EDITOR_TERMS), /^RmlInputError: the label column: unknown column 'y_truth'; available: email, sex/);
      await assert.rejects(auditCsv(o, CLI_TERMS), /--label: unknown column 'y_truth'/);
      const foreign = { ...o, label: 'y_true', pred: 'sex' };
      await assert.rejects(auditCsv(foreign, EDITOR_TERMS), (e: Error) => {
        assert.match(e.message, /If the predictions use other codes, run the audit again and pick the prediction column's favourable value$/);
        assert.doesNotMatch(e.message, /--/);
        return true;
      });
      await assert.rejects(auditCsv({ ...o, label: 'y_true', sensitive: ['email'], maxGroups: 100 }, EDITOR_TERMS), /more than the limit of 100: .*rml audit --max-groups/);
    });
  });

  describe('in the lint worker', () => {
    let client: LintClient;
    before(async () => {
      client = new LintClient(await workerBundle('lint'), () => undefined);
    });
    after(() => client.dispose());

    it('describes the CSV with personal data masked before it leaves the worker', async () => {
      const d = await client.describe(CSV);
      assert.deepEqual(d.pii.map((p) => p.name), ['email']);
      const email = d.columns.find((c) => c.name === 'email')!;
      assert.ok(email.top.length > 0);
      for (const t of email.top) assert.match(t.value, /^\w?\*\*\*@\w?\*\*\*\.com$/, `masked: ${t.value}`);
      assert.ok(!JSON.stringify(d).includes('@example.com'), 'no e-mail address reaches the host');
      assert.deepEqual(d.sensitive.map((s) => s.name).sort(), ['age_group', 'race', 'sex']);
      const score = d.columns.find((c) => c.name === 'score')!;
      assert.ok(score.min! >= 0 && score.max! <= 1 && score.integer === false);
    });

    it('audits with the same numbers as rml audit --json, and cancels', async () => {
      const picks: AuditPicks = { data: CSV, label: 'y_true', positive: '1', prediction: { kind: 'pred', column: 'y_pred' }, sensitive: ['sex', 'race'], bootstrap: 200 };
      const r = await client.audit(auditOptions(picks));
      const cli = await cliJson(['--data', CSV, '--label', 'y_true', '--positive', '1', '--pred', 'y_pred', '--sensitive', 'sex,race', '--bootstrap', '200', '--seed', '0']);
      assert.deepEqual(JSON.parse(JSON.stringify(r.json.sensitive)), cli.sensitive);
      assert.deepEqual(JSON.parse(JSON.stringify(r.json.overall)), cli.overall);
      assert.ok(r.json.sensitive.sex.demographicParityDifference! > 0.1, 'the fixture is biased against women');
      assert.ok(r.json.sensitive.sex.intervals?.demographicParityDifference, 'bootstrap intervals');
      const abort = new AbortController();
      const p = client.audit(auditOptions({ ...picks, bootstrap: 2000 }), abort.signal);
      abort.abort();
      await assert.rejects(p, (e: unknown) => e instanceof LintError && e.kind === 'cancelled');
    });

    it('cancelling stops a long bootstrap mid-column, so the worker is free for the lint again', async function () {
      // 5,000,000 resamples would keep the worker busy for minutes; the shared flag stops it
      // between two resamples. (Half a second in, the audit is usually inside the bootstrap; if it
      // is not yet, the cancel lands earlier, which this test accepts too.)
      const picks: AuditPicks = { data: CSV, label: 'y_true', positive: '1', prediction: { kind: 'pred', column: 'y_pred' }, sensitive: ['sex'], bootstrap: 5_000_000 };
      const abort = new AbortController();
      const p = client.audit(auditOptions(picks), abort.signal);
      setTimeout(() => abort.abort(), 500);
      await assert.rejects(p, (e: unknown) => e instanceof LintError && e.kind === 'cancelled');
      const d = await client.describe(CSV);
      assert.ok(d.columns.length > 0, 'the worker answers the next request');
    });

    it('reports bad input in the picker\'s terms with the file and line', async () => {
      const picks: AuditPicks = { data: CSV, label: 'y_true', positive: '1', prediction: { kind: 'score', column: 'sex', threshold: 0.5 }, sensitive: ['race'], bootstrap: 0 };
      await assert.rejects(client.audit(auditOptions(picks)), (e: unknown) => {
        assert.ok(e instanceof LintError && e.kind === 'input');
        assert.match(e.message, /predictions\.csv:2:1: the score column 'sex' is not numeric: 'Male' at line 2/);
        return true;
      });
    });
  });
});
