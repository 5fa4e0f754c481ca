/**
 * Error analysis: the slices of the evaluation rows where the model is weakest.
 *
 * Slices: per feature, numeric values binned at the unique quantile edges of the rows
 * (numpy.percentile at 1/bins, 2/bins, …; bin b = (q_{b−1}, q_b], plus "is missing"), categorical
 * values one slice each (plus "is missing"); and every intersection of two slices of different
 * features (depth 2). Only slices with at least `minSize` rows, and fewer than all rows, count.
 * A depth-2 slice is reported only when it is worse than both of its depth-1 parents (otherwise
 * it says nothing its parents do not). Slices holding exactly the same rows (e.g. `education` and
 * its numeric recoding `education-num`) are reported once, the first found (depth 1 first, then
 * features in column order); rows are compared through two 32-bit hashes summed per slice.
 *
 * Per slice: classification → errors / size (misclassified rows) with its Wilson 95% interval;
 * regression → mean absolute error with a normal 95% interval. `lift` = value / overall value.
 * `pValue`: one-sided test that the slice is worse than the rest of the rows (two-proportion z
 * test with pooled variance; for means a Welch z test); `significant` applies Bonferroni over
 * every slice tested. Sorted by the lower end of the 95% interval (default: a slice ranks high when
 * it is surely bad, so tiny noisy slices do not crowd out large ones), or by `value`.
 */
import { plainFormatter, type ValueFormatter } from './display';
import type { FeatureColumn, RawTable } from './table';
import { normalSf, quantileSorted, sortedFinite, wilsonInterval, Z95 } from './stats';
import type { ErrorSlices, Slice, SliceCondition } from './types';

export interface SliceOptions {
  /** Default 30. */
  minSize?: number;
  /** Quantile bins per numeric feature. Default 4 (quartiles). */
  bins?: number;
  /** 1 or 2 (default). */
  maxDepth?: number;
  sortBy?: 'lowerBound' | 'value';
  /** Slices returned. Default 10. */
  top?: number;
  formatter?: ValueFormatter;
}

interface Single {
  feature: number;
  code: number;
  condition: SliceCondition;
}

/**
 * The weakest slices. `errors[i]` is 0/1 (misclassified) for classification, or the absolute
 * error |y − ŷ| for regression (`metric` says which).
 */
export function errorSlices(features: FeatureColumn[], table: RawTable, errors: ArrayLike<number>, metric: ErrorSlices['metric'], opts: SliceOptions = {}): ErrorSlices {
  const n = table.n;
  if (errors.length !== n) throw new Error(`errorSlices: ${errors.length} errors for ${n} rows`);
  if (n === 0) throw new Error('errorSlices requires at least one row');
  const minSize = Math.max(1, Math.floor(opts.minSize ?? 30));
  const bins = Math.max(2, Math.floor(opts.bins ?? 4));
  const maxDepth = opts.maxDepth === 1 ? 1 : 2;
  const sortBy = opts.sortBy ?? 'lowerBound';
  const top = Math.max(1, Math.floor(opts.top ?? 10));
  const fmt = opts.formatter ?? plainFormatter(features);

  // Per feature: a slice code per row, and the slices' conditions.
  const codes: Int32Array[] = [];
  const singles: Single[][] = [];
  features.forEach((f, j) => {
    const col = table.cols[j];
    const code = new Int32Array(n);
    const list: Single[] = [];
    if (f.kind === 'numeric') {
      const sorted = sortedFinite(col);
      const edges = sorted.length ? [...new Set(Array.from({ length: bins - 1 }, (_, k) => quantileSorted(sorted, (k + 1) / bins)))].sort((a, b) => a - b) : [];
      const missing = edges.length + 1;
      for (let i = 0; i < n; i++) {
        const v = col[i];
        if (Number.isNaN(v)) code[i] = missing;
        else {
          let b = 0;
          while (b < edges.length && edges[b] < v) b++;
          code[i] = b;
        }
      }
      const t = (v: number) => fmt(j, v).text;
      for (let b = 0; b <= edges.length; b++) {
        const text = edges.length === 0 ? `${f.name} (any value)` : b === 0 ? `${f.name} ≤ ${t(edges[0])}` : b === edges.length ? `${f.name} > ${t(edges[b - 1])}` : `${t(edges[b - 1])} < ${f.name} ≤ ${t(edges[b])}`;
        list.push({ feature: j, code: b, condition: { feature: f.name, text } });
      }
      list.push({ feature: j, code: missing, condition: { feature: f.name, text: `${f.name} is missing` } });
    } else {
      const missing = f.levels.length;
      for (let i = 0; i < n; i++) code[i] = Number.isNaN(col[i]) ? missing : col[i];
      f.levels.forEach((_, c) => list.push({ feature: j, code: c, condition: { feature: f.name, text: `${f.name} = ${fmt(j, c).text}` } }));
      list.push({ feature: j, code: missing, condition: { feature: f.name, text: `${f.name} is missing` } });
    }
    codes.push(code);
    singles.push(list);
  });

  // Two independent 32-bit hashes per row, summed per slice to recognise identical row sets.
  const h1 = new Float64Array(n);
  const h2 = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    h1[i] = mix(i + 1, 0x9e3779b9);
    h2[i] = mix(i + 1, 0x85ebca6b);
  }
  const seenSets = new Set<string>();
  const isNewSet = (size: number, a: number, b: number) => {
    const key = `${size}:${a}:${b}`;
    if (seenSets.has(key)) return false;
    seenSets.add(key);
    return true;
  };
  let total = 0;
  let totalSq = 0;
  for (let i = 0; i < n; i++) {
    total += errors[i];
    totalSq += errors[i] * errors[i];
  }
  const overall = total / n;
  const stats = (size: number, sum: number, sumSq: number) => sliceStats(metric, size, sum, sumSq, n, total, totalSq, overall);

  const candidates: Slice[] = [];
  const parentValue = new Map<string, number>();
  // Depth 1.
  singles.forEach((list, j) => {
    const width = list.length;
    const cnt = new Float64Array(width + 1);
    const sum = new Float64Array(width + 1);
    const sq = new Float64Array(width + 1);
    const ha = new Float64Array(width + 1);
    const hb = new Float64Array(width + 1);
    for (let i = 0; i < n; i++) {
      const c = codes[j][i];
      cnt[c]++;
      sum[c] += errors[i];
      sq[c] += errors[i] * errors[i];
      ha[c] += h1[i];
      hb[c] += h2[i];
    }
    for (const s of list) {
      const size = cnt[s.code];
      if (size < minSize || size >= n) continue;
      const st = stats(size, sum[s.code], sq[s.code]);
      parentValue.set(`${j}:${s.code}`, st.value);
      if (!isNewSet(size, ha[s.code], hb[s.code])) continue;
      candidates.push({ conditions: [s.condition], description: s.condition.text, size, ...st });
    }
  });
  // Depth 2: every pair of features, counted through a contingency table of their codes.
  if (maxDepth === 2) {
    for (let a = 0; a < features.length; a++) {
      for (let b = a + 1; b < features.length; b++) {
        const wa = singles[a].length;
        const wb = singles[b].length;
        const cnt = new Float64Array(wa * wb);
        const sum = new Float64Array(wa * wb);
        const sq = new Float64Array(wa * wb);
        const ha = new Float64Array(wa * wb);
        const hb = new Float64Array(wa * wb);
        for (let i = 0; i < n; i++) {
          const c = codes[a][i] * wb + codes[b][i];
          cnt[c]++;
          sum[c] += errors[i];
          sq[c] += errors[i] * errors[i];
          ha[c] += h1[i];
          hb[c] += h2[i];
        }
        for (const sa of singles[a]) {
          const pa = parentValue.get(`${a}:${sa.code}`);
          if (pa === undefined) continue;
          for (const sb of singles[b]) {
            const pb = parentValue.get(`${b}:${sb.code}`);
            if (pb === undefined) continue;
            const c = sa.code * wb + sb.code;
            const size = cnt[c];
            if (size < minSize || size >= n) continue;
            const st = stats(size, sum[c], sq[c]);
            if (!(st.value > pa && st.value > pb)) continue;
            if (!isNewSet(size, ha[c], hb[c])) continue;
            candidates.push({ conditions: [sa.condition, sb.condition], description: `${sa.condition.text} and ${sb.condition.text}`, size, ...st });
          }
        }
      }
    }
  }
  const tested = candidates.length;
  for (const s of candidates) s.significant = s.pValue < 0.05 / Math.max(1, tested);
  const key = (s: Slice) => (sortBy === 'value' ? s.value : s.lower);
  candidates.sort((x, y) => key(y) - key(x) || y.value - x.value || y.size - x.size || x.description.localeCompare(y.description));
  return { method: 'slices', metric, overall, rows: n, minSize, bins, maxDepth, sortBy, tested, slices: candidates.slice(0, top) };
}

function sliceStats(metric: ErrorSlices['metric'], size: number, sum: number, sumSq: number, n: number, total: number, totalSq: number, overall: number): Omit<Slice, 'conditions' | 'description' | 'size'> {
  const value = sum / size;
  const restN = n - size;
  const restSum = total - sum;
  const restValue = restN > 0 ? restSum / restN : 0;
  const lift = overall > 0 ? value / overall : value > 0 ? Infinity : 1;
  if (metric === 'errorRate') {
    const ci = wilsonInterval(sum, size);
    const pooled = total / n;
    const se = Math.sqrt(pooled * (1 - pooled) * (1 / size + 1 / Math.max(1, restN)));
    const z = se > 0 ? (value - restValue) / se : 0;
    return { errors: sum, value, lower: ci.lower, upper: ci.upper, lift: finite(lift), pValue: se > 0 ? normalSf(z) : 1, significant: false };
  }
  const varS = size > 1 ? Math.max(0, (sumSq - (sum * sum) / size) / (size - 1)) : 0;
  const restSq = totalSq - sumSq;
  const varR = restN > 1 ? Math.max(0, (restSq - (restSum * restSum) / restN) / (restN - 1)) : 0;
  const half = Z95 * Math.sqrt(varS / size);
  const se = Math.sqrt(varS / size + (restN > 0 ? varR / restN : 0));
  const z = se > 0 ? (value - restValue) / se : 0;
  return { value, lower: value - half, upper: value + half, lift: finite(lift), pValue: se > 0 ? normalSf(z) : 1, significant: false };
}

/** A 32-bit integer hash of a positive integer (murmur3's finaliser). */
function mix(v: number, seed: number): number {
  let h = Math.imul(v ^ seed, 0xcc9e2d51);
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

function finite(v: number): number {
  return Number.isFinite(v) ? v : Number.MAX_VALUE;
}
