/**
 * The one typed message module between the extension host and the webviews. Both sides import
 * it (the webview through its own tsconfig), so every message is checked at compile time.
 *
 * Handshake: a webview posts `ready` once its script has loaded; the host posts nothing before
 * that. Requests that expect an answer carry a `requestId`, echoed in the reply.
 */
import type { DatasetProfile } from '../core/data/types';
import type { EpochLog, RunRecord } from '../core/report/types';

/** Which view a panel shows. */
export type ViewKind = 'report' | 'training' | 'data' | 'compare';

/** A lint finding as the data view shows it (values already masked). */
export interface ColumnFinding {
  column: string;
  ruleId: string;
  severity: 'error' | 'warning' | 'info';
  message: string;
}

/** Host → webview. */
export type HostMessage =
  /** Show a run's report. `dir` is the run folder (for display and exports). */
  | { type: 'report'; dir: string; run: RunRecord; configFile: string }
  /** Training started: clear the curves. */
  | { type: 'training/start'; name: string; configFile: string; epochs: number; backend?: string }
  | { type: 'training/stage'; stage: string }
  | { type: 'training/epoch'; epoch: EpochLog }
  /** Training ended; `dir` is the run folder when one was written. */
  | { type: 'training/end'; status: 'completed' | 'cancelled' | 'failed'; dir?: string; message?: string }
  /** The dataset profile with the findings on its columns. */
  | { type: 'data'; profile: DatasetProfile; findings: ColumnFinding[]; configFile: string }
  /** Two runs side by side. */
  | { type: 'compare'; a: { dir: string; run: RunRecord }; b: { dir: string; run: RunRecord } }
  /** Reply to an `export` request. */
  | { type: 'exported'; requestId: number; path?: string; error?: string };

/** Webview → host. */
export type WebviewMessage =
  /** The webview's script is ready to receive messages. */
  | { type: 'ready' }
  /** Cancel the running training. */
  | { type: 'cancelTraining' }
  /** Export the shown report to a file beside the run. */
  | { type: 'export'; requestId: number; format: 'html' | 'markdown' }
  /** Open a file (e.g. the config, the CSV) at an optional 1-based line. */
  | { type: 'open'; path: string; line?: number }
  /** Re-run training for the report's config. */
  | { type: 'train'; configFile: string };

/** What a webview keeps with `setState` so it survives a reload (and the serializer restores). */
export interface PersistedState {
  view: ViewKind;
  /** The last host message that defined the content (report, data or compare). */
  content?: HostMessage;
  /** UI state: e.g. the what-if threshold, the selected sensitive column. */
  ui?: Record<string, string | number | boolean>;
}

/** Narrowing helper for the host: is this a well-formed webview message? */
export function isWebviewMessage(m: unknown): m is WebviewMessage {
  if (typeof m !== 'object' || m === null) return false;
  const t = (m as { type?: unknown }).type;
  return t === 'ready' || t === 'cancelTraining' || t === 'export' || t === 'open' || t === 'train';
}
