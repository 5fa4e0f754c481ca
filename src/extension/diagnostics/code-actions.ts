/**
 * Quick fixes: each finding's suggested fixes become CodeActions whose WorkspaceEdit changes the
 * training config (undoable, like any edit). A fix that would touch another file, such as the
 * CSV, is never offered. Works from the config and from a CSV header cell alike: the edit always
 * goes to the config that produced the finding.
 */
import * as vscode from 'vscode';
import { COMMANDS, DIAGNOSTIC_SOURCE, SETTINGS_SECTION } from '../constants';
import { fileKey } from '../paths';
import { configOnlyFixes, distinctFixes, zeroBased } from './findings';
import type { LintService, PublishedFinding } from './lint-service';

/** pii-column: its findings also offer a de-identified copy of the data. */
const PII_RULE = 'RML001';

export class QuickFixProvider implements vscode.CodeActionProvider {
  static readonly metadata: vscode.CodeActionProviderMetadata = { providedCodeActionKinds: [vscode.CodeActionKind.QuickFix] };

  constructor(private readonly lint: LintService) {}

  provideCodeActions(document: vscode.TextDocument, _range: vscode.Range, context: vscode.CodeActionContext): vscode.CodeAction[] {
    if (context.only && !context.only.contains(vscode.CodeActionKind.QuickFix)) return [];
    const actions: vscode.CodeAction[] = [];
    const found: { d: vscode.Diagnostic; p: PublishedFinding }[] = [];
    for (const d of context.diagnostics) {
      if (d.source !== DIAGNOSTIC_SOURCE) continue;
      const p = this.lint.findingFor(document.uri, d);
      if (p) found.push({ d, p });
    }
    // Each distinct edit once, resolving every finding that offers it (RML002 and RML003 both
    // offer to declare the same column).
    const fixes = distinctFixes(found.filter(({ p }) => isCurrent(p)).map(({ d, p }) => ({ owner: { d, p }, fixes: configOnlyFixes(p.finding, p.configFile) })));
    for (const { fix, owners, preferred } of fixes) {
      const action = new vscode.CodeAction(fix.title, vscode.CodeActionKind.QuickFix);
      const edit = new vscode.WorkspaceEdit();
      const target = vscode.Uri.file(owners[0].p.configFile);
      for (const e of fix.edits) {
        const z = zeroBased(e);
        edit.replace(target, new vscode.Range(z.startLine, z.startCharacter, z.endLine, z.endCharacter), e.newText);
      }
      action.edit = edit;
      action.diagnostics = owners.map((o) => o.d);
      action.isPreferred = preferred;
      action.command = { command: COMMANDS.quickFixApplied, title: fix.title, arguments: [owners[0].p.finding.ruleId] };
      actions.push(action);
    }
    for (const { d, p } of found) {
      if (p.finding.ruleId === PII_RULE) {
        const name = p.finding.column ? `'${p.finding.column}'` : 'the personal data';
        const copy = new vscode.CodeAction(`Write a de-identified copy of the data (${name} masked) and train on it`, vscode.CodeActionKind.QuickFix);
        copy.command = { command: COMMANDS.deidentifyData, title: copy.title, arguments: [p.configFile] };
        copy.diagnostics = [d];
        actions.push(copy);
      }
      if (p.finding.helpUri) {
        const doc = new vscode.CodeAction(`Show documentation for ${p.finding.ruleId} (${p.finding.ruleName})`, vscode.CodeActionKind.QuickFix);
        doc.command = { command: COMMANDS.openRuleDoc, title: doc.title, arguments: [p.finding.helpUri] };
        doc.diagnostics = [d];
        actions.push(doc);
      }
      const configure = new vscode.CodeAction(`Change the severity of ${p.finding.ruleId} or turn it off…`, vscode.CodeActionKind.QuickFix);
      configure.command = { command: 'workbench.action.openSettings', title: configure.title, arguments: [`${SETTINGS_SECTION}.lint.rules`] };
      configure.diagnostics = [d];
      actions.push(configure);
    }
    return actions;
  }
}

/**
 * Whether a finding's edits still fit the config's text: computed on the open document's current
 * version, or on the file on disk while the config has no unsaved changes. A stale finding is about
 * to be replaced by the next lint, so its fixes are not offered.
 */
function isCurrent(p: PublishedFinding): boolean {
  const key = fileKey(p.configFile);
  const doc = vscode.workspace.textDocuments.find((d) => d.uri.scheme === 'file' && fileKey(d.uri.fsPath) === key);
  if (p.version === undefined) return !doc?.isDirty;
  return doc !== undefined && doc.version === p.version;
}
