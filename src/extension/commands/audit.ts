/**
 * "Audit Predictions…": the fairness audit of a CSV of predictions made anywhere (Python, R, a
 * vendor), as `rml audit` does it, from pickers instead of flags. The CSV is read and described in
 * the lint worker (PII values masked there), the user picks the label, the predictions (or scores
 * and a threshold), the sensitive columns and the options, then the audit runs in the worker under a
 * cancellable progress notification and opens in the "Fairness audit" view.
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import { parseFailOn } from '../../core/fairness/gate';
import { combinations } from '../../core/fairness/groups';
import type { PanelService } from '../panels';
import { LintError, type CsvDescription, type LintClient } from '../diagnostics/lint-client';
import { requireTrust } from '../trust';
import { displayPath } from '../workspace';
import { pickCsv } from './new-config';
import {
  EDITOR_BOOTSTRAP,
  auditOptions,
  cliEquivalent,
  columnSummary,
  examples,
  foreignPredictionValues,
  isScoreColumn,
  suggestFavourable,
  suggestLabel,
  suggestPrediction,
  type AuditPicks,
} from './audit-picks';
import type { ColumnSummary } from './config-template';

type ColumnItem = vscode.QuickPickItem & { column: ColumnSummary };

const TITLE = 'Audit predictions';
/** workspaceState key: the fairness limits last used, offered again. */
const LIMITS_KEY = 'rml.audit.limits';

export interface AuditDeps {
  client: LintClient;
  panels: PanelService;
  log: vscode.LogOutputChannel;
  state: vscode.Memento;
}

/** Runs the command; resolves to the audit's result, or undefined when refused, cancelled or failed (the user was told). */
export async function auditPredictions(arg: unknown, deps: AuditDeps): Promise<{ file: string; gatePassed: boolean } | undefined> {
  if (!(await requireTrust('Audit Predictions', 'it reads whole data files of this workspace and computes on them'))) return undefined;
  const csv = arg instanceof vscode.Uri && arg.scheme === 'file' ? arg : await pickCsv(TITLE, 'Audit the predictions in which CSV file?');
  if (!csv) return undefined;
  const name = path.basename(csv.fsPath);

  const description = await withWorker(`Reading ${name}…`, (signal) => deps.client.describe(csv.fsPath, signal), (m) => `Cannot read ${name} as a CSV: ${m}`);
  if (!description) return undefined;
  if (description.columns.length < 3) {
    void vscode.window.showErrorMessage(`${name} has ${description.columns.length} column(s); an audit needs a label, the predictions and at least one sensitive column.`);
    return undefined;
  }
  const picks = await pickAudit(csv.fsPath, description, deps.state);
  if (!picks) return undefined;
  const options = auditOptions(picks);
  const command = cliEquivalent(options, displayPath(csv));
  deps.log.info(`Audit Predictions: ${command}`);

  const result = await withWorker(`Auditing ${name}…`, (signal) => deps.client.audit(options, signal), (m) => `The audit of ${name} failed: ${m}`);
  if (!result) return undefined;
  deps.log.info(`Audit of ${csv.fsPath}: ${result.json.rows} rows, read ${result.json.timings.readMs} ms, computed ${result.json.timings.computeMs} ms; gate ${result.json.gate.limits.length === 0 ? 'not set' : result.json.gate.passed ? 'passed' : 'failed'}`);
  deps.panels.showAudit({ type: 'audit', result, command });
  return { file: result.file, gatePassed: result.json.gate.passed };
}

/**
 * Runs `work` in the worker under a cancellable notification. Bad input is shown with `explain`
 * (its message names file, line and the picker step); cancelling resolves to undefined.
 */
async function withWorker<T>(title: string, work: (signal: AbortSignal) => Promise<T>, explain: (message: string) => string): Promise<T | undefined> {
  try {
    return await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title, cancellable: true }, (_progress, token) =>
      new Promise<T>((resolve, reject) => {
        // Cancel settles at once (the worker stops at its next check and its late answer is dropped).
        const abort = new AbortController();
        token.onCancellationRequested(() => {
          abort.abort();
          reject(new LintError('cancelled', 'cancelled'));
        });
        work(abort.signal).then(resolve, reject);
      }),
    );
  } catch (e) {
    if (e instanceof LintError && e.kind === 'cancelled') return undefined;
    if (e instanceof LintError && (e.kind === 'input' || e.kind === 'missing')) {
      void vscode.window.showErrorMessage(explain(e.message), { modal: false });
      return undefined;
    }
    throw e;
  }
}

function columnItem(c: ColumnSummary, pii: ReadonlySet<string>, note?: string): ColumnItem {
  return { label: c.name, description: `${columnSummary(c)}${note ? ` — ${note}` : ''}`, detail: examples(c, pii), column: c };
}

/** First the suggested item, then the rest in file order. */
function suggestedFirst(items: ColumnItem[], suggested: string | undefined): ColumnItem[] {
  return [...items].sort((a, b) => Number(b.column.name === suggested) - Number(a.column.name === suggested));
}

async function pickAudit(data: string, d: CsvDescription, state: vscode.Memento): Promise<AuditPicks | undefined> {
  const pii = new Set(d.pii.map((p) => p.name));
  const columns = d.columns;
  const steps = 5;

  // 1. The label (ground truth).
  const labelGuess = suggestLabel(columns);
  const labelPick = await vscode.window.showQuickPick(
    suggestedFirst(columns.map((c) => columnItem(c, pii, c.name === labelGuess ? 'suggested' : undefined)), labelGuess),
    { title: `${TITLE} (1/${steps}): the label column`, placeHolder: 'Which column holds the true outcome (the ground truth)?', matchOnDescription: true, ignoreFocusOut: true },
  );
  if (!labelPick) return undefined;
  const label = labelPick.column;

  // 2. The favourable value of the label.
  const favourable = suggestFavourable(label);
  const values = label.top.map((t) => ({ label: t.value, description: `${t.count.toLocaleString('en-US')} rows${t.value === favourable ? ' — suggested' : ''}` }));
  values.sort((a, b) => Number(b.label === favourable) - Number(a.label === favourable));
  const positivePick = await vscode.window.showQuickPick(values, {
    title: `${TITLE} (2/${steps}): the favourable outcome`,
    placeHolder: label.distinct > 2
      ? `"${label.name}" has ${label.distinct} values: which one is audited against all the others (the favourable outcome)?`
      : `Which value of "${label.name}" is the favourable outcome (a loan granted, a hire)? Every rate is measured for it.`,
    ignoreFocusOut: true,
  });
  if (!positivePick) return undefined;
  const positive = positivePick.label;

  // 3. The predictions: predicted labels, or scores and a threshold.
  const others = columns.filter((c) => c.name !== label.name);
  const predGuess = suggestPrediction(columns, label.name);
  const predPick = await vscode.window.showQuickPick(
    suggestedFirst(others.map((c) => columnItem(c, pii, [isScoreColumn(c) ? 'scores: a threshold is asked next' : 'predicted labels', c.name === predGuess ? 'suggested' : ''].filter(Boolean).join(', '))), predGuess),
    { title: `${TITLE} (3/${steps}): the predictions`, placeHolder: "Which column holds the model's predicted labels, or its scores for the favourable outcome?", matchOnDescription: true, ignoreFocusOut: true },
  );
  if (!predPick) return undefined;
  const pred = predPick.column;
  let prediction: AuditPicks['prediction'];
  if (isScoreColumn(pred)) {
    const range = pred.min !== undefined && pred.max !== undefined ? ` Its scores range from ${pred.min} to ${pred.max}.` : '';
    const t = await vscode.window.showInputBox({
      title: `${TITLE} (3/${steps}): the decision threshold`,
      prompt: `A row is predicted "${positive}" when its score in "${pred.name}" is at least this.${range}`,
      value: '0.5',
      ignoreFocusOut: true,
      validateInput: (v) => (Number.isFinite(Number(v.trim())) && v.trim() !== '' ? undefined : 'A number, e.g. 0.5'),
    });
    if (t === undefined) return undefined;
    prediction = { kind: 'score', column: pred.name, threshold: Number(t.trim()) };
  } else {
    prediction = { kind: 'pred', column: pred.name };
    const foreign = foreignPredictionValues(pred, label, positive);
    if (foreign.length > 0) {
      // The predictions use other codes than the label: which one means the favourable outcome?
      const p = await vscode.window.showQuickPick(pred.top.map((t) => ({ label: t.value, description: `${t.count.toLocaleString('en-US')} rows` })), {
        title: `${TITLE} (3/${steps}): the favourable prediction`,
        placeHolder: `"${pred.name}" uses other values than "${label.name}" (${foreign.slice(0, 4).join(', ')}): which one predicts "${positive}"?`,
        ignoreFocusOut: true,
      });
      if (!p) return undefined;
      prediction.positive = p.label;
    }
  }

  // 4. The sensitive columns: the detected protected attributes are preselected.
  const detected = new Map(d.sensitive.map((s) => [s.name, s.reason]));
  const candidates = columns.filter((c) => c.name !== label.name && c.name !== pred.name);
  const sensPick = await vscode.window.showQuickPick(
    candidates.map((c): ColumnItem => ({ ...columnItem(c, pii, detected.get(c.name)), picked: detected.has(c.name) })),
    {
      title: `${TITLE} (4/${steps}): sensitive columns`,
      placeHolder: 'Which columns are the protected attributes whose groups to compare (sex, race, age…)? Detected ones are selected.',
      canPickMany: true,
      matchOnDescription: true,
      ignoreFocusOut: true,
    },
  );
  if (!sensPick) return undefined;
  if (sensPick.length === 0) {
    void vscode.window.showWarningMessage('Pick at least one sensitive column: the audit compares the groups of each.');
    return undefined;
  }
  const sensitive = sensPick.map((p) => p.column);

  // 5. Options.
  const picks: AuditPicks = { data, label: label.name, positive, prediction, sensitive: sensitive.map((c) => c.name), bootstrap: EDITOR_BOOTSTRAP };
  const opt = await pickOptions(picks, sensitive, pii, state, steps);
  return opt;
}

type OptionId = 'bootstrap' | 'intersections' | 'privileged' | 'minGroupSize' | 'limits';

async function pickOptions(picks: AuditPicks, sensitive: ColumnSummary[], pii: ReadonlySet<string>, state: vscode.Memento, steps: number): Promise<AuditPicks | undefined> {
  const lastLimits = state.get<string>(LIMITS_KEY);
  const items: (vscode.QuickPickItem & { id: OptionId })[] = [
    { id: 'bootstrap', label: 'Confidence intervals', description: `${EDITOR_BOOTSTRAP.toLocaleString('en-US')} bootstrap resamples, seed 0`, detail: 'A 95% interval for every disparity: how sure the numbers are for groups of this size.', picked: true },
    ...(sensitive.length >= 2 ? [{ id: 'intersections' as const, label: 'Intersections', description: sensitive.map((c) => c.name).join(' × '), detail: 'Also audit the combined groups (e.g. Black women), where disparities often hide.' }] : []),
    { id: 'privileged', label: 'Privileged group…', description: 'AIF360 signed metrics', detail: 'Compare every other group with a reference group (statistical parity difference, disparate impact, average odds difference).' },
    { id: 'minGroupSize', label: 'Minimum group size…', description: 'default 30 rows', detail: 'Groups with fewer rows are flagged: their rates are unreliable.' },
    { id: 'limits', label: 'Fairness limits…', description: lastLimits ?? 'pass/fail', detail: 'Judge the disparities against limits, e.g. demographicParityDifference<=0.1, disparateImpactRatio>=0.8.', picked: lastLimits !== undefined },
  ];
  const chosen = await vscode.window.showQuickPick(items, {
    title: `${TITLE} (5/${steps}): options`,
    placeHolder: 'Options (Enter to audit with the selected ones)',
    canPickMany: true,
    ignoreFocusOut: true,
  });
  if (!chosen) return undefined;
  const on = new Set(chosen.map((c) => c.id));
  const out: AuditPicks = { ...picks, bootstrap: on.has('bootstrap') ? EDITOR_BOOTSTRAP : 0, intersections: on.has('intersections') };

  if (on.has('privileged')) {
    const privileged: Record<string, string> = {};
    for (const c of sensitive) {
      const none = { label: '(none)', description: 'no reference group for this column' };
      const values = c.top.map((t) => ({ label: t.value, description: `${t.count.toLocaleString('en-US')} rows` }));
      const p = await vscode.window.showQuickPick([...(pii.has(c.name) ? [] : values), none], {
        title: `${TITLE}: privileged group of "${c.name}"`,
        placeHolder: pii.has(c.name) ? `"${c.name}" holds personal data: its values are not listed` : `Which group of "${c.name}" is the privileged (reference) group?`,
        ignoreFocusOut: true,
      });
      if (!p) return undefined;
      if (p !== none) privileged[c.name] = p.label;
    }
    out.privileged = privileged;
  }
  if (on.has('minGroupSize')) {
    const v = await vscode.window.showInputBox({
      title: `${TITLE}: minimum group size`,
      prompt: 'Groups with fewer rows are flagged as unreliable.',
      value: '30',
      ignoreFocusOut: true,
      validateInput: (s) => (/^\s*\d+\s*$/.test(s) && Number(s) >= 1 ? undefined : 'A whole number of rows, at least 1'),
    });
    if (v === undefined) return undefined;
    out.minGroupSize = Number(v.trim());
  }
  if (on.has('limits')) {
    const audited = new Set([...out.sensitive, ...(out.intersections ? combinations(out.sensitive).map((c) => c.join('&')) : [])]);
    const v = await vscode.window.showInputBox({
      title: `${TITLE}: fairness limits`,
      prompt: `Comma-separated <metric><op><number>, optionally for one column ("sex:disparateImpactRatio>=0.8"). Columns: ${[...audited].join(', ')}.`,
      value: lastLimits ?? 'demographicParityDifference<=0.1,disparateImpactRatio>=0.8',
      ignoreFocusOut: true,
      validateInput: (s) => {
        try {
          const limits = parseFailOn(s);
          const unknown = limits.find((l) => l.column !== undefined && !audited.has(l.column));
          return unknown ? `"${unknown.column}" is not an audited column (${[...audited].join(', ')})` : undefined;
        } catch (e) {
          return e instanceof Error ? e.message.replace(/--fail-on/g, 'the limits') : String(e);
        }
      },
    });
    if (v === undefined) return undefined;
    out.limits = parseFailOn(v);
    await state.update(LIMITS_KEY, v.trim());
  }
  return out;
}
