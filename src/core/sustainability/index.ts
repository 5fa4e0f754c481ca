/**
 * Sustainability: the energy and CO₂e of runs, measured (RAPL) or estimated (TDP per core), and
 * estimated before a run. See meter.ts, estimate.ts, cpu.ts, rapl.ts and carbon.ts.
 */
export * from './types';
export { startEnergyMeter, energyReport, modelEnergy, MEMORY_WATTS_PER_GB, DEFAULT_RAPL_POLL_MS, SYSTEM_CLOCK, type EnergyMeter, type EnergyMeterOptions, type EnergyReadings, type MeterClock } from './meter';
export { estimateRun, estimateTrainingEnergy, measureThroughput, flopsPerSample, parameterCount, DEFAULT_THROUGHPUT, type RunShape, type DataShape, type EstimateOptions } from './estimate';
export { detectProcessor, processorSpec, lookupTdp, parseCpuInfo, normalizeCpuModel, TDP_TABLE, DEFAULT_WATTS_PER_CORE, type ProcessorOptions } from './cpu';
export { discoverRaplZones, counterDelta, RaplAccumulator, DEFAULT_POWERCAP_ROOT, type RaplZone, type RaplDiscovery } from './rapl';
export {
  resolveCarbonIntensity,
  carbonIntensityFromConfig,
  co2eGrams,
  co2eOf,
  joulesToKWh,
  DEFAULT_CARBON_INTENSITY,
  JOULES_PER_KWH,
  MAX_CARBON_INTENSITY,
  type CarbonIntensityInputs,
} from './carbon';
export { formatEnergy, formatMass, energyLabel, describeEnergy, describeEstimate, describeCo2e, intensityLabel } from './format';
