/** Text for training progress (pure; the training webview uses it too). */
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


/** A number with about two significant digits ("0.35", "12", "1,200"). */
function approx(x: number): string {
  if (!Number.isFinite(x)) return '?';
  if (x === 0) return '0';
  const a = Math.abs(x);
  if (a >= 100) return Math.round(x).toLocaleString('en-US');
  if (a >= 10) return x.toFixed(0);
  if (a >= 1) return x.toFixed(1);
  return x.toPrecision(2);
}

/** "estimated ~12 s, ~0.35 Wh, ~0.16 g CO₂e (estimate)", with "at most" when early stopping may end sooner. */
export function estimateLine(e: EstimateSummary): string {
  const seconds = e.seconds >= 90 ? `~${approx(e.seconds / 60)} min` : `~${approx(e.seconds)} s`;
  return `estimated ${e.upperBound ? 'at most ' : ''}${seconds}, ~${approx(e.kWh * 1000)} Wh, ~${approx(e.co2eGrams)} g CO₂e (estimate)`;
}

/** The summary of the engine's estimate. */
export function summarizeEstimate(e: RunEstimate): EstimateSummary {
  return { seconds: e.seconds, kWh: e.kWh, co2eGrams: e.co2e.grams, gramsPerKWh: e.co2e.gramsPerKWh, upperBound: e.upperBound };
}
