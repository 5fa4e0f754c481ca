/**
 * Hand-drawn SVG charts as a small node tree: the webview turns it into DOM nodes, the HTML export
 * into text. Pure (no DOM). Colours are never written into the tree: every mark carries a class
 * (`rml-s0`…`rml-s5` for series, `rml-axis`, `rml-grid`, `rml-text`, `rml-ref`, `rml-harmed`, `rml-whisker`), and
 * the stylesheet maps them to the theme (VS Code's `--vscode-charts-*` variables in the webview,
 * fixed light/dark palettes in the export).
 *
 * Accessibility: every chart is `role="img"` with a `<title>` and a `<desc>` that states the
 * numbers a reader needs (the tables beside the charts hold all of them).
 */

export interface SvgNode {
  tag: string;
  attrs?: Record<string, string | number>;
  children?: (SvgNode | string)[];
}

export interface LineSeries {
  name: string;
  /** (x, y) points; points with a non-finite coordinate are skipped. */
  points: [number, number][];
  /** Series class index 0..5 (the colour). */
  colour: number;
  dashed?: boolean;
  /** Draw a dot on every point (short series, e.g. calibration bins). */
  markers?: boolean;
}

export interface LineChartSpec {
  title: string;
  desc: string;
  xLabel: string;
  yLabel: string;
  series: LineSeries[];
  /** Axis domains; default: the data's extent (with 0 included for y). */
  x?: [number, number];
  y?: [number, number];
  /** Without `y`: whether the y axis starts at 0 (default true; false for losses). */
  includeZero?: boolean;
  /** Draw the y = x reference line (ROC, calibration). */
  diagonal?: boolean;
  /** A vertical marker, e.g. the current threshold. */
  marker?: { x: number; label: string };
  width?: number;
  height?: number;
}

export interface Bar {
  label: string;
  /** Null bars are drawn empty and labelled "undefined". */
  value: number | null;
  highlight?: boolean;
  /** The text written after the bar (default: the value with 3 decimals). */
  text?: string;
}

export interface BarChartSpec {
  title: string;
  desc: string;
  bars: Bar[];
  /** Upper end of the axis (default: max(1, largest value) for rates). */
  max?: number;
  colour: number;
  /** Text after a highlighted bar's value, e.g. "lowest (harmed)". */
  highlightNote?: string;
  width?: number;
}

const FONT = 11;

export function n2(x: number): number {
  return Math.round(x * 100) / 100;
}

/** Tick values: about `count` "nice" steps (1, 2, 5 × 10^k) covering [lo, hi]. */
export function niceTicks(lo: number, hi: number, count = 5): number[] {
  if (!(hi > lo)) return [lo];
  const raw = (hi - lo) / count;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * mag).find((s) => s >= raw) ?? 10 * mag;
  const out: number[] = [];
  for (let v = Math.ceil(lo / step - 1e-9) * step; v <= hi + step * 1e-9; v += step) out.push(Number(v.toFixed(10)));
  return out;
}

export function tickLabel(v: number): string {
  const a = Math.abs(v);
  if (a >= 1e6) return `${Number((v / 1e6).toPrecision(3))}M`;
  if (a >= 1e4) return `${Number((v / 1e3).toPrecision(3))}k`;
  if (Number.isInteger(v)) return String(v);
  return String(Number(v.toPrecision(3)));
}

export function text(x: number, y: number, s: string, attrs: Record<string, string | number> = {}): SvgNode {
  return { tag: 'text', attrs: { x: n2(x), y: n2(y), class: 'rml-text', 'font-size': FONT, ...attrs }, children: [s] };
}

function extent(values: number[], fallback: [number, number]): [number, number] {
  const v = values.filter((x) => Number.isFinite(x));
  if (v.length === 0) return fallback;
  let lo = Math.min(...v);
  let hi = Math.max(...v);
  if (lo === hi) {
    lo -= 0.5;
    hi += 0.5;
  }
  return [lo, hi];
}

/** A line chart with axes, ticks, grid, legend and optional diagonal and marker. */
export function lineChart(spec: LineChartSpec): SvgNode {
  const W = spec.width ?? 360;
  const H = spec.height ?? 240;
  const m = { l: 46, r: 12, t: spec.series.length > 1 ? 26 : 12, b: 36 };
  const pw = W - m.l - m.r;
  const ph = H - m.t - m.b;
  const xs = spec.series.flatMap((s) => s.points.map((p) => p[0]));
  const ys = spec.series.flatMap((s) => s.points.map((p) => p[1]));
  const [x0, x1] = spec.x ?? extent(xs, [0, 1]);
  let [y0, y1] = spec.y ?? extent(ys, [0, 1]);
  if (!spec.y) {
    // Round the data's extent out to whole ticks (from 0 unless includeZero is false).
    if (spec.includeZero !== false) y0 = Math.min(0, y0);
    const t = niceTicks(y0, y1);
    const step = t.length > 1 ? t[1] - t[0] : 1;
    y0 = Math.floor(y0 / step + 1e-9) * step;
    y1 = Math.ceil(y1 / step - 1e-9) * step;
  }
  const sx = (x: number): number => m.l + ((x - x0) / (x1 - x0 || 1)) * pw;
  const sy = (y: number): number => m.t + ph - ((y - y0) / (y1 - y0 || 1)) * ph;
  const kids: SvgNode[] = [
    { tag: 'title', children: [spec.title] },
    { tag: 'desc', children: [spec.desc] },
  ];
  const grid: SvgNode[] = [];
  for (const t of niceTicks(y0, y1)) {
    grid.push({ tag: 'line', attrs: { x1: m.l, x2: m.l + pw, y1: n2(sy(t)), y2: n2(sy(t)), class: 'rml-grid' } });
    grid.push(text(m.l - 6, sy(t) + 4, tickLabel(t), { 'text-anchor': 'end' }));
  }
  for (const t of niceTicks(x0, x1)) {
    grid.push({ tag: 'line', attrs: { x1: n2(sx(t)), x2: n2(sx(t)), y1: m.t + ph, y2: m.t + ph + 4, class: 'rml-axis' } });
    grid.push(text(sx(t), m.t + ph + 15, tickLabel(t), { 'text-anchor': 'middle' }));
  }
  kids.push({ tag: 'g', attrs: { 'aria-hidden': 'true' }, children: grid });
  kids.push({ tag: 'path', attrs: { d: `M${m.l},${m.t}V${m.t + ph}H${m.l + pw}`, class: 'rml-axis', fill: 'none' } });
  kids.push(text(m.l + pw / 2, H - 4, spec.xLabel, { 'text-anchor': 'middle' }));
  kids.push(text(12, m.t + ph / 2, spec.yLabel, { 'text-anchor': 'middle', transform: `rotate(-90 12 ${n2(m.t + ph / 2)})` }));
  if (spec.diagonal) {
    const a = Math.max(x0, y0);
    const b = Math.min(x1, y1);
    kids.push({ tag: 'line', attrs: { x1: n2(sx(a)), y1: n2(sy(a)), x2: n2(sx(b)), y2: n2(sy(b)), class: 'rml-ref' } });
  }
  spec.series.forEach((s) => {
    const pts = s.points.filter((p) => Number.isFinite(p[0]) && Number.isFinite(p[1]));
    if (pts.length === 0) return;
    const d = pts.map((p, i) => `${i === 0 ? 'M' : 'L'}${n2(sx(p[0]))},${n2(sy(p[1]))}`).join('');
    const cls = `rml-line rml-s${s.colour}${s.dashed ? ' rml-dashed' : ''}`;
    kids.push({ tag: 'path', attrs: { d, class: cls, fill: 'none' } });
    if (s.markers || pts.length === 1) {
      kids.push({
        tag: 'g',
        attrs: { class: `rml-dot rml-s${s.colour}` },
        children: pts.map((p) => ({ tag: 'circle', attrs: { cx: n2(sx(p[0])), cy: n2(sy(p[1])), r: 2.5 } })),
      });
    }
  });
  if (spec.marker && spec.marker.x >= x0 && spec.marker.x <= x1) {
    const x = n2(sx(spec.marker.x));
    kids.push({ tag: 'line', attrs: { x1: x, x2: x, y1: m.t, y2: m.t + ph, class: 'rml-marker' } });
    kids.push(text(x + 3, m.t + 10, spec.marker.label));
  }
  if (spec.series.length > 1) {
    const legend: SvgNode[] = [];
    let lx = m.l;
    for (const s of spec.series) {
      legend.push({ tag: 'line', attrs: { x1: lx, x2: lx + 16, y1: 10, y2: 10, class: `rml-line rml-s${s.colour}${s.dashed ? ' rml-dashed' : ''}` } });
      legend.push(text(lx + 20, 14, s.name));
      lx += 28 + s.name.length * 6.2;
    }
    kids.push({ tag: 'g', attrs: { 'aria-hidden': 'true' }, children: legend });
  }
  return chartRoot(W, H, kids);
}

/** The accessible name and description of a horizontal bar chart, and its title written at the top. */
function labelledHead(title: string, desc: string): SvgNode[] {
  return [{ tag: 'title', children: [title] }, { tag: 'desc', children: [desc] }, text(4, 14, title, { class: 'rml-text rml-strong' })];
}

/** The root `<svg>` of a chart of W × H. */
function chartRoot(W: number, H: number, kids: SvgNode[], cls = 'rml-chart'): SvgNode {
  return { tag: 'svg', attrs: { xmlns: 'http://www.w3.org/2000/svg', viewBox: `0 0 ${W} ${H}`, width: W, height: H, role: 'img', class: cls }, children: kids };
}

/** Horizontal bars, one per group, with the value written at the end of each bar. */
export function barChart(spec: BarChartSpec): SvgNode {
  const W = spec.width ?? 360;
  const row = 22;
  const labelW = Math.min(140, Math.max(60, 12 + Math.max(...spec.bars.map((b) => b.label.length)) * 6.2));
  const valueW = 110;
  const top = 22;
  const H = top + spec.bars.length * row + 18;
  const pw = W - labelW - valueW;
  const max = spec.max ?? Math.max(1, ...spec.bars.map((b) => b.value ?? 0));
  const kids = labelledHead(spec.title, spec.desc);
  spec.bars.forEach((b, i) => {
    const y = top + i * row;
    kids.push(text(labelW - 6, y + 15, b.label, { 'text-anchor': 'end', ...(b.highlight ? { class: 'rml-text rml-strong' } : {}) }));
    const w = b.value === null ? 0 : Math.max(0, (b.value / (max || 1)) * pw);
    kids.push({
      tag: 'rect',
      attrs: { x: labelW, y: y + 3, width: n2(Math.max(w, b.value === null ? 0 : 1)), height: row - 8, class: `rml-bar rml-s${spec.colour}${b.highlight ? ' rml-harmed' : ''}` },
    });
    const v = b.text ?? (b.value === null ? 'undefined' : b.value.toFixed(3));
    const note = b.highlight && spec.highlightNote ? ` ◀ ${spec.highlightNote}` : '';
    kids.push(text(labelW + w + 4, y + 15, `${v}${note}`, b.highlight ? { class: 'rml-text rml-strong' } : {}));
  });
  const axisY = top + spec.bars.length * row;
  kids.push({ tag: 'line', attrs: { x1: labelW, x2: labelW + pw, y1: axisY, y2: axisY, class: 'rml-axis' } });
  for (const t of niceTicks(0, max, pw < 160 ? 2 : 4)) {
    const x = n2(labelW + (t / (max || 1)) * pw);
    kids.push({ tag: 'line', attrs: { x1: x, x2: x, y1: axisY, y2: axisY + 3, class: 'rml-axis' } });
    kids.push(text(x, axisY + 14, tickLabel(t), { 'text-anchor': 'middle' }));
  }
  return chartRoot(W, H, kids);
}

export interface WhiskerBar {
  label: string;
  value: number;
  /** Half-width of the whisker (e.g. one standard deviation); 0 draws none. */
  err: number;
  /** The text written after the bar, e.g. "0.015 ± 0.005". */
  text: string;
}

export interface WhiskerChartSpec {
  title: string;
  desc: string;
  bars: WhiskerBar[];
  colour: number;
  /** A note under the axis, e.g. "whiskers: ± 1 sd over 5 repeats". */
  note?: string;
  width?: number;
}

/**
 * Horizontal bars from 0 with a whisker of ± `err` on each (importances with their spread). The
 * axis covers every bar and whisker, negative values included (a bar then grows to the left).
 */
export function whiskerChart(spec: WhiskerChartSpec): SvgNode {
  const W = spec.width ?? 420;
  const row = 22;
  const labelW = Math.min(150, Math.max(60, 12 + Math.max(0, ...spec.bars.map((b) => b.label.length)) * 6.2));
  const valueW = 120;
  const top = 22;
  const H = top + spec.bars.length * row + (spec.note ? 34 : 20);
  const pw = W - labelW - valueW;
  const finite = (x: number): number => (Number.isFinite(x) ? x : 0);
  const lo = Math.min(0, ...spec.bars.map((b) => finite(b.value) - Math.abs(finite(b.err))));
  const hiRaw = Math.max(0, ...spec.bars.map((b) => finite(b.value) + Math.abs(finite(b.err))));
  const ticks = niceTicks(lo, hiRaw > lo ? hiRaw : lo + 1, pw < 160 ? 2 : 4);
  const x0 = Math.min(lo, ticks[0]);
  const x1 = Math.max(hiRaw > lo ? hiRaw : lo + 1, ticks[ticks.length - 1]);
  const sx = (v: number): number => labelW + ((v - x0) / (x1 - x0 || 1)) * pw;
  const kids = labelledHead(spec.title, spec.desc);
  spec.bars.forEach((b, i) => {
    const y = top + i * row;
    const v = finite(b.value);
    const e = Math.abs(finite(b.err));
    kids.push(text(labelW - 6, y + 15, b.label, { 'text-anchor': 'end' }));
    const a = sx(Math.min(0, v));
    const w = Math.max(1, Math.abs(sx(v) - sx(0)));
    kids.push({ tag: 'rect', attrs: { x: n2(a), y: y + 3, width: n2(w), height: row - 8, class: `rml-bar rml-s${spec.colour}` } });
    if (e > 0) {
      const cy = y + 3 + (row - 8) / 2;
      kids.push({
        tag: 'path',
        attrs: { d: `M${n2(sx(v - e))},${n2(cy)}H${n2(sx(v + e))}M${n2(sx(v - e))},${n2(cy - 4)}V${n2(cy + 4)}M${n2(sx(v + e))},${n2(cy - 4)}V${n2(cy + 4)}`, class: 'rml-whisker', fill: 'none' },
      });
    }
    kids.push(text(Math.max(sx(0), sx(v), sx(v + e)) + 4, y + 15, b.text));
  });
  const axisY = top + spec.bars.length * row;
  kids.push({ tag: 'line', attrs: { x1: labelW, x2: labelW + pw, y1: axisY, y2: axisY, class: 'rml-axis' } });
  if (x0 < 0) kids.push({ tag: 'line', attrs: { x1: n2(sx(0)), x2: n2(sx(0)), y1: top, y2: axisY, class: 'rml-ref' } });
  for (const t of ticks) {
    const x = n2(sx(t));
    kids.push({ tag: 'line', attrs: { x1: x, x2: x, y1: axisY, y2: axisY + 3, class: 'rml-axis' } });
    kids.push(text(x, axisY + 14, tickLabel(t), { 'text-anchor': 'middle' }));
  }
  if (spec.note) kids.push(text(labelW, axisY + 28, spec.note));
  return chartRoot(W, H, kids);
}

export interface HistogramSpec {
  title: string;
  desc: string;
  /** Range of the values: bin i covers [min + i·w, min + (i+1)·w). */
  min: number;
  max: number;
  counts: number[];
  colour: number;
  width?: number;
  height?: number;
}

/** Vertical bars of an equal-width histogram, with the range's ends labelled. */
export function histogram(spec: HistogramSpec): SvgNode {
  const W = spec.width ?? 260;
  const H = spec.height ?? 110;
  const m = { l: 40, r: 8, t: 6, b: 18 };
  const pw = W - m.l - m.r;
  const ph = H - m.t - m.b;
  const top = Math.max(1, ...spec.counts);
  const bw = pw / Math.max(1, spec.counts.length);
  const kids: SvgNode[] = [
    { tag: 'title', children: [spec.title] },
    { tag: 'desc', children: [spec.desc] },
  ];
  spec.counts.forEach((c, i) => {
    const bh = (c / top) * ph;
    kids.push({ tag: 'rect', attrs: { x: n2(m.l + i * bw + 0.5), y: n2(m.t + ph - bh), width: n2(Math.max(1, bw - 1)), height: n2(bh), class: `rml-bar rml-s${spec.colour}` } });
  });
  kids.push({ tag: 'line', attrs: { x1: m.l, x2: m.l + pw, y1: m.t + ph, y2: m.t + ph, class: 'rml-axis' } });
  kids.push(text(m.l - 4, m.t + 9, tickLabel(top), { 'text-anchor': 'end' }));
  kids.push(text(m.l - 4, m.t + ph, '0', { 'text-anchor': 'end' }));
  kids.push(text(m.l, H - 4, tickLabel(Number(spec.min.toPrecision(4))), { 'text-anchor': 'start' }));
  kids.push(text(m.l + pw, H - 4, tickLabel(Number(spec.max.toPrecision(4))), { 'text-anchor': 'end' }));
  return chartRoot(W, H, kids, 'rml-chart rml-small');
}

/** Escapes text for HTML/SVG content and attribute values. */
export function escapeXml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}

/** Serializes a node tree to SVG text (every text and attribute escaped). */
export function svgToString(node: SvgNode | string): string {
  if (typeof node === 'string') return escapeXml(node);
  const attrs = Object.entries(node.attrs ?? {}).map(([k, v]) => ` ${k}="${escapeXml(String(v))}"`).join('');
  const kids = (node.children ?? []).map(svgToString).join('');
  return `<${node.tag}${attrs}>${kids}</${node.tag}>`;
}
