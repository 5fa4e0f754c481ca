/**
 * The report view: a run's summary and fairness gate, then tabs (Overview, Fairness, What-if,
 * Curves, Training, Mitigation, Features · privacy · energy, Details). The content comes from the same document model as the
 * HTML/Markdown exports, so the numbers are the exports' numbers.
 */
import { reportDocument, RESPONSIBLE_TITLE, type DocSection } from '../../../src/core/report/export';
import { lineChart } from '../../../src/core/report/svg';
import type { RunRecord } from '../../../src/core/report/types';
import {
  DISPARITY_KEYS,
  fmt,
  fmtRate,
  limitFor,
  limitText,
  metricLabel,
  reportExtras,
  runTitle,
  thresholdsOf,
  verdictFor,
  type FairnessColumn,
  type ReportExtras,
} from '../../../src/core/report/view-model';
import type { HostMessage } from '../../../src/protocol/messages';
import { post } from '../api';
import { blocks, button, dropdown, grid, h, svg, verdict } from '../dom';
import type { Store } from '../store';
import { nearestIndex, whatIf } from '../whatif';
import { fairnessColumn, gateBanner, thresholdsNote } from './fairness';

type ReportMessage = Extract<HostMessage, { type: 'report' }>;

let exportRequests = 0;

export class ReportView {
  private content: ReportMessage | undefined;
  private extras: ReportExtras = {};
  /** The limits the run was judged by (its gate's), else the config's. */
  private thresholds: Record<string, number> | undefined;
  private exportStatus: HTMLElement = h('p', { class: 'rml-status', role: 'status', 'aria-live': 'polite' });

  constructor(private readonly root: HTMLElement, private readonly store: Store) {
    const c = store.state.content;
    if (c?.type === 'report') this.show(c);
  }

  onMessage(m: HostMessage): void {
    if (m.type === 'report') {
      this.store.setContent(m);
      this.show(m);
    } else if (m.type === 'exported') {
      // Only the reply to the latest request counts (an older export may finish later).
      if (m.requestId !== exportRequests) return;
      this.exportStatus.replaceChildren();
      if (m.error) {
        this.exportStatus.className = 'rml-status mark-fail';
        this.exportStatus.append(`Export failed: ${m.error}`);
      } else if (m.path) {
        const file = m.path;
        this.exportStatus.className = 'rml-status';
        this.exportStatus.append(`Exported to ${file} `, button('Open', () => post({ type: 'open', path: file }), { title: `Open ${file}` }));
      }
    }
  }

  private show(m: ReportMessage): void {
    this.content = m;
    this.extras = reportExtras(m.run);
    const run = m.run;
    this.thresholds = thresholdsOf(run) ?? m.thresholds;
    const doc = reportDocument(run, { dir: m.dir, ...(this.thresholds ? { thresholds: this.thresholds } : {}) });
    const section = (id: string): DocSection | undefined => doc.sections.find((s) => s.id === id);
    this.root.replaceChildren(this.header(m), gateBanner(this.extras.gate), this.exportStatus);

    const tabs: { id: string; title: string; body: () => HTMLElement }[] = [];
    tabs.push({
      id: 'overview',
      title: 'Overview',
      body: () => {
        const summary = section('summary');
        const parts = ['data', 'metrics', 'confusion'].map(section).filter((s): s is DocSection => s !== undefined);
        const first = summary ? [{ ...summary, blocks: summary.blocks.filter((b) => b.kind === 'table' && b.caption === 'Run summary') }] : [];
        return h('div', { class: 'rml-columns' }, ...[...first, ...parts].map((s) => this.sectionEl(s)));
      },
    });
    if (this.extras.fairness) tabs.push({ id: 'fairness', title: 'Fairness', body: () => this.fairnessTab() });
    if (this.extras.sweep && this.extras.fairness) tabs.push({ id: 'whatif', title: 'What-if', body: () => this.whatIfTab() });
    for (const [id, title] of [['curves', 'Curves'], ['training', 'Training'], ['mitigation', 'Mitigation'], ['responsible', RESPONSIBLE_TITLE]] as const) {
      const s = section(id);
      if (s) tabs.push({ id, title, body: () => this.sectionEl(s) });
    }
    tabs.push({
      id: 'details',
      title: 'Details',
      body: () => h('div', {}, ...['cross-validation', 'reproducibility'].map(section).filter((s): s is DocSection => s !== undefined).map((s) => this.sectionEl(s))),
    });

    const saved = this.store.ui('tab', 'overview');
    const active = tabs.some((t) => t.id === saved) ? saved : 'overview';
    const panels = h('vscode-panels', { activeid: `tab-${active}`, 'aria-label': 'Report sections' });
    for (const t of tabs) panels.appendChild(h('vscode-panel-tab', { id: `tab-${t.id}` }, t.title));
    for (const t of tabs) panels.appendChild(h('vscode-panel-view', { id: `view-${t.id}` }, t.body()));
    panels.addEventListener('change', () => {
      const id = (panels as HTMLElement & { activeid?: string }).activeid;
      if (typeof id === 'string' && id.startsWith('tab-')) this.store.setUi('tab', id.slice(4));
    });
    this.root.appendChild(panels);
    this.root.setAttribute('aria-busy', 'false');
  }

  private sectionEl(s: DocSection): HTMLElement {
    return h('section', { class: 'rml-section', id: `s-${s.id}`, 'aria-labelledby': `h-${s.id}` }, h('h2', { id: `h-${s.id}` }, s.title), blocks(s.blocks));
  }

  private header(m: ReportMessage): HTMLElement {
    const run = m.run;
    const meta = [
      run.status,
      `${run.task}${run.positive !== undefined ? ` · positive "${run.positive}"` : ''}`,
      `backend ${run.backend.name}`,
      `${run.epochs} epochs`,
      run.metrics?.accuracy !== undefined ? `accuracy ${fmtRate(run.metrics.accuracy)}` : run.metrics?.r2 !== undefined ? `R² ${fmtRate(run.metrics.r2)}` : '',
    ].filter(Boolean);
    const actions = h(
      'div',
      { class: 'rml-actions', role: 'toolbar', 'aria-label': 'Report actions' },
      button('Export HTML', () => this.export('html'), { appearance: 'primary', title: 'Export the report to report.html in the run folder' }),
      button('Export Markdown', () => this.export('markdown'), { title: 'Export the report to report.md in the run folder' }),
      button('Train again', () => post({ type: 'train', configFile: m.configFile }), { title: `Train ${m.configFile} again` }),
      button('Open config', () => post({ type: 'open', path: m.configFile }), { title: `Open ${m.configFile}` }),
    );
    return h(
      'header',
      { class: 'rml-header' },
      h('div', {}, h('h1', {}, runTitle(run)), h('p', { class: 'rml-meta' }, meta.join(' · ')), h('p', { class: 'rml-meta rml-path' }, m.dir)),
      actions,
    );
  }

  private export(format: 'html' | 'markdown'): void {
    const requestId = ++exportRequests;
    this.exportStatus.className = 'rml-status';
    this.exportStatus.replaceChildren(`Exporting ${format === 'html' ? 'HTML' : 'Markdown'}…`);
    post({ type: 'export', requestId, format });
  }

  private columns(): string[] {
    return Object.keys(this.extras.fairness ?? {});
  }

  private selectedColumn(): string {
    const cols = this.columns();
    const c = this.store.ui('column', cols[0] ?? '');
    return cols.includes(c) ? c : cols[0];
  }

  /** The Fairness tab: a column picker, then that column's tables, bar charts and warnings. */
  private fairnessTab(): HTMLElement {
    const body = h('div', { class: 'rml-fairness' });
    const render = (): void => {
      const column = this.selectedColumn();
      const col = this.extras.fairness?.[column];
      if (!col || !this.content) return;
      body.replaceChildren(...fairnessColumn(column, col, this.thresholds, this.extras.gate));
    };
    const picker = this.columns().length > 1
      ? dropdown('fairness-column', 'Sensitive column', this.columns(), this.selectedColumn(), (v) => {
        this.store.setUi('column', v);
        render();
      })
      : '';
    const note = thresholdsNote(this.thresholds, 'from the config', 'The config sets no fairness thresholds (fairness.thresholds), so there is no pass/fail beyond the gate.');
    render();
    return h('div', {}, h('div', { class: 'rml-toolbar' }, picker), note, body);
  }

  /** The What-if tab: a threshold slider over the run's sweep, recomputing rates and disparities live. */
  private whatIfTab(): HTMLElement {
    const sweep = this.extras.sweep;
    const run = this.content?.run;
    if (!sweep || !run) return h('p', {}, 'This run has no threshold sweep.');
    const cols = this.columns().filter((c) => sweep.columns[c]);
    if (cols.length === 0) return h('p', {}, 'The threshold sweep covers none of the audited columns.');
    let column = cols.includes(this.store.ui('whatifColumn', cols[0])) ? this.store.ui('whatifColumn', cols[0]) : cols[0];
    const runIndex = nearestIndex(sweep.thresholds, run.threshold);
    let index = this.store.ui('whatifIndex', runIndex);
    if (index < 0 || index >= sweep.thresholds.length) index = runIndex;

    const slider = h('input', {
      type: 'range',
      id: 'whatif-threshold',
      min: 0,
      max: sweep.thresholds.length - 1,
      step: 1,
      value: index,
      'aria-describedby': 'whatif-summary',
    }) as HTMLInputElement;
    const output = h('output', { for: 'whatif-threshold', class: 'rml-output' });
    const summary = h('p', { id: 'whatif-summary', class: 'rml-summary', role: 'status', 'aria-live': 'polite' });
    const results = h('div', { class: 'rml-whatif-results' });
    const reset = button(`Reset to the run's threshold (${fmt(run.threshold)})`, () => {
      slider.value = String(runIndex);
      update();
      slider.focus();
    });

    const update = (): void => {
      index = Number(slider.value);
      this.store.setUi('whatifIndex', index);
      const t = sweep.thresholds[index];
      slider.setAttribute('aria-valuetext', `threshold ${fmtRate(t, 2)}`);
      output.textContent = fmtRate(t, 2);
      const col = this.extras.fairness?.[column];
      if (!col) return;
      this.renderWhatIf(results, summary, column, col, index, runIndex);
    };
    slider.addEventListener('input', update);
    const picker = cols.length > 1
      ? dropdown('whatif-column', 'Sensitive column', cols, column, (v) => {
        column = v;
        this.store.setUi('whatifColumn', v);
        update();
      })
      : h('p', { class: 'rml-meta' }, `Sensitive column: ${column}`);
    update();
    return h(
      'div',
      { class: 'rml-whatif' },
      h('p', { class: 'rml-meta' }, 'Move the decision threshold to see how each group\'s rates and the disparities change. The numbers come from the run\'s per-group threshold sweep on the test set; the model is not re-run.'),
      h('div', { class: 'rml-toolbar' }, picker),
      h('div', { class: 'rml-slider' }, h('label', { for: 'whatif-threshold' }, 'Decision threshold'), slider, output, reset),
      summary,
      results,
    );
  }

  private renderWhatIf(results: HTMLElement, summary: HTMLElement, column: string, col: FairnessColumn, index: number, runIndex: number): void {
    const sweep = this.extras.sweep;
    const thresholds = this.thresholds;
    if (!sweep) return;
    const w = whatIf(sweep, column, index, col.groups);
    const atRun = whatIf(sweep, column, runIndex, col.groups);
    const failing = DISPARITY_KEYS.filter((k) => verdictFor(column, k, w.disparities[k], thresholds, undefined) === 'fail');
    const judged = DISPARITY_KEYS.filter((k) => limitFor(k, thresholds));
    summary.textContent = `At threshold ${fmtRate(w.threshold, 2)}: demographic parity difference ${fmtRate(w.disparities.demographicParityDifference)}, equalized odds difference ${fmtRate(w.disparities.equalizedOddsDifference)}` +
      (judged.length > 0 ? `; ${failing.length === 0 ? 'every threshold is met' : `${failing.length} of ${judged.length} thresholds not met`}` : '') +
      (w.overall ? `; overall selection rate ${fmtRate(w.overall.selectionRate)}, accuracy ${fmtRate(w.overall.accuracy)}.` : '.');

    const groupRows = w.groups.map((g) => [
      g.group === w.harmed ? { text: `${g.group} (harmed)`, mark: 'harmed' as const } : g.group,
      fmtRate(g.selectionRate),
      fmtRate(g.tpr),
      fmtRate(g.fpr),
      fmtRate(g.precision),
    ]);
    const dispRows = DISPARITY_KEYS.map((k) => {
      const limit = limitFor(k, thresholds);
      return [
        metricLabel(k),
        fmtRate(atRun.disparities[k]),
        { text: fmtRate(w.disparities[k]), mark: 'strong' as const },
        limitText(limit),
        verdict(verdictFor(column, k, w.disparities[k], thresholds, undefined)),
      ];
    });
    const series = w.groups.map((g, i) => ({
      name: g.group,
      colour: i % 6,
      points: sweep.thresholds.map((t, j): [number, number] => [t, sweep.columns[column][g.group].selectionRate[j]]),
    }));
    const tprSeries = w.groups.map((g, i) => ({
      name: g.group,
      colour: i % 6,
      points: sweep.thresholds.map((t, j): [number, number] => [t, sweep.columns[column][g.group].tpr[j]]),
    }));
    const marker = { x: w.threshold, label: fmtRate(w.threshold, 2) };
    results.replaceChildren(
      grid(`Per-group rates of ${column} at threshold ${fmtRate(w.threshold, 2)}`, ['Group', 'Selection rate', 'TPR', 'FPR', 'Precision'], groupRows),
      grid(`Disparities of ${column}: at the run's threshold ${fmtRate(atRun.threshold, 2)} and at ${fmtRate(w.threshold, 2)}`, ['Metric', `At ${fmtRate(atRun.threshold, 2)} (run)`, `At ${fmtRate(w.threshold, 2)}`, 'Threshold', 'Result'], dispRows),
      w.overall ? h('p', { class: 'rml-meta' }, `Overall at ${fmtRate(w.threshold, 2)}: selection rate ${fmtRate(w.overall.selectionRate)}, accuracy ${fmtRate(w.overall.accuracy)} (from the groups' rates, sizes and base rates).`) : '',
      h(
        'div',
        { class: 'rml-charts' },
        svg(lineChart({ title: `Selection rate by threshold (${column})`, desc: `Selection rate of each group of ${column} against the decision threshold; marker at ${fmtRate(w.threshold, 2)}.`, xLabel: 'Decision threshold', yLabel: 'Selection rate', x: [0, 1], y: [0, 1], series, marker })),
        svg(lineChart({ title: `True-positive rate by threshold (${column})`, desc: `TPR of each group of ${column} against the decision threshold; marker at ${fmtRate(w.threshold, 2)}.`, xLabel: 'Decision threshold', yLabel: 'TPR', x: [0, 1], y: [0, 1], series: tprSeries, marker })),
      ),
    );
  }
}

/** For the compare view: a run's one-line description. */
export function runSummary(run: RunRecord): string {
  return `${runTitle(run)} · ${run.task} · backend ${run.backend.name}`;
}
