/** Text for training progress (pure). */
import type { EpochLog } from '../../core/report/types';

/** `epoch 3/30 · loss 0.4120 · val loss 0.4050 · val acc 0.851` */
export function epochLine(e: EpochLog): string {
  const parts = [`epoch ${e.epoch}/${e.epochs}`, `loss ${e.loss.toFixed(4)}`];
  if (e.valLoss !== null) parts.push(`val loss ${e.valLoss.toFixed(4)}`);
  if (e.valMetric !== null) parts.push(`val ${e.metricName === 'accuracy' ? 'acc' : 'R²'} ${e.valMetric.toFixed(3)}`);
  return parts.join(' · ');
}
