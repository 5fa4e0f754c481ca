/**
 * The energy meter of a run:
 *
 *   const meter = startEnergyMeter();
 *   … train and evaluate …
 *   const energy = await meter.stop();   // an EnergyReport, JSON-serialisable (run.json's `energy`)
 *
 * What it records between start and stop:
 * - wall time (performance.now) and the process's CPU time (process.cpuUsage: user + system of
 *   every thread of the process — the main thread, worker_threads, and the thread pools of
 *   tfjs-node and WebAssembly — which is why the process total is used and not one thread's);
 * - energy, **measured** from the RAPL counters when they exist and are readable (rapl.ts),
 *   otherwise **estimated** with the TDP-per-core model of Green Algorithms (Lannelongue et al.
 *   2021, https://doi.org/10.1002/advs.202100707):
 *
 *     E = CPU-seconds × W_core  +  wall-seconds × peak-RSS(GB) × 0.3725 W/GB
 *
 *   where W_core = TDP ÷ physical cores of the processor (cpu.ts) and 0.3725 W/GB is Green
 *   Algorithms' memory power. Using CPU-seconds for "cores × usage × time" makes the usage factor
 *   measured rather than assumed. Not included: GPUs, disks, idle power, and data-centre overhead
 *   (PUE is taken as 1);
 * - CO₂e = kWh × the grid intensity (carbon.ts), with its source.
 *
 * The modelled figure is computed in both cases and kept as `modelled`, so that a measured run and
 * an estimated one can still be compared on the same model.
 */
import { performance } from 'node:perf_hooks';
import { detectProcessor } from './cpu';
import { co2eOf, DEFAULT_CARBON_INTENSITY, joulesToKWh } from './carbon';
import { DEFAULT_POWERCAP_ROOT, discoverRaplZones, RaplAccumulator } from './rapl';
import type { CarbonIntensity, EnergyReport, ModelledEnergy, ProcessorSpec } from './types';

/** Green Algorithms' power draw of memory, watts per GB (Lannelongue et al. 2021). */
export const MEMORY_WATTS_PER_GB = 0.3725;

/** How often the RAPL counters are read during a run, ms (see rapl.ts on wrap-around). */
export const DEFAULT_RAPL_POLL_MS = 10_000;

/** The clocks the meter reads (injectable so tests can fix them). */
export interface MeterClock {
  /** Milliseconds, monotonic. */
  now(): number;
  /** CPU time of the process so far, microseconds (as process.cpuUsage()). */
  cpuUsage(): { user: number; system: number };
  /** Peak resident set size of the process so far, bytes. */
  maxRssBytes(): number;
}

/** The real clocks. */
export const SYSTEM_CLOCK: MeterClock = {
  now: () => performance.now(),
  cpuUsage: () => process.cpuUsage(),
  maxRssBytes: () => process.resourceUsage().maxRSS * 1024,
};

export interface EnergyMeterOptions {
  /** Where powercap zones live (default /sys/class/powercap); null never tries RAPL. */
  powercapRoot?: string | null;
  /** How often RAPL counters are read, ms (default 10 s). */
  pollMs?: number;
  /** The processor (default: detected from /proc/cpuinfo or os.cpus()). */
  processor?: ProcessorSpec;
  /** Grid intensity for CO₂e (default: the IEA world average; see resolveCarbonIntensity). */
  carbonIntensity?: CarbonIntensity;
  /**
   * True when this process also does other work during the run (the editor's extension host):
   * the CPU time, and so the estimate, then includes that work, and a note says so.
   */
  sharedProcess?: boolean;
  clock?: MeterClock;
}

export interface EnergyMeter {
  /** Read the RAPL counters now (the meter also does it on a timer). No-op without RAPL. */
  sample(): void;
  /** Stop the meter and return the report (calling it again returns the same report). */
  stop(): Promise<EnergyReport>;
}

/** Start measuring the run's time and energy (see the module comment). */
export function startEnergyMeter(opts: EnergyMeterOptions = {}): EnergyMeter {
  const clock = opts.clock ?? SYSTEM_CLOCK;
  const processor = opts.processor ?? detectProcessor();
  const intensity = opts.carbonIntensity ?? { ...DEFAULT_CARBON_INTENSITY };
  const notes: string[] = [];
  let rapl: RaplAccumulator | null = null;
  if (opts.powercapRoot === null) {
    notes.push('RAPL was not tried (disabled by the caller).');
  } else {
    const found = discoverRaplZones(opts.powercapRoot ?? DEFAULT_POWERCAP_ROOT);
    if (found.status === 'available') rapl = new RaplAccumulator(found.zones);
    else notes.push(`RAPL unavailable: ${found.reason}.`);
  }
  const t0 = clock.now();
  const c0 = clock.cpuUsage();
  const timer = rapl ? setInterval(() => rapl?.sample(), opts.pollMs ?? DEFAULT_RAPL_POLL_MS) : undefined;
  timer?.unref();
  let report: EnergyReport | undefined;

  return {
    sample: () => rapl?.sample(),
    stop: async () => {
      if (report) return report;
      if (timer) clearInterval(timer);
      rapl?.sample();
      const wallSeconds = Math.max(0, (clock.now() - t0) / 1000);
      const c1 = clock.cpuUsage();
      const userSeconds = Math.max(0, (c1.user - c0.user) / 1e6);
      const systemSeconds = Math.max(0, (c1.system - c0.system) / 1e6);
      report = energyReport({
        wallSeconds,
        cpu: { userSeconds, systemSeconds },
        peakRssBytes: clock.maxRssBytes(),
        processor,
        intensity,
        rapl: rapl ? { domains: rapl.domains(), samples: rapl.samples } : undefined,
        sharedProcess: opts.sharedProcess ?? false,
        notes,
      });
      return report;
    },
  };
}

/** The inputs of a report: what the meter read. */
export interface EnergyReadings {
  wallSeconds: number;
  cpu: { userSeconds: number; systemSeconds: number };
  peakRssBytes: number;
  processor: ProcessorSpec;
  intensity: CarbonIntensity;
  rapl?: EnergyReport['rapl'];
  sharedProcess?: boolean;
  notes?: string[];
}

/**
 * The TDP-per-core model: CPU-seconds × watts per core + wall-seconds × peak RSS (GB) × 0.3725 W/GB.
 */
export function modelEnergy(cpuSeconds: number, wallSeconds: number, peakRssBytes: number, processor: ProcessorSpec): ModelledEnergy {
  const cpuJoules = cpuSeconds * processor.wattsPerCore;
  const gb = peakRssBytes / 1e9;
  const memoryJoules = wallSeconds * gb * MEMORY_WATTS_PER_GB;
  return {
    joules: cpuJoules + memoryJoules,
    cpuJoules,
    memoryJoules,
    basis:
      `CPU time ${num(cpuSeconds)} s × ${num(processor.wattsPerCore)} W per core (${processor.basis}) + ` +
      `peak memory ${num(gb)} GB × ${MEMORY_WATTS_PER_GB} W/GB × ${num(wallSeconds)} s wall (Green Algorithms' memory power, Lannelongue et al. 2021); ` +
      'GPUs, disks, idle power and data-centre overhead (PUE) are not included',
  };
}

/** Builds the report from readings (pure; the meter calls it on stop). */
export function energyReport(r: EnergyReadings): EnergyReport {
  const cpuSeconds = r.cpu.userSeconds + r.cpu.systemSeconds;
  const modelled = modelEnergy(cpuSeconds, r.wallSeconds, r.peakRssBytes, r.processor);
  const notes = [...(r.notes ?? [])];
  if (r.sharedProcess) {
    notes.push('The run shared its process with other work (the editor\'s extension host), so the CPU time, and the estimate built on it, include that work.');
  }
  let measured: { joules: number; basis: string } | undefined;
  if (r.rapl) {
    const joules = r.rapl.domains.reduce((s, d) => s + d.joules, 0);
    if (joules > 0) {
      const names = r.rapl.domains.map((d) => d.name).join(', ');
      const wraps = r.rapl.domains.reduce((s, d) => s + d.wraps, 0);
      measured = {
        joules,
        basis:
          `Measured with the RAPL energy counters (${names}), read ${r.rapl.samples} times over ${num(r.wallSeconds)} s${wraps > 0 ? `, with ${wraps} counter wrap-around${wraps === 1 ? '' : 's'} accounted for` : ''}. ` +
          'RAPL counts the whole machine\'s CPU packages (and memory where a dram domain exists), not only this process; GPUs, disks and power-supply losses are not included.',
      };
    } else {
      notes.push('The RAPL counters did not advance during the run, so the energy is estimated instead.');
    }
  }
  const joules = measured ? measured.joules : modelled.joules;
  return {
    kind: measured ? 'measured' : 'estimated',
    method: measured ? 'rapl' : 'tdp-per-core',
    joules,
    kWh: joulesToKWh(joules),
    basis: measured ? measured.basis : `Estimated, not measured: ${modelled.basis}.`,
    wallSeconds: r.wallSeconds,
    cpu: { userSeconds: r.cpu.userSeconds, systemSeconds: r.cpu.systemSeconds, seconds: cpuSeconds, scope: 'process' },
    peakRssBytes: r.peakRssBytes,
    processor: r.processor,
    modelled,
    ...(measured && r.rapl ? { rapl: r.rapl } : {}),
    co2e: co2eOf(joules, r.intensity),
    notes,
  };
}

function num(x: number): string {
  if (x === 0) return '0';
  const a = Math.abs(x);
  return a >= 100 ? x.toFixed(0) : a >= 1 ? x.toFixed(2) : x.toPrecision(2);
}
