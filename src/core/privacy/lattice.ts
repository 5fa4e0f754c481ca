/**
 * Equivalence classes over quasi-identifiers and the search of the full-domain generalisation
 * lattice for the least information loss that reaches k-anonymity (and distinct l-diversity).
 *
 * Encoding: every quasi-identifier's value at every hierarchy level is an integer code per row,
 * and `up[j][l]` maps a code at level l to its code at level l+1 (the hierarchies nest, so this
 * is a function).
 *
 * The lattice (Samarati 2001; LeFevre, DeWitt & Ramakrishnan 2005, "Incognito"): a node is one
 * level per quasi-identifier; its height is the sum of the levels. The search visits every node,
 * bottom-up by height, and computes each node's equivalence classes (its frequency set) from
 * those of a node one step lower by merging classes (Incognito's roll-up property) — no pass over
 * the rows after the first. At each node, rows in classes smaller than k (or with fewer than l
 * distinct sensitive values) are suppressed; the node reaches the target when at most
 * `maxSuppression`·n rows are (Samarati's MaxSup). Because every node is evaluated, the node
 * returned is the exact optimum of the loss metric over the lattice:
 * - precision loss (Sweeney 2002, "Achieving k-anonymity privacy protection using generalization
 *   and suppression"): the mean over all cells of level/height, a suppressed row counting as fully
 *   generalised (1 in each of its cells); 0 = the raw data, 1 = everything suppressed;
 * - discernibility (Bayardo & Agrawal 2005): Σ over kept classes of |E|², plus n for each
 *   suppressed row.
 * Ties are broken by the other metric, then by the lower height.
 */
import type { Dataset } from '../data/types';
import { RmlInputError } from '../errors';
import type { Hierarchy } from './hierarchy';

/** The internal label of a missing value (never shown: see `display.ts`). */
export const MISSING_LABEL = '\u0000missing';

/** Codes of every quasi-identifier at every level. */
export interface EncodedQuasiIdentifiers {
  rows: number;
  hierarchies: Hierarchy[];
  /** Highest level of each quasi-identifier. */
  heights: number[];
  /** codes[j][l][row]. */
  codes: Int32Array[][];
  /** labels[j][l][code]. */
  labels: string[][][];
  /** up[j][l][code at l] = code at l+1. */
  up: Int32Array[][];
}

/** Encode the quasi-identifier columns of `ds` at every level of their hierarchies. */
export function encodeQuasiIdentifiers(ds: Dataset, hierarchies: Hierarchy[]): EncodedQuasiIdentifiers {
  const n = ds.rowCount;
  const codes: Int32Array[][] = [];
  const labels: string[][][] = [];
  const up: Int32Array[][] = [];
  for (const h of hierarchies) {
    const col = ds.byName.get(h.column);
    if (!col) throw new Error(`encodeQuasiIdentifiers: no column ${h.column}`);
    const jCodes: Int32Array[] = [];
    const jLabels: string[][] = [];
    // Labels are computed once per distinct raw value, not once per row.
    const rawCodes = new Int32Array(n);
    const rawIndex = new Map<string | null, number>();
    const rawValues: (string | null)[] = [];
    for (let r = 0; r < n; r++) {
      const v = col.values[r];
      let c = rawIndex.get(v);
      if (c === undefined) {
        c = rawValues.length;
        rawIndex.set(v, c);
        rawValues.push(v);
      }
      rawCodes[r] = c;
    }
    for (const level of h.levels) {
      const index = new Map<string, number>();
      const names: string[] = [];
      const ofRaw = new Int32Array(rawValues.length);
      rawValues.forEach((v, i) => {
        const label = v === null ? MISSING_LABEL : level.label(v.trim());
        let c = index.get(label);
        if (c === undefined) {
          c = names.length;
          index.set(label, c);
          names.push(label);
        }
        ofRaw[i] = c;
      });
      const rowCodes = new Int32Array(n);
      for (let r = 0; r < n; r++) rowCodes[r] = ofRaw[rawCodes[r]];
      jCodes.push(rowCodes);
      jLabels.push(names);
    }
    const jUp: Int32Array[] = [];
    for (let l = 0; l + 1 < h.levels.length; l++) {
      const map = new Int32Array(jLabels[l].length).fill(-1);
      const a = jCodes[l];
      const b = jCodes[l + 1];
      for (let r = 0; r < n; r++) {
        const prev = map[a[r]];
        if (prev === -1) map[a[r]] = b[r];
        else if (prev !== b[r]) throw new Error(`the hierarchy of '${h.column}' does not nest between levels ${l} and ${l + 1}`);
      }
      jUp.push(map);
    }
    codes.push(jCodes);
    labels.push(jLabels);
    up.push(jUp);
  }
  return { rows: n, hierarchies, heights: hierarchies.map((h) => h.levels.length - 1), codes, labels, up };
}

/** The equivalence classes of one node, with each row's class. */
export interface NodeClasses {
  levels: number[];
  /** classOf[row]. */
  classOf: Int32Array;
  /** sizes[class]. */
  sizes: Int32Array;
  /** codes[class·m + j]: each class's code per quasi-identifier at the node's levels. */
  codes: Int32Array;
}

/** Equivalence classes of the rows at the given levels (one pass over the rows). */
export function classesAt(enc: EncodedQuasiIdentifiers, levels: readonly number[]): NodeClasses {
  const m = enc.hierarchies.length;
  const keyer = makeKeyer(enc, levels);
  const index = new Map<number | string, number>();
  const classOf = new Int32Array(enc.rows);
  const sizes: number[] = [];
  const codes: number[] = [];
  const rowCodes = levels.map((l, j) => enc.codes[j][l]);
  const tuple = new Int32Array(m);
  for (let r = 0; r < enc.rows; r++) {
    for (let j = 0; j < m; j++) tuple[j] = rowCodes[j][r];
    const key = keyer(tuple);
    let c = index.get(key);
    if (c === undefined) {
      c = sizes.length;
      index.set(key, c);
      sizes.push(0);
      for (let j = 0; j < m; j++) codes.push(tuple[j]);
    }
    classOf[r] = c;
    sizes[c]++;
  }
  return { levels: [...levels], classOf, sizes: Int32Array.from(sizes), codes: Int32Array.from(codes) };
}

/** A key function for code tuples at the given levels: a mixed-radix number when it fits in 2^53, else a string. */
function makeKeyer(enc: EncodedQuasiIdentifiers, levels: readonly number[]): (tuple: Int32Array) => number | string {
  const radix = levels.map((l, j) => enc.labels[j][l].length);
  let product = 1;
  for (const r of radix) product *= Math.max(1, r);
  if (product <= Number.MAX_SAFE_INTEGER) {
    const strides = radix.map((_, j) => radix.slice(0, j).reduce((a, b) => a * Math.max(1, b), 1));
    return (t) => {
      let k = 0;
      for (let j = 0; j < t.length; j++) k += t[j] * strides[j];
      return k;
    };
  }
  return (t) => t.join(',');
}

// ---------------------------------------------------------------------------------------------
// Search

/** What the search must reach. */
export interface SearchTarget {
  k: number;
  /** Distinct l-diversity of `sensitiveCodes` (optional). */
  l?: number;
  /** Sensitive value code per row (missing is a value of its own). Required with `l`. */
  sensitiveCodes?: Int32Array;
  /** Largest share of rows that may be suppressed, in [0, 1). */
  maxSuppression: number;
  metric: 'precision' | 'discernibility';
  /** Refuse lattices with more nodes than this (default 100 000). */
  maxNodes?: number;
}

/** The evaluation of one lattice node. */
export interface NodeEvaluation {
  levels: number[];
  height: number;
  /** Classes before suppression. */
  classes: number;
  /** Classes left after suppression. */
  keptClasses: number;
  /** Rows suppressed (in classes smaller than k or less than l-diverse). */
  suppressed: number;
  /** Smallest kept class (0 when every row is suppressed). */
  k: number;
  /** Smallest distinct sensitive count of a kept class (when l is a target). */
  l?: number;
  /** Whether the node reaches the target within the suppression limit. */
  meets: boolean;
  /** Sweeney's precision loss in [0, 1]. */
  precisionLoss: number;
  /** Bayardo & Agrawal's discernibility. */
  discernibility: number;
  /** Whether no node one step lower meets the target (Incognito's minimal nodes). */
  minimal: boolean;
}

/** The outcome of {@link searchLattice}. */
export interface LatticeSearch {
  /** Nodes in the lattice (= nodes evaluated). */
  nodes: number;
  /** Every node, in visiting order (by height). */
  evaluations: NodeEvaluation[];
  /** The satisfying node of least loss, if any. */
  best?: NodeEvaluation;
}

interface FreqSet {
  codes: Int32Array; // class × m
  counts: Int32Array;
  /** Distinct sensitive codes per class (only with an l target). */
  sens?: Set<number>[];
}

/**
 * Evaluate every node of the lattice (see the module comment) and return the best one.
 * @throws RmlInputError when the lattice has more than `maxNodes` nodes
 */
export function searchLattice(enc: EncodedQuasiIdentifiers, target: SearchTarget): LatticeSearch {
  const m = enc.hierarchies.length;
  const dims = enc.heights.map((h) => h + 1);
  const total = dims.reduce((a, b) => a * b, 1);
  const maxNodes = target.maxNodes ?? 100_000;
  if (total > maxNodes) {
    throw new RmlInputError(
      `the generalization lattice has ${total.toLocaleString('en-US')} nodes (${enc.hierarchies.map((h, j) => `${h.column}: ${dims[j]} levels`).join(', ')}), more than the limit of ${maxNodes.toLocaleString('en-US')}; use fewer quasi-identifiers or shorter hierarchies`,
    );
  }
  if (target.l !== undefined && !target.sensitiveCodes) throw new Error('searchLattice: an l target needs sensitiveCodes');
  const strides = dims.map((_, j) => dims.slice(0, j).reduce((a, b) => a * b, 1));
  const levelsOf = (index: number) => dims.map((d, j) => Math.floor(index / strides[j]) % d);
  const byHeight: number[][] = [];
  for (let i = 0; i < total; i++) {
    const h = levelsOf(i).reduce((a, b) => a + b, 0);
    (byHeight[h] ??= []).push(i);
  }
  const n = enc.rows;
  const limit = Math.floor(target.maxSuppression * n + 1e-9);
  const meets = new Uint8Array(total);
  const evaluations: NodeEvaluation[] = [];
  let previous = new Map<number, FreqSet>();
  for (let h = 0; h < byHeight.length; h++) {
    const current = new Map<number, FreqSet>();
    for (const index of byHeight[h]) {
      const levels = levelsOf(index);
      let fs: FreqSet;
      if (h === 0) {
        fs = baseFreqSet(enc, levels, target.sensitiveCodes, target.l !== undefined);
      } else {
        const j = levels.findIndex((l) => l > 0);
        const pred = previous.get(index - strides[j]);
        if (!pred) throw new Error('searchLattice: missing predecessor');
        fs = rollUp(enc, pred, levels, j);
      }
      current.set(index, fs);
      const ev = evaluate(fs, levels, enc.heights, n, target, limit);
      if (ev.meets) meets[index] = 1;
      let minimal = ev.meets;
      for (let j = 0; j < m && minimal; j++) if (levels[j] > 0 && meets[index - strides[j]]) minimal = false;
      ev.minimal = minimal;
      evaluations.push(ev);
    }
    previous = current;
  }
  const satisfying = evaluations.filter((e) => e.meets);
  satisfying.sort((a, b) => compareLoss(a, b, target.metric));
  return { nodes: total, evaluations, best: satisfying[0] };
}

/** Order by the chosen metric, then the other one, then height, then levels. */
export function compareLoss(a: NodeEvaluation, b: NodeEvaluation, metric: 'precision' | 'discernibility'): number {
  const p = a.precisionLoss - b.precisionLoss;
  const d = a.discernibility - b.discernibility;
  const first = metric === 'precision' ? p : d;
  const second = metric === 'precision' ? d : p;
  if (Math.abs(first) > 1e-12) return first;
  if (Math.abs(second) > 1e-12) return second;
  if (a.height !== b.height) return a.height - b.height;
  for (let j = 0; j < a.levels.length; j++) if (a.levels[j] !== b.levels[j]) return a.levels[j] - b.levels[j];
  return 0;
}

function baseFreqSet(enc: EncodedQuasiIdentifiers, levels: number[], sensitive: Int32Array | undefined, withSens: boolean): FreqSet {
  const c = classesAt(enc, levels);
  const fs: FreqSet = { codes: c.codes, counts: c.sizes };
  if (withSens && sensitive) {
    const sens = Array.from({ length: c.sizes.length }, () => new Set<number>());
    for (let r = 0; r < enc.rows; r++) sens[c.classOf[r]].add(sensitive[r]);
    fs.sens = sens;
  }
  return fs;
}

/** The frequency set one level up in quasi-identifier j, by merging the classes of `pred`. */
function rollUp(enc: EncodedQuasiIdentifiers, pred: FreqSet, levels: number[], j: number): FreqSet {
  const m = levels.length;
  const map = enc.up[j][levels[j] - 1];
  const keyer = makeKeyer(enc, levels);
  const index = new Map<number | string, number>();
  const codes: number[] = [];
  const counts: number[] = [];
  const sens: Set<number>[] | undefined = pred.sens ? [] : undefined;
  const tuple = new Int32Array(m);
  const classes = pred.counts.length;
  for (let c = 0; c < classes; c++) {
    for (let i = 0; i < m; i++) tuple[i] = pred.codes[c * m + i];
    tuple[j] = map[tuple[j]];
    const key = keyer(tuple);
    let t = index.get(key);
    if (t === undefined) {
      t = counts.length;
      index.set(key, t);
      counts.push(0);
      for (let i = 0; i < m; i++) codes.push(tuple[i]);
      if (sens) sens.push(new Set(pred.sens![c]));
    } else if (sens) {
      for (const s of pred.sens![c]) sens[t].add(s);
    }
    counts[t] += pred.counts[c];
  }
  const fs: FreqSet = { codes: Int32Array.from(codes), counts: Int32Array.from(counts) };
  if (sens) fs.sens = sens;
  return fs;
}

function evaluate(fs: FreqSet, levels: number[], heights: number[], n: number, target: SearchTarget, limit: number): NodeEvaluation {
  let suppressed = 0;
  let keptClasses = 0;
  let minK = Infinity;
  let minL = Infinity;
  let dm = 0;
  for (let c = 0; c < fs.counts.length; c++) {
    const size = fs.counts[c];
    const distinct = fs.sens ? fs.sens[c].size : Infinity;
    if (size < target.k || (target.l !== undefined && distinct < target.l)) {
      suppressed += size;
    } else {
      keptClasses++;
      minK = Math.min(minK, size);
      minL = Math.min(minL, distinct);
      dm += size * size;
    }
  }
  dm += suppressed * n;
  const m = levels.length;
  let generalised = 0;
  for (let j = 0; j < m; j++) generalised += heights[j] > 0 ? levels[j] / heights[j] : 0;
  const precisionLoss = m === 0 ? 0 : ((n - suppressed) * generalised + suppressed * m) / (n * m);
  const kept = n - suppressed;
  const ev: NodeEvaluation = {
    levels,
    height: levels.reduce((a, b) => a + b, 0),
    classes: fs.counts.length,
    keptClasses,
    suppressed,
    k: kept > 0 ? minK : 0,
    meets: kept > 0 && suppressed <= limit,
    precisionLoss,
    discernibility: dm,
    minimal: false,
  };
  if (target.l !== undefined) ev.l = kept > 0 ? minL : 0;
  return ev;
}
