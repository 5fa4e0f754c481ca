/**
 * The audit view ("Audit Predictions…"): the fairness audit of a CSV of predictions made anywhere.
 * Header facts (rows, favourable label, where predictions came from, notes), the gate banner, the
 * overall metrics, then each sensitive column and intersection with the report's fairness
 * rendering (views/fairness.ts), and the same audit as an `rml audit` command line.
 */
import type { ColumnAudit, RunGate } from '../../../src/core/fairness';
import { slug } from '../../../src/core/report/export';
import { fmt, fmtRate, readFairnessColumn, type GateView } from '../../../src/core/report/view-model';
import type { HostMessage } from '../../../src/protocol/messages';
import { post } from '../api';
import { base, button, grid, h } from '../dom';
import type { Store } from '../store';
import { fairnessColumn, gateBanner, thresholdsNote } from './fairness';

type AuditMessage = Extract<HostMessage, { type: 'audit' }>;

/** The gate as the report reads it. */
function gateView(gate: RunGate): GateView {
  return {
    passed: gate.passed,
    failures: gate.failures.map((f) => ({ metric: f.metric, column: f.column ?? null, value: f.value, limit: f.limit, op: f.op, message: f.message })),
  };
}

/**
 * The limits that judge `column`: those without a column (which apply to the sensitive columns,
 * not to intersections, as in the gate), then the column's own (which win).
 */
function thresholdsFor(gate: RunGate, column: string | undefined, intersection = false): Record<string, number> | undefined {
  const out: Record<string, number> = {};
  if (!intersection) for (const l of gate.limits) if (l.column === undefined) out[l.metric] = l.value;
  if (column !== undefined) for (const l of gate.limits) if (l.column === column) out[l.metric] = l.value;
  return Object.keys(out).length > 0 ? out : undefined;
}

export class AuditView {
  constructor(private readonly root: HTMLElement, private readonly store: Store) {
    const c = store.state.content;
    if (c?.type === 'audit') this.show(c);
  }

  onMessage(m: HostMessage): void {
    if (m.type !== 'audit') return;
    this.store.setContent(m);
    this.show(m);
  }

  private show(m: AuditMessage): void {
    const r = m.result;
    const j = r.json;
    const o = j.overall;
    const gate = gateView(j.gate);
    const header = h(
      'header',
      { class: 'rml-header' },
      h(
        'div',
        {},
        h('h1', {}, `Fairness audit: ${base(r.file)}`),
        h('p', { class: 'rml-meta', id: 'audit-facts' }, `${fmt(j.rows)} rows · favourable label "${r.positive}" · predictions: ${r.predictionsFrom} · groups under ${fmt(r.minGroupSize)} rows are flagged`),
        h('p', { class: 'rml-meta rml-path' }, r.file),
      ),
      h('div', { class: 'rml-actions', role: 'toolbar', 'aria-label': 'Audit actions' }, button('Open CSV', () => post({ type: 'open', path: r.file }), { title: `Open ${r.file}` })),
    );
    const notes = r.notes.length > 0 ? h('ul', { class: 'rml-list' }, ...r.notes.map((n) => h('li', { class: 'rml-meta' }, `Note: ${n}`))) : '';
    const limits = j.gate.limits.length > 0 ? gateBanner(gate) : h('p', { class: 'rml-meta' }, 'No fairness limits were set, so there is no pass/fail: run the audit again and add limits (e.g. demographicParityDifference<=0.1) to judge the disparities.');
    const overall = grid('Overall (every row)', ['Metric', 'Value'], [
      ['Accuracy', fmtRate(o.accuracy)],
      ['Balanced accuracy', fmtRate(o.balancedAccuracy)],
      ['Precision', fmtRate(o.precision)],
      ['Recall (TPR)', fmtRate(o.recall)],
      ['F1', fmtRate(o.f1)],
      ['Selection rate', fmtRate(o.selectionRate)],
      ['Base rate', fmtRate(o.baseRate)],
      ...(o.rocAuc !== null ? [['ROC AUC', fmtRate(o.rocAuc)]] : []),
      ['TP · FP · TN · FN', `${fmt(o.tp)} · ${fmt(o.fp)} · ${fmt(o.tn)} · ${fmt(o.fn)}`],
    ], { templateColumns: 'minmax(160px, 1fr) minmax(200px, 2fr)' });
    const section = (key: string, title: string, a: ColumnAudit, intersection: boolean): HTMLElement | string => {
      const col = readFairnessColumn(a);
      if (!col) return '';
      const [heading, ...rest] = fairnessColumn(key, col, thresholdsFor(j.gate, key, intersection), gate);
      heading.textContent = title;
      return h('section', { class: 'rml-section', id: `audit-${slug(key)}`, 'data-column': key }, heading, ...rest);
    };
    const columns = Object.entries(j.sensitive).map(([k, a]) => section(k, `Sensitive column: ${k}`, a, false));
    const intersections = Object.entries(j.intersections ?? {}).map(([k, a]) => section(k, `Intersection: ${k.split('&').join(' × ')}`, a, true));
    this.root.replaceChildren(
      header,
      limits,
      notes,
      thresholdsFor(j.gate, undefined) ? thresholdsNote(thresholdsFor(j.gate, undefined), 'for every column', '') : '',
      h('section', { class: 'rml-section', id: 'audit-overall' }, h('h2', {}, 'Overall'), overall),
      ...columns,
      ...intersections,
      h('section', { class: 'rml-section', id: 'audit-cli' }, h('h2', {}, 'The same audit from a terminal'), h('pre', { class: 'rml-code' }, h('code', {}, m.command)), h('p', { class: 'rml-meta' }, `Read in ${Math.round(j.timings.readMs)} ms, computed in ${Math.round(j.timings.computeMs)} ms (in the extension's worker).`)),
    );
    this.root.setAttribute('aria-busy', 'false');
  }
}
