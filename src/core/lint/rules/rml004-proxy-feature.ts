/** RML004 proxy-feature: a feature is strongly associated with a sensitive attribute. */
import type { LintContext } from '../context';
import { ruleMeta, type Rule } from '../rule';
import { contingency, count, cramersV } from '../stats';
import type { Finding, RelatedLocation } from '../types';

const meta = ruleMeta(
  'RML004',
  'proxy-feature',
  'warning',
  'data',
  "A feature is strongly associated with a declared or detected sensitive attribute (bias-corrected Cramér's V ≥ 0.5).",
  "A feature that predicts a protected attribute lets the model discriminate through it even when the attribute itself is excluded (redlining by postcode). The association is bias-corrected Cramér's V (Bergsma 2013) on the sampled rows, with numeric columns of more than 10 distinct values cut into quantile bins. Check the feature's effect with the fairness audit; drop or transform it if it only carries the attribute.",
);

export const rml004: Rule = {
  meta,
  check(ctx: LintContext): Finding[] {
    const limit = ctx.thresholds.proxyCramersV;
    const sensitive = ctx.sensitiveColumns;
    if (sensitive.length === 0) return [];
    const sensitiveNames = new Set(sensitive.map((s) => s.column));
    const out: Finding[] = [];
    for (const feature of ctx.inputs) {
      if (sensitiveNames.has(feature) || ctx.protectedAttribute(feature)) continue; // RML002's business
      if (ctx.pii(feature).length > 0) continue; // RML001's
      const col = ctx.column(feature);
      // A (nearly) unique column has no association left after the bias correction: skip the work.
      if (col && col.type !== 'numeric' && ctx.distinct(feature) > 0.95 * (col.values.length - col.missing)) continue;
      const f = ctx.groups(feature);
      if (!f || f.labels.length < 2) continue;
      const strong: { column: string; declared: boolean; v: number; n: number }[] = [];
      for (const s of sensitive) {
        const g = ctx.groups(s.column);
        if (!g || g.labels.length < 2) continue;
        const r = cramersV(contingency(f.codes, f.labels.length, g.codes, g.labels.length));
        if (r.v !== null && r.v >= limit) strong.push({ column: s.column, declared: s.declared, v: r.v, n: r.n });
      }
      if (strong.length === 0) continue;
      strong.sort((a, b) => b.v - a.v);
      const top = strong[0];
      const shape = f.binned ? `${f.labels.length} quantile bins` : `${f.labels.length} categories`;
      const others = strong.slice(1).map((s) => `'${s.column}' (V = ${s.v.toFixed(2)})`);
      const related: RelatedLocation[] = [{ ...ctx.headerRange(top.column), message: `the sensitive attribute '${top.column}'` }, ...ctx.related(feature)];
      out.push(
        ctx.finding(meta, {
          at: ctx.headerRange(feature),
          column: feature,
          message:
            `Feature '${feature}' is strongly associated with the ${top.declared ? 'sensitive' : 'detected sensitive'} attribute '${top.column}' (bias-corrected Cramér's V = ${top.v.toFixed(2)} on ${count(top.n)} sampled rows, '${feature}' as ${shape})` +
            `${others.length > 0 ? `, and with ${others.join(', ')}` : ''}: the model can learn '${top.column}' through it even though '${top.column}' is not an input. ` +
            `Check its effect in the fairness audit; drop it (data.ignore) or transform it if it only carries the attribute.`,
          related,
          fixes: [ctx.excludeFix(feature)],
          data: { associations: strong.map((s) => ({ column: s.column, declared: s.declared, cramersV: s.v, rows: s.n })), binned: f.binned },
        }),
      );
    }
    return out;
  },
};
