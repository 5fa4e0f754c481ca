/**
 * Energy counters of the Linux powercap framework: Intel RAPL (`intel-rapl:*`, also used by the
 * kernel for AMD Zen processors) and `amd-rapl:*` where a kernel exposes it.
 * See https://www.kernel.org/doc/html/latest/power/powercap/powercap.html.
 *
 * Each zone directory holds `name` (package-0, core, uncore, dram, psys), `energy_uj` (a counter in
 * microjoules that wraps around at `max_energy_range_uj`) and sub-zones (`intel-rapl:0:0`, …),
 * which /sys/class/powercap also lists at its top level.
 *
 * Which zones are summed, so nothing is counted twice:
 * - every `package-N` zone (a whole CPU socket: cores and uncore, so `core` and `uncore`
 *   sub-zones are left out), plus every `dram` zone (memory, outside the package);
 * - without any package zone, the `psys` zone (the whole SoC, on laptops) instead.
 *
 * Since Linux 5.10, `energy_uj` is readable by root only (CVE-2020-8694, "Platypus"), so on most
 * machines an unprivileged process finds the zones but cannot read them; the meter then falls
 * back to the estimate and says why.
 *
 * Wrap-around: between two reads a counter may wrap once; the delta is then
 * `(max_energy_range_uj − start) + end`. The meter reads every 10 s by default, so a counter
 * cannot wrap twice between reads: kernels report ranges of about 2.6 × 10¹¹ µJ (262 kJ), which
 * takes over four minutes to fill even at 1 kW.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { RaplDomainEnergy } from './types';

/** Where the kernel exposes powercap zones. */
export const DEFAULT_POWERCAP_ROOT = '/sys/class/powercap';

const ZONE = /^(?:intel-rapl|amd-rapl)(?::\d+)+$/;

/** A readable zone that is summed into the total. */
export interface RaplZone {
  /** Directory name, e.g. `intel-rapl:0`. */
  id: string;
  dir: string;
  /** The zone's `name`: `package-0`, `dram`, `psys`, … */
  name: string;
  /** The counter's range, µJ (it wraps to 0 after this). */
  maxEnergyRangeUj: number;
}

/** What discovery found: the zones to sum, or why there are none. */
export type RaplDiscovery =
  | { status: 'available'; zones: RaplZone[] }
  | { status: 'absent' | 'unreadable'; zones: []; reason: string };

/**
 * Find the zones to sum under `root` (see the module comment for which ones), checking that each
 * one's counter can be read.
 */
export function discoverRaplZones(root: string = DEFAULT_POWERCAP_ROOT): RaplDiscovery {
  let entries: string[];
  try {
    entries = readdirSync(root).filter((e) => ZONE.test(e)).sort(compareZoneIds);
  } catch {
    return { status: 'absent', zones: [], reason: `${root} does not exist (no powercap/RAPL interface on this machine, e.g. a virtual machine or a non-Linux system)` };
  }
  if (entries.length === 0) return { status: 'absent', zones: [], reason: `${root} has no intel-rapl or amd-rapl zone` };
  const named = entries.map((id) => ({ id, dir: join(root, id), name: readText(join(root, id, 'name')) ?? '' }));
  const packages = named.filter((z) => /^package-\d+$/.test(z.name));
  const chosen = packages.length > 0 ? named.filter((z) => /^package-\d+$/.test(z.name) || z.name === 'dram') : named.filter((z) => z.name === 'psys');
  if (chosen.length === 0) return { status: 'absent', zones: [], reason: `${root} has RAPL zones but no package, dram or psys domain` };
  const zones: RaplZone[] = [];
  for (const z of chosen) {
    const max = readNumber(join(z.dir, 'max_energy_range_uj'));
    const now = readNumber(join(z.dir, 'energy_uj'));
    if (now === null || max === null) {
      return {
        status: 'unreadable',
        zones: [],
        reason: `${join(z.dir, 'energy_uj')} is not readable by this user (root-only since Linux 5.10, CVE-2020-8694)`,
      };
    }
    zones.push({ ...z, maxEnergyRangeUj: max });
  }
  return { status: 'available', zones };
}

/**
 * The energy between two readings of a counter that wraps at `maxRangeUj`, µJ. A reading lower
 * than the previous one means the counter wrapped (once).
 */
export function counterDelta(startUj: number, endUj: number, maxRangeUj: number): { uj: number; wrapped: boolean } {
  if (endUj >= startUj) return { uj: endUj - startUj, wrapped: false };
  return { uj: maxRangeUj - startUj + endUj, wrapped: true };
}

/**
 * Accumulates the energy of a set of zones over time: call {@link sample} at least once per wrap
 * period (the meter does it on a timer), then read {@link domains}.
 */
export class RaplAccumulator {
  private readonly last: number[];
  private readonly totals: number[];
  private readonly wraps: number[];
  private count = 1;

  constructor(private readonly zones: readonly RaplZone[]) {
    this.last = zones.map((z) => readNumber(join(z.dir, 'energy_uj')) ?? 0);
    this.totals = zones.map(() => 0);
    this.wraps = zones.map(() => 0);
  }

  /** Read every counter and add the energy since the previous reading. Unreadable reads are skipped. */
  sample(): void {
    this.zones.forEach((z, i) => {
      const now = readNumber(join(z.dir, 'energy_uj'));
      if (now === null) return;
      const d = counterDelta(this.last[i], now, z.maxEnergyRangeUj);
      this.totals[i] += d.uj;
      if (d.wrapped) this.wraps[i]++;
      this.last[i] = now;
    });
    this.count++;
  }

  /** Readings taken, the first one included. */
  get samples(): number {
    return this.count;
  }

  /** Energy per zone since construction, joules. */
  domains(): RaplDomainEnergy[] {
    return this.zones.map((z, i) => ({ zone: z.id, name: z.name, joules: this.totals[i] / 1e6, wraps: this.wraps[i] }));
  }
}

function compareZoneIds(a: string, b: string): number {
  const pa = a.split(':').slice(1).map(Number);
  const pb = b.split(':').slice(1).map(Number);
  if (a.split(':')[0] !== b.split(':')[0]) return a < b ? -1 : 1;
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const d = (pa[i] ?? -1) - (pb[i] ?? -1);
    if (d !== 0) return d;
  }
  return 0;
}

function readText(file: string): string | null {
  try {
    return readFileSync(file, 'utf8').trim();
  } catch {
    return null;
  }
}

function readNumber(file: string): number | null {
  const t = readText(file);
  if (t === null || !/^\d+$/.test(t)) return null;
  return Number(t);
}
