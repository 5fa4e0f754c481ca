/**
 * The VS Code webview API, typed with the protocol: post messages, keep state across reloads.
 */
import { isPersistedState, type PersistedState, type ViewKind, type WebviewMessage } from '../../src/protocol/messages';

interface VsCodeApi {
  postMessage(message: unknown): void;
  getState(): unknown;
  setState(state: unknown): void;
}

declare function acquireVsCodeApi(): VsCodeApi;

const api = acquireVsCodeApi();

export function post(m: WebviewMessage): void {
  api.postMessage(m);
}

/** The saved state of this view, when it is well-formed and of this kind. */
export function loadState(view: ViewKind): PersistedState | undefined {
  const s = api.getState();
  return isPersistedState(s) && s.view === view ? s : undefined;
}

export function saveState(s: PersistedState): void {
  api.setState(s);
}
