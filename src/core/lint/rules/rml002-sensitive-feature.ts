/** RML002 sensitive-feature: a declared or detected sensitive attribute is a model input. */
import type { LintContext } from '../context';
import { ruleMeta, type Rule } from '../rule';
import { describeDetection } from './shared';
import type { Finding, Fix } from '../types';

const meta = ruleMeta(
  'RML002',
  'sensitive-feature',
  'warning',
  'data',
  'A declared or detected sensitive attribute is a model input.',
  'Using a protected attribute such as sex, race or age directly as an input is disparate treatment in most jurisdictions and lets the model base decisions on group membership. Keep sensitive attributes out of the features (they are still audited when declared in data.sensitive), unless you have a documented, lawful reason; then silence the finding for that column with lint.columns.',
);

export const rml002: Rule = {
  meta,
  check(ctx: LintContext): Finding[] {
    const out: Finding[] = [];
    const declared = new Set(ctx.config.data.sensitive);
    for (const column of ctx.inputs) {
      if (declared.has(column)) {
        out.push(
          ctx.finding(meta, {
            at: ctx.headerRange(column),
            column,
            message:
              `Column '${column}' is declared sensitive (data.sensitive) but is listed in data.features, so the model uses it directly: decisions can depend on group membership itself (disparate treatment). ` +
              `Remove it from data.features; it stays audited as a sensitive attribute.`,
            related: ctx.related(column),
            fixes: [ctx.excludeFix(column)],
            data: { declared: true },
          }),
        );
        continue;
      }
      const det = ctx.protectedAttribute(column);
      if (!det) continue;
      out.push(
        ctx.finding(meta, {
          at: ctx.headerRange(column),
          column,
          message:
            `Column '${column}' looks like a protected attribute (${describeDetection(det)}) and is a model input, so decisions can depend on ${det.label} directly (disparate treatment). ` +
            `Declare it in data.sensitive (which also takes it out of the default features) or exclude it; if using it is lawful and intended, silence this for the column with lint.columns.`,
          related: ctx.related(column),
          fixes: [declareAndDrop(ctx, column), ctx.excludeFix(column)],
          data: { declared: false, category: det.category, evidence: det.evidence },
        }),
      );
    }
    return out;
  },
};

/** Declare the column sensitive; with an explicit feature list, also take it out of the list. */
function declareAndDrop(ctx: LintContext, column: string): Fix | undefined {
  const features = ctx.config.data.features;
  const i = features ? features.indexOf(column) : -1;
  if (!features || i < 0) return ctx.declareFix(column);
  if (features.length < 2) return undefined;
  return ctx.fix(
    `Declare '${column}' in data.sensitive and remove it from data.features`,
    ctx.editor.addToList(['data', 'sensitive'], column),
    ctx.editor.removeFromList(['data', 'features'], i),
  );
}
