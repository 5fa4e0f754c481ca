/** RML009 missing-disparity: missing values concentrate in one group of a sensitive attribute. */
import type { LintContext } from '../context';
import { ruleMeta, type Rule } from '../rule';
import { percent } from '../stats';
import type { Finding, RelatedLocation } from '../types';

const meta = ruleMeta(
  'RML009',
  'missing-disparity',
  'warning',
  'data',
  'Missing values of a column concentrate in one group of a sensitive attribute (at least 2× the rate of the other groups).',
  'Rows with missing values are dropped (preprocess.missing: drop) or filled with a median or mode learned mostly from the other groups (impute), so a group with many missing values is either under-represented in training or described by other groups\' typical values. Compare each feature\'s and the target\'s missing rate per group of every declared or detected sensitive attribute; numeric attributes are cut into quantile bins. Find out why the data is missing for that group, impute per group or add a missing-value indicator, and check the group in the fairness audit.',
);

const MIN_GROUP_ROWS = 20;

export const rml009: Rule = {
  meta,
  check(ctx: LintContext): Finding[] {
    const ratio = ctx.thresholds.missingDisparityRatio;
    const minDiff = ctx.thresholds.missingDisparityMinDifference;
    const columns = [...ctx.inputs, ctx.config.data.target].filter((c, i, a) => a.indexOf(c) === i);
    const out: Finding[] = [];
    for (const name of columns) {
      const col = ctx.column(name);
      if (!col || col.missing === 0) continue;
      let worst: { sensitive: string; group: string; rate: number; rest: number; rows: number; declared: boolean } | undefined;
      for (const s of ctx.sensitiveColumns) {
        if (s.column === name) continue;
        const g = ctx.groups(s.column);
        if (!g) continue;
        const k = g.labels.length;
        const rows = new Array<number>(k).fill(0);
        const miss = new Array<number>(k).fill(0);
        let allRows = 0;
        let allMiss = 0;
        for (let i = 0; i < g.codes.length; i++) {
          const c = g.codes[i];
          if (c < 0) continue;
          rows[c]++;
          allRows++;
          if (col.values[i] === null) {
            miss[c]++;
            allMiss++;
          }
        }
        for (let c = 0; c < k; c++) {
          if (rows[c] < MIN_GROUP_ROWS || allRows - rows[c] < MIN_GROUP_ROWS) continue;
          const rate = miss[c] / rows[c];
          const rest = (allMiss - miss[c]) / (allRows - rows[c]);
          if (rate - rest < minDiff || rate < ratio * rest) continue;
          const score = rest > 0 ? rate / rest : Infinity;
          const worstScore = worst ? (worst.rest > 0 ? worst.rate / worst.rest : Infinity) : -1;
          if (!worst || score > worstScore || (score === worstScore && rate > worst.rate)) {
            worst = { sensitive: s.column, group: g.binned ? g.labels[c] : ctx.display(s.column, g.labels[c]), rate, rest, rows: rows[c], declared: s.declared };
          }
        }
      }
      if (!worst) continue;
      const times = worst.rest > 0 ? `${(worst.rate / worst.rest).toFixed(1)}×` : 'while the other groups have none';
      const how =
        name === ctx.config.data.target
          ? 'Rows without a target are dropped, so this group loses training and test rows at that rate.'
          : ctx.config.preprocess.missing === 'drop'
            ? 'With preprocess.missing: drop these rows are removed, so this group loses training and test rows at that rate.'
            : 'With preprocess.missing: impute they get a median or most frequent value learned mostly from the other groups.';
      const groupText = ctx.groups(worst.sensitive)?.binned ? `the ${worst.group} band` : `the '${worst.group}' group`;
      const related: RelatedLocation[] = [{ ...ctx.headerRange(worst.sensitive), message: `the sensitive attribute '${worst.sensitive}'` }];
      out.push(
        ctx.finding(meta, {
          at: ctx.headerRange(name),
          column: name,
          message:
            `Missing values of '${name}' concentrate in ${groupText} of '${worst.sensitive}': ${percent(worst.rate)} of its sampled rows miss it, against ${percent(worst.rest)} of the other groups (${times}). ${how} ` +
            `Find out why the data is missing for this group, impute per group or add a missing-value indicator, and check the group in the fairness audit.`,
          related,
          data: { sensitive: worst.sensitive, group: worst.group, missingRate: worst.rate, otherRate: worst.rest, groupRows: worst.rows, declared: worst.declared },
        }),
      );
    }
    return out;
  },
};
