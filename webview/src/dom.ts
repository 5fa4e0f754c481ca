/**
 * Small DOM helpers: elements from data (text is always set as text, never parsed as HTML),
 * SVG node trees, the export's document blocks as toolkit data grids, and toolkit controls.
 */
import type { Block, Cell } from '../../src/core/report/export';
import type { SvgNode } from '../../src/core/report/svg';

type Child = Node | string | null | undefined | false;
type Attrs = Record<string, string | number | boolean | undefined>;

/** An element with attributes (false/undefined skipped, true = empty) and children (strings as text). */
export function h(tag: string, attrs: Attrs = {}, ...children: Child[]): HTMLElement {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === false) continue;
    e.setAttribute(k, v === true ? '' : String(v));
  }
  append(e, children);
  return e;
}

export function append(parent: Node, children: Child[]): void {
  for (const c of children) {
    if (c === null || c === undefined || c === false) continue;
    parent.appendChild(typeof c === 'string' ? document.createTextNode(c) : c);
  }
}

const SVG_NS = 'http://www.w3.org/2000/svg';
let chartIds = 0;

/** DOM nodes from a chart's node tree (see src/core/report/svg.ts). */
export function svg(node: SvgNode | string): Node {
  if (typeof node === 'string') return document.createTextNode(node);
  const e = document.createElementNS(SVG_NS, node.tag);
  for (const [k, v] of Object.entries(node.attrs ?? {})) if (k !== 'xmlns') e.setAttribute(k, String(v));
  for (const c of node.children ?? []) e.appendChild(svg(c));
  if (node.tag === 'svg') {
    // Name the image by its title and desc for screen readers.
    const id = `chart-${++chartIds}`;
    const title = e.querySelector('title');
    const desc = e.querySelector('desc');
    if (title) title.id = `${id}-t`;
    if (desc) desc.id = `${id}-d`;
    if (title) e.setAttribute('aria-labelledby', `${id}-t`);
    if (desc) e.setAttribute('aria-describedby', `${id}-d`);
  }
  return e;
}

function cellText(c: Cell): string {
  return typeof c === 'string' ? c : c.text;
}

function isNumeric(s: string): boolean {
  return /^[-−+]?[\d,]+(\.\d+)?(e[-+]?\d+)?( \((TN|FP|FN|TP)\))?$/.test(s);
}

/** A toolkit data grid (keyboard navigable) from a caption, a header and rows of cells. */
export function grid(caption: string, head: string[], rows: (Cell | Node)[][], opts: { templateColumns?: string; rowClass?: (i: number) => string | undefined } = {}): HTMLElement {
  const g = h('vscode-data-grid', {
    'aria-label': caption,
    'generate-header': 'none',
    'grid-template-columns': opts.templateColumns ?? head.map((_, i) => (i === 0 ? 'minmax(140px, 2fr)' : 'minmax(80px, 1fr)')).join(' '),
  });
  const header = h('vscode-data-grid-row', { 'row-type': 'header' });
  head.forEach((t, i) => header.appendChild(h('vscode-data-grid-cell', { 'cell-type': 'columnheader', 'grid-column': i + 1 }, t)));
  g.appendChild(header);
  rows.forEach((r, ri) => {
    const row = h('vscode-data-grid-row', { class: opts.rowClass?.(ri) });
    r.forEach((c, i) => {
      if (c instanceof Node) {
        row.appendChild(h('vscode-data-grid-cell', { 'grid-column': i + 1 }, c));
        return;
      }
      const text = cellText(c);
      const mark = typeof c === 'string' ? undefined : c.mark;
      const classes = [mark ? `mark-${mark}` : '', i > 0 && isNumeric(text) ? 'num' : ''].filter(Boolean).join(' ');
      row.appendChild(h('vscode-data-grid-cell', { 'grid-column': i + 1, class: classes || undefined }, text));
    });
    g.appendChild(row);
  });
  return h('figure', { class: 'rml-table' }, h('figcaption', {}, caption), g);
}

/** The export's document blocks as DOM: tables as data grids, charts as SVG, sections nested. */
export function blocks(list: Block[], level = 3): HTMLElement {
  const root = h('div', { class: 'rml-blocks' });
  let charts: HTMLElement | null = null;
  for (const b of list) {
    if (b.kind === 'chart') {
      if (!charts) {
        charts = h('div', { class: 'rml-charts' });
        root.appendChild(charts);
      }
      charts.appendChild(svg(b.svg));
      continue;
    }
    charts = null;
    switch (b.kind) {
      case 'p':
        root.appendChild(h('p', { class: b.mark ? `mark-${b.mark}` : undefined }, b.text));
        break;
      case 'list':
        root.appendChild(h('ul', { class: 'rml-list' }, ...b.items.map((i) => h('li', {}, i))));
        break;
      case 'table':
        root.appendChild(grid(b.caption, b.head, b.rows, b.head.length === 2 ? { templateColumns: 'minmax(160px, 1fr) minmax(200px, 2fr)' } : {}));
        break;
      case 'section':
        root.appendChild(h('section', { id: b.id }, h(`h${Math.min(level, 6)}`, {}, b.title), blocks(b.blocks, level + 1)));
        break;
    }
  }
  return root;
}

/** A toolkit button with an accessible label. */
export function button(label: string, onClick: () => void, opts: { appearance?: 'primary' | 'secondary' | 'icon'; title?: string; disabled?: boolean } = {}): HTMLElement {
  const b = h('vscode-button', { appearance: opts.appearance ?? 'secondary', title: opts.title, 'aria-label': opts.title, disabled: opts.disabled }, label);
  b.addEventListener('click', () => {
    if (!b.hasAttribute('disabled')) onClick();
  });
  return b;
}

/** A labelled toolkit dropdown; `onChange` gets the chosen value. */
export function dropdown(id: string, label: string, values: string[], selected: string, onChange: (v: string) => void): HTMLElement {
  const d = h('vscode-dropdown', { id, 'aria-label': label }, ...values.map((v) => h('vscode-option', { value: v, selected: v === selected }, v)));
  d.addEventListener('change', () => {
    const v = (d as HTMLElement & { value?: string }).value;
    if (typeof v === 'string' && v !== '') onChange(v);
  });
  return h('div', { class: 'rml-field' }, h('label', { for: id }, label), d);
}

/** A verdict as text and colour (never colour alone). */
export function verdict(v: 'pass' | 'fail' | undefined): Node {
  if (!v) return document.createTextNode('');
  return h('span', { class: `verdict ${v}` }, v === 'pass' ? '✓ pass' : '✗ fail');
}

/** A file's name from its path (either separator). */
export function base(file: string): string {
  return file.split(/[\\/]/).pop() ?? file;
}
