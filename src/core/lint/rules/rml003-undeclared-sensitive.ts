/** RML003 undeclared-sensitive: a column looks like a protected attribute but is not in data.sensitive. */
import type { LintContext } from '../context';
import { ruleMeta, type Rule } from '../rule';
import type { Finding } from '../types';
import { describeDetection } from './shared';

const meta = ruleMeta(
  'RML003',
  'undeclared-sensitive',
  'warning',
  'data',
  'A column looks like a protected attribute (sex, race, age, religion, disability, nationality, marital status, pregnancy, sexual orientation) but is not declared in data.sensitive.',
  'Only declared sensitive attributes are audited: a protected attribute left undeclared is never checked for disparities, and stays a model input by default. Detection uses header names and values with an English lexicon and common variants (sex/gender/male/female, race/ethnicity, age/age_cat/age bands, native-country, foreign_worker, marital…). A column is not reported when a declared column already covers the same characteristic (age_group declared covers age).',
);

export const rml003: Rule = {
  meta,
  check(ctx: LintContext): Finding[] {
    const covered = new Set(ctx.declared.map((c) => ctx.protectedAttribute(c)?.category).filter((c) => c !== undefined));
    const out: Finding[] = [];
    for (const column of ctx.detected) {
      const det = ctx.protectedAttribute(column);
      if (!det || covered.has(det.category)) continue;
      const use = ctx.isInput(column) ? ' It is also a model input.' : ctx.config.data.ignore.includes(column) ? ' It is in data.ignore, so it is neither used nor audited.' : '';
      out.push(
        ctx.finding(meta, {
          at: ctx.headerRange(column),
          column,
          message:
            `Column '${column}' looks like a protected attribute (${describeDetection(det)}) but is not declared in data.sensitive, so the fairness audit never compares its groups.${use} ` +
            `Declare it in data.sensitive.`,
          related: ctx.related(column),
          fixes: [ctx.declareFix(column)],
          data: { category: det.category, evidence: det.evidence, ...(det.term !== undefined ? { term: det.term } : {}), ...(det.values ? { values: det.values } : {}) },
        }),
      );
    }
    return out;
  },
};
