/**
 * RML016 unbounded-training: many epochs without early stopping. The time and energy in the
 * message are the pre-run estimate's (`estimateTrainingEnergy`, the figure `rml train` prints
 * before training and the model card records), for this config and the data file's row count.
 */
import { estimateTrainingEnergy, type DataShape } from '../../sustainability/estimate';
import { describeEstimate, formatEnergy } from '../../sustainability/format';
import type { RunEstimate } from '../../sustainability/types';
import type { LintContext } from '../context';
import { ruleMeta, type Rule } from '../rule';
import type { Finding } from '../types';

const meta = ruleMeta(
  'RML016',
  'unbounded-training',
  'info',
  'config',
  'Training runs for many epochs (more than 50) without early stopping.',
  'Every epoch after the validation loss stops improving costs time and energy and drifts towards overfitting, which often hurts the smallest groups first. The message gives the time and energy of the configured training from the same pre-run estimate `rml train` prints and the model card records (FLOPs of the network over the data file\'s rows, TDP-per-core power, the grid intensity of sustainability.carbonIntensity or the default). Add train.earlyStopping (it stops when the validation loss has not improved for `patience` epochs and restores the best weights), or lower train.epochs.',
);

/** The pre-run estimate for this config on the sampled data file, or undefined without data. */
function estimate(ctx: LintContext): RunEstimate | undefined {
  if (!ctx.data) return undefined;
  const target = ctx.target;
  const shape: DataShape = {
    // The rows training uses: those with a target value (the sample's share, over the whole file).
    rows: target && target.labelled < target.column.values.length ? Math.round(ctx.data.totalRows * (target.labelled / target.column.values.length)) : ctx.data.totalRows,
    ...encodedWidth(ctx),
    ...(target && target.task === 'multiclass' ? { classes: target.classes.length } : {}),
  };
  return estimateTrainingEnergy(ctx.config, shape);
}

/**
 * The model's input width as preprocessing makes it (src/core/pipeline/preprocess.ts), on the
 * sample: one input per numeric column, and per categorical column one per value up to
 * preprocess.categorical.maxCategories, plus an "(other)" input beyond that.
 */
function encodedWidth(ctx: LintContext): { encodedFeatures: number } | { features: number } {
  const max = ctx.config.preprocess.categorical.maxCategories;
  let width = 0;
  for (const name of ctx.inputs) {
    const col = ctx.column(name);
    if (!col) return { features: ctx.inputs.length };
    if (col.type === 'numeric') {
      width += 1;
      continue;
    }
    const distinct = new Set<string>();
    for (const v of col.values) if (v !== null) distinct.add(v);
    width += Math.min(distinct.size, max) + (distinct.size > max ? 1 : 0);
  }
  return { encodedFeatures: width };
}

export const rml016: Rule = {
  meta,
  check(ctx: LintContext): Finding[] {
    const epochs = ctx.config.train.epochs;
    if (epochs <= ctx.thresholds.maxEpochs || ctx.config.train.earlyStopping) return [];
    const validation = ctx.config.split.validation;
    const est = estimate(ctx);
    const cost = est
      ? `The pre-run estimate (the one \`rml train\` prints) for this config on ${ctx.data?.totalRows.toLocaleString('en-US')} rows is ${describeEstimate(est)}, about ${formatEnergy(est.joules / epochs)} per epoch; training runs all ${epochs} epochs whether or not the validation loss still improves, drifting towards overfitting.`
      : `Training runs all ${epochs} epochs whether or not the validation loss still improves, costing time and energy (no estimate: the data file could not be read) and drifting towards overfitting.`;
    return [
      ctx.finding(meta, {
        at: ctx.has(['train', 'epochs']) ? ctx.valueRange(['train', 'epochs']) : ctx.anchor(['train', 'epochs']),
        message:
          `train.epochs is ${epochs} with no early stopping. ${cost} ` +
          (validation > 0
            ? 'Add train.earlyStopping (e.g. patience 5 on val_loss, which also restores the best weights), or lower train.epochs.'
            : 'Early stopping needs validation rows (split.validation is 0): set split.validation and train.earlyStopping, or lower train.epochs.'),
        fixes: validation > 0 ? [ctx.setFix('Add train.earlyStopping (patience 5 on val_loss)', ['train', 'earlyStopping'], { patience: 5, metric: 'val_loss' })] : [],
        data: {
          epochs,
          maxEpochs: ctx.thresholds.maxEpochs,
          ...(est ? { estimate: { seconds: est.seconds, joules: est.joules, kWh: est.kWh, co2eGrams: est.co2e.grams, gramsPerKWh: est.co2e.gramsPerKWh } } : {}),
        },
      }),
    ];
  },
};
