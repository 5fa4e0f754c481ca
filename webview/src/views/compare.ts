/**
 * The compare view: two runs' test metrics and per-column disparities side by side, with the
 * change from A to B and which is better (in words, not only colour).
 */
import { delta, modelText } from '../../../src/core/report/export';
import type { RunRecord } from '../../../src/core/report/types';
import { disparityKeys, fmt, fmtRate, higherIsBetter, limitText, limitFor, metricLabel, reportExtras, runTitle, thresholdsOf, verdictFor } from '../../../src/core/report/view-model';
import type { HostMessage } from '../../../src/protocol/messages';
import { post } from '../api';
import { button, grid, h, verdict } from '../dom';
import type { Store } from '../store';

type CompareMessage = Extract<HostMessage, { type: 'compare' }>;

function better(metric: string, a: number | null | undefined, b: number | null | undefined): { text: string; mark?: 'pass' | 'fail' } {
  if (a === null || a === undefined || b === null || b === undefined || a === b) return { text: a === b && a !== undefined && a !== null ? 'same' : '' };
  const up = higherIsBetter(metric);
  if (up === undefined) return { text: '' };
  return (b > a) === up ? { text: '▲ B better', mark: 'pass' } : { text: '▼ B worse', mark: 'fail' };
}

function gateText(run: RunRecord): string {
  const g = reportExtras(run).gate;
  if (!g) return 'no gate';
  return g.passed ? '✓ passed' : `✗ failed (${g.failures.length})`;
}

export class CompareView {
  constructor(private readonly root: HTMLElement, private readonly store: Store) {
    const c = store.state.content;
    if (c?.type === 'compare') this.show(c);
  }

  onMessage(m: HostMessage): void {
    if (m.type !== 'compare') return;
    this.store.setContent(m);
    this.show(m);
  }

  private show(m: CompareMessage): void {
    const A = m.a.run;
    const B = m.b.run;
    const xa = reportExtras(A);
    const xb = reportExtras(B);
    const overview = [
      ['Finished', A.finishedAt, B.finishedAt],
      ['Task', A.task, B.task],
      ['Model', modelText(A), modelText(B)],
      ['Epochs', String(A.epochs), String(B.epochs)],
      ['Seed', String(A.seed), String(B.seed)],
      ['Backend', A.backend.name, B.backend.name],
      ['Data', `${fmt(A.data.rows)} rows (sha256 ${A.data.hash.slice(0, 12)})`, `${fmt(B.data.rows)} rows (sha256 ${B.data.hash.slice(0, 12)})`],
      ['Config', `sha256 ${A.config.hash.slice(0, 12)}`, `sha256 ${B.config.hash.slice(0, 12)}`],
      ['Fairness gate', gateText(A), gateText(B)],
    ];
    const metricKeys = [...new Set([...Object.keys(A.metrics ?? {}), ...Object.keys(B.metrics ?? {})])];
    const metricRows = metricKeys.map((k) => {
      const a = A.metrics?.[k];
      const b = B.metrics?.[k];
      return [metricLabel(k), fmtRate(a), fmtRate(b), delta(a, b), better(k, a, b)];
    });
    // Each run is judged by its own limits (its gate's), else the config's.
    const ta = thresholdsOf(A) ?? m.thresholds;
    const tb = thresholdsOf(B) ?? m.thresholds;
    const limitCell = (k: string): string => {
      const a = limitText(limitFor(k, ta));
      const b = limitText(limitFor(k, tb));
      return a === b ? a : `A ${a || 'none'} · B ${b || 'none'}`;
    };
    const columns = [...new Set([...Object.keys(xa.fairness ?? {}), ...Object.keys(xb.fairness ?? {})])];
    const fairness = columns.map((column) => {
      const ca = xa.fairness?.[column];
      const cb = xb.fairness?.[column];
      const keys = [...new Set([...(ca ? disparityKeys(ca) : []), ...(cb ? disparityKeys(cb) : [])])];
      const rows = keys.map((k) => {
        const a = ca?.values[k];
        const b = cb?.values[k];
        return [
          metricLabel(k),
          fmtRate(a),
          fmtRate(b),
          delta(a, b),
          better(k, a, b),
          limitCell(k),
          verdict(ca ? verdictFor(column, k, a ?? null, ta, xa.gate) : undefined),
          verdict(cb ? verdictFor(column, k, b ?? null, tb, xb.gate) : undefined),
        ];
      });
      return h('section', { class: 'rml-section' }, h('h2', {}, `Disparities: ${column}`), grid(`Disparities of ${column}, run A and run B`, ['Metric', 'A', 'B', 'Change', 'B vs A', 'Threshold', 'A result', 'B result'], rows, {
        templateColumns: 'minmax(200px, 2fr) 80px 80px 90px 120px 100px 90px 90px',
      }));
    });
    this.root.replaceChildren(
      h('header', { class: 'rml-header' }, h('div', {}, h('h1', {}, 'Compare runs'), h('p', { class: 'rml-meta' }, 'Change = B − A; "better" follows each metric\'s direction (ratios and accuracy up, differences and losses down).'))),
      h(
        'div',
        { class: 'rml-compare-runs' },
        ...([['A', m.a], ['B', m.b]] as const).map(([label, r]) =>
          h('div', { class: 'rml-card' }, h('h2', {}, `${label}: ${runTitle(r.run)}`), h('p', { class: 'rml-meta rml-path' }, r.dir), button(`Open report ${label}`, () => post({ type: 'showReport', dir: r.dir }), { title: `Open the report of run ${label}` }))),
      ),
      h('section', { class: 'rml-section' }, h('h2', {}, 'Runs'), grid('The two runs', ['', 'A', 'B'], overview)),
      h('section', { class: 'rml-section' }, h('h2', {}, 'Test metrics'), grid('Test metrics of A and B', ['Metric', 'A', 'B', 'Change', 'B vs A'], metricRows)),
      ...(fairness.length > 0 ? fairness : [h('p', { class: 'rml-meta' }, 'Neither run has a fairness audit.')]),
    );
    this.root.setAttribute('aria-busy', 'false');
  }
}
