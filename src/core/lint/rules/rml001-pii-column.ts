/** RML001 pii-column: a model input holds personal identifiers. */
import { PII_LABELS } from '../../privacy/pii';
import type { LintContext } from '../context';
import { ruleMeta, type Rule } from '../rule';
import { count, percent } from '../stats';
import type { Finding } from '../types';

const meta = ruleMeta(
  'RML001',
  'pii-column',
  'error',
  'data',
  'A column holds personal identifiers (emails, phone numbers, national ids, cards, IBANs, IP addresses, names, dates of birth, street addresses): an error when it is a model input, a reminder (info) otherwise.',
  'Personal identifiers in the features let a model memorise individuals, make the model itself personal data, and are never needed to predict an outcome. Evidence comes from the header name and from value patterns on a seeded sample; values are only ever shown masked. Exclude the column from the features (data.ignore), and remove it from the data set if you can; a column the model does not use is reported as info, since the file still carries personal data.',
);

export const rml001: Rule = {
  meta,
  check(ctx: LintContext): Finding[] {
    const out: Finding[] = [];
    for (const column of ctx.columns) {
      const input = ctx.isInput(column);
      const matches = ctx.pii(column);
      if (matches.length === 0) continue;
      const m = matches[0];
      const header = m.headerTerm !== undefined ? `, and its name says so too` : '';
      const evidence =
        m.kind === 'person-name'
          ? `${percent(m.share)} of ${count(m.checked)} sampled values are shaped like names and ${percent(m.lexiconShare ?? 0)} contain a common given name or surname`
          : `${percent(m.share)} of ${count(m.checked)} sampled values match`;
      const example = m.example !== undefined ? ` (e.g. ${m.example})` : '';
      const others = matches.slice(1).map((x) => PII_LABELS[x.kind]);
      const also = others.length > 0 ? ` It may also hold ${others.join(', ')}.` : '';
      const role = column === ctx.config.data.target ? 'the target' : ctx.config.data.sensitive.includes(column) ? 'a declared sensitive attribute' : 'not a model input';
      out.push(
        ctx.finding(meta, {
          at: ctx.headerRange(column),
          column,
          // Personal data the model does not use is still personal data in the file: a reminder, not an error.
          ...(input ? {} : { severity: 'info' as const }),
          message: input
            ? `Column '${column}' holds ${m.label}: ${evidence}${example}${header}. It is a model input, so the model can memorise individuals and becomes personal data itself.${also} ` +
              `Exclude it from the features (data.ignore) and drop it from the data if it is not needed.`
            : `Column '${column}' holds ${m.label}: ${evidence}${example}${header}. It is ${role}, but the data file still carries personal data: remove the column from the file if the model does not need it (data minimisation), and keep it out of shared copies.${also}`,
          related: ctx.related(column),
          fixes: input ? [ctx.excludeFix(column)] : [],
          data: {
            used: input,
            kind: m.kind,
            share: m.share,
            matched: m.matched,
            checked: m.checked,
            evidence: m.evidence,
            ...(m.headerTerm !== undefined ? { headerTerm: m.headerTerm } : {}),
            ...(m.lexiconShare !== undefined ? { lexiconShare: m.lexiconShare } : {}),
            ...(m.example !== undefined ? { example: m.example } : {}),
            otherKinds: matches.slice(1).map((x) => x.kind),
          },
        }),
      );
    }
    return out;
  },
};
