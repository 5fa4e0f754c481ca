/** RML014 no-fairness-check: no sensitive attribute declared, or no thresholds set. */
import type { LintContext } from '../context';
import { ruleMeta, type Rule } from '../rule';
import type { Finding } from '../types';
import { quoteList } from './shared';

const meta = ruleMeta(
  'RML014',
  'no-fairness-check',
  'warning',
  'config',
  'No sensitive attribute is declared (data.sensitive), or no fairness thresholds are set (fairness.thresholds), so fairness is never assessed.',
  'Without declared sensitive attributes the audit has no groups to compare; without thresholds it measures disparities but never fails a run, so a regression goes unnoticed. Declare the protected attributes present in the data and set limits, e.g. demographicParityDifference: 0.1, equalizedOddsDifference: 0.1 and disparateImpactRatio: 0.8 (the four-fifths rule) for classifiers.',
);

/** Starting limits for classifiers (differences are maxima, the ratio a minimum). */
const DEFAULT_LIMITS = { demographicParityDifference: 0.1, equalizedOddsDifference: 0.1, disparateImpactRatio: 0.8 };

export const rml014: Rule = {
  meta,
  check(ctx: LintContext): Finding[] {
    if (ctx.config.data.sensitive.length === 0) {
      const detected = ctx.detected;
      const found = detected.length > 0 ? ` The data has columns that look protected: ${quoteList(detected)}.` : '';
      return [
        ctx.finding(meta, {
          at: ctx.anchor(['data', 'sensitive']),
          message:
            `No sensitive attribute is declared (data.sensitive), so the fairness audit has no groups to compare and fairness is never assessed.${found} ` +
            `Declare the protected attributes present in the data.`,
          fixes: detected.length > 0 ? [ctx.setFix(`Declare ${quoteList(detected)} in data.sensitive`, ['data', 'sensitive'], detected)] : [],
          data: { reason: 'no-sensitive', detected },
        }),
      ];
    }
    const thresholds = ctx.raw(['fairness', 'thresholds']);
    const empty = typeof thresholds !== 'object' || thresholds === null || Object.keys(thresholds).length === 0;
    if (!empty) return [];
    const task = ctx.target?.task ?? (ctx.config.model.type === 'linear' ? 'regression' : ctx.config.data.positive !== undefined ? 'binary' : undefined);
    const regression = task === 'regression';
    return [
      ctx.finding(meta, {
        at: ctx.anchor(['fairness', 'thresholds']),
        message:
          `No fairness thresholds are set (fairness.thresholds), so the audit measures disparities for ${quoteList(ctx.config.data.sensitive)} but never fails a run, and a regression goes unnoticed. ` +
          (regression
            ? 'Set limits on the regression fairness metrics your audit reports.'
            : 'Set limits, e.g. demographicParityDifference: 0.1, equalizedOddsDifference: 0.1 and disparateImpactRatio: 0.8 (the four-fifths rule).'),
        fixes: regression ? [] : [ctx.fix('Add fairness thresholds (demographic parity, equalized odds, four-fifths rule)', ctx.editor.setMany(['fairness', 'thresholds'], DEFAULT_LIMITS))],
        data: { reason: 'no-thresholds' },
      }),
    ];
  },
};
