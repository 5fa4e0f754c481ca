/**
 * "New Training Config from CSV…": read a CSV, suggest the target and the favourable value,
 * detect personal data, identifiers and protected attributes, let the user confirm, then write a
 * commented YAML config beside the CSV and open it.
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import { EXCLUDE_GLOB } from '../constants';
import { displayPath } from '../workspace';
import { LintError, type CsvDescription, type LintClient } from '../diagnostics/lint-client';
import { configName, configTemplate, identifierReason, suggestPositive, suggestTarget, taskFor, type ColumnSummary, type FlaggedColumn } from './config-template';

type ColumnItem = vscode.QuickPickItem & { column: ColumnSummary };

export async function newConfigFromCsv(arg: unknown, client: LintClient, log: vscode.LogOutputChannel): Promise<vscode.Uri | undefined> {
  const csv = arg instanceof vscode.Uri && arg.scheme === 'file' ? arg : await pickCsv('New training config', 'Train on which CSV file?');
  if (!csv) return undefined;

  // Read and profile the CSV in the lint worker: a large file must not freeze the editor.
  let description: CsvDescription;
  try {
    description = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: `Reading ${path.basename(csv.fsPath)}…`, cancellable: true },
      (_progress, token) => {
        const abort = new AbortController();
        token.onCancellationRequested(() => abort.abort());
        return client.describe(csv.fsPath, abort.signal);
      },
    );
  } catch (e) {
    if (e instanceof LintError && e.kind === 'cancelled') return undefined;
    if (e instanceof LintError && e.kind === 'input') {
      void vscode.window.showErrorMessage(`Cannot read ${path.basename(csv.fsPath)} as a CSV: ${e.message}`);
      return undefined;
    }
    throw e;
  }
  const { columns, rows } = description;
  const detected = { pii: description.pii, sensitive: description.sensitive };
  if (columns.length < 2) {
    void vscode.window.showErrorMessage(`${path.basename(csv.fsPath)} has ${columns.length} column(s); a training config needs a target and at least one feature.`);
    return undefined;
  }
  log.info(`New config from ${csv.fsPath}: ${rows} rows, ${columns.length} columns; detected ${detected.pii.length} personal-data and ${detected.sensitive.length} protected-attribute column(s)`);

  // 1. The target.
  const suggested = suggestTarget(columns);
  const items: ColumnItem[] = columns.map((c) => ({
    label: c.name,
    description: `${c.type}, ${c.distinct} distinct${c.name === suggested?.name ? ' — suggested' : ''}`,
    detail: c.top.length > 0 ? `e.g. ${c.top.slice(0, 4).map((t) => t.value).join(', ')}` : undefined,
    column: c,
  }));
  if (suggested) items.sort((a, b) => Number(b.column.name === suggested.name) - Number(a.column.name === suggested.name));
  const targetPick = await vscode.window.showQuickPick(items, { title: 'New training config (1/3): the target', placeHolder: 'Which column should the model predict?', matchOnDescription: true });
  if (!targetPick) return undefined;
  const target = targetPick.column;
  const targetReason = target.name === suggested?.name ? `suggested (${suggested.reason})` : 'chosen by you';
  const task = taskFor(target);

  // 2. The favourable value of a binary target.
  let positive: string | undefined;
  if (task === 'binary') {
    const guess = suggestPositive(target);
    const values = target.top.map((t) => ({ label: t.value, description: `${t.count} rows${t.value === guess ? ' — suggested' : ''}` }));
    values.sort((a, b) => Number(b.label === guess) - Number(a.label === guess));
    const pick = await vscode.window.showQuickPick(values, {
      title: 'New training config (2/3): the favourable outcome',
      placeHolder: `Which value of "${target.name}" is the favourable outcome (a loan granted, a hire)? Fairness metrics compare how often groups get it.`,
    });
    if (!pick) return undefined;
    positive = pick.label;
  }

  // 3. Protected attributes: the detected ones are preselected; the user confirms.
  const detectedSensitive = new Map(detected.sensitive.map((s) => [s.name, s.reason]));
  const candidates = columns.filter((c) => c.name !== target.name && !detected.pii.some((p) => p.name === c.name));
  const sensPick = await vscode.window.showQuickPick(
    candidates.map((c) => ({ label: c.name, description: detectedSensitive.get(c.name) ?? `${c.type}, ${c.distinct} distinct`, picked: detectedSensitive.has(c.name), column: c })),
    {
      title: 'New training config (3/3): protected attributes',
      placeHolder: 'Which columns are protected attributes to audit (sex, race, age…)? Detected ones are selected.',
      canPickMany: true,
      matchOnDescription: true,
    },
  );
  if (!sensPick) return undefined;
  const sensitive: FlaggedColumn[] = sensPick.map((p) => ({ name: p.label, reason: detectedSensitive.get(p.label) ?? 'chosen by you' }));

  const ignore: FlaggedColumn[] = [...detected.pii];
  for (const c of columns) {
    if (c.name === target.name || ignore.some((i) => i.name === c.name) || sensitive.some((s) => s.name === c.name)) continue;
    const why = identifierReason(c, rows);
    if (why) ignore.push({ name: c.name, reason: why });
  }

  const dir = path.dirname(csv.fsPath);
  const base = configName(path.basename(csv.fsPath));
  let file = vscode.Uri.file(path.join(dir, `${base}.rml.yaml`));
  for (let i = 2; await exists(file); i++) file = vscode.Uri.file(path.join(dir, `${base}-${i}.rml.yaml`));
  const text = configTemplate({
    name: base,
    dataPath: path.relative(dir, csv.fsPath).split(path.sep).join('/'),
    csvName: path.basename(csv.fsPath),
    rows,
    target: target.name,
    targetReason,
    task,
    positive,
    sensitive,
    ignore,
    seed: 42,
  });
  await vscode.workspace.fs.writeFile(file, Buffer.from(text, 'utf8'));
  await vscode.window.showTextDocument(file, { preview: false });
  log.info(`Wrote ${file.fsPath}`);
  void vscode.window.showInformationMessage(`Created ${path.basename(file.fsPath)}. Review its commented choices, then "▶ Train & evaluate" at the top of the file.`);
  return file;
}

/** A CSV of the workspace (the active editor's first, when it is one), or one browsed for. */
export async function pickCsv(title: string, question: string): Promise<vscode.Uri | undefined> {
  const found = (await vscode.workspace.findFiles('**/*.csv', EXCLUDE_GLOB, 500)).sort((a, b) => a.fsPath.localeCompare(b.fsPath));
  const active = vscode.window.activeTextEditor?.document.uri;
  if (active?.scheme === 'file' && /\.csv$/i.test(active.fsPath)) found.sort((a, b) => Number(b.fsPath === active.fsPath) - Number(a.fsPath === active.fsPath));
  const browse = { label: '$(folder-opened) Browse…', description: 'a CSV file anywhere', uri: undefined };
  const pick = await vscode.window.showQuickPick([...found.map((uri) => ({ label: path.basename(uri.fsPath), description: displayPath(uri), uri })), browse], {
    title,
    placeHolder: found.length > 0 ? question : 'No CSV file in this workspace: browse for one',
    matchOnDescription: true,
  });
  if (!pick) return undefined;
  if (pick.uri) return pick.uri;
  const chosen = await vscode.window.showOpenDialog({ canSelectMany: false, filters: { 'CSV files': ['csv', 'tsv', 'txt'] }, openLabel: 'Use This CSV' });
  return chosen?.[0];
}

async function exists(uri: vscode.Uri): Promise<boolean> {
  try {
    await vscode.workspace.fs.stat(uri);
    return true;
  } catch {
    return false;
  }
}

