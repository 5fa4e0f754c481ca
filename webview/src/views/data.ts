/**
 * The data view: the dataset profile of a config's CSV. Per column: type, missing values,
 * distinct values, and a histogram (numeric) or the most frequent values; columns with lint
 * findings are marked, and the values of personal-data columns (RML001) arrive masked.
 */
import type { ColumnProfile } from '../../../src/core/data/types';
import { barChart, histogram } from '../../../src/core/report/svg';
import { fmt } from '../../../src/core/report/view-model';
import { PII_RULE, type ColumnFinding, type HostMessage } from '../../../src/protocol/messages';
import { post } from '../api';
import { base, button, grid, h, svg } from '../dom';
import type { Store } from '../store';

type DataMessage = Extract<HostMessage, { type: 'data' }>;

function pct(n: number, of: number): string {
  return of === 0 ? '0%' : `${((100 * n) / of).toFixed(n === 0 ? 0 : 1)}%`;
}

export class DataView {
  constructor(private readonly root: HTMLElement, private readonly store: Store) {
    const c = store.state.content;
    if (c?.type === 'data') this.show(c);
  }

  onMessage(m: HostMessage): void {
    if (m.type !== 'data') return;
    this.store.setContent(m);
    this.show(m);
  }

  private show(m: DataMessage): void {
    const p = m.profile;
    const masked = new Set(m.masked ?? m.findings.filter((f) => f.ruleId === PII_RULE).map((f) => f.column));
    const byColumn = new Map<string, ColumnFinding[]>();
    for (const f of m.findings) byColumn.set(f.column, [...(byColumn.get(f.column) ?? []), f]);
    const onlyFlagged = this.store.ui('onlyFlagged', false);

    const findingsCell = (c: ColumnProfile): Node => {
      const fs = byColumn.get(c.name) ?? [];
      if (fs.length === 0) return document.createTextNode('');
      return h('span', { class: 'rml-tags' }, ...fs.map((f) => h('span', { class: `rml-chip sev-${f.severity}`, title: f.message }, `${f.severity === 'error' ? '✗' : '⚠'} ${f.ruleId}`)));
    };
    const summary = (c: ColumnProfile): string => {
      if (masked.has(c.name)) return 'values hidden (personal data)';
      if (c.type === 'numeric' && c.min !== undefined) return `min ${fmt(c.min)} · mean ${fmt(c.mean)} · max ${fmt(c.max)}`;
      const top = c.top[0];
      return top ? `most frequent "${top.value}" (${pct(top.count, p.rows)})` : '';
    };
    const rows = p.columns.map((c) => [
      byColumn.has(c.name) ? { text: `${c.name} ⚑`, mark: 'strong' as const } : c.name,
      c.type,
      `${fmt(c.missing)} (${pct(c.missing, p.rows)})`,
      fmt(c.distinct),
      summary(c),
      findingsCell(c),
    ]);
    const cards = p.columns
      .filter((c) => !onlyFlagged || byColumn.has(c.name))
      .map((c) => this.card(c, p.rows, byColumn.get(c.name) ?? [], masked.has(c.name)));
    const filter = h('vscode-checkbox', { id: 'only-flagged', checked: onlyFlagged }, 'Only columns with findings');
    filter.addEventListener('change', () => {
      this.store.setUi('onlyFlagged', (filter as HTMLElement & { checked?: boolean }).checked === true);
      this.show(m);
      document.getElementById('only-flagged')?.focus();
    });
    const flagged = p.columns.filter((c) => byColumn.has(c.name)).length;
    this.root.replaceChildren(
      h(
        'header',
        { class: 'rml-header' },
        h(
          'div',
          {},
          h('h1', {}, `Data: ${base(p.file)}`),
          h('p', { class: 'rml-meta' }, `${fmt(p.rows)} rows · ${p.columns.length} columns · ${fmt(p.duplicateRows)} duplicate rows · ${flagged} ${flagged === 1 ? 'column' : 'columns'} with findings`),
          h('p', { class: 'rml-meta rml-path' }, p.file),
        ),
        h(
          'div',
          { class: 'rml-actions', role: 'toolbar', 'aria-label': 'Data actions' },
          button('Open CSV', () => post({ type: 'open', path: p.file }), { title: `Open ${p.file}` }),
          button('Open config', () => post({ type: 'open', path: m.configFile }), { title: `Open ${m.configFile}` }),
        ),
      ),
      masked.size > 0 ? h('p', { class: 'rml-banner note', role: 'note' }, `Values of ${[...masked].join(', ')} are hidden: the lint flags ${masked.size === 1 ? 'it' : 'them'} as personal data (${PII_RULE}).`) : '',
      m.findings.length > 0
        ? this.findingsList(m.findings, flagged)
        : h('p', { class: 'rml-meta' }, 'No lint findings on the columns.'),
      grid('Columns', ['Column', 'Type', 'Missing', 'Distinct', 'Summary', 'Findings'], rows, {
        templateColumns: 'minmax(140px, 1.5fr) 100px 130px 90px minmax(200px, 3fr) minmax(90px, 1fr)',
      }),
      h('div', { class: 'rml-toolbar' }, filter),
      h('div', { class: 'rml-cards' }, ...cards),
    );
    this.root.setAttribute('aria-busy', 'false');
  }

  /** The findings, folded (a native details element: keyboard and screen-reader friendly); the open state is kept. */
  private findingsList(findings: ColumnFinding[], columns: number): HTMLElement {
    const details = h(
      'details',
      { class: 'rml-findings', open: this.store.ui('findingsOpen', false) },
      h('summary', {}, `${findings.length} ${findings.length === 1 ? 'finding' : 'findings'} on ${columns} ${columns === 1 ? 'column' : 'columns'}`),
      h('ul', { class: 'rml-list' }, ...findings.map((f) => h('li', {}, h('strong', {}, `${f.ruleId} ${f.column}: `), f.message))),
    ) as HTMLDetailsElement;
    details.addEventListener('toggle', () => this.store.setUi('findingsOpen', details.open));
    return details;
  }

  private card(c: ColumnProfile, rows: number, findings: ColumnFinding[], masked: boolean): HTMLElement {
    let chart: Node | string = '';
    if (c.histogram && !masked) {
      chart = svg(histogram({
        title: `Histogram of ${c.name}`,
        desc: `${c.histogram.counts.length} equal-width bins from ${fmt(c.histogram.min)} to ${fmt(c.histogram.max)}; counts ${c.histogram.counts.join(', ')}.`,
        min: c.histogram.min,
        max: c.histogram.max,
        counts: c.histogram.counts,
        colour: 0,
      }));
    } else if (c.top.length > 0) {
      chart = svg(barChart({
        title: `Most frequent values of ${c.name}`,
        desc: c.top.map((t) => `${t.value}: ${t.count}`).join(', '),
        colour: masked ? 4 : 1,
        max: Math.max(...c.top.map((t) => t.count)),
        width: 300,
        bars: c.top.map((t) => ({ label: t.value.length > 18 ? `${t.value.slice(0, 17)}…` : t.value, value: t.count, text: `${fmt(t.count)} (${pct(t.count, rows)})` })),
      }));
    }
    return h(
      'section',
      { class: `rml-card${findings.length > 0 ? ' flagged' : ''}`, 'aria-label': `Column ${c.name}` },
      h('h3', {}, c.name, ' ', h('span', { class: 'rml-chip' }, c.type)),
      h('p', { class: 'rml-meta' }, `missing ${fmt(c.missing)} (${pct(c.missing, rows)}) · distinct ${fmt(c.distinct)}`),
      ...findings.map((f) => h('p', { class: `rml-finding sev-${f.severity}` }, h('strong', {}, `${f.severity === 'error' ? '✗' : '⚠'} ${f.ruleId}`), ` ${f.message}`)),
      masked ? h('p', { class: 'rml-meta' }, 'Values hidden: personal data.') : '',
      chart,
    );
  }
}
