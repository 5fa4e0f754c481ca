/**
 * What the editor's Explain view shows, computed without a DOM (unit-tested): number formatting
 * that never prints NaN, the SHAP waterfall's steps, the row picker's filters and navigation, and
 * the charts (hand-drawn SVG node trees in the style of src/core/report/svg.ts: classes, never
 * colours; a title and a desc stating the numbers).
 */
import { n2, niceTicks, text, tickLabel, type SvgNode } from '../report/svg';
import type { KernelShapResult, LimeResult, PartialDependence, PermutationImportance } from './types';

/** A number for people: fixed decimals, a real minus sign, and "—" for anything not finite. */
export function fmt(v: number | null | undefined, digits = 4): string {
  if (typeof v !== 'number' || !Number.isFinite(v)) return '—';
  const a = Math.abs(v);
  const s = a !== 0 && (a < 10 ** -digits || a >= 1e6) ? a.toExponential(1) : a.toFixed(digits);
  return (v < 0 && Number(s) !== 0 ? '−' : '') + s;
}

/** A signed contribution: "+0.0123" / "−0.0045". */
export function signed(v: number | null | undefined, digits = 4): string {
  if (typeof v !== 'number' || !Number.isFinite(v)) return '—';
  return (v >= 0 ? '+' : '') + fmt(v, digits);
}

/** Every number in a JSON value is finite (what the view relies on; JSON turns NaN into null). */
export function allFinite(x: unknown, at = '$'): string | undefined {
  if (typeof x === 'number') return Number.isFinite(x) ? undefined : at;
  if (Array.isArray(x)) {
    for (let i = 0; i < x.length; i++) {
      const bad = allFinite(x[i], `${at}[${i}]`);
      if (bad) return bad;
    }
  } else if (x && typeof x === 'object') {
    for (const [k, v] of Object.entries(x)) {
      const bad = allFinite(v, `${at}.${k}`);
      if (bad) return bad;
    }
  }
  return undefined;
}

// ---------------------------------------------------------------------------------------------
// The row picker

export type RowFilter = 'all' | 'misclassified' | 'correct';

export interface PickerRow {
  row: number;
  actual: string;
  predicted: string;
}

/** Whether the recorded decision differs from the label (never for an unlabelled row). */
export function misclassified(r: PickerRow): boolean {
  return r.actual !== '' && r.actual !== r.predicted;
}

export function filterRows<T extends PickerRow>(rows: readonly T[], filter: RowFilter): T[] {
  if (filter === 'all') return [...rows];
  return rows.filter((r) => misclassified(r) === (filter === 'misclassified'));
}

/**
 * The row to go to from `current` within the filtered rows (in predictions.csv order): the next
 * or previous one, wrapping around; from a row outside the filter, the first one after it.
 */
export function stepRow<T extends PickerRow>(all: readonly T[], filter: RowFilter, current: number | undefined, step: 1 | -1): T | undefined {
  const rows = filterRows(all, filter);
  if (rows.length === 0) return undefined;
  const at = rows.findIndex((r) => r.row === current);
  if (at >= 0) return rows[(at + step + rows.length) % rows.length];
  const pos = all.findIndex((r) => r.row === current);
  if (pos < 0) return step === 1 ? rows[0] : rows[rows.length - 1];
  const order = new Map(all.map((r, i) => [r.row, i]));
  const after = rows.filter((r) => (order.get(r.row) ?? 0) > pos);
  const before = rows.filter((r) => (order.get(r.row) ?? 0) < pos);
  return step === 1 ? (after[0] ?? rows[0]) : (before[before.length - 1] ?? rows[rows.length - 1]);
}

// ---------------------------------------------------------------------------------------------
// SHAP waterfall

export interface WaterfallStep {
  label: string;
  phi: number;
  /** Running total before and after this step. */
  start: number;
  end: number;
  /** How many features the step stands for (> 1 for "other features"). */
  features: number;
}

/** E[f], then the `top` largest |φ| (the rest summed in one step), ending at f(x). */
export function waterfallSteps(shap: KernelShapResult, top = 10): WaterfallStep[] {
  const sorted = [...shap.values].sort((a, b) => Math.abs(b.phi) - Math.abs(a.phi));
  const shown = sorted.slice(0, top);
  const rest = sorted.slice(top);
  const steps: WaterfallStep[] = [];
  let running = shap.expectedValue;
  for (const v of shown) {
    steps.push({ label: `${v.feature} = ${v.value.text}`, phi: v.phi, start: running, end: running + v.phi, features: 1 });
    running += v.phi;
  }
  if (rest.length > 0) {
    const phi = rest.reduce((a, v) => a + v.phi, 0);
    steps.push({ label: `${rest.length} other feature${rest.length === 1 ? '' : 's'}`, phi, start: running, end: running + phi, features: rest.length });
  }
  return steps;
}

function chartRoot(W: number, H: number, title: string, desc: string, kids: SvgNode[]): SvgNode {
  return {
    tag: 'svg',
    attrs: { xmlns: 'http://www.w3.org/2000/svg', viewBox: `0 0 ${W} ${H}`, width: W, height: H, role: 'img', class: 'rml-chart' },
    children: [{ tag: 'title', children: [title] }, { tag: 'desc', children: [desc] }, ...kids],
  };
}

function clip(s: string, n: number): string {
  return s.length > n ? `${s.slice(0, n - 1)}…` : s;
}

/** A horizontal axis with ticks at the bottom of a chart. */
function xAxis(lo: number, hi: number, sx: (v: number) => number, y: number, count: number): SvgNode[] {
  const out: SvgNode[] = [{ tag: 'line', attrs: { x1: n2(sx(lo)), x2: n2(sx(hi)), y1: y, y2: y, class: 'rml-axis' } }];
  for (const t of niceTicks(lo, hi, count)) {
    out.push({ tag: 'line', attrs: { x1: n2(sx(t)), x2: n2(sx(t)), y1: y, y2: y + 3, class: 'rml-axis' } });
    out.push(text(sx(t), y + 14, tickLabel(t), { 'text-anchor': 'middle' }));
  }
  return out;
}

function domain(values: number[]): [number, number] {
  const v = values.filter(Number.isFinite);
  let lo = Math.min(0, ...v);
  let hi = Math.max(0, ...v);
  if (!(hi > lo)) {
    lo -= 0.5;
    hi += 0.5;
  }
  const t = niceTicks(lo, hi, 4);
  const step = t.length > 1 ? t[1] - t[0] : 1;
  return [Math.floor(lo / step + 1e-9) * step, Math.ceil(hi / step - 1e-9) * step];
}

/** The SHAP waterfall: floating bars from E[f] to f(x), the largest contributions first. */
export function waterfallChart(shap: KernelShapResult, top = 10): SvgNode {
  const steps = waterfallSteps(shap, top);
  const W = 560;
  const row = 22;
  const labelW = 190;
  const valueW = 70;
  const topPad = 26;
  const H = topPad + (steps.length + 1) * row + 24;
  const pw = W - labelW - valueW - 10;
  const all = [shap.expectedValue, shap.fx, ...steps.flatMap((s) => [s.start, s.end])].filter(Number.isFinite);
  let lo = Math.min(...all);
  let hi = Math.max(...all);
  if (shap.output.space === 'probability') {
    lo = Math.max(0, lo);
    hi = Math.min(1, hi);
  }
  const pad = (hi - lo) * 0.05 || 0.05;
  [lo, hi] = [lo - pad, hi + pad];
  const sx = (v: number) => labelW + ((v - lo) / (hi - lo || 1)) * pw;
  const kids: SvgNode[] = [];
  const base = n2(sx(shap.expectedValue));
  kids.push({ tag: 'line', attrs: { x1: base, x2: base, y1: topPad - 6, y2: topPad + steps.length * row, class: 'rml-ref' } });
  kids.push(text(base, 12, `E[f] = ${fmt(shap.expectedValue)}`, { 'text-anchor': 'middle' }));
  steps.forEach((s, i) => {
    const y = topPad + i * row;
    const x0 = sx(Math.min(s.start, s.end));
    const w = Math.max(1, Math.abs(sx(s.end) - sx(s.start)));
    kids.push(text(labelW - 6, y + 15, clip(s.label, 30), { 'text-anchor': 'end' }));
    kids.push({ tag: 'rect', attrs: { x: n2(x0), y: y + 3, width: n2(w), height: row - 8, class: `rml-bar ${s.phi >= 0 ? 'rml-s4 rml-pos' : 'rml-s0 rml-neg'}` } });
    kids.push(text(W - valueW, y + 15, signed(s.phi)));
    if (i < steps.length - 1) kids.push({ tag: 'line', attrs: { x1: n2(sx(s.end)), x2: n2(sx(s.end)), y1: y + row - 5, y2: y + row + 3, class: 'rml-grid' } });
  });
  const yf = topPad + steps.length * row;
  const fx = n2(sx(shap.fx));
  kids.push(text(labelW - 6, yf + 15, 'f(x)', { 'text-anchor': 'end', class: 'rml-text rml-strong' }));
  kids.push({ tag: 'line', attrs: { x1: fx, x2: fx, y1: yf + 2, y2: yf + row - 4, class: 'rml-marker' } });
  kids.push(text(W - valueW, yf + 15, fmt(shap.fx), { class: 'rml-text rml-strong' }));
  kids.push(...xAxis(lo, hi, sx, yf + row, 4));
  const desc =
    `SHAP values of ${shap.output.description}: from the background mean E[f] = ${fmt(shap.expectedValue)} to f(x) = ${fmt(shap.fx)}. ` +
    steps.map((s) => `${s.label}: ${signed(s.phi)}`).join('; ') + '.';
  return chartRoot(W, H, `SHAP waterfall (${shap.output.description})`, desc, kids);
}

// ---------------------------------------------------------------------------------------------
// Signed bars with whiskers: permutation importance (mean ± sd) and LIME weights (± sd over reruns)

export interface WhiskerBar {
  label: string;
  value: number;
  /** Half-width of the whisker (a standard deviation), when known. */
  sd?: number;
}

export function whiskerChart(title: string, desc: string, bars: WhiskerBar[], axisLabel: string): SvgNode {
  const W = 560;
  const row = 22;
  const labelW = 190;
  const valueW = 120;
  const topPad = 8;
  const H = topPad + bars.length * row + 40;
  const pw = W - labelW - valueW - 10;
  const [lo, hi] = domain(bars.flatMap((b) => [b.value - (b.sd ?? 0), b.value + (b.sd ?? 0)]));
  const sx = (v: number) => labelW + ((v - lo) / (hi - lo || 1)) * pw;
  const kids: SvgNode[] = [];
  const zero = n2(sx(0));
  bars.forEach((b, i) => {
    const y = topPad + i * row;
    kids.push(text(labelW - 6, y + 15, clip(b.label, 30), { 'text-anchor': 'end' }));
    const x0 = sx(Math.min(0, b.value));
    kids.push({ tag: 'rect', attrs: { x: n2(x0), y: y + 4, width: n2(Math.max(1, Math.abs(sx(b.value) - sx(0)))), height: row - 10, class: `rml-bar ${b.value >= 0 ? 'rml-s0 rml-pos' : 'rml-s1 rml-neg'}` } });
    if (b.sd !== undefined && b.sd > 0) {
      const a = n2(sx(b.value - b.sd));
      const c = n2(sx(b.value + b.sd));
      const ym = y + row / 2;
      kids.push({ tag: 'path', attrs: { d: `M${a},${ym}H${c}M${a},${ym - 4}V${ym + 4}M${c},${ym - 4}V${ym + 4}`, class: 'rml-whisker', fill: 'none' } });
    }
    kids.push(text(W - valueW, y + 15, b.sd !== undefined ? `${signed(b.value)} ± ${fmt(b.sd)}` : signed(b.value)));
  });
  kids.push({ tag: 'line', attrs: { x1: zero, x2: zero, y1: topPad, y2: topPad + bars.length * row, class: 'rml-axis' } });
  const yAxis = topPad + bars.length * row + 2;
  kids.push(...xAxis(lo, hi, sx, yAxis, 4));
  kids.push(text(labelW + pw / 2, H - 4, axisLabel, { 'text-anchor': 'middle' }));
  return chartRoot(W, H, title, desc, kids);
}

export function importanceChart(imp: PermutationImportance, top = 15): SvgNode {
  const shown = imp.features.slice(0, top);
  return whiskerChart(
    `Permutation importance (${imp.metric}, mean ± sd over ${imp.repeats} repeats)`,
    `Drop in ${imp.metric} on the ${imp.rows} test rows when a feature's column is shuffled, mean ± sd over ${imp.repeats} repeats (seed ${imp.seed}); baseline ${fmt(imp.baseline)}. ` +
      shown.map((f) => `${f.feature}: ${fmt(f.mean)} ± ${fmt(f.sd)}`).join('; ') + '.',
    shown.map((f) => ({ label: f.feature, value: f.mean, sd: f.sd })),
    `drop in ${imp.metric}`,
  );
}

/** LIME weights of the main run, ordered by |weight|, with ± sd over the reruns when known. */
export function limeChart(lime: LimeResult, top = 10): SvgNode {
  const rows = lime.weights.map((w, j) => ({ w, s: lime.stability?.features[j] })).sort((a, b) => Math.abs(b.w.weight) - Math.abs(a.w.weight)).slice(0, top);
  const runs = lime.stability ? `, ± sd over ${lime.stability.runs} reruns` : '';
  return whiskerChart(
    `LIME weights (${lime.output.description}${runs})`,
    `Local linear surrogate around the row (${lime.samples} samples, seed ${lime.seed}, local R² ${fmt(lime.score, 3)}): ` + rows.map(({ w, s }) => `${w.condition}: ${signed(w.weight)}${s ? ` ± ${fmt(s.sd)}` : ''}`).join('; ') + '.',
    rows.map(({ w, s }) => ({ label: w.condition, value: w.weight, ...(s ? { sd: s.sd } : {}) })),
    `weight on ${lime.output.description}`,
  );
}

// ---------------------------------------------------------------------------------------------
// Partial dependence / ICE

/** PD (thick), ICE curves (thin, muted) and the row's own curve (dashed) over the feature's grid. */
export function pdpChart(p: PartialDependence): SvgNode {
  const W = 560;
  const H = 280;
  const m = { l: 52, r: 14, t: 26, b: p.kind === 'categorical' ? 58 : 36 };
  const pw = W - m.l - m.r;
  const ph = H - m.t - m.b;
  const numericX = p.kind === 'numeric' && p.grid.every((g) => typeof g.value === 'number');
  const xs = p.grid.map((g, k) => (numericX ? (g.value as number) : k));
  let x0 = Math.min(...xs);
  let x1 = Math.max(...xs);
  if (!numericX || x0 === x1) {
    x0 -= 0.5;
    x1 += 0.5;
  }
  const ys = [...p.average, ...p.ice.flatMap((c) => c.values), ...(p.rowCurve ?? [])].filter(Number.isFinite);
  let y0 = ys.length ? Math.min(...ys) : 0;
  let y1 = ys.length ? Math.max(...ys) : 1;
  if (y0 === y1) {
    y0 -= 0.05;
    y1 += 0.05;
  }
  const t = niceTicks(y0, y1, 4);
  const step = t.length > 1 ? t[1] - t[0] : 1;
  y0 = Math.floor(y0 / step + 1e-9) * step;
  y1 = Math.ceil(y1 / step - 1e-9) * step;
  const sx = (v: number) => m.l + ((v - x0) / (x1 - x0 || 1)) * pw;
  const sy = (v: number) => m.t + ph - ((v - y0) / (y1 - y0 || 1)) * ph;
  const kids: SvgNode[] = [];
  const grid: SvgNode[] = [];
  for (const v of niceTicks(y0, y1, 4)) {
    grid.push({ tag: 'line', attrs: { x1: m.l, x2: m.l + pw, y1: n2(sy(v)), y2: n2(sy(v)), class: 'rml-grid' } });
    grid.push(text(m.l - 6, sy(v) + 4, tickLabel(v), { 'text-anchor': 'end' }));
  }
  if (numericX) {
    for (const v of niceTicks(x0, x1, 5)) {
      grid.push({ tag: 'line', attrs: { x1: n2(sx(v)), x2: n2(sx(v)), y1: m.t + ph, y2: m.t + ph + 4, class: 'rml-axis' } });
      grid.push(text(sx(v), m.t + ph + 15, tickLabel(v), { 'text-anchor': 'middle' }));
    }
  } else {
    p.grid.forEach((g, k) => grid.push(text(sx(k), m.t + ph + 12, clip(g.text, 14), { 'text-anchor': 'end', transform: `rotate(-35 ${n2(sx(k))} ${n2(m.t + ph + 12)})` })));
  }
  kids.push({ tag: 'g', attrs: { 'aria-hidden': 'true' }, children: grid });
  kids.push({ tag: 'path', attrs: { d: `M${m.l},${m.t}V${m.t + ph}H${m.l + pw}`, class: 'rml-axis', fill: 'none' } });
  const line = (values: number[], cls: string): SvgNode | undefined => {
    const pts = values.map((v, k) => [xs[k], v] as const).filter(([, v]) => Number.isFinite(v));
    if (pts.length === 0) return undefined;
    const d = pts.map(([x, v], i) => `${i === 0 ? 'M' : 'L'}${n2(sx(x))},${n2(sy(v))}`).join('');
    return { tag: 'path', attrs: { d, class: cls, fill: 'none' } };
  };
  kids.push({ tag: 'g', attrs: { class: 'rml-ice' }, children: p.ice.map((c) => line(c.values, 'rml-line rml-ice-line')).filter((n): n is SvgNode => n !== undefined) });
  const pd = line(p.average, 'rml-line rml-s0 rml-pd');
  if (pd) kids.push(pd);
  if (!numericX || p.grid.length <= 12) {
    kids.push({ tag: 'g', attrs: { class: 'rml-dot rml-s0' }, children: p.average.flatMap((v, k): SvgNode[] => (Number.isFinite(v) ? [{ tag: 'circle', attrs: { cx: n2(sx(xs[k])), cy: n2(sy(v)), r: 2.5 } }] : [])) });
  }
  const row = p.rowCurve ? line(p.rowCurve, 'rml-line rml-s1 rml-dashed') : undefined;
  if (row) kids.push(row);
  const legend: SvgNode[] = [];
  let lx = m.l;
  for (const [name, cls] of [['PD (mean)', 'rml-line rml-s0 rml-pd'], [`ICE (${p.ice.length} rows)`, 'rml-line rml-ice-line'], ...(row ? [['this row', 'rml-line rml-s1 rml-dashed']] : [])] as [string, string][]) {
    legend.push({ tag: 'line', attrs: { x1: lx, x2: lx + 16, y1: 10, y2: 10, class: cls } });
    legend.push(text(lx + 20, 14, name));
    lx += 30 + name.length * 6.2;
  }
  kids.push({ tag: 'g', attrs: { 'aria-hidden': 'true' }, children: legend });
  kids.push(text(m.l + pw / 2, H - 4, p.feature, { 'text-anchor': 'middle' }));
  const desc =
    `${p.centered ? 'Centred p' : 'P'}artial dependence of ${p.output.description} on ${p.feature} over ${p.rows} test rows, with ${p.ice.length} ICE curves` +
    `${p.rowCurve ? ' and the explained row\'s curve' : ''}: ` + p.grid.map((g, k) => `${g.text}: ${fmt(p.average[k])}`).join('; ') + '.';
  return chartRoot(W, H, `Partial dependence on ${p.feature}`, desc, kids);
}
