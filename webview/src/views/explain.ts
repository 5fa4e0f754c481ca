/**
 * The Explain view: a run's global permutation importance and weakest slices, a row picker over
 * its test rows (actual vs predicted, with a filter to step through the misclassified ones), and
 * for the chosen row its SHAP waterfall (with the additivity check and the sample counts), LIME
 * weights with their stability, the nearest counterfactual and the PDP/ICE of a chosen feature.
 * The numbers are computed in the explain worker (the same code as `rml explain`); personal-data
 * values arrive masked. Every chart has a table beside it.
 */
import type { ErrorSlices, ExplainReport, KernelShapResult, LimeResult, CounterfactualResult, PartialDependence, PermutationImportance } from '../../../src/core/explain/types';
import {
  filterRows,
  fmt,
  importanceChart,
  limeChart,
  misclassified,
  pdpChart,
  signed,
  stepRow,
  waterfallChart,
  type RowFilter,
} from '../../../src/core/explain/view-model';
import type { ExplainRowInfo, ExplainSession, HostMessage } from '../../../src/protocol/messages';
import { post } from '../api';
import { button, grid, h, svg } from '../dom';
import type { Store } from '../store';

type SessionMessage = Extract<HostMessage, { type: 'explain' }>;

const FILTERS: { value: RowFilter; label: (n: number) => string }[] = [
  { value: 'all', label: (n) => `All test rows (${n})` },
  { value: 'misclassified', label: (n) => `Misclassified (${n})` },
  { value: 'correct', label: (n) => `Correctly classified (${n})` },
];

let requests = 0;

export class ExplainView {
  private content: SessionMessage | undefined;
  private report: ExplainReport | undefined;
  private pdp: PartialDependence | undefined;
  private reused: string[] = [];
  private ms = 0;
  /** The request whose answer is awaited (row or PDP). */
  private pendingRow: { requestId: number; row: number } | undefined;
  private pendingPdp: { requestId: number; feature: string } | undefined;
  /** The first row is requested by the host itself (request 0). */
  private hostPending = true;

  private readonly busy = h('div', { class: 'rml-busy', role: 'status', 'aria-live': 'polite' });
  private readonly ring = h('vscode-progress-ring', { 'aria-hidden': 'true' });
  private readonly busyText = h('span', {});
  private readonly summary = h('p', { class: 'rml-row-summary', id: 'explain-row-summary', 'aria-live': 'polite' });
  private readonly rowInput = h('input', { type: 'number', id: 'explain-row', min: 0, step: 1, 'aria-describedby': 'explain-row-summary' }) as HTMLInputElement;
  /** Seeds every explainer of the next row (background sample, LIME, permutations, ICE sample). */
  private readonly seedInput = h('input', { type: 'number', id: 'explain-seed', min: 0, step: 1, title: 'Seeds the background sample, LIME, the permutations and the ICE sample' }) as HTMLInputElement;
  private readonly rowPart = h('div', { id: 'explain-row-sections' });
  private readonly globalPart = h('div', { id: 'explain-global' });
  private readonly pdpPart = h('div', { id: 'explain-pdp' });

  constructor(private readonly root: HTMLElement, private readonly store: Store) {
    this.busy.append(this.ring, this.busyText);
    const c = store.state.content;
    if (c?.type === 'explain') this.show(c);
  }

  private get session(): ExplainSession | undefined {
    return this.content?.session;
  }

  onMessage(m: HostMessage): void {
    switch (m.type) {
      case 'explain':
        this.store.setContent(m);
        this.show(m);
        return;
      case 'explain/result': {
        // Only the answer to the latest request (or a replay when none is awaited) counts.
        if (this.pendingRow && m.requestId !== this.pendingRow.requestId) return;
        this.pendingRow = undefined;
        this.hostPending = false;
        this.report = m.report;
        this.reused = m.reused;
        this.ms = m.ms;
        if (m.report.pdp && !this.pendingPdp) this.pdp = m.report.pdp;
        this.store.setUi('row', m.report.row.index);
        this.renderResult();
        return;
      }
      case 'explain/pdp':
        if (this.pendingPdp && m.requestId !== this.pendingPdp.requestId) return;
        if (this.report && m.row !== this.report.row.index) return;
        this.pendingPdp = undefined;
        this.pdp = m.pdp;
        this.store.setUi('pdpFeature', m.pdp.feature);
        this.renderPdp();
        this.setBusy();
        return;
      case 'explain/status': {
        const row = this.pendingRow?.requestId === m.requestId || (m.requestId === 0 && this.hostPending);
        const pdp = this.pendingPdp?.requestId === m.requestId;
        if (!row && !pdp) return;
        if (row) {
          this.pendingRow = undefined;
          this.hostPending = false;
        }
        if (pdp) this.pendingPdp = undefined;
        this.setBusy(m.state === 'failed' ? `Failed: ${m.message}` : `Cancelled (${m.message}). Pick a row to explain it.`);
        return;
      }
      default:
        return;
    }
  }

  private show(m: SessionMessage): void {
    const first = !this.content || this.content.dir !== m.dir;
    this.content = m;
    if (!first && this.root.querySelector('#explain-picker')) return;
    const s = m.session;
    if (first) this.seedInput.value = String(s.seed);
    const warnings = s.warnings.length
      ? h('div', { class: 'rml-banner note', role: 'note' }, h('strong', {}, 'Notes'), h('ul', {}, ...s.warnings.map((w) => h('li', {}, w))))
      : '';
    this.root.replaceChildren(this.header(m), warnings, this.picker(s), this.busy, this.rowPart, this.globalPart);
    this.root.setAttribute('aria-busy', 'false');
    if (!this.report) this.setBusy(`Explaining row ${this.store.ui('row', s.rows[0]?.row ?? 0)}… (the first row also computes the permutation importance and the weakest slices)`, true);
  }

  private header(m: SessionMessage): HTMLElement {
    const s = m.session;
    const task = s.task === 'binary' ? `binary, positive "${s.positive ?? s.classes[1]}", threshold ${fmt(s.threshold, 2)}` : s.task;
    return h(
      'header',
      { class: 'rml-header' },
      h(
        'div',
        {},
        h('h1', {}, `Explain: ${s.name}`),
        h('p', { class: 'rml-meta' }, `${s.model} model · ${task} · ${s.features.length} features · ${s.rows.length} test rows · ${s.referenceRows} train/validation rows (background and LIME statistics) · seed ${s.seed}`),
        h('p', { class: 'rml-meta rml-path' }, m.dir),
      ),
      h('div', { class: 'rml-actions', role: 'toolbar', 'aria-label': 'Explain actions' }, button('Open config', () => post({ type: 'open', path: m.configFile }), { title: `Open ${m.configFile}` })),
    );
  }

  // -------------------------------------------------------------------------------------------
  // The row picker

  private filter(): RowFilter {
    const f = this.store.ui<string>('filter', 'all');
    return f === 'misclassified' || f === 'correct' ? f : 'all';
  }

  private picker(s: ExplainSession): HTMLElement {
    const classifier = s.task !== 'regression';
    const counts: Record<RowFilter, number> = { all: s.rows.length, misclassified: filterRows(s.rows, 'misclassified').length, correct: filterRows(s.rows, 'correct').length };
    const filter = h(
      'vscode-dropdown',
      { id: 'explain-filter', 'aria-label': 'Which test rows to step through' },
      ...FILTERS.map((f) => h('vscode-option', { value: f.value, selected: f.value === this.filter() }, f.label(counts[f.value]))),
    );
    filter.addEventListener('change', () => {
      const v = (filter as HTMLElement & { value?: string }).value;
      if (v === 'all' || v === 'misclassified' || v === 'correct') this.store.setUi('filter', v);
      this.updateSummary();
    });
    const go = (step: 1 | -1) => {
      const next = stepRow(s.rows, this.filter(), this.currentRow(), step);
      if (next) this.requestRow(next.row);
      else this.setBusy(`No ${this.filter() === 'misclassified' ? 'misclassified' : 'correctly classified'} test rows.`);
    };
    for (const input of [this.rowInput, this.seedInput]) {
      input.addEventListener('keydown', (e) => {
        if (e.key === 'Enter') this.requestTyped();
      });
    }
    return h(
      'section',
      { id: 'explain-picker', class: 'rml-section', 'aria-labelledby': 'h-picker' },
      h('h2', { id: 'h-picker' }, 'Row'),
      h(
        'div',
        { class: 'rml-picker', role: 'group', 'aria-label': 'Row picker' },
        classifier ? h('div', { class: 'rml-field' }, h('label', { for: 'explain-filter' }, 'Step through'), filter) : '',
        button('◀ Previous', () => go(-1), { title: 'Explain the previous row of the list' }),
        button('Next ▶', () => go(1), { title: 'Explain the next row of the list' }),
        h('div', { class: 'rml-field' }, h('label', { for: 'explain-row' }, 'Data row (0-based, as predictions.csv)'), this.rowInput),
        h('div', { class: 'rml-field' }, h('label', { for: 'explain-seed' }, 'Seed'), this.seedInput),
        button('Explain row', () => this.requestTyped(), { appearance: 'primary', title: 'Explain the data row typed in the box' }),
      ),
      this.summary,
    );
  }

  private currentRow(): number | undefined {
    return this.pendingRow?.row ?? this.report?.row.index ?? this.store.ui('row', -1);
  }

  private requestTyped(): void {
    const s = this.session;
    const v = Number(this.rowInput.value);
    if (!s) return;
    if (this.rowInput.value.trim() === '' || !Number.isInteger(v) || v < 0) {
      this.setBusy('Type a data row number (0-based).');
      return;
    }
    if (!s.rows.some((r) => r.row === v)) {
      this.setBusy(`Row ${v} is not in this run's test split (${s.rows.length} rows); use Previous / Next to step through them.`);
      return;
    }
    this.requestRow(v);
  }

  /** The seed box's value, or undefined (and a message) when it is not a non-negative integer. */
  private seed(): number | undefined {
    const v = Number(this.seedInput.value);
    if (this.seedInput.value.trim() === '' || !Number.isInteger(v) || v < 0 || v > 0xffffffff) {
      this.setBusy('Type a seed: a whole number from 0 to 4294967295.');
      return undefined;
    }
    return v;
  }

  private requestRow(row: number): void {
    const seed = this.seed();
    if (seed === undefined) return;
    const requestId = ++requests;
    this.pendingRow = { requestId, row };
    this.hostPending = false;
    this.rowInput.value = String(row);
    this.updateSummary(row);
    this.setBusy(`Explaining row ${row}…`, true);
    post({ type: 'explainRow', requestId, row, seed });
  }

  private rowInfo(row: number | undefined): ExplainRowInfo | undefined {
    return this.session?.rows.find((r) => r.row === row);
  }

  private updateSummary(row = this.currentRow()): void {
    const s = this.session;
    const info = this.rowInfo(row);
    if (!s || !info) {
      this.summary.textContent = '';
      return;
    }
    const pos = s.rows.indexOf(info) + 1;
    const f = this.filter();
    const inFilter = filterRows(s.rows, f);
    const at = inFilter.indexOf(info);
    const where = f === 'all' ? '' : at >= 0 ? ` · ${at + 1} of ${inFilter.length} ${f === 'misclassified' ? 'misclassified' : 'correctly classified'}` : ` · not ${f === 'misclassified' ? 'misclassified' : 'correctly classified'}`;
    const verdict = s.task === 'regression' ? '' : misclassified(info) ? ' · ✗ misclassified' : ' · ✓ correct';
    this.summary.textContent = `Row ${info.row} (line ${info.line}; test row ${pos} of ${s.rows.length}): actual ${info.actual || '(missing)'} · predicted ${info.predicted}${verdict}${where}`;
  }

  private setBusy(message?: string, spinning = false): void {
    this.ring.hidden = !spinning;
    this.busyText.textContent = message ?? '';
    this.busy.hidden = !message;
  }

  // -------------------------------------------------------------------------------------------
  // The result

  private renderResult(): void {
    const r = this.report;
    if (!r) return;
    this.rowInput.value = String(r.row.index);
    this.updateSummary(r.row.index);
    const reused = this.reused.length ? `; ${this.reused.join(' and ')} reused from the first row` : '';
    this.setBusy(`Row ${r.row.index} explained in ${Math.round(this.ms)} ms (SHAP ${Math.round(r.timings.shapMs)} ms, LIME ${Math.round(r.timings.limeMs)} ms, counterfactual ${Math.round(r.timings.counterfactualMs)} ms${reused}).`);
    const row = r.row;
    const isClassifier = r.run.task !== 'regression';
    const rowHead = h(
      'section',
      { class: 'rml-section', id: 's-row', 'aria-labelledby': 'h-row' },
      h('h2', { id: 'h-row' }, `Row ${row.index}`),
      h('p', {}, `Line ${row.line} of the data, ${row.split} split: ${row.actual !== null ? `actual ${row.actual} → ` : ''}${r.output.description} = ${fmt(row.prediction)} → predicted ${row.decision}` + (isClassifier && row.actual !== null ? (row.actual === row.decision ? ' (correct)' : ' (misclassified)') : '')),
      h('div', { class: 'rml-values', role: 'list', 'aria-label': 'The row\'s feature values (personal data masked)' }, ...row.values.map((v) => h('span', { role: 'listitem' }, `${v.feature} = ${v.value.text}`))),
    );
    this.rowPart.replaceChildren(
      rowHead,
      h('div', { class: 'rml-explain-grid' }, r.shap ? this.shapSection(r.shap) : '', r.lime ? this.limeSection(r.lime) : ''),
      h('div', { class: 'rml-explain-grid' }, r.counterfactual ? this.counterfactualSection(r.counterfactual, r) : '', this.pdpPart),
    );
    this.renderPdp();
    if (r.importance || r.slices) this.globalPart.replaceChildren(r.importance ? this.importanceSection(r.importance) : '', r.slices ? this.slicesSection(r.slices) : '');
  }

  private section(id: string, title: string, ...children: (Node | string)[]): HTMLElement {
    return h('section', { class: 'rml-section', id: `s-${id}`, 'aria-labelledby': `h-${id}` }, h('h2', { id: `h-${id}` }, title), ...children);
  }

  private shapSection(s: KernelShapResult): HTMLElement {
    const how = s.exact ? 'exact (every coalition of the varying features)' : 'sampled (paired coalitions)';
    const bg = `${s.background.size} background rows (${s.background.method === 'kmeans' ? 'k-means summary' : 'seeded sample'} of the train/validation rows)`;
    const sorted = [...s.values].sort((a, b) => Math.abs(b.phi) - Math.abs(a.phi));
    let running = s.expectedValue;
    const rows = sorted.map((v) => {
      running += v.phi;
      return [v.feature, v.value.text, signed(v.phi), fmt(running)];
    });
    return this.section(
      'shap',
      'SHAP values (Kernel SHAP)',
      h('p', { class: 'rml-meta', id: 'shap-samples' }, `${how}: ${s.coalitions.toLocaleString('en-US')} coalitions × ${bg} = ${s.evaluations.toLocaleString('en-US')} model evaluations; ${s.varyingFeatures} of ${s.values.length} features vary; seed ${s.seed}.`),
      s.background.note ? h('p', { class: 'rml-meta' }, `Note: ${s.background.note}`) : '',
      h('div', { class: 'rml-charts' }, svg(waterfallChart(s))),
      h(
        'p',
        { class: 'rml-additivity', id: 'shap-additivity' },
        `f(x) = ${fmt(s.fx)} = E[f] ${fmt(s.expectedValue)} ${s.sum >= 0 ? '+' : '−'} Σφ ${fmt(Math.abs(s.sum))}; additivity check |Σφ − (f(x) − E[f])| = ${s.additivityError.toExponential(1)}`,
      ),
      s.linearCheck ? h('p', { class: 'rml-meta' }, `Linear model check: max |φ − exact linear SHAP| = ${s.linearCheck.maxAbsDifference.toExponential(1)}`) : '',
      grid(`SHAP values of ${s.output.description}, largest first (running total from E[f] = ${fmt(s.expectedValue)})`, ['Feature', 'Value', 'φ', 'Running total'], rows),
    );
  }

  private limeSection(l: LimeResult): HTMLElement {
    const st = l.stability;
    const rows = l.weights
      .map((w, j) => ({ w, s: st?.features[j] }))
      .sort((a, b) => Math.abs(b.w.weight) - Math.abs(a.w.weight))
      .map(({ w, s }) => [w.condition, signed(w.weight), ...(s ? [`${signed(s.mean)} ± ${fmt(s.sd)}`, `${Math.round(s.topKShare * 100)}%`] : [])]);
    return this.section(
      'lime',
      'LIME weights',
      h('p', { class: 'rml-meta' }, `${l.samples.toLocaleString('en-US')} perturbation samples, kernel width ${fmt(l.kernelWidth, 2)}, ridge α = ${l.alpha}, seed ${l.seed}; local R² ${fmt(l.score, 3)}; local prediction ${fmt(l.localPrediction)} vs model ${fmt(l.modelPrediction)}.`),
      h('div', { class: 'rml-charts' }, svg(limeChart(l))),
      st ? h('p', { class: 'rml-meta', id: 'lime-stability' }, `Stability over ${st.runs} reruns (seeds ${l.seed}…${l.seed + st.runs - 1}): the top-${st.topK} features agree with a mean pairwise Jaccard of ${fmt(st.meanTopKJaccard, 2)} (1 = always the same set).`) : '',
      grid(`LIME weights on ${l.output.description}`, ['Condition', 'Weight', ...(st ? [`Mean ± sd over ${st.runs} runs`, `In top ${st.topK}`] : [])], rows),
    );
  }

  private counterfactualSection(cf: CounterfactualResult, r: ExplainReport): HTMLElement {
    const meta = h('p', { class: 'rml-meta' }, `Goal: ${cf.goal}. Immutable (never changed): ${cf.immutable.length ? cf.immutable.join(', ') : 'none'}; at most ${cf.maxChanges} changes; ${cf.evaluations.toLocaleString('en-US')} of ${cf.budget.toLocaleString('en-US')} evaluations used.`);
    if (!cf.found || !cf.best) {
      return this.section('counterfactual', 'Nearest counterfactual', meta, h('p', { class: 'mark-fail', id: 'counterfactual-none' }, `None found within the budget: ${cf.reason ?? 'no change of the mutable features reaches the goal'}.`));
    }
    const best = cf.best;
    const out = r.output.space === 'value' ? 'prediction' : 'P';
    return this.section(
      'counterfactual',
      'Nearest counterfactual',
      meta,
      best.changes.length === 0
        ? h('p', {}, 'The row already reaches the goal.')
        : grid('The smallest change that flips the decision', ['Feature', 'From', 'To', 'Cost'], best.changes.map((c) => [c.feature, c.from.text, c.to.text, fmt(c.cost, 2)])),
      h('p', {}, `Distance ${fmt(best.distance, 2)} (numeric |Δ| in MAD units, a categorical change counts 1) → ${out} = ${fmt(best.prediction)} → ${best.decision} (was ${fmt(cf.original.prediction)} → ${cf.original.decision}).`),
      cf.alternatives.length
        ? h('details', {}, h('summary', {}, `${cf.alternatives.length} other counterfactual${cf.alternatives.length === 1 ? '' : 's'}`), h('ul', { class: 'rml-list' }, ...cf.alternatives.map((a) => h('li', {}, `${a.changes.map((c) => `${c.feature} ${c.from.text} → ${c.to.text}`).join(', ')} (distance ${fmt(a.distance, 2)})`))))
        : '',
    );
  }

  private renderPdp(): void {
    const s = this.session;
    const r = this.report;
    if (!s || !r) return;
    const p = this.pdp && this.pdp.feature ? this.pdp : undefined;
    const selected = this.pendingPdp?.feature ?? p?.feature ?? s.features[0]?.name;
    const picker = h(
      'vscode-dropdown',
      { id: 'explain-pdp-feature', 'aria-label': 'Feature of the partial dependence plot' },
      ...s.features.map((f) => h('vscode-option', { value: f.name, selected: f.name === selected }, f.name)),
    );
    picker.addEventListener('change', () => {
      const v = (picker as HTMLElement & { value?: string }).value;
      if (typeof v !== 'string' || v === '' || v === this.pdp?.feature) return;
      const requestId = ++requests;
      this.pendingPdp = { requestId, feature: v };
      this.setBusy(`Computing the partial dependence on ${v}…`, true);
      // the seed the shown row was explained with, so its ICE sample matches
      post({ type: 'explainPdp', requestId, row: r.row.index, feature: v, seed: r.shap?.seed ?? r.lime?.seed ?? s.seed });
    });
    const body: (Node | string)[] = [h('div', { class: 'rml-toolbar' }, h('div', { class: 'rml-field' }, h('label', { for: 'explain-pdp-feature' }, 'Feature'), picker))];
    if (p) {
      body.push(h('p', { class: 'rml-meta' }, `${p.centered ? 'Centred PD' : 'PD'} over ${p.rows} test rows on a ${p.grid.length}-point ${p.gridMethod} grid; ICE curves of ${p.ice.length} rows (seed ${p.seed}); the dashed line is row ${r.row.index}.`));
      if (p.note) body.push(h('p', { class: 'rml-meta' }, `Note: ${p.note}`));
      body.push(h('div', { class: 'rml-charts' }, svg(pdpChart(p))));
      body.push(grid(`Partial dependence of ${p.output.description} on ${p.feature}`, [p.feature, 'PD (mean)', ...(p.rowCurve ? [`Row ${r.row.index}`] : [])], p.grid.map((g, k) => [g.text, fmt(p.average[k]), ...(p.rowCurve ? [fmt(p.rowCurve[k])] : [])])));
    }
    this.pdpPart.replaceChildren(this.section('pdp', 'Partial dependence / ICE', ...body));
  }

  private importanceSection(imp: PermutationImportance): HTMLElement {
    return this.section(
      'importance',
      'Global feature importance',
      h('p', { class: 'rml-meta' }, `Permutation importance: the drop in ${imp.metric} on the ${imp.rows} test rows when a feature's column is shuffled, mean ± sd over ${imp.repeats} repeats (seed ${imp.seed}); baseline ${imp.metric} ${fmt(imp.baseline)}.`),
      h('div', { class: 'rml-charts' }, svg(importanceChart(imp))),
      grid(`Permutation importance (${imp.metric} drop, ${imp.repeats} repeats)`, ['Feature', 'Mean drop', 'SD'], imp.features.map((f) => [f.feature, fmt(f.mean), fmt(f.sd)])),
    );
  }

  private slicesSection(s: ErrorSlices): HTMLElement {
    const rate = s.metric === 'errorRate';
    const what = rate ? 'error rate' : 'mean absolute error';
    return this.section(
      'slices',
      'Weakest slices',
      h('p', { class: 'rml-meta' }, `The test rows' ${what} by slice (feature value ranges and their pairs, ≥ ${s.minSize} rows; ${s.tested} slices tested); overall ${fmt(s.overall)} over ${s.rows} rows. * = worse than the rest after a Bonferroni correction.`),
      s.slices.length === 0
        ? h('p', {}, 'No slice reaches the minimum size.')
        : grid(
            `Weakest slices by ${what}`,
            ['Slice', 'Size', ...(rate ? ['Errors'] : []), rate ? 'Error rate' : 'MAE', '95% interval', 'Lift', 'p (one-sided)'],
            s.slices.map((x) => [
              x.description,
              String(x.size),
              ...(rate ? [String(x.errors ?? '')] : []),
              fmt(x.value),
              `${fmt(x.lower, 3)}–${fmt(x.upper, 3)}`,
              fmt(x.lift, 2),
              (x.pValue < 1e-4 ? x.pValue.toExponential(1) : fmt(x.pValue, 4)) + (x.significant ? ' *' : ''),
            ]),
            { templateColumns: ['minmax(150px, 3fr)', ...Array<string>(rate ? 6 : 5).fill('minmax(52px, 1fr)')].join(' ') },
          ),
    );
  }
}
