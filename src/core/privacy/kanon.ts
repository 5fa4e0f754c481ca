/**
 * k-anonymity and l-diversity of a data set over declared quasi-identifiers, and the
 * generalisation that would reach a target k.
 *
 * Definitions (rows grouped by their quasi-identifier values into equivalence classes; a missing
 * value is a value of its own):
 * - k-anonymity (Samarati & Sweeney 1998): k = the size of the smallest class; the data are
 *   k-anonymous for every k up to it.
 * - distinct l-diversity (Machanavajjhala et al. 2007): l = the fewest distinct values of the
 *   sensitive attribute in any class (missing counts as a value).
 * - entropy l-diversity (same paper): exp(min over classes of the entropy −Σ p·ln p of the
 *   sensitive values in the class); a class of identical values gives 1.
 * - The search: see `lattice.ts` (full-domain generalisation lattice, exhaustive, roll-up of
 *   frequency sets, suppression up to a limit, precision or discernibility loss).
 *
 * PII stays masked: class listings go through `display.ts`, and sensitive values are only counted.
 */
import { unknownColumnError } from '../data/csv';
import type { Dataset } from '../data/types';
import { RmlInputError } from '../errors';
import { displayLabel } from './display';
import { buildHierarchy, type Hierarchy, type QiType, type QuasiIdentifierSpec } from './hierarchy';
import { classesAt, compareLoss, encodeQuasiIdentifiers, searchLattice, type EncodedQuasiIdentifiers, type NodeEvaluation } from './lattice';
import { actionToConfig } from './plan';
import { detectPii, type PiiKind } from './pii';

/** Options of {@link analyzeKAnonymity}. */
export interface KAnonymityOptions {
  /** Target k (default 5). */
  k?: number;
  /** The sensitive attribute for l-diversity. */
  sensitive?: string;
  /** Target distinct l (needs `sensitive`). */
  l?: number;
  /** How many of the smallest classes to list (default 5). */
  smallest?: number;
  /** Search for the generalisation that reaches the target (default true). */
  search?: boolean;
  /** Largest share of rows the search may suppress, in [0, 0.5] (default 0.01). */
  maxSuppression?: number;
  /** Loss minimised by the search (default precision). */
  metric?: 'precision' | 'discernibility';
  /** Largest lattice searched (default 100 000 nodes). */
  maxNodes?: number;
  /** How many other minimal generalisations to list (default 3). */
  alternatives?: number;
}

/** Defaults of {@link KAnonymityOptions}. */
export const K_ANONYMITY_DEFAULTS = Object.freeze({ k: 5, smallest: 5, maxSuppression: 0.01, metric: 'precision' as const, alternatives: 3 });

/** An equivalence class as shown to the user (values masked as `display.ts` says). */
export interface ClassListing {
  size: number;
  /** Quasi-identifier → displayed label. */
  values: Record<string, string>;
  /** Distinct sensitive values in the class (with a sensitive attribute). */
  distinctSensitive?: number;
}

/** l-diversity of the sensitive attribute. */
export interface LDiversityResult {
  sensitive: string;
  /** Distinct l: the fewest distinct sensitive values in a class. */
  l: number;
  /** Entropy l: exp(min class entropy). */
  entropyL: number;
  /** Classes whose members all share one sensitive value (attribute disclosure). */
  singleValuedClasses: number;
  rowsInSingleValuedClasses: number;
  targetL?: number;
  meetsL?: boolean;
  classesBelowL?: number;
  rowsBelowL?: number;
}

/** One generalisation (a lattice node), described for the user. */
export interface GeneralizationNode {
  /** The level used for each quasi-identifier. */
  levels: { column: string; level: number; name: string }[];
  /** Smallest class after suppression. */
  k: number;
  /** Distinct l after suppression (with an l target). */
  l?: number;
  /** Equivalence classes before suppression. */
  classes: number;
  /** Equivalence classes left after suppression. */
  keptClasses: number;
  suppressedRows: number;
  suppressedShare: number;
  /** Sweeney's precision loss in [0, 1]. */
  precisionLoss: number;
  /** Bayardo & Agrawal's discernibility metric. */
  discernibility: number;
}

/** The recommended generalisation, with what to write to reach it. */
export interface RecommendedGeneralization extends GeneralizationNode {
  /** The smallest kept classes at this generalisation. */
  smallest: ClassListing[];
  /**
   * An anonymization config (`columns` for the generalised quasi-identifiers, `suppress` for the
   * rows) that `rml anonymize` applies to produce this generalisation.
   */
  plan: { columns: Record<string, unknown>; suppress: { quasiIdentifiers: string[]; k: number; l?: number; sensitive?: string } };
}

/** The outcome of the generalisation search. */
export interface GeneralizationSearchResult {
  /** How the search works, in one sentence (for reports). */
  method: string;
  metric: 'precision' | 'discernibility';
  targetK: number;
  targetL?: number;
  maxSuppression: number;
  /** ⌊maxSuppression·rows⌋. */
  suppressionLimit: number;
  /** Nodes of the lattice, all evaluated. */
  nodes: number;
  reached: boolean;
  best?: RecommendedGeneralization;
  /** Other minimal generalisations that reach the target, least loss first. */
  alternatives: GeneralizationNode[];
}

/** The k-anonymity report of a data set. */
export interface KAnonymityResult {
  rows: number;
  quasiIdentifiers: { column: string; type: QiType; inferred: boolean; levels: string[]; pii: string[] }[];
  targetK: number;
  /** The data's k (smallest class size). */
  k: number;
  classes: number;
  meetsK: boolean;
  rowsBelowK: number;
  classesBelowK: number;
  /** Classes and rows per class size below the target (size 1, 2, …, k−1). */
  classSizes: { size: number; classes: number; rows: number }[];
  /** The smallest classes, smallest first. */
  smallest: ClassListing[];
  lDiversity?: LDiversityResult;
  search?: GeneralizationSearchResult;
  /** How values are masked in this report. */
  notes: string[];
}

/** The one-sentence description of the search, for reports. */
export const SEARCH_METHOD =
  'exhaustive full-domain generalisation lattice search (Samarati 2001; Incognito, LeFevre et al. 2005): every combination of hierarchy levels is evaluated bottom-up with roll-up of equivalence classes, rows in classes below the target are suppressed up to the limit, and the node of least information loss is chosen';

/**
 * Measure k-anonymity (and l-diversity) over the quasi-identifiers, list the smallest classes
 * (masked), and search the generalisation lattice for the least-loss generalisation reaching
 * the target k.
 * @throws RmlInputError for an unknown or repeated column, a sensitive attribute among the
 *   quasi-identifiers, k < 2, l without a sensitive attribute, a suppression share outside
 *   [0, 0.5], or a lattice over the size limit
 */
export function analyzeKAnonymity(ds: Dataset, quasi: readonly (string | QuasiIdentifierSpec)[], opts: KAnonymityOptions = {}): KAnonymityResult {
  const specs = quasi.map((q) => (typeof q === 'string' ? { column: q } : q));
  const targetK = opts.k ?? K_ANONYMITY_DEFAULTS.k;
  const maxSuppression = opts.maxSuppression ?? K_ANONYMITY_DEFAULTS.maxSuppression;
  const metric = opts.metric ?? K_ANONYMITY_DEFAULTS.metric;
  validate(ds, specs, targetK, maxSuppression, opts);
  const hierarchies = specs.map((s) => buildHierarchy(s, ds.byName.get(s.column)!));
  const kinds = hierarchies.map((h) => piiKindOf(ds, h.column));
  const enc = encodeQuasiIdentifiers(ds, hierarchies);
  const sensitiveCodes = opts.sensitive !== undefined ? encodeColumn(ds, opts.sensitive) : undefined;

  const base = classesAt(enc, hierarchies.map(() => 0));
  const sizes = base.sizes;
  const k = sizes.length ? Math.min(...sizes) : 0;
  let rowsBelowK = 0;
  let classesBelowK = 0;
  const bySize = new Map<number, number>();
  for (const s of sizes) {
    if (s < targetK) {
      rowsBelowK += s;
      classesBelowK++;
      bySize.set(s, (bySize.get(s) ?? 0) + 1);
    }
  }
  const perClass = sensitiveCodes ? sensitiveCounts(base.classOf, sizes.length, sensitiveCodes) : undefined;
  const result: KAnonymityResult = {
    rows: ds.rowCount,
    quasiIdentifiers: hierarchies.map((h, j) => ({ column: h.column, type: h.type, inferred: h.inferred, levels: h.levels.map((l) => l.name), pii: kinds[j] ? [kinds[j]!] : [] })),
    targetK,
    k,
    classes: sizes.length,
    meetsK: k >= targetK,
    rowsBelowK,
    classesBelowK,
    classSizes: [...bySize.entries()].sort((a, b) => a[0] - b[0]).map(([size, classes]) => ({ size, classes, rows: size * classes })),
    smallest: listSmallest(enc, base.levels, base.codes, sizes, kinds, perClass, opts.smallest ?? K_ANONYMITY_DEFAULTS.smallest),
    notes: [
      'zip/postcodes are shown to 3 characters and dates to the year; columns the PII detectors flag are masked; sensitive values are never shown',
      'a missing value is a quasi-identifier value of its own',
    ],
  };
  if (perClass && opts.sensitive !== undefined) result.lDiversity = lDiversity(opts.sensitive, perClass, sizes, opts.l);

  if (opts.search ?? true) {
    const search = searchLattice(enc, { k: targetK, l: opts.l, sensitiveCodes, maxSuppression, metric, maxNodes: opts.maxNodes });
    const describe = (e: NodeEvaluation): GeneralizationNode => {
      const node: GeneralizationNode = {
        levels: e.levels.map((level, j) => ({ column: hierarchies[j].column, level, name: hierarchies[j].levels[level].name })),
        k: e.k,
        classes: e.classes,
        keptClasses: e.keptClasses,
        suppressedRows: e.suppressed,
        suppressedShare: ds.rowCount ? e.suppressed / ds.rowCount : 0,
        precisionLoss: e.precisionLoss,
        discernibility: e.discernibility,
      };
      if (e.l !== undefined) node.l = e.l;
      return node;
    };
    const res: GeneralizationSearchResult = {
      method: SEARCH_METHOD,
      metric,
      targetK,
      maxSuppression,
      suppressionLimit: Math.floor(maxSuppression * ds.rowCount + 1e-9),
      nodes: search.nodes,
      reached: search.best !== undefined,
      alternatives: [],
    };
    if (opts.l !== undefined) res.targetL = opts.l;
    if (search.best) {
      const b = search.best;
      const at = classesAt(enc, b.levels);
      const sens = sensitiveCodes ? sensitiveCounts(at.classOf, at.sizes.length, sensitiveCodes) : undefined;
      const kept = Int32Array.from(at.sizes, (s, c) => (s < targetK || (opts.l !== undefined && sens !== undefined && sens[c].size < opts.l) ? 0 : s));
      const columns: Record<string, unknown> = {};
      b.levels.forEach((level, j) => {
        if (level > 0) setOwn(columns, hierarchies[j].column, actionToConfig(hierarchies[j].levels[level].action));
      });
      const suppress: RecommendedGeneralization['plan']['suppress'] = { quasiIdentifiers: hierarchies.map((h) => h.column), k: targetK };
      if (opts.l !== undefined && opts.sensitive !== undefined) {
        suppress.l = opts.l;
        suppress.sensitive = opts.sensitive;
      }
      res.best = {
        ...describe(b),
        smallest: listSmallest(enc, at.levels, at.codes, kept, kinds, sens, opts.smallest ?? K_ANONYMITY_DEFAULTS.smallest),
        plan: { columns, suppress },
      };
      res.alternatives = search.evaluations
        .filter((e) => e.minimal && e !== b)
        .sort((x, y) => compareLoss(x, y, metric))
        .slice(0, opts.alternatives ?? K_ANONYMITY_DEFAULTS.alternatives)
        .map(describe);
    }
    result.search = res;
  }
  return result;
}

function validate(ds: Dataset, specs: QuasiIdentifierSpec[], k: number, maxSuppression: number, opts: KAnonymityOptions): void {
  if (specs.length === 0) throw new RmlInputError('k-anonymity needs at least one quasi-identifier (e.g. --quasi age,zip,sex)');
  const names = ds.columns.map((c) => c.name);
  const seen = new Set<string>();
  for (const s of specs) {
    if (!ds.byName.has(s.column)) throw unknownColumnError(s.column, names, undefined, 'quasi-identifier');
    if (seen.has(s.column)) throw new RmlInputError(`quasi-identifier '${s.column}' is listed twice`);
    seen.add(s.column);
  }
  if (opts.sensitive !== undefined) {
    if (!ds.byName.has(opts.sensitive)) throw unknownColumnError(opts.sensitive, names, undefined, 'sensitive');
    if (seen.has(opts.sensitive)) throw new RmlInputError(`the sensitive attribute '${opts.sensitive}' is also a quasi-identifier`);
  }
  if (!(Number.isInteger(k) && k >= 2)) throw new RmlInputError(`k must be an integer ≥ 2 (got ${k})`);
  if (opts.l !== undefined) {
    if (!(Number.isInteger(opts.l) && opts.l >= 2)) throw new RmlInputError(`l must be an integer ≥ 2 (got ${opts.l})`);
    if (opts.sensitive === undefined) throw new RmlInputError('an l-diversity target needs a sensitive attribute (--sensitive)');
  }
  if (!(maxSuppression >= 0 && maxSuppression <= 0.5)) throw new RmlInputError(`the suppression limit must be a share between 0 and 0.5 (got ${maxSuppression})`);
}

/** The first PII kind the detectors find in a column, if any. */
function piiKindOf(ds: Dataset, column: string): PiiKind | undefined {
  const col = ds.byName.get(column);
  return col ? detectPii(column, col.values)[0]?.kind : undefined;
}

/** One integer code per row of a column's values (missing is a value of its own). */
function encodeColumn(ds: Dataset, column: string): Int32Array {
  const col = ds.byName.get(column)!;
  const index = new Map<string | null, number>();
  return Int32Array.from(col.values, (v) => {
    let c = index.get(v);
    if (c === undefined) {
      c = index.size;
      index.set(v, c);
    }
    return c;
  });
}

function sensitiveCounts(classOf: Int32Array, classes: number, codes: Int32Array): Map<number, number>[] {
  const out = Array.from({ length: classes }, () => new Map<number, number>());
  for (let r = 0; r < classOf.length; r++) {
    const m = out[classOf[r]];
    m.set(codes[r], (m.get(codes[r]) ?? 0) + 1);
  }
  return out;
}

function lDiversity(sensitive: string, perClass: Map<number, number>[], sizes: Int32Array, target?: number): LDiversityResult {
  let l = Infinity;
  let minEntropy = Infinity;
  let single = 0;
  let singleRows = 0;
  let below = 0;
  let belowRows = 0;
  perClass.forEach((counts, c) => {
    const distinct = counts.size;
    l = Math.min(l, distinct);
    let h = 0;
    for (const n of counts.values()) {
      const p = n / sizes[c];
      h -= p * Math.log(p);
    }
    minEntropy = Math.min(minEntropy, h);
    if (distinct === 1) {
      single++;
      singleRows += sizes[c];
    }
    if (target !== undefined && distinct < target) {
      below++;
      belowRows += sizes[c];
    }
  });
  const r: LDiversityResult = {
    sensitive,
    l: Number.isFinite(l) ? l : 0,
    entropyL: Number.isFinite(minEntropy) ? Math.exp(minEntropy) : 0,
    singleValuedClasses: single,
    rowsInSingleValuedClasses: singleRows,
  };
  if (target !== undefined) {
    r.targetL = target;
    r.meetsL = r.l >= target;
    r.classesBelowL = below;
    r.rowsBelowL = belowRows;
  }
  return r;
}

/** The `count` smallest classes with a non-zero size, smallest first (ties in first-seen order). */
function listSmallest(
  enc: EncodedQuasiIdentifiers,
  levels: readonly number[],
  codes: Int32Array,
  sizes: Int32Array,
  kinds: (PiiKind | undefined)[],
  perClass: Map<number, number>[] | undefined,
  count: number,
): ClassListing[] {
  const m = enc.hierarchies.length;
  const order = Array.from(sizes.keys()).filter((c) => sizes[c] > 0);
  order.sort((a, b) => sizes[a] - sizes[b] || a - b);
  return order.slice(0, count).map((c) => {
    const values: Record<string, string> = {};
    enc.hierarchies.forEach((h: Hierarchy, j) => {
      const label = enc.labels[j][levels[j]][codes[c * m + j]];
      setOwn(values, h.column, displayLabel(h, levels[j], label, kinds[j]));
    });
    const listing: ClassListing = { size: sizes[c], values };
    if (perClass) listing.distinctSensitive = perClass[c].size;
    return listing;
  });
}

/** obj[key] = value as an own enumerable property, even for `__proto__`. */
function setOwn(obj: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(obj, key, { value, enumerable: true, writable: true, configurable: true });
}
