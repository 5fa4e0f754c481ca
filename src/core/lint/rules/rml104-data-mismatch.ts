/** RML104 data-mismatch: the config does not fit its data (unknown columns, a target training would refuse). */
import type { LintContext } from '../context';
import { compareLabels } from '../context';
import { suggest } from '../settings';
import { ruleMeta, type Rule } from '../rule';
import { count } from '../stats';
import type { Finding } from '../types';

const meta = ruleMeta(
  'RML104',
  'data-mismatch',
  'error',
  'data',
  'The config does not fit its data: it names a column the file lacks, or its target is one that training would refuse.',
  'Training would stop with an error: a column named in data.target, data.features, data.ignore, data.sensitive or fairness.privileged is not in the CSV header; data.positive does not occur in the target; the target has a single class, two classes without data.positive, or more than 50 classes; or a continuous target meets a logistic model. The finding sits on the config value, with a did-you-mean suggestion for misspelt columns.',
);

export const rml104: Rule = {
  meta,
  check(ctx: LintContext): Finding[] {
    const data = ctx.data;
    if (!data) return [];
    const names = ctx.columns;
    const present = new Set(names);
    const out: Finding[] = [];
    const unknown = (path: (string | number)[], name: string, role: string) => {
      const near = suggest(name, names);
      out.push(
        ctx.finding(meta, {
          at: ctx.valueRange(path),
          message: `${role} names column '${name}', which is not in the data file's header${near ? ` (did you mean '${near}'?)` : ''}; the file has ${names.slice(0, 12).join(', ')}${names.length > 12 ? ', …' : ''}. Training would stop here.`,
          fixes: near ? [ctx.setFix(`Change to '${near}'`, path, near)] : [],
          data: { reason: 'unknown-column', name, ...(near ? { suggestion: near } : {}) },
        }),
      );
    };
    const d = ctx.config.data;
    if (!present.has(d.target)) unknown(['data', 'target'], d.target, 'data.target');
    d.features?.forEach((c, i) => !present.has(c) && unknown(['data', 'features', i], c, 'data.features'));
    d.ignore.forEach((c, i) => !present.has(c) && unknown(['data', 'ignore', i], c, 'data.ignore'));
    d.sensitive.forEach((c, i) => !present.has(c) && unknown(['data', 'sensitive', i], c, 'data.sensitive'));
    for (const c of Object.keys(ctx.config.fairness.privileged)) if (!present.has(c)) unknown(['fairness', 'privileged', c], c, 'fairness.privileged');
    if (!present.has(d.target)) return out;

    const col = ctx.column(d.target);
    if (!col) return out;
    const values = col.values.filter((v): v is string => v !== null);
    if (values.length === 0) {
      out.push(ctx.finding(meta, { at: ctx.valueRange(['data', 'target']), message: `The target '${d.target}' has no values in ${count(col.values.length)} sampled rows: every one is missing.`, data: { reason: 'empty-target' } }));
      return out;
    }
    const distinct = [...new Set(values)].sort(compareLabels);
    const sampledNote = data.sampled ? ` in ${count(data.ds.rowCount)} sampled rows` : '';
    const target = ctx.target;
    if (d.positive !== undefined && ctx.config.model.type !== 'linear') {
      if (!distinct.includes(d.positive)) {
        const near = distinct.find((v) => v.toLowerCase() === d.positive?.toLowerCase() || v.trim() === d.positive?.trim());
        out.push(
          ctx.finding(meta, {
            at: ctx.valueRange(['data', 'positive']),
            severity: data.sampled ? 'warning' : 'error',
            message:
              `data.positive '${d.positive}' does not occur in the target '${d.target}'${sampledNote}; its values are ${distinct.slice(0, 10).map((v) => ctx.display(d.target, v)).join(', ')}${distinct.length > 10 ? ', …' : ''}.` +
              (data.sampled ? ' If the class is that rare, expect unreliable metrics; otherwise it is a typo, and training would stop.' : ' Training would stop here.'),
            fixes: near !== undefined ? [ctx.setFix(`Change to '${near}'`, ['data', 'positive'], near)] : [],
            data: { reason: 'positive-not-found', values: distinct.slice(0, 50).map((v) => ctx.display(d.target, v)) },
          }),
        );
      }
      if (distinct.length < 2) {
        out.push(ctx.finding(meta, { at: ctx.valueRange(['data', 'target']), message: `The target '${d.target}' has a single class ('${distinct[0]}')${sampledNote}; a classifier needs at least two.`, data: { reason: 'single-class' } }));
      }
      return out;
    }
    if (target?.task === 'regression') {
      if (ctx.config.model.type === 'logistic') {
        out.push(
          ctx.finding(meta, {
            at: ctx.has(['model', 'type']) ? ctx.valueRange(['model', 'type']) : ctx.valueRange(['data', 'target']),
            message: `The target '${d.target}' is continuous (regression), but model.type is logistic: use linear or mlp, or set data.positive for a binary task. Training would stop here.`,
            data: { reason: 'regression-with-logistic' },
          }),
        );
      }
      return out;
    }
    if (distinct.length < 2) {
      out.push(ctx.finding(meta, { at: ctx.valueRange(['data', 'target']), message: `The target '${d.target}' has a single class ('${distinct[0]}')${sampledNote}; a classifier needs at least two.`, data: { reason: 'single-class' } }));
    } else if (distinct.length === 2) {
      out.push(
        ctx.finding(meta, {
          at: ctx.valueRange(['data', 'target']),
          message:
            `The target '${d.target}' has two classes (${distinct.join(', ')}) but data.positive is not set, and training refuses to guess: which class is favourable changes every fairness number. Set data.positive to the favourable outcome.`,
          fixes: distinct.map((v) => ctx.setFix(`Set data.positive: ${v}`, ['data', 'positive'], v)),
          data: { reason: 'two-classes-no-positive', classes: distinct },
        }),
      );
    } else if (distinct.length > 50) {
      out.push(
        ctx.finding(meta, {
          at: ctx.valueRange(['data', 'target']),
          message: `The target '${d.target}' has ${count(distinct.length)} classes${sampledNote} (more than 50): is it an identifier or a continuous value? Training would stop here.`,
          data: { reason: 'too-many-classes', classes: distinct.length },
        }),
      );
    }
    return out;
  },
};
