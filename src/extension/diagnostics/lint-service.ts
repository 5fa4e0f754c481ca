/**
 * The Problems panel: lints every training config in the workspace (on activation, and again
 * when a config, its data, its runs or its model card change), publishes the findings on the config and on the
 * CSV header cells (open or not), and answers the quick-fix provider.
 *
 * Like markdownlint: changes are debounced per config; a generation counter per config makes sure
 * a result that was overtaken by a newer change (or by the file's deletion) is never published.
 * The lint itself (sampling CSVs, statistics) runs in the lint worker thread, one config at a
 * time, so neither a workspace scan nor a large CSV ever blocks the extension host.
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import { DIAGNOSTIC_SOURCE } from '../constants';
import { DATA_FILE_GLOB, CONFIG_FILE_GLOB, MODEL_CARD_GLOB, fileKey, isConfigPath } from '../paths';
import type { SettingsStore } from '../settings';
import { Disposable } from '../util/disposable';
import { errorDetail } from '../util/errors';
import { findConfigs, rootFor } from '../workspace';
import { byPosition, findingKey, groupByFile, zeroBased, type Finding, type FindingRange } from './findings';
import { LintError, type LintClient, type LintResult } from './lint-client';

/** The stored result of one config's lint. */
interface ConfigResult {
  findings: Finding[];
  inputs: string[];
  /** The document version linted, or undefined when the file was read from disk. */
  version: number | undefined;
}

/** What the quick-fix provider needs to know about a diagnostic. */
export interface PublishedFinding {
  finding: Finding;
  /** The config whose lint produced it. */
  configFile: string;
  /** The config's document version it was computed on (undefined: from disk). */
  version: number | undefined;
}

/** A summary of a lint pass, for messages and tests. */
export interface LintSummary {
  configs: number;
  errors: number;
  warnings: number;
  infos: number;
}

export class LintService extends Disposable {
  private readonly collection = this._register(vscode.languages.createDiagnosticCollection('rml'));
  private readonly results = new Map<string, ConfigResult>();
  /** target file → finding key → published finding, for the quick fixes. */
  private readonly published = new Map<string, Map<string, PublishedFinding>>();
  private readonly generation = new Map<string, number>();
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private readonly inflight = new Map<string, AbortController>();
  /** Lints run one after another on this chain. */
  private tail: Promise<unknown> = Promise.resolve();
  private readonly linted = this._register(new vscode.EventEmitter<{ configFile: string; findings: readonly Finding[] }>());
  /** Fires after a config's findings were published. */
  readonly onDidLint = this.linted.event;

  /** `rml.lint.rules` keys already reported as unknown. */
  private readonly reportedUnknown = new Set<string>();

  constructor(
    private readonly client: LintClient,
    private readonly settings: SettingsStore,
    private readonly log: vscode.LogOutputChannel,
  ) {
    super();
    this._register(vscode.workspace.onDidChangeTextDocument((e) => {
      if (e.contentChanges.length === 0 || !this.isConfigDoc(e.document)) return;
      if (this.settings.value.lintRun === 'onType') this.schedule(e.document.uri.fsPath, this.settings.value.lintDelay);
    }));
    this._register(vscode.workspace.onDidSaveTextDocument((doc) => {
      if (this.isConfigDoc(doc)) this.schedule(doc.uri.fsPath, 0);
    }));
    this._register(vscode.workspace.onDidOpenTextDocument((doc) => {
      // A config opened for the first time (e.g. created outside a watched folder).
      if (this.isConfigDoc(doc) && !this.results.has(fileKey(doc.uri.fsPath))) this.schedule(doc.uri.fsPath, 0);
    }));
    this._register(vscode.workspace.onDidCloseTextDocument((doc) => {
      // Closing without saving reverts to the file on disk.
      if (this.isConfigDoc(doc) && this.results.get(fileKey(doc.uri.fsPath))?.version !== undefined) this.schedule(doc.uri.fsPath, 0);
    }));

    const configs = this._register(vscode.workspace.createFileSystemWatcher(CONFIG_FILE_GLOB));
    const onDisk = (uri: vscode.Uri) => {
      if (uri.scheme !== 'file') return;
      const open = this.openDocument(uri.fsPath);
      if (open?.isDirty) return; // the editor's text wins until it is saved
      this.schedule(uri.fsPath, this.settings.value.lintDelay);
    };
    this._register(configs.onDidCreate(onDisk));
    this._register(configs.onDidChange(onDisk));
    this._register(configs.onDidDelete((uri) => this.remove(uri.fsPath)));

    const data = this._register(vscode.workspace.createFileSystemWatcher(DATA_FILE_GLOB));
    const onData = (uri: vscode.Uri) => this.relintReaders(uri.fsPath);
    this._register(data.onDidCreate(onData));
    this._register(data.onDidChange(onData));
    this._register(data.onDidDelete(onData));

    // A model card where `rml card` writes it (beside its config): RML017 compares it with the config.
    const cards = this._register(vscode.workspace.createFileSystemWatcher(MODEL_CARD_GLOB));
    const onCard = (uri: vscode.Uri) => {
      if (uri.scheme === 'file') this.relintFolder(path.dirname(uri.fsPath));
    };
    this._register(cards.onDidCreate(onCard));
    this._register(cards.onDidChange(onCard));
    this._register(cards.onDidDelete(onCard));

    this._register(vscode.workspace.onDidChangeWorkspaceFolders(() => void this.lintAll()));
    this._register(settings.onDidChange((changed) => {
      if (changed.has('lintEnable') && !this.settings.value.lintEnable) this.clearAll();
      else if (changed.has('lintEnable') || changed.has('lintRules')) void this.lintAll();
    }));
  }

  /**
   * Lint every training config in the workspace, one after another, and forget configs that no
   * longer exist. Resolves with a summary once all are published.
   */
  async lintAll(): Promise<LintSummary> {
    if (!this.settings.value.lintEnable) return { configs: 0, errors: 0, warnings: 0, infos: 0 };
    const t0 = performance.now();
    const uris = await findConfigs();
    const present = new Set(uris.map((u) => fileKey(u.fsPath)));
    for (const key of [...this.results.keys()]) if (!present.has(key)) this.remove(key);
    await Promise.all(uris.map((u) => this.lintNow(u.fsPath)));
    const summary = this.summary(uris.map((u) => u.fsPath));
    this.log.info(`Linted ${summary.configs} training config(s) in ${Math.round(performance.now() - t0)} ms: ${summary.errors} error(s), ${summary.warnings} warning(s), ${summary.infos} info`);
    return summary;
  }

  /** Lint one config now (cancelling a pending debounce) and resolve once its findings are published. */
  lintNow(configFile: string): Promise<readonly Finding[] | undefined> {
    const key = fileKey(configFile);
    this.clearTimer(key);
    const gen = this.bump(key);
    const job = this.tail.then(() => this.run(key, gen));
    this.tail = job.catch(() => undefined);
    return job;
  }

  /** Debounce a lint of one config. */
  schedule(configFile: string, delayMs: number): void {
    if (!this.settings.value.lintEnable) return;
    const key = fileKey(configFile);
    this.clearTimer(key);
    this.bump(key); // anything in flight for this config is now stale
    this.timers.set(
      key,
      setTimeout(() => {
        this.timers.delete(key);
        void this.lintNow(key);
      }, delayMs),
    );
  }

  /** Re-lint the configs in a folder (a run was recorded there, or its model card changed: RML013 and RML017 read them). */
  relintFolder(folder: string): void {
    const dir = fileKey(folder);
    for (const key of this.results.keys()) if (path.dirname(key) === dir) this.schedule(key, 0);
  }

  /** The finding behind a diagnostic shown on `uri`, if it is one of ours and still current. */
  findingFor(uri: vscode.Uri, d: vscode.Diagnostic): PublishedFinding | undefined {
    if (d.source !== DIAGNOSTIC_SOURCE) return undefined;
    const code = typeof d.code === 'object' ? String(d.code.value) : String(d.code ?? '');
    const key = findingKey(code, d.message, {
      startLine: d.range.start.line,
      startCharacter: d.range.start.character,
      endLine: d.range.end.line,
      endCharacter: d.range.end.character,
    });
    return this.published.get(fileKey(uri.fsPath))?.get(key);
  }

  /** Findings currently published for a config (after the rule settings). */
  findingsOf(configFile: string): Finding[] {
    return this.results.get(fileKey(configFile))?.findings ?? [];
  }

  /** Counts over some configs' published findings. */
  summary(configFiles: readonly string[]): LintSummary {
    const s: LintSummary = { configs: configFiles.length, errors: 0, warnings: 0, infos: 0 };
    for (const c of configFiles) {
      for (const f of this.findingsOf(c)) {
        if (f.severity === 'error') s.errors++;
        else if (f.severity === 'warning') s.warnings++;
        else s.infos++;
      }
    }
    return s;
  }

  override dispose(): void {
    for (const t of this.timers.values()) clearTimeout(t);
    for (const a of this.inflight.values()) a.abort();
    super.dispose();
  }

  // ------------------------------------------------------------------ internals

  private async run(key: string, gen: number): Promise<readonly Finding[] | undefined> {
    if (this.isDisposed || this.generation.get(key) !== gen || !this.settings.value.lintEnable) return undefined;
    const doc = this.openDocument(key);
    const abort = new AbortController();
    this.inflight.get(key)?.abort();
    this.inflight.set(key, abort);
    let result: LintResult;
    try {
      result = await this.client.lint(
        { configFile: key, text: doc?.getText(), root: rootFor(vscode.Uri.file(key)), rules: this.settings.value.lintRules, diskCache: vscode.workspace.isTrusted },
        abort.signal,
      );
    } catch (e) {
      if (e instanceof LintError && e.kind === 'cancelled') return undefined;
      if (this.generation.get(key) !== gen) return undefined;
      // The file vanished between the event and the lint: treat it as deleted.
      if (e instanceof LintError && e.kind === 'missing') {
        this.remove(key);
        return undefined;
      }
      this.log.error(`Lint of ${key} failed: ${errorDetail(e)}`);
      return undefined;
    } finally {
      if (this.inflight.get(key) === abort) this.inflight.delete(key);
    }
    for (const u of result.unknownRules) {
      if (this.reportedUnknown.has(u)) continue;
      this.reportedUnknown.add(u);
      this.log.warn(`rml.lint.rules: '${u}' names no rule (use an id like RML003 or a name like undeclared-sensitive); it is ignored`);
    }
    // Stale: the config changed, was deleted, or the extension is shutting down.
    if (this.isDisposed || this.generation.get(key) !== gen) return undefined;
    const findings = result.findings.map((f) => ({ ...f, file: path.resolve(path.dirname(key), f.file) }));
    const before = this.results.get(key);
    this.results.set(key, { findings, inputs: result.inputs.map(fileKey), version: doc?.version });
    const targets = new Set<string>([key, ...findings.map((f) => fileKey(f.file)), ...(before?.findings ?? []).map((f) => fileKey(f.file))]);
    for (const t of targets) this.publish(t);
    this.log.debug(`Linted ${key} in ${Math.round(result.ms)} ms (in the lint worker): ${findings.length} finding(s)`);
    this.linted.fire({ configFile: key, findings: this.findingsOf(key) });
    return findings;
  }

  /** Recompute the diagnostics of one file from every config whose findings touch it. */
  private publish(target: string): void {
    const uri = vscode.Uri.file(target);
    const diagnostics: vscode.Diagnostic[] = [];
    const index = new Map<string, PublishedFinding>();
    for (const [configFile, r] of this.results) {
      const mine = groupByFile(r.findings).get(target);
      if (!mine) continue;
      for (const f of mine.sort(byPosition)) {
        const d = toDiagnostic(f);
        const key = findingKey(f.ruleId, d.message, zeroBased(f));
        // Two configs reading the same CSV make the same finding on its header: show it once.
        if (index.has(key)) continue;
        index.set(key, { finding: f, configFile, version: r.version });
        diagnostics.push(d);
      }
    }
    if (diagnostics.length > 0) {
      this.collection.set(uri, diagnostics);
      this.published.set(target, index);
    } else {
      this.collection.delete(uri);
      this.published.delete(target);
    }
  }

  /** Forget a config (deleted, or outside the workspace now) and clear what it published. */
  private remove(configFile: string): void {
    const key = fileKey(configFile);
    this.clearTimer(key);
    this.bump(key);
    this.inflight.get(key)?.abort();
    const r = this.results.get(key);
    this.results.delete(key);
    const targets = new Set<string>([key, ...(r?.findings ?? []).map((f) => fileKey(f.file))]);
    for (const t of targets) this.publish(t);
  }

  private clearAll(): void {
    for (const key of [...this.results.keys()]) this.bump(key);
    for (const t of this.timers.values()) clearTimeout(t);
    this.timers.clear();
    this.results.clear();
    this.published.clear();
    this.collection.clear();
  }

  /** Re-lint the configs that read a data file that changed. */
  private relintReaders(file: string): void {
    const key = fileKey(file);
    for (const [configFile, r] of this.results) if (r.inputs.includes(key)) this.schedule(configFile, this.settings.value.lintDelay);
  }

  private bump(key: string): number {
    const gen = (this.generation.get(key) ?? 0) + 1;
    this.generation.set(key, gen);
    return gen;
  }

  private clearTimer(key: string): void {
    const t = this.timers.get(key);
    if (t) clearTimeout(t);
    this.timers.delete(key);
  }

  private isConfigDoc(doc: vscode.TextDocument): boolean {
    return doc.uri.scheme === 'file' && isConfigPath(doc.uri.fsPath);
  }

  private openDocument(file: string): vscode.TextDocument | undefined {
    const key = fileKey(file);
    return vscode.workspace.textDocuments.find((d) => d.uri.scheme === 'file' && fileKey(d.uri.fsPath) === key);
  }
}

function toRange(r: FindingRange): vscode.Range {
  const z = zeroBased(r);
  return new vscode.Range(z.startLine, z.startCharacter, z.endLine, z.endCharacter);
}

const SEVERITY: Record<Finding['severity'], vscode.DiagnosticSeverity> = {
  error: vscode.DiagnosticSeverity.Error,
  warning: vscode.DiagnosticSeverity.Warning,
  info: vscode.DiagnosticSeverity.Information,
};

function toDiagnostic(f: Finding): vscode.Diagnostic {
  const d = new vscode.Diagnostic(toRange(f), f.message, SEVERITY[f.severity]);
  d.source = DIAGNOSTIC_SOURCE;
  d.code = f.helpUri ? { value: f.ruleId, target: vscode.Uri.parse(f.helpUri) } : f.ruleId;
  if (f.related?.length) {
    d.relatedInformation = f.related.map((r) => new vscode.DiagnosticRelatedInformation(new vscode.Location(vscode.Uri.file(r.file), toRange(r)), r.message));
  }
  return d;
}
