/** RML010 no-holdout: no test split (or too small a one). */
import type { LintContext } from '../context';
import { ruleMeta, type Rule } from '../rule';
import { count } from '../stats';
import type { Finding } from '../types';

const meta = ruleMeta(
  'RML010',
  'no-holdout',
  'error',
  'config',
  'There is no held-out test split (split.test is 0), it is left to the default, or it would hold too few rows.',
  'Metrics and fairness numbers computed on rows the model was trained or tuned on overstate how it will behave on new people. split.test: 0 is an error; a missing split.test (the engine then holds out 0.2) is a warning, because the holdout should be an explicit, reviewed decision; a test split expected to hold fewer than 30 rows is a warning too. Cross-validation does not replace a final test set.',
);

export const rml010: Rule = {
  meta,
  check(ctx: LintContext): Finding[] {
    const raw = ctx.raw(['split', 'test']);
    const cv = ctx.config.evaluate.crossValidation;
    if (raw === 0) {
      return [
        ctx.finding(meta, {
          at: ctx.valueRange(['split', 'test']),
          message:
            `split.test is 0: no rows are held out, so the test metrics and the fairness audit describe data the model was trained or tuned on and overstate how it will do on new people.` +
            `${cv >= 2 ? ` Cross-validation (${cv} folds) estimates variance but does not replace a final test set.` : ''} Hold out a test split, e.g. split.test: 0.2.`,
          fixes: [ctx.setFix('Set split.test: 0.2', ['split', 'test'], 0.2)],
          data: { reason: 'zero' },
        }),
      ];
    }
    const out: Finding[] = [];
    if (raw === undefined) {
      out.push(
        ctx.finding(meta, {
          at: ctx.anchor(['split', 'test']),
          severity: 'warning',
          message:
            `split.test is not set, so the engine's default holdout (0.2) applies silently. State the test fraction explicitly so that the holdout is a reviewed decision and survives changes of defaults.`,
          fixes: [ctx.setFix('Set split.test: 0.2', ['split', 'test'], 0.2)],
          data: { reason: 'absent' },
        }),
      );
    }
    const total = ctx.data?.totalRows;
    if (total !== undefined) {
      const testRows = Math.round(total * ctx.config.split.test);
      if (testRows < ctx.thresholds.minTestRows) {
        out.push(
          ctx.finding(meta, {
            at: raw === undefined ? ctx.anchor(['split', 'test']) : ctx.valueRange(['split', 'test']),
            severity: 'warning',
            message:
              `split.test ${ctx.config.split.test} of ${count(total)} rows leaves about ${count(testRows)} test ${testRows === 1 ? 'row' : 'rows'}, fewer than ${ctx.thresholds.minTestRows}: a single row moves accuracy by ${testRows > 0 ? (100 / testRows).toFixed(1) : '100'} points, and per-group fairness metrics are noise. Use more data, or a larger test fraction with cross-validation for model selection.`,
            data: { reason: 'small', testRows, rows: total },
          }),
        );
      }
    }
    return out;
  },
};
