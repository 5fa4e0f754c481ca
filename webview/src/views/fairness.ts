/**
 * The fairness rendering shared by the report view (a training run) and the audit view (a CSV of
 * predictions): the gate banner, and one sensitive column's harmed group, disparities with their
 * intervals and pass/fail against the thresholds, per-group metrics, bar charts and warnings (the
 * same document blocks as the HTML/Markdown exports).
 */
import { fairnessColumnBlocks } from '../../../src/core/report/export';
import { fmt, fmtRate, harmedGroup, limitFor, limitText, metricLabel, type FairnessColumn, type GateView } from '../../../src/core/report/view-model';
import { blocks, h } from '../dom';

/** The gate's verdict as a banner ('' without a gate). */
export function gateBanner(gate: GateView | undefined): HTMLElement | string {
  if (!gate) return '';
  if (gate.passed) return h('div', { class: 'rml-banner pass', role: 'status' }, '✓ Fairness gate passed: every threshold is met.');
  const items = gate.failures.map((f) => h('li', {}, `${f.column ?? 'any column'}: ${metricLabel(f.metric)} = ${fmtRate(f.value)} (limit ${f.op === '>=' || f.op === '>' ? '≥' : '≤'} ${fmt(f.limit)})`));
  return h('div', { class: 'rml-banner fail', role: 'alert' }, h('strong', {}, `✗ Fairness gate failed: ${gate.failures.length} ${gate.failures.length === 1 ? 'limit' : 'limits'} not met`), h('ul', {}, ...items));
}

/** One sensitive column: its heading, harmed group and blocks (tables, charts, warnings). */
export function fairnessColumn(column: string, col: FairnessColumn, thresholds: Readonly<Record<string, number>> | undefined, gate: GateView | undefined, heading = 'h2'): HTMLElement[] {
  const harmed = harmedGroup(col);
  const out: HTMLElement[] = [h(heading, {}, `Sensitive column: ${column}`)];
  if (harmed) out.push(h('p', { class: 'rml-meta' }, 'Harmed group (lowest selection rate of the favourable outcome): ', h('strong', { class: 'mark-harmed' }, harmed)));
  out.push(blocks(fairnessColumnBlocks(column, col, { thresholds: thresholds ? { ...thresholds } : undefined }, gate)));
  return out;
}

/** A line naming the thresholds that pass/fail is judged by, or saying there are none. */
export function thresholdsNote(thresholds: Readonly<Record<string, number>> | undefined, source: string, none: string): HTMLElement {
  return thresholds && Object.keys(thresholds).length > 0
    ? h('p', { class: 'rml-meta' }, `Thresholds ${source}: ${Object.keys(thresholds).map((k) => `${metricLabel(k)} ${limitText(limitFor(k, thresholds))}`).join('; ')}. Differences are maxima, ratios minima; an undefined metric fails.`)
    : h('p', { class: 'rml-meta' }, none);
}
