/** Text for training progress in the editor (pure); the estimate line itself lives in core/sustainability/format. */
import type { EpochLog } from '../../core/report/types';
import type { RunEstimate } from '../../core/sustainability';
import type { EstimateSummary } from '../../protocol/messages';

export type { EstimateSummary } from '../../protocol/messages';

/** `epoch 3/30 · loss 0.4120 · val loss 0.4050 · val acc 0.851` */
export function epochLine(e: EpochLog): string {
  const parts = [`epoch ${e.epoch}/${e.epochs}`, `loss ${e.loss.toFixed(4)}`];
  if (e.valLoss !== null) parts.push(`val loss ${e.valLoss.toFixed(4)}`);
  if (e.valMetric !== null) parts.push(`val ${e.metricName === 'accuracy' ? 'acc' : 'R²'} ${e.valMetric.toFixed(3)}`);
  return parts.join(' · ');
}

export { estimateLine } from '../../core/sustainability/format';

/** The summary of the engine's estimate. */
export function summarizeEstimate(e: RunEstimate): EstimateSummary {
  return { seconds: e.seconds, kWh: e.kWh, co2eGrams: e.co2e.grams, gramsPerKWh: e.co2e.gramsPerKWh, upperBound: e.upperBound };
}
