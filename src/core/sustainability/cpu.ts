/**
 * Which processor this is, and how many watts one of its cores draws when busy.
 *
 * The per-core power model is Green Algorithms' (Lannelongue, Grealey & Inouye, "Green
 * Algorithms: Quantifying the Carbon Footprint of Computation", Advanced Science 8(12), 2100707,
 * 2021, https://doi.org/10.1002/advs.202100707): a fully used core draws its share of the
 * processor's thermal design power, TDP ÷ physical cores. When the processor is not in the
 * table, Green Algorithms' default for an unknown CPU ("Any") is used: 12 W per core.
 *
 * TDP is the manufacturer's sustained-load power budget, not a measurement; the model ignores
 * idle power and turbo, so it is an approximation (the report says "estimated").
 */
import { readFileSync } from 'node:fs';
import * as os from 'node:os';
import type { ProcessorSpec, TdpEntry } from './types';

/** Green Algorithms' per-core power for an unknown processor ("Any" in TDP_cpu.csv). */
export const DEFAULT_WATTS_PER_CORE = 12;

const GA = 'Green Algorithms TDP_cpu.csv (github.com/GreenAlgorithms/green-algorithms-tool, data/latest)';
const GA_TPU = `${GA}, citing techpowerup.com/cpu-specs`;
const GA_ARK = `${GA}, citing Intel ARK`;
const GA_AMD = `${GA}, citing the AMD EPYC 7002 series datasheet`;
const CC = 'TDP: CodeCarbon cpu_power.csv (github.com/mlco2/codecarbon, codecarbon/data/hardware); cores: the model name and AMD\'s product page';

interface TdpRow extends TdpEntry {
  /** Matched against the normalized model name (see {@link normalizeCpuModel}). */
  pattern: RegExp;
}

/**
 * Common server and desktop processors. TDP in watts and physical cores, with their source.
 * Patterns are tried in order against the normalized `model name`.
 */
export const TDP_TABLE: readonly TdpRow[] = Object.freeze([
  // AMD EPYC (servers and cloud VMs)
  { pattern: /\bEPYC 7763\b/i, model: 'AMD EPYC 7763', tdpWatts: 280, cores: 64, source: CC },
  { pattern: /\bEPYC 7742\b/i, model: 'AMD EPYC 7742', tdpWatts: 225, cores: 64, source: CC },
  { pattern: /\bEPYC 7713\b/i, model: 'AMD EPYC 7713', tdpWatts: 225, cores: 64, source: CC },
  { pattern: /\bEPYC 7543\b/i, model: 'AMD EPYC 7543', tdpWatts: 225, cores: 32, source: CC },
  { pattern: /\bEPYC 7B12\b/i, model: 'AMD EPYC 7B12', tdpWatts: 240, cores: 64, source: CC },
  { pattern: /\bEPYC 7552\b/i, model: 'AMD EPYC 7552', tdpWatts: 200, cores: 48, source: GA_AMD },
  { pattern: /\bEPYC 7251\b/i, model: 'AMD EPYC 7251', tdpWatts: 120, cores: 8, source: `${GA}, citing amd.com` },
  // AMD Ryzen and Threadripper (desktops)
  { pattern: /\bThreadripper 3990X\b/i, model: 'AMD Ryzen Threadripper 3990X', tdpWatts: 280, cores: 64, source: GA_TPU },
  { pattern: /\bThreadripper 2990WX\b/i, model: 'AMD Ryzen Threadripper 2990WX', tdpWatts: 250, cores: 32, source: GA_TPU },
  { pattern: /\bRyzen 9 3950X\b/i, model: 'AMD Ryzen 9 3950X', tdpWatts: 105, cores: 16, source: GA_TPU },
  { pattern: /\bRyzen 9 3900X\b/i, model: 'AMD Ryzen 9 3900X', tdpWatts: 125, cores: 12, source: GA_TPU },
  { pattern: /\bRyzen 7 3700X\b/i, model: 'AMD Ryzen 7 3700X', tdpWatts: 65, cores: 8, source: GA_TPU },
  { pattern: /\bRyzen 7 2700X\b/i, model: 'AMD Ryzen 7 2700X', tdpWatts: 105, cores: 8, source: GA_TPU },
  { pattern: /\bRyzen 5 3600X\b/i, model: 'AMD Ryzen 5 3600X', tdpWatts: 95, cores: 6, source: GA_TPU },
  { pattern: /\bRyzen 5 3600\b/i, model: 'AMD Ryzen 5 3600', tdpWatts: 65, cores: 6, source: GA_TPU },
  // Intel Xeon (servers)
  { pattern: /\bXeon Platinum 9282\b/i, model: 'Intel Xeon Platinum 9282', tdpWatts: 400, cores: 56, source: GA_TPU },
  { pattern: /\bXeon Gold 6252\b/i, model: 'Intel Xeon Gold 6252', tdpWatts: 150, cores: 24, source: GA_ARK },
  { pattern: /\bXeon Gold 6248\b/i, model: 'Intel Xeon Gold 6248', tdpWatts: 150, cores: 20, source: GA_ARK },
  { pattern: /\bXeon Gold 6148\b/i, model: 'Intel Xeon Gold 6148', tdpWatts: 150, cores: 20, source: GA_ARK },
  { pattern: /\bXeon Gold 6142\b/i, model: 'Intel Xeon Gold 6142', tdpWatts: 150, cores: 16, source: GA_ARK },
  { pattern: /\bXeon E5-2699 v4\b/i, model: 'Intel Xeon E5-2699 v4', tdpWatts: 145, cores: 22, source: GA_ARK },
  { pattern: /\bXeon E5-2697 v4\b/i, model: 'Intel Xeon E5-2697 v4', tdpWatts: 145, cores: 18, source: GA_ARK },
  { pattern: /\bXeon E5-2695 v4\b/i, model: 'Intel Xeon E5-2695 v4', tdpWatts: 120, cores: 18, source: GA_ARK },
  { pattern: /\bXeon E5-2683 v4\b/i, model: 'Intel Xeon E5-2683 v4', tdpWatts: 120, cores: 16, source: GA_ARK },
  { pattern: /\bXeon E5-2690 v3\b/i, model: 'Intel Xeon E5-2690 v3', tdpWatts: 135, cores: 12, source: GA_ARK },
  { pattern: /\bXeon E5-2680 v3\b/i, model: 'Intel Xeon E5-2680 v3', tdpWatts: 120, cores: 12, source: GA_ARK },
  { pattern: /\bXeon E5-2660 v3\b/i, model: 'Intel Xeon E5-2660 v3', tdpWatts: 105, cores: 10, source: GA_ARK },
  // Intel Core (desktops)
  { pattern: /\bi9-12900K\b/i, model: 'Intel Core i9-12900K', tdpWatts: 125, cores: 16, source: GA_ARK },
  { pattern: /\bi9-10900K\b/i, model: 'Intel Core i9-10900K', tdpWatts: 125, cores: 10, source: GA_TPU },
  { pattern: /\bi9-9900K\b/i, model: 'Intel Core i9-9900K', tdpWatts: 95, cores: 8, source: GA_TPU },
  { pattern: /\bi7-10700K\b/i, model: 'Intel Core i7-10700K', tdpWatts: 125, cores: 8, source: GA_TPU },
  { pattern: /\bi7-10700\b/i, model: 'Intel Core i7-10700', tdpWatts: 65, cores: 8, source: GA_TPU },
  { pattern: /\bi7-9700K\b/i, model: 'Intel Core i7-9700K', tdpWatts: 95, cores: 8, source: GA_TPU },
  { pattern: /\bi7-8700K\b/i, model: 'Intel Core i7-8700K', tdpWatts: 95, cores: 6, source: GA_TPU },
  { pattern: /\bi7-6700K\b/i, model: 'Intel Core i7-6700K', tdpWatts: 95, cores: 4, source: GA_TPU },
  { pattern: /\bi5-10600K\b/i, model: 'Intel Core i5-10600K', tdpWatts: 95, cores: 6, source: GA_TPU },
  { pattern: /\bi5-10400\b/i, model: 'Intel Core i5-10400', tdpWatts: 65, cores: 6, source: GA_TPU },
  { pattern: /\bi5-9400\b/i, model: 'Intel Core i5-9400', tdpWatts: 65, cores: 6, source: GA_TPU },
  { pattern: /\bi3-10100\b/i, model: 'Intel Core i3-10100', tdpWatts: 65, cores: 4, source: GA_TPU },
]);

/** The model name without trademarks, "CPU", the clock speed and "Processor": "Intel Xeon Gold 6148". */
export function normalizeCpuModel(model: string): string {
  return model
    .replace(/\((?:R|TM|C)\)/gi, ' ')
    .replace(/@\s*[\d.]+\s*[GM]Hz/gi, ' ')
    .replace(/\b(?:CPU|Processor)\b/gi, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

/** The TDP table row for a model name, or null. */
export function lookupTdp(model: string | null | undefined): TdpEntry | null {
  if (!model) return null;
  const name = normalizeCpuModel(model);
  const row = TDP_TABLE.find((r) => r.pattern.test(name));
  return row ? { model: row.model, tdpWatts: row.tdpWatts, cores: row.cores, source: row.source } : null;
}

/** What /proc/cpuinfo says: the first `model name` and the number of `processor` entries. */
export function parseCpuInfo(text: string): { model: string | null; logicalCpus: number } {
  let model: string | null = null;
  let logicalCpus = 0;
  for (const line of text.split('\n')) {
    const m = /^([^:]+?)\s*:\s*(.*)$/.exec(line);
    if (!m) continue;
    const key = m[1].trim().toLowerCase();
    if (key === 'processor') logicalCpus++;
    else if (key === 'model name' && model === null && m[2].trim() !== '') model = m[2].trim();
  }
  return { model, logicalCpus };
}

/** Options of {@link detectProcessor} (injectable for tests). */
export interface ProcessorOptions {
  /** The text of /proc/cpuinfo; default: read it, else fall back to os.cpus(). */
  cpuinfo?: string;
  /** Skip detection: this model name (null = unknown). */
  model?: string | null;
  logicalCpus?: number;
}

/** The processor's model, logical CPUs and per-core power (the TDP table, else the default). */
export function detectProcessor(opts: ProcessorOptions = {}): ProcessorSpec {
  let model: string | null | undefined = opts.model;
  let logicalCpus = opts.logicalCpus;
  if (model === undefined || logicalCpus === undefined) {
    const info = opts.cpuinfo !== undefined ? parseCpuInfo(opts.cpuinfo) : readProcCpuInfo();
    if (model === undefined) model = info?.model ?? osModel();
    if (logicalCpus === undefined) logicalCpus = info && info.logicalCpus > 0 ? info.logicalCpus : Math.max(1, os.cpus().length);
  }
  return processorSpec(model ?? null, logicalCpus);
}

/** The spec for a known model name and CPU count (pure). */
export function processorSpec(model: string | null, logicalCpus: number): ProcessorSpec {
  const tdp = lookupTdp(model);
  if (tdp) {
    const wattsPerCore = tdp.tdpWatts / tdp.cores;
    return {
      model,
      logicalCpus,
      tdp,
      wattsPerCore,
      basis: `${tdp.model}: TDP ${tdp.tdpWatts} W ÷ ${tdp.cores} cores = ${round2(wattsPerCore)} W per core (${tdp.source})`,
    };
  }
  const name = model ? `"${normalizeCpuModel(model)}" is not in the TDP table` : 'the processor model is unknown';
  return {
    model,
    logicalCpus,
    tdp: null,
    wattsPerCore: DEFAULT_WATTS_PER_CORE,
    basis: `${name}: Green Algorithms' default of ${DEFAULT_WATTS_PER_CORE} W per core for an unknown CPU (Lannelongue et al. 2021, TDP_cpu.csv "Any")`,
  };
}

function readProcCpuInfo(): { model: string | null; logicalCpus: number } | null {
  try {
    return parseCpuInfo(readFileSync('/proc/cpuinfo', 'utf8'));
  } catch {
    return null;
  }
}

function osModel(): string | null {
  const m = os.cpus()[0]?.model?.trim();
  return m && m.toLowerCase() !== 'unknown' ? m : null;
}

function round2(x: number): number {
  return Math.round(x * 100) / 100;
}
