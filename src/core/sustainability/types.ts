/**
 * The JSON shapes of the sustainability figures: a run's energy report (run.json's `energy`)
 * and a pre-run estimate. Pure types with no Node imports, so that the webview can import them.
 *
 * Labelling rule: every energy and CO₂e figure carries `kind: 'measured' | 'estimated'` and a
 * `basis` sentence saying where it came from. A figure is `measured` only when it was read from
 * the hardware's energy counters (RAPL) during the run; everything else is `estimated`.
 */

/** Whether a figure was read from hardware energy counters or computed from a model. */
export type EnergyKind = 'measured' | 'estimated';

/** Where a grid carbon intensity came from, in order of precedence (see carbon.ts). */
export type CarbonIntensityOrigin = 'config' | 'setting' | 'environment' | 'default';

/** A grid carbon intensity and its provenance. */
export interface CarbonIntensity {
  /** Grams of CO₂-equivalent emitted per kWh of electricity consumed. */
  gramsPerKWh: number;
  origin: CarbonIntensityOrigin;
  /** The citation (for the default) or the user's own note on where the figure comes from. */
  source: string;
}

/** CO₂e of an amount of energy: `kWh × gramsPerKWh`. It inherits the energy's kind. */
export interface Co2eFigure {
  grams: number;
  gramsPerKWh: number;
  origin: CarbonIntensityOrigin;
  source: string;
}

/** One row of the TDP table (see cpu.ts), as recorded in a report. */
export interface TdpEntry {
  /** The processor, as it is named in the table. */
  model: string;
  /** Thermal design power, watts. */
  tdpWatts: number;
  /** Physical cores. */
  cores: number;
  /** Where the TDP and core count come from. */
  source: string;
}

/** The processor the figures were computed for, and its per-core power. */
export interface ProcessorSpec {
  /** `model name` from /proc/cpuinfo (or os.cpus()); null when unknown. */
  model: string | null;
  /** Logical CPUs the operating system reports. */
  logicalCpus: number;
  /** The TDP table row that matched `model`; null when none did (the default was used). */
  tdp: TdpEntry | null;
  /** Watts drawn by one fully busy core: TDP ÷ physical cores, or the default. */
  wattsPerCore: number;
  /** One sentence: how `wattsPerCore` was chosen. */
  basis: string;
}

/** Energy of one RAPL domain over the run. */
export interface RaplDomainEnergy {
  /** The powercap zone, e.g. `intel-rapl:0` or `intel-rapl:0:2`. */
  zone: string;
  /** The zone's `name`, e.g. `package-0`, `dram`, `psys`. */
  name: string;
  joules: number;
  /** Times the counter wrapped around `max_energy_range_uj` during the run. */
  wraps: number;
}

/** The TDP-per-core model's figure (see estimate.ts and meter.ts for the formula). */
export interface ModelledEnergy {
  joules: number;
  /** CPU part: CPU-seconds × watts per core. */
  cpuJoules: number;
  /** Memory part: wall seconds × peak resident memory (GB) × watts per GB. */
  memoryJoules: number;
  basis: string;
}

/**
 * run.json's `energy`: what one run consumed. JSON-serialisable; every number is finite.
 *
 * - `kind: 'measured'`: `joules` is the increase of the RAPL energy counters (CPU packages, plus
 *   DRAM where exposed) between the start and the end of the run. RAPL counts the whole machine,
 *   not only this process; `basis` says so.
 * - `kind: 'estimated'`: `joules` is `modelled.joules`, computed from the measured CPU time.
 *
 * `modelled` is present in both cases, so that runs can be compared on the same footing when one
 * was measured and the other was not.
 */
export interface EnergyReport {
  kind: EnergyKind;
  method: 'rapl' | 'tdp-per-core';
  /** The headline energy, joules. */
  joules: number;
  kWh: number;
  /** One or two sentences: how `joules` was obtained and what it covers. */
  basis: string;
  /** Wall-clock seconds between start and stop. */
  wallSeconds: number;
  /**
   * CPU time of the whole process (process.cpuUsage: every thread, worker_threads included)
   * between start and stop, seconds.
   */
  cpu: { userSeconds: number; systemSeconds: number; seconds: number; scope: 'process' };
  /** Peak resident set size of the process, bytes (process.resourceUsage().maxRSS). */
  peakRssBytes: number;
  processor: ProcessorSpec;
  /** The TDP-per-core model's figure (the headline when `kind` is 'estimated'). */
  modelled: ModelledEnergy;
  /** RAPL readings, when `kind` is 'measured'. */
  rapl?: { domains: RaplDomainEnergy[]; samples: number };
  /** CO₂e of `joules` at the grid intensity used. Measured energy gives a measured-energy CO₂e; the intensity is always an assumption. */
  co2e: Co2eFigure;
  /** Why RAPL was not used, caveats (shared process, SMT), in sentences. */
  notes: string[];
}

/** How fast this machine trains: the throughput model behind a pre-run estimate. */
export interface Throughput {
  /** Effective floating-point operations per second of training. */
  flopsPerSecond: number;
  /** Fixed cost per training example (batching, shuffles, bookkeeping), seconds. */
  overheadSecondsPerSample: number;
  /** CPU-seconds per wall second while training (1 = one busy core). */
  cpuPerWall: number;
  /** 'measured': calibrated from a finished run on this machine; 'assumed': the documented default. */
  kind: 'measured' | 'assumed';
  basis: string;
}

/** A pre-run estimate (always `kind: 'estimated'`). */
export interface RunEstimate {
  kind: 'estimated';
  /** FLOPs of one forward pass and of one training step, per example. */
  flopsPerSample: { forward: number; train: number };
  /** Examples processed by training steps (all models: final, baseline, folds). */
  trainingSamples: number;
  /** Examples processed by forward passes only (validation each epoch, test). */
  inferenceSamples: number;
  totalFlops: number;
  /** Wall-clock seconds of training. */
  seconds: number;
  cpuSeconds: number;
  joules: number;
  kWh: number;
  co2e: Co2eFigure;
  /** True when early stopping may end training sooner (the figures are then an upper bound). */
  upperBound: boolean;
  throughput: Throughput;
  processor: ProcessorSpec;
  /** One paragraph: the formula and where each input came from. */
  basis: string;
  /** The assumptions, one per line. */
  assumptions: string[];
}
