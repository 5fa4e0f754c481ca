/** RML016 unbounded-training: many epochs without early stopping. */
import type { LintContext } from '../context';
import { ruleMeta, type Rule } from '../rule';
import type { Finding } from '../types';

const meta = ruleMeta(
  'RML016',
  'unbounded-training',
  'info',
  'config',
  'Training runs for many epochs (more than 50) without early stopping.',
  'Every epoch after the validation loss stops improving costs time and energy and drifts towards overfitting, which often hurts the smallest groups first. Add train.earlyStopping (it stops when the validation loss has not improved for `patience` epochs and restores the best weights), or lower train.epochs.',
);

export const rml016: Rule = {
  meta,
  check(ctx: LintContext): Finding[] {
    const epochs = ctx.config.train.epochs;
    if (epochs <= ctx.thresholds.maxEpochs || ctx.config.train.earlyStopping) return [];
    const validation = ctx.config.split.validation;
    return [
      ctx.finding(meta, {
        at: ctx.has(['train', 'epochs']) ? ctx.valueRange(['train', 'epochs']) : ctx.anchor(['train', 'epochs']),
        message:
          `train.epochs is ${epochs} with no early stopping: training runs every epoch whether or not the validation loss still improves, costing time and energy and drifting towards overfitting. ` +
          (validation > 0
            ? 'Add train.earlyStopping (e.g. patience 5 on val_loss, which also restores the best weights), or lower train.epochs.'
            : 'Early stopping needs validation rows (split.validation is 0): set split.validation and train.earlyStopping, or lower train.epochs.'),
        fixes: validation > 0 ? [ctx.setFix('Add train.earlyStopping (patience 5 on val_loss)', ['train', 'earlyStopping'], { patience: 5, metric: 'val_loss' })] : [],
        data: { epochs, maxEpochs: ctx.thresholds.maxEpochs },
      }),
    ];
  },
};
