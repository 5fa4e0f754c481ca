/** RML007 class-imbalance: the minority class share is below 10%. */
import type { LintContext } from '../context';
import { ruleMeta, type Rule } from '../rule';
import { count, percent } from '../stats';
import type { Finding } from '../types';

const meta = ruleMeta(
  'RML007',
  'class-imbalance',
  'warning',
  'data',
  'The minority class is less than 10% of the rows, and no class weighting is configured.',
  'With a rare class, accuracy rewards a model that ignores it, and per-group metrics of that class rest on few rows. Weight the classes (train.classWeight: balanced), judge the model on balanced accuracy, recall and precision, and check that the rare class has enough rows in every group. The rule is quiet once train.classWeight is set.',
);

export const rml007: Rule = {
  meta,
  check(ctx: LintContext): Finding[] {
    const target = ctx.target;
    if (!target || target.task === 'regression' || ctx.config.train.classWeight !== undefined) return [];
    const n = target.labelled;
    let minority = -1;
    for (let c = 0; c < target.counts.length; c++) {
      if (target.counts[c] > 0 && (minority < 0 || target.counts[c] < target.counts[minority])) minority = c;
    }
    if (minority < 0 || target.counts.filter((x) => x > 0).length < 2) return [];
    const share = target.counts[minority] / n;
    if (share >= ctx.thresholds.minorityClassShare) return [];
    const name = target.task === 'binary' ? (minority === 1 ? target.classes[1] : target.classes[0]) : target.classes[minority];
    const tName = target.column.name;
    return [
      ctx.finding(meta, {
        at: ctx.headerRange(tName),
        column: tName,
        message:
          `The classes of '${tName}' are imbalanced: '${name}' is ${percent(share)} of ${count(n)} sampled rows (${count(target.counts[minority])}), below ${percent(ctx.thresholds.minorityClassShare)}. ` +
          `Accuracy then rewards a model that ignores it, and group metrics of that class rest on few rows. Set train.classWeight: balanced and judge the model on balanced accuracy, recall and precision.`,
        related: ctx.related(tName),
        fixes: [ctx.setFix('Set train.classWeight: balanced', ['train', 'classWeight'], 'balanced')],
        data: { minorityClass: name, share, rows: target.counts[minority], sampledRows: n },
      }),
    ];
  },
};
