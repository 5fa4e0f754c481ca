/**
 * The compare view: two runs' test metrics and per-column disparities side by side, with the
 * change from A to B and which is better (in words, not only colour); and, from the engine's
 * comparison (`rml compare`'s), the changes that matter as sentences, marked ★ in the tables,
 * energy and CO₂e, each run's DP guarantee and what changed in the config.
 */
import type { RunComparison } from '../../../src/core/report/compare';
import { delta, modelText } from '../../../src/core/report/export';
import { formatEnergy, formatMass } from '../../../src/core/sustainability/format';
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

/** ★ when the engine's comparison says this change matters (see src/core/report/compare.ts). */
function star(matters: boolean | undefined): { text: string } {
  return { text: matters ? '★' : '' };
}

function dpText(g: RunComparison['privacy']['a']): string {
  return g ? `ε = ${g.epsilon.toFixed(3)} at δ = ${g.delta.toExponential(1)} (noise σ = ${g.noiseMultiplier})` : 'none';
}

function energyText(joules: number | null, grams: number | null): string {
  if (joules === null) return 'not recorded';
  return `${formatEnergy(joules)}${grams === null ? '' : ` · ${formatMass(grams)} CO₂e`}`;
}

/** The sections only the engine's comparison provides. */
function comparisonSections(c: RunComparison): { top: HTMLElement[]; bottom: HTMLElement[] } {
  const top = [
    h('section', { class: 'rml-section', 'aria-label': 'Changes that matter' },
      h('h2', {}, 'Changes that matter'),
      c.highlights.length > 0
        ? h('div', { class: 'rml-banner note' }, h('ul', { class: 'rml-highlights' }, ...c.highlights.map((x) => h('li', {}, x))))
        : h('p', { class: 'rml-meta' }, `No change crosses the thresholds that matter (metrics ±${c.thresholds.metric}, disparities ±${c.thresholds.disparity}, energy ×${(1 + c.thresholds.energy).toFixed(1)}).`),
      ...c.warnings.map((w) => h('p', { class: 'rml-banner fail', role: 'note' }, `⚠ ${w}`))),
  ];
  const e = c.energy;
  const energyRows: (string | { text: string })[][] = [
    ['Basis', e.basis === 'none' ? 'not comparable' : e.basis === 'measured' ? 'MEASURED (RAPL)' : 'ESTIMATED (TDP model)', ''],
    ['Energy · CO₂e', energyText(e.aJoules, e.aCo2eGrams), energyText(e.bJoules, e.bCo2eGrams)],
    ['Wall time', `${e.aSeconds.toFixed(1)} s`, `${e.bSeconds.toFixed(1)} s`],
    ['B ÷ A', '', e.ratio === null ? 'n/a' : `×${e.ratio.toFixed(2)}${e.matters ? ' ★' : ''}`],
  ];
  const bottom = [
    h('section', { class: 'rml-section' }, h('h2', {}, 'Energy and time'), grid('Energy, CO₂e and wall time of A and B', ['', 'A', 'B'], energyRows), h('p', { class: 'rml-meta' }, e.note)),
  ];
  if (c.privacy.a || c.privacy.b) {
    bottom.push(h('section', { class: 'rml-section' }, h('h2', {}, 'Differential privacy'),
      grid('DP-SGD guarantee of A and B', ['', 'A', 'B'], [['Guarantee', dpText(c.privacy.a), dpText(c.privacy.b)]]),
      h('p', { class: 'rml-meta' }, 'A lower ε is more private (RDP accountant).')));
  }
  const changes = c.config.changes.map((x) => [x.path, x.a ?? '(absent)', x.b ?? '(absent)']);
  bottom.push(h('section', { class: 'rml-section' }, h('h2', {}, 'What changed in the config'),
    changes.length > 0 ? grid(`Settings that differ (from the ${c.config.source})`, ['Setting', 'A', 'B'], changes, { templateColumns: 'minmax(180px, 1fr) 2fr 2fr' }) : h('p', { class: 'rml-meta' }, 'No setting differs.'),
    h('p', { class: 'rml-meta' }, `Compared from the ${c.config.source}. ${c.config.note}`)));
  return { top, bottom };
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
    const c = m.comparison;
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
      ...(c ? [['Differential privacy', dpText(c.privacy.a), dpText(c.privacy.b)]] : []),
    ];
    const extra = c ? comparisonSections(c) : { top: [], bottom: [] };
    const metricKeys = [...new Set([...Object.keys(A.metrics ?? {}), ...Object.keys(B.metrics ?? {})])];
    const metricRows = metricKeys.map((k) => {
      const a = A.metrics?.[k];
      const b = B.metrics?.[k];
      return [metricLabel(k), fmtRate(a), fmtRate(b), delta(a, b), better(k, a, b), star(c?.metrics.find((x) => x.metric === k)?.matters)];
    });
    // Each run is judged by its own limits (its gate's), else the config's.
    const ta = thresholdsOf(A) ?? m.thresholds;
    const tb = thresholdsOf(B) ?? m.thresholds;
    const limitCell = (k: string): string => {
      const a = limitText(limitFor(k, ta));
      const b = limitText(limitFor(k, tb));
      return a === b ? a : `A ${a || 'none'} · B ${b || 'none'}`;
    };
    // The engine's per-column deltas: ★ when the change matters, and whether B is within A's interval.
    const noteFor = (column: string, k: string): { text: string } => {
      const d = c?.disparities.find((x) => x.column === column && x.metric === k);
      if (!d) return { text: '' };
      return { text: [d.matters ? '★' : '', d.withinIntervalA && d.delta !== 0 ? "within A's interval" : ''].filter(Boolean).join(' ') };
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
          noteFor(column, k),
        ];
      });
      return h('section', { class: 'rml-section' }, h('h2', {}, `Disparities: ${column}`), grid(`Disparities of ${column}, run A and run B`, ['Metric', 'A', 'B', 'Change', 'B vs A', 'Threshold', 'A result', 'B result', '★'], rows, {
        templateColumns: 'minmax(200px, 2fr) 80px 80px 90px 120px 100px 90px 90px minmax(60px, 1fr)',
      }));
    });
    this.root.replaceChildren(
      h('header', { class: 'rml-header' }, h('div', {}, h('h1', {}, 'Compare runs'), h('p', { class: 'rml-meta' }, 'Change = B − A; "better" follows each metric\'s direction (ratios and accuracy up, differences and losses down); ★ marks a change that matters.'))),
      ...extra.top,
      h(
        'div',
        { class: 'rml-compare-runs' },
        ...([['A', m.a], ['B', m.b]] as const).map(([label, r]) =>
          h('div', { class: 'rml-card' }, h('h2', {}, `${label}: ${runTitle(r.run)}`), h('p', { class: 'rml-meta rml-path' }, r.dir), button(`Open report ${label}`, () => post({ type: 'showReport', dir: r.dir }), { title: `Open the report of run ${label}` }))),
      ),
      h('section', { class: 'rml-section' }, h('h2', {}, 'Runs'), grid('The two runs', ['', 'A', 'B'], overview)),
      h('section', { class: 'rml-section' }, h('h2', {}, 'Test metrics'), grid('Test metrics of A and B', ['Metric', 'A', 'B', 'Change', 'B vs A', '★'], metricRows)),
      ...(fairness.length > 0 ? fairness : [h('p', { class: 'rml-meta' }, 'Neither run has a fairness audit.')]),
      ...extra.bottom,
    );
    this.root.setAttribute('aria-busy', 'false');
  }
}
