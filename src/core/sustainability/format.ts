/**
 * Energy and CO₂e for people, with the measured/estimated label always attached. Shared by the
 * model card, the run comparison and the CLI, so the same figure reads the same everywhere.
 */
import type { Co2eFigure, EnergyKind, EnergyReport, RunEstimate } from './types';

/** Joules as "850 J", "12.4 Wh" (≥ 1 Wh) or "1.25 kWh" (≥ 1 kWh). */
export function formatEnergy(joules: number): string {
  if (!Number.isFinite(joules)) return 'unknown';
  const wh = joules / 3600;
  if (wh >= 1000) return `${sig(wh / 1000)} kWh`;
  if (wh >= 1) return `${sig(wh)} Wh`;
  return `${sig(joules)} J`;
}

/** Grams as "120 mg", "3.4 g" or "1.2 kg". */
export function formatMass(grams: number): string {
  if (!Number.isFinite(grams)) return 'unknown';
  if (grams >= 1000) return `${sig(grams / 1000)} kg`;
  if (grams >= 1 || grams === 0) return `${sig(grams)} g`;
  return `${sig(grams * 1000)} mg`;
}

/** "measured (RAPL)" or "estimated (TDP-per-core model)". */
export function energyLabel(e: Pick<EnergyReport, 'kind' | 'method'> | { kind: EnergyKind; method?: string }): string {
  if (e.kind === 'measured') return 'measured (RAPL energy counters)';
  return e.method === 'tdp-per-core' || e.method === undefined ? 'estimated (TDP-per-core model)' : `estimated (${e.method})`;
}

/** Where an intensity came from, in a few words: "IEA world average 2024 (default)", "from the config". */
export function intensityLabel(c: Pick<Co2eFigure, 'origin'>): string {
  switch (c.origin) {
    case 'default':
      return 'IEA world average 2024, the default';
    case 'config':
      return 'from the config';
    case 'setting':
      return 'from the editor setting';
    case 'environment':
      return 'from RML_CARBON_INTENSITY';
  }
}

/** "3.4 g CO₂e at 445 gCO₂e/kWh (IEA world average 2024, the default)". */
export function describeCo2e(c: Co2eFigure): string {
  return `${formatMass(c.grams)} CO₂e at ${c.gramsPerKWh} gCO₂e/kWh (${intensityLabel(c)})`;
}

/** One line for a run: "12.4 Wh, estimated (TDP-per-core model) · 5.5 g CO₂e at …". */
export function describeEnergy(e: EnergyReport): string {
  return `${formatEnergy(e.joules)}, ${energyLabel(e)} · CPU ${sig(e.cpu.seconds)} s over ${sig(e.wallSeconds)} s wall · ${describeCo2e(e.co2e)}`;
}

/** One line for a pre-run estimate: "≈ 2.1 Wh and 0.9 g CO₂e (estimated, upper bound), about 3.2 min". */
export function describeEstimate(e: RunEstimate): string {
  const minutes = e.seconds >= 120 ? `${sig(e.seconds / 60)} min` : `${sig(e.seconds)} s`;
  return `≈ ${formatEnergy(e.joules)} and ${formatMass(e.co2e.grams)} CO₂e (estimated${e.upperBound ? ', upper bound' : ''}), about ${minutes} of training`;
}

/** Three significant digits, without exponent for everyday magnitudes. */
function sig(x: number): string {
  if (x === 0) return '0';
  const a = Math.abs(x);
  if (a >= 100) return String(Math.round(x));
  return String(Number(x.toPrecision(3)));
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

/**
 * The editor's short form of a pre-run estimate (training notification and view):
 * "estimated ~12 s, ~0.35 Wh, ~0.16 g CO₂e (estimate)", with "at most" when early stopping may end sooner.
 */
export function estimateLine(e: { seconds: number; kWh: number; co2eGrams: number; upperBound: boolean }): string {
  const seconds = e.seconds >= 90 ? `~${approx(e.seconds / 60)} min` : `~${approx(e.seconds)} s`;
  return `estimated ${e.upperBound ? 'at most ' : ''}${seconds}, ~${approx(e.kWh * 1000)} Wh, ~${approx(e.co2eGrams)} g CO₂e (estimate)`;
}
