/**
 * CO₂e from energy: grams = kWh × grid carbon intensity (gCO₂e/kWh), the formula of Green
 * Algorithms (Lannelongue et al. 2021) and of CodeCarbon ("C × E", docs/edit/methodology.rst).
 *
 * The intensity is chosen in this order (the first that is set wins):
 * 1. `config`: the training config's `sustainability.carbonIntensity` (a number, or
 *    `{ gramsPerKWh, source }`), so a project records where it trains;
 * 2. `setting`: the editor setting (passed in by the extension);
 * 3. `environment`: the `RML_CARBON_INTENSITY` environment variable (CLI, CI);
 * 4. `default`: the world average below.
 */
import { RmlInputError } from '../errors';
import type { CarbonIntensity, Co2eFigure } from './types';

/** Joules in one kilowatt-hour. */
export const JOULES_PER_KWH = 3.6e6;

/**
 * The default grid intensity: the world average CO₂ intensity of electricity generation in 2024,
 * 445 g CO₂/kWh, from the International Energy Agency's "Electricity 2025" report (February 2025),
 * chapter "Emissions" (https://www.iea.org/reports/electricity-2025/emissions). It counts the CO₂
 * of generation; upstream (life-cycle) emissions and other gases are not included, so as a CO₂e
 * figure it is a lower bound.
 */
export const DEFAULT_CARBON_INTENSITY: Readonly<CarbonIntensity> = Object.freeze({
  gramsPerKWh: 445,
  origin: 'default',
  source:
    'world average, 2024: IEA, Electricity 2025 (February 2025), chapter "Emissions", https://www.iea.org/reports/electricity-2025/emissions (CO₂ of generation only, so a lower bound for CO₂e); set sustainability.carbonIntensity in the config for your grid',
});

/** Highest accepted intensity: no grid exceeds about 1,100 g/kWh; 2,000 leaves room for unusual sources. */
export const MAX_CARBON_INTENSITY = 2000;

/** Energy in joules → kWh. */
export function joulesToKWh(joules: number): number {
  return joules / JOULES_PER_KWH;
}

/** Grams of CO₂e of `joules` at `gramsPerKWh`: joules ÷ 3.6 × 10⁶ × gramsPerKWh. */
export function co2eGrams(joules: number, gramsPerKWh: number): number {
  return joulesToKWh(joules) * gramsPerKWh;
}

/** The CO₂e figure of an energy at an intensity, with the intensity's provenance. */
export function co2eOf(joules: number, intensity: CarbonIntensity): Co2eFigure {
  return { grams: co2eGrams(joules, intensity.gramsPerKWh), gramsPerKWh: intensity.gramsPerKWh, origin: intensity.origin, source: intensity.source };
}

/** Sources of a carbon intensity, as {@link resolveCarbonIntensity} reads them. */
export interface CarbonIntensityInputs {
  /** The parsed config (its raw object): `sustainability.carbonIntensity` is read from it. */
  configRaw?: unknown;
  /** The editor setting, gCO₂e/kWh (undefined or null = unset). */
  setting?: number | null;
  /** Environment variables (default: none; the CLI passes process.env). */
  env?: Readonly<Record<string, string | undefined>>;
}

/** The carbon intensity to use (see the module comment for the order). Bad values throw RmlInputError. */
export function resolveCarbonIntensity(inputs: CarbonIntensityInputs = {}): CarbonIntensity {
  const fromConfig = carbonIntensityFromConfig(inputs.configRaw);
  if (fromConfig) return fromConfig;
  if (inputs.setting !== undefined && inputs.setting !== null) {
    return { gramsPerKWh: checkIntensity(inputs.setting, 'the setting rml.sustainability.carbonIntensity'), origin: 'setting', source: 'the editor setting rml.sustainability.carbonIntensity' };
  }
  const env = inputs.env?.RML_CARBON_INTENSITY;
  if (env !== undefined && env.trim() !== '') {
    return { gramsPerKWh: checkIntensity(Number(env), 'RML_CARBON_INTENSITY'), origin: 'environment', source: 'the environment variable RML_CARBON_INTENSITY' };
  }
  return { ...DEFAULT_CARBON_INTENSITY };
}

/**
 * `sustainability.carbonIntensity` of a raw config object: a number (gCO₂e/kWh) or
 * `{ gramsPerKWh, source? }`; undefined when absent.
 */
export function carbonIntensityFromConfig(raw: unknown): CarbonIntensity | undefined {
  if (!isObject(raw) || !isObject(raw.sustainability)) return undefined;
  const v = raw.sustainability.carbonIntensity;
  if (v === undefined) return undefined;
  if (typeof v === 'number') {
    return { gramsPerKWh: checkIntensity(v, 'sustainability.carbonIntensity'), origin: 'config', source: 'the config (sustainability.carbonIntensity)' };
  }
  if (isObject(v) && typeof v.gramsPerKWh === 'number') {
    const source = typeof v.source === 'string' && v.source.trim() !== '' ? `the config (sustainability.carbonIntensity): ${v.source.trim()}` : 'the config (sustainability.carbonIntensity)';
    return { gramsPerKWh: checkIntensity(v.gramsPerKWh, 'sustainability.carbonIntensity.gramsPerKWh'), origin: 'config', source };
  }
  throw new RmlInputError('sustainability.carbonIntensity must be a number of gCO₂e/kWh or { gramsPerKWh, source }', undefined, 'sustainability.carbonIntensity');
}

function checkIntensity(v: number, what: string): number {
  if (!Number.isFinite(v) || v < 0 || v > MAX_CARBON_INTENSITY) {
    throw new RmlInputError(`${what} must be a carbon intensity in gCO₂e/kWh between 0 and ${MAX_CARBON_INTENSITY} (got ${v})`);
  }
  return v;
}

function isObject(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}
