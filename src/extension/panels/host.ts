/**
 * One webview panel's plumbing: options (scripts on, resources only from dist/ and media/), the
 * HTML shell with a fresh nonce, the `ready` handshake, and typed messages both ways.
 *
 * The webview's document is destroyed when its tab is hidden (we do not retain it, to save
 * memory) and when the window reloads; each new document posts `ready` again. So the host never
 * relies on having posted something before: on every `ready` it replays the panel's whole content
 * from `snapshot()` (the webview also restores its own state with getState first, so nothing
 * flickers). Messages posted before `ready` are simply not sent: the replay covers them.
 */
import * as vscode from 'vscode';
import { isWebviewMessage, type HostMessage, type ViewKind, type WebviewMessage } from '../../protocol/messages';
import { Disposable } from '../util/disposable';
import { makeNonce, webviewHtml } from './csp';

/** The viewType of each kind of panel (also the `onWebviewPanel:` activation events). */
export const VIEW_TYPES: Readonly<Record<ViewKind, string>> = {
  report: 'rml.report',
  training: 'rml.training',
  data: 'rml.data',
  compare: 'rml.compare',
  audit: 'rml.audit',
  explain: 'rml.explain',
};

/** Webview options: scripts, and local resources only from the built assets. */
export function webviewOptions(extensionUri: vscode.Uri): vscode.WebviewOptions & vscode.WebviewPanelOptions {
  return {
    enableScripts: true,
    enableFindWidget: true,
    retainContextWhenHidden: false,
    localResourceRoots: [vscode.Uri.joinPath(extensionUri, 'dist'), vscode.Uri.joinPath(extensionUri, 'media')],
  };
}

export interface HostDelegate {
  /** Everything the webview must show, replayed on every `ready`. */
  snapshot(): HostMessage[];
  /** A validated message from the webview (other than `ready`). */
  onMessage(m: WebviewMessage): void | Promise<void>;
}

export class WebviewHost extends Disposable {
  private ready = false;
  private readonly onDidDisposeEmitter = this._register(new vscode.EventEmitter<void>());
  /** Fires once, when the panel is closed. */
  readonly onDidDispose = this.onDidDisposeEmitter.event;

  constructor(
    readonly panel: vscode.WebviewPanel,
    readonly kind: ViewKind,
    extensionUri: vscode.Uri,
    private readonly log: vscode.LogOutputChannel,
    private readonly delegate: HostDelegate,
  ) {
    super();
    const webview = panel.webview;
    webview.options = webviewOptions(extensionUri);
    panel.iconPath = vscode.Uri.joinPath(extensionUri, 'media', 'webview', 'icon.svg');
    this._register(webview.onDidReceiveMessage((m: unknown) => this.receive(m)));
    this._register(panel.onDidDispose(() => {
      this.onDidDisposeEmitter.fire();
      this.dispose();
    }));
    webview.html = webviewHtml({
      view: kind,
      title: panel.title,
      cspSource: webview.cspSource,
      nonce: makeNonce(),
      scriptUri: webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, 'dist', 'webview.js')).toString(),
      styleUri: webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, 'dist', 'webview.css')).toString(),
    });
  }

  /** Posts when the webview is ready; before that the message is covered by the replay on `ready`. */
  post(m: HostMessage): void {
    if (!this.ready || this.isDisposed) return;
    this.panel.webview.postMessage(m).then(undefined, (e: unknown) => this.log.warn(`[${this.kind}] postMessage failed: ${String(e)}`));
  }

  /** Posts the whole content again (e.g. after it was reloaded from disk). */
  replay(): void {
    for (const m of this.delegate.snapshot()) this.post(m);
  }

  private receive(m: unknown): void {
    if (!isWebviewMessage(m)) {
      this.log.warn(`[${this.kind}] ignored a malformed message from the webview: ${safeJson(m)}`);
      return;
    }
    if (m.type === 'ready') {
      this.ready = true;
      this.replay();
      return;
    }
    Promise.resolve(this.delegate.onMessage(m)).catch((e: unknown) => {
      this.log.error(`[${this.kind}] handling ${m.type} failed: ${e instanceof Error ? e.stack ?? e.message : String(e)}`);
      void vscode.window.showErrorMessage(`Responsible ML: ${e instanceof Error ? e.message : String(e)}`);
    });
  }

  override dispose(): void {
    if (this.isDisposed) return;
    super.dispose();
    this.panel.dispose();
  }
}

function safeJson(m: unknown): string {
  try {
    return JSON.stringify(m).slice(0, 200);
  } catch {
    return String(m);
  }
}
