/**
 * The training view: live loss and validation-metric curves per epoch (training vs validation), a
 * progress bar, the current stage, and Cancel; when training ends, its status and a link to the
 * run's report.
 */
import type { EpochLog } from '../../../src/core/report/types';
import { fmtMs, fmtRate, lossChart, validationMetricChart } from '../../../src/core/report/view-model';
import { estimateLine } from '../../../src/core/sustainability/format';
import type { HostMessage, PersistedState } from '../../../src/protocol/messages';
import { post } from '../api';
import { button, grid, h, svg } from '../dom';
import type { Store } from '../store';

type Training = NonNullable<PersistedState['training']>;

export class TrainingView {
  constructor(private readonly root: HTMLElement, private readonly store: Store) {
    if (store.state.training) this.render();
  }

  private get t(): Training | undefined {
    return this.store.state.training;
  }

  onMessage(m: HostMessage): void {
    switch (m.type) {
      case 'training/start':
        this.store.state.training = { start: m, epochs: [] };
        break;
      case 'training/stage':
        if (!this.t) return;
        this.t.stage = m.stage;
        break;
      case 'training/estimate':
        if (!this.t) return;
        this.t.estimate = m.estimate;
        break;
      case 'training/epoch': {
        const t = this.t;
        if (!t) return;
        // Replays after a reload repeat epochs: keep one entry per epoch number.
        t.epochs = [...t.epochs.filter((e) => e.epoch !== m.epoch.epoch), m.epoch].sort((a, b) => a.epoch - b.epoch);
        break;
      }
      case 'training/end':
        if (!this.t) return;
        this.t.end = m;
        break;
      case 'training/detached':
        if (!this.t || this.t.end) return;
        this.t.detached = true;
        break;
      default:
        return;
    }
    this.store.save();
    this.render();
  }

  private header: HTMLElement | undefined;
  private headerKey = '';
  private actions = h('div', { class: 'rml-actions', role: 'toolbar', 'aria-label': 'Training actions' });
  private actionsKey = '';
  private estimate = h('p', { class: 'rml-meta', id: 'training-estimate', hidden: true });
  private statusBadge = h('span', { class: 'rml-badge' });
  private statusText = h('span', {});
  private ring = h('vscode-progress-ring', { 'aria-hidden': 'true' });
  private bar = h('div', { class: 'rml-progress-fill' });
  private progress = h('div', { class: 'rml-progress', role: 'progressbar', 'aria-label': 'Epochs', 'aria-valuemin': 0 }, this.bar);
  private message = h('p', { class: 'rml-banner', hidden: true });
  private charts = h('div', { class: 'rml-charts' });
  private table = h('div', {});

  /** Builds the page once, then updates its parts in place, so keyboard focus (e.g. on Cancel) survives each epoch. */
  private render(): void {
    const t = this.t;
    if (!t) return;
    const { start, epochs, end } = t;
    if (!this.header) {
      this.header = h('header', { class: 'rml-header' });
      this.root.replaceChildren(
        this.header,
        h('div', { class: 'rml-training-status', role: 'status', 'aria-live': 'polite' }, this.statusBadge, this.ring, this.statusText),
        this.progress,
        this.message,
        this.charts,
        this.table,
      );
      this.root.setAttribute('aria-busy', 'false');
    }
    const headerKey = `${start.name}|${start.configFile}`;
    if (this.headerKey !== headerKey) {
      this.headerKey = headerKey;
      this.header.replaceChildren(h('div', {}, h('h1', {}, `Training ${start.name}`), h('p', { class: 'rml-meta rml-path' }, start.configFile), this.estimate), this.actions);
    }
    this.estimate.hidden = !t.estimate;
    this.estimate.textContent = t.estimate ? `Before training: ${estimateLine(t.estimate)} at ${t.estimate.gramsPerKWh} gCO₂e/kWh` : '';
    const last: EpochLog | undefined = epochs[epochs.length - 1];
    const total = last?.epochs ?? start.epochs;
    const done = last?.epoch ?? 0;
    const running = !end && !t.detached;
    this.statusBadge.className = `rml-badge ${end?.status ?? (running ? 'running' : 'detached')}`;
    this.statusBadge.textContent = end
      ? end.status === 'completed' ? '✓ Completed' : end.status === 'cancelled' ? '■ Cancelled' : '✗ Failed'
      : t.detached ? 'No longer followed (the window was reloaded)' : 'Running';
    this.ring.hidden = !running;
    const early = end?.status === 'completed' && done < total;
    this.statusText.textContent = `Epoch ${done} of ${total}${early ? ' (stopped early)' : ''}${running && t.stage ? ` · ${t.stage}` : ''}`;
    this.bar.style.width = `${end?.status === 'completed' ? 100 : total > 0 ? Math.min(100, (100 * done) / total) : 0}%`;
    this.progress.setAttribute('aria-valuemax', String(total));
    this.progress.setAttribute('aria-valuenow', String(done));
    this.progress.setAttribute('aria-valuetext', `epoch ${done} of ${total}`);
    this.message.hidden = !end?.message;
    this.message.className = `rml-banner ${end?.status === 'completed' ? 'pass' : 'fail'}`;
    this.message.textContent = end?.message ?? '';
    this.charts.replaceChildren(svg(lossChart(epochs, total)), svg(validationMetricChart(epochs, total)));
    const recent = epochs.slice(-8).reverse().map((e) => [String(e.epoch), fmtRate(e.loss), fmtRate(e.valLoss), fmtRate(e.valMetric), fmtMs(e.ms)]);
    const metricName = last?.metricName === 'r2' ? 'Validation R²' : 'Validation accuracy';
    this.table.replaceChildren(recent.length > 0
      ? grid('Latest epochs', ['Epoch', 'Loss', 'Validation loss', metricName, 'Time'], recent)
      : h('p', { class: 'rml-meta' }, running ? 'Waiting for the first epoch…' : 'No epoch finished.'));
    this.renderActions(t, running);
  }

  private renderActions(t: Training, running: boolean): void {
    const endDir = t.end?.dir;
    const key = `${running}|${endDir ?? ''}`;
    if (key === this.actionsKey) return;
    const hadFocus = this.actions.contains(document.activeElement);
    this.actionsKey = key;
    const { configFile } = t.start;
    const list: HTMLElement[] = [];
    if (running) {
      list.push(button('Cancel', () => {
        post({ type: 'cancelTraining' });
        this.statusText.textContent = `${this.statusText.textContent ?? ''} · cancelling…`;
      }, { appearance: 'primary', title: 'Cancel the training (the run is recorded as cancelled)' }));
    }
    if (endDir) list.push(button('Open report', () => post({ type: 'showReport', dir: endDir }), { appearance: 'primary', title: `Open the report of ${endDir}` }));
    if (!running) list.push(button('Train again', () => post({ type: 'train', configFile }), { title: `Train ${configFile} again` }));
    list.push(button('Open config', () => post({ type: 'open', path: configFile }), { title: `Open ${configFile}` }));
    this.actions.replaceChildren(...list);
    // Cancel was replaced by Open report: keep the keyboard user in the toolbar.
    if (hadFocus) list[0].focus();
  }
}
