/** RML006 target-leakage: a single feature predicts the target (almost) perfectly, or is a transform of it. */
import type { LintContext, TargetInfo } from '../context';
import { ruleMeta, type Rule } from '../rule';
import { capCategories, count, crossFittedEncoding, pearson, percent, quantileBins, rocAuc, spearman, type Encoded } from '../stats';
import type { Finding } from '../types';

const meta = ruleMeta(
  'RML006',
  'target-leakage',
  'error',
  'data',
  'A single feature predicts the target almost perfectly on its own (single-feature ROC AUC ≥ 0.98), determines it for a large share of rows, or is a transform of it.',
  'A feature that encodes the label, or is recorded after the outcome (a case closed for reoffending, a call whose duration is known only once it ended), makes test metrics meaningless and breaks in production where the value is not yet known. Each feature is scored alone on the sampled rows: classification by single-feature ROC AUC (values as scores, and a cross-fitted per-value target rate so that identifiers score ≈ 0.5; multiclass one-vs-rest, macro-averaged), regression by rank and linear correlation. A feature is a leak (error) when its AUC or |correlation| reaches 0.98, when it is a one-to-one recoding of the target, or when its values determine the target for at least 30% of the rows; a feature that alone beats all the other features together (AUC ≥ 0.8 and at least 0.01 above a naive-Bayes combination of the others) is reported as a suspected leak (warning). Remove leaks from the features.',
);

interface Score {
  feature: string;
  /** Classification: the best single-feature AUC (≥ 0.5). */
  auc?: number;
  /** Regression: the larger of |Spearman| and |Pearson|. */
  corr?: number;
  /** Groups of feature values that fix the target, and the share of rows in them. */
  pure?: { share: number; groups: { label: string; share: number; cls: string }[] };
  /** A one-to-one recoding of the target: value → class pairs. */
  recoding?: [string, string][];
  /** Binary targets: the cross-fitted positive rate of each labelled row (for the combination of the other features). */
  rates?: Float64Array;
}

export const rml006: Rule = {
  meta,
  check(ctx: LintContext): Finding[] {
    const target = ctx.target;
    if (!target) return [];
    if (target.task !== 'regression' && target.counts.filter((c) => c > 0).length < 2) return [];
    const t = ctx.thresholds;
    const scores: Score[] = [];
    for (const feature of ctx.inputs) {
      if (feature === target.column.name) continue;
      const s = target.task === 'regression' ? regressionScore(ctx, feature, target) : classificationScore(ctx, feature, target);
      if (s) scores.push(s);
    }
    const out: Finding[] = [];
    const n = count(target.labelled);
    const tName = target.column.name;
    const strong = new Set<string>();
    for (const s of scores) {
      const reasons: string[] = [];
      if (s.recoding) reasons.push(`it is a recoding of the target (${s.recoding.slice(0, 4).map(([v, c]) => `${v} → ${c}`).join(', ')}${s.recoding.length > 4 ? ', …' : ''})`);
      if (s.auc !== undefined && s.auc >= t.leakageAuc) reasons.push(`on its own it predicts '${tName}' with ROC AUC ${s.auc.toFixed(3)}`);
      if (s.corr !== undefined && s.corr >= t.leakageCorrelation) reasons.push(`its correlation with '${tName}' is ${s.corr.toFixed(3)} (a transform of the target)`);
      if (s.pure && s.pure.share >= t.leakagePureShare && !s.recoding) {
        const where = s.pure.groups
          .slice(0, 2)
          .map((g) => `where '${s.feature}' ${g.label} (${percent(g.share)} of rows), '${tName}' is always ${g.cls}`)
          .join('; ');
        reasons.push(`it determines the target for ${percent(s.pure.share)} of the rows: ${where}`);
      }
      if (reasons.length === 0) continue;
      strong.add(s.feature);
      out.push(
        ctx.finding(meta, {
          at: ctx.headerRange(s.feature),
          column: s.feature,
          message:
            `Feature '${s.feature}' leaks the target '${tName}': ${reasons.join('; ')} (on ${n} sampled rows). ` +
            `A feature that encodes the label or is recorded after the outcome makes the test metrics meaningless and is not available when predicting. Remove it from the features.`,
          related: [...ctx.related(s.feature), ...ctx.related(tName).filter((r) => r.message.includes('target'))],
          fixes: [ctx.excludeFix(s.feature)],
          data: leakData(s),
        }),
      );
    }
    // A dominant feature: alone it beats all the other features together. Not conclusive (a
    // genuinely strong predictor can do that), so a warning.
    const ranked = scores.filter((s) => s.auc !== undefined && !strong.has(s.feature)).sort((a, b) => (b.auc ?? 0) - (a.auc ?? 0));
    const best = ranked[0];
    if (target.task === 'binary' && best?.rates && (best.auc ?? 0) >= t.leakageSuspectAuc) {
      const others = ranked.slice(1).filter((s) => s.rates);
      const combined = others.length > 0 ? naiveBayesAuc(others.map((s) => s.rates as Float64Array), labelled(ctx, target).y) : undefined;
      if (combined !== undefined && (best.auc ?? 0) - combined >= t.leakageSuspectMargin) {
        out.push(
          ctx.finding(meta, {
            at: ctx.headerRange(best.feature),
            column: best.feature,
            severity: 'warning',
            message:
              `Feature '${best.feature}' predicts the target '${tName}' better on its own than all ${others.length} other features together (ROC AUC ${best.auc?.toFixed(3)} against ${combined.toFixed(3)} for a naive-Bayes combination of the others, on ${n} sampled rows): ` +
              `check that its value is known at prediction time. A value recorded during or after the outcome (the length of the very call whose result is the target, a grade earned after the decision) leaks it. If it is legitimate, silence this for the column with lint.columns.`,
            related: ctx.related(best.feature),
            fixes: [ctx.excludeFix(best.feature)],
            data: { ...leakData(best), suspected: true, othersCombinedAuc: combined, others: others.length },
          }),
        );
      }
    }
    return out;
  },
};

/**
 * ROC AUC of a naive-Bayes combination of features given as cross-fitted positive rates: the sum
 * of each feature's log-odds shift over the prior. Rates are clipped to [0.001, 0.999].
 */
function naiveBayesAuc(rates: Float64Array[], y: Float64Array): number | undefined {
  let pos = 0;
  for (const v of y) pos += v;
  const prior = Math.min(0.999, Math.max(0.001, pos / y.length));
  const base = Math.log(prior / (1 - prior));
  const score = new Float64Array(y.length);
  for (const r of rates) {
    for (let i = 0; i < y.length; i++) {
      const p = Math.min(0.999, Math.max(0.001, r[i]));
      score[i] += Math.log(p / (1 - p)) - base;
    }
  }
  const a = rocAuc(score, y);
  return a === null ? undefined : Math.max(a, 1 - a);
}

function leakData(s: Score): Record<string, unknown> {
  return {
    ...(s.auc !== undefined ? { auc: s.auc } : {}),
    ...(s.corr !== undefined ? { correlation: s.corr } : {}),
    ...(s.pure ? { determinedShare: s.pure.share } : {}),
    ...(s.recoding ? { recoding: Object.fromEntries(s.recoding) } : {}),
  };
}

/** The feature's values as codes for cross-fitting: 20 quantile bins for continuous numbers, else the distinct values. */
function leakEncoding(ctx: LintContext, feature: string): Encoded | undefined {
  return ctx.memoize(`leak:${feature}`, () => {
    const col = ctx.column(feature);
    if (!col) return undefined;
    if (col.type === 'numeric' && col.numbers) {
      const distinct = new Set<number>();
      for (const x of col.numbers) {
        if (x === x) distinct.add(x);
        if (distinct.size > 20) break;
      }
      if (distinct.size > 20) return quantileBins(col.numbers, 20);
    }
    const all = ctx.categories(feature);
    if (!all) return undefined;
    // (Nearly) unique values predict nothing once cross-fitted; only whether a value is present can.
    if (all.labels.length > 0.95 * (col.values.length - col.missing) && all.labels.length > 20) {
      const codes = new Int32Array(all.codes.length);
      for (let i = 0; i < codes.length; i++) codes[i] = all.codes[i] < 0 ? -1 : 0;
      return { codes, labels: ['(a unique value)'], binned: false };
    }
    return capCategories(all, 1000);
  });
}

/** The labelled rows and their labels, once per lint run. */
function labelled(ctx: LintContext, target: TargetInfo): { rows: Int32Array; y: Float64Array; perClass: Float64Array[]; negative: string; folds: Uint8Array } {
  return ctx.memoize('leak:labelled', () => {
    let n = 0;
    for (let i = 0; i < target.y.length; i++) if (target.y[i] === target.y[i]) n++;
    const rows = new Int32Array(n);
    const y = new Float64Array(n);
    n = 0;
    for (let i = 0; i < target.y.length; i++) {
      if (target.y[i] !== target.y[i]) continue;
      rows[n] = i;
      y[n++] = target.y[i];
    }
    const K = target.task === 'binary' ? 2 : target.classes.length;
    const perClass: Float64Array[] = [];
    for (let c = 0; K > 2 && c < K; c++) {
      const yc = new Float64Array(n);
      for (let r = 0; r < n; r++) yc[r] = y[r] === c ? 1 : 0;
      perClass.push(yc);
    }
    return { rows, y, perClass, negative: target.task === 'binary' ? negativeName(target) : '', folds: ctx.folds(n) };
  });
}

function classificationScore(ctx: LintContext, feature: string, target: TargetInfo): Score | undefined {
  const enc = leakEncoding(ctx, feature);
  const col = ctx.column(feature);
  if (!enc || !col) return undefined;
  const { rows, y, perClass, negative, folds } = labelled(ctx, target);
  const codes = new Int32Array(rows.length);
  for (let r = 0; r < rows.length; r++) codes[r] = enc.codes[rows[r]];
  const k = enc.labels.length;
  const K = target.task === 'binary' ? 2 : target.classes.length;

  // Single-feature AUC: cross-fitted target rate, and for continuous numbers the raw values too.
  let auc: number | undefined;
  const aucOf = (scores: ArrayLike<number>, labels: ArrayLike<number>) => {
    const a = rocAuc(scores, labels);
    return a === null ? undefined : Math.max(a, 1 - a);
  };
  let rates: Float64Array | undefined;
  if (K === 2) {
    rates = crossFittedEncoding(codes, k, y, folds);
    auc = aucOf(rates, y);
    if (enc.binned && col.numbers && col.missing <= 0.05 * col.values.length) {
      const nums = col.numbers;
      const x = new Float64Array(rows.length);
      for (let r = 0; r < rows.length; r++) x[r] = nums[rows[r]];
      const raw = aucOf(x, y);
      if (raw !== undefined && (auc === undefined || raw > auc)) auc = raw;
    }
  } else {
    let sum = 0;
    let m = 0;
    for (let c = 0; c < K; c++) {
      const yc = perClass[c];
      const a = aucOf(crossFittedEncoding(codes, k, yc, folds), yc);
      if (a !== undefined) {
        sum += a;
        m++;
      }
    }
    if (m > 0) auc = sum / m;
  }

  // Groups of values (missing included) that fix the class.
  const n = rows.length;
  const table = new Float64Array((k + 1) * K);
  const prior = new Float64Array(K);
  for (let r = 0; r < n; r++) {
    table[(codes[r] < 0 ? k : codes[r]) * K + y[r]]++;
    prior[y[r]]++;
  }
  const priorShare = Array.from(prior, (p) => p / n);
  const clsName = (c: number) => (target.task === 'binary' ? (c === 1 ? target.classes[1] : negative) : target.classes[c]);
  const shown = (g: number) => ctx.display(feature, enc.labels[g]);
  const label = (g: number) => (g === k ? 'is missing' : enc.binned ? `is in ${enc.labels[g]}` : enc.labels[g] === '(a unique value)' ? 'has a value' : `is ${shown(g)}`);
  const groups: { label: string; share: number; cls: string }[] = [];
  let pureRows = 0;
  let expectedOthers = 0;
  let allPure = true;
  let used = 0;
  const mapping: [string, string][] = [];
  const minSize = Math.max(10, 0.01 * n);
  for (let g = 0; g <= k; g++) {
    let size = 0;
    let dom = 0;
    for (let c = 0; c < K; c++) {
      size += table[g * K + c];
      if (table[g * K + c] > table[g * K + dom]) dom = c;
    }
    if (size === 0) continue;
    used++;
    const others = size - table[g * K + dom];
    if (others > 0) allPure = false;
    if (used <= 21) mapping.push([g === k ? '(missing)' : shown(g), clsName(dom)]);
    if (size >= minSize && others <= 0.02 * (1 - priorShare[dom]) * size) {
      pureRows += size;
      expectedOthers += (1 - priorShare[dom]) * size;
      groups.push({ label: label(g), share: size / n, cls: clsName(dom) });
    }
  }
  const s: Score = { feature, ...(auc !== undefined ? { auc } : {}), ...(rates ? { rates } : {}) };
  if (pureRows > 0 && expectedOthers >= 10) s.pure = { share: pureRows / n, groups: groups.sort((a, b) => b.share - a.share) };
  const classesHit = new Set(mapping.map(([, c]) => c)).size;
  if (allPure && !enc.binned && used >= 2 && used <= 20 && classesHit >= 2 && n >= 20) s.recoding = mapping;
  return s;
}

function negativeName(target: TargetInfo): string {
  const values = new Set(target.column.values.filter((v): v is string => v !== null && v !== target.classes[1]));
  return values.size === 1 ? [...values][0] : target.classes[0];
}

function regressionScore(ctx: LintContext, feature: string, target: TargetInfo): Score | undefined {
  const col = ctx.column(feature);
  if (!col) return undefined;
  const rows: number[] = [];
  for (let i = 0; i < target.y.length; i++) if (target.y[i] === target.y[i]) rows.push(i);
  const y = Float64Array.from(rows, (i) => target.y[i]);
  let corr: number | undefined;
  if (col.type === 'numeric' && col.numbers) {
    const x = Float64Array.from(rows, (i) => (col.numbers as Float64Array)[i]);
    const s = spearman(x, y);
    const keep: number[] = [];
    for (let i = 0; i < x.length; i++) if (x[i] === x[i]) keep.push(i);
    const p = pearson(Float64Array.from(keep, (i) => x[i]), Float64Array.from(keep, (i) => y[i]));
    const best = Math.max(Math.abs(s ?? 0), Math.abs(p ?? 0));
    if (s !== null || p !== null) corr = best;
  } else {
    const enc = leakEncoding(ctx, feature);
    if (!enc) return undefined;
    const codes = Int32Array.from(rows, (i) => enc.codes[i]);
    const p = pearson(crossFittedEncoding(codes, enc.labels.length, y, ctx.folds(rows.length)), y);
    if (p !== null) corr = Math.abs(p);
  }
  return corr === undefined ? undefined : { feature, corr };
}
