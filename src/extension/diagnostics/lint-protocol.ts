/**
 * Messages between the extension host and the lint worker (`dist/lint-worker.js`). The lint reads
 * and samples CSV files and computes statistics over them: hundreds of milliseconds to seconds of
 * CPU per config, which must never block the extension host's event loop.
 */
import type { AuditCsvOptions, AuditResult } from '../../core/fairness/audit-csv';
import type { HostMessage } from '../../protocol/messages';
import type { ColumnSummary, FlaggedColumn } from '../commands/config-template';
import type { Severity } from '../settings-schema';
import type { Finding } from './findings';

/** Host → worker. */
export type ToLintWorker =
  | {
      type: 'lint';
      id: number;
      configFile: string;
      /** The editor's text (unsaved changes included); absent: read the file. */
      text?: string;
      root: string;
      /** The `rml.lint.rules` setting as the user wrote it (rule ids or names → severity or off). */
      rules: Record<string, Severity | 'off'>;
      /** Keep data samples on disk too (`.rml/cache` beside the config): only in trusted workspaces. */
      diskCache: boolean;
    }
  /** Load a config as training will (before starting the training worker): its name and epochs, or why not. */
  | { type: 'check'; id: number; configFile: string; root: string }
  /** Read a CSV and describe its columns for "New training config from CSV" and "Audit Predictions…" (PII values masked). */
  | { type: 'describe'; id: number; csvFile: string }
  /** The fairness audit of a CSV of predictions (src/core/fairness/audit-csv.ts); messages name the picker steps. */
  /** `cancelFlag`: an Int32 the host sets to 1 to stop the audit mid-bootstrap (a 'cancel' message waits for the worker's next turn). */
  | { type: 'audit'; id: number; options: AuditCsvOptions; cancelFlag?: SharedArrayBuffer }
  /** The data view of a config: its CSV profiled, its column findings, the PII columns masked (panels/loaders.ts). */
  | { type: 'profile'; id: number; configFile: string; root: string }
  /**
   * Write a de-identified copy of a config's data file (the PII columns masked or generalised as
   * src/core/privacy suggests) beside it, never changing the original, and say where the config's
   * data.path value is so the host can point it at the copy.
   */
  | { type: 'deidentify'; id: number; configFile: string; text: string; root: string }
  | { type: 'cancel'; id: number };

/** What a de-identified copy did. */
export interface Deidentified {
  /** Absolute path of the copy. */
  output: string;
  /** Column → what was done ("mask: as email", "generalize: date to year"). */
  actions: { column: string; action: string }[];
  rows: number;
  /** Columns where the detectors still find personal data in the copy. */
  residual: string[];
  /** The range of data.path's value in the config text (1-based, end exclusive), and the config's format. */
  dataPath: { line: number; startColumn: number; endLine: number; endColumn: number };
  format: 'json' | 'yaml';
}

/** What "New training config" needs to know about a CSV. */
export interface CsvDescription {
  rows: number;
  /** The columns; the top values of PII columns are masked (e.g. `j***@e***.com`) and they have no min/max. */
  columns: ColumnSummary[];
  /** Columns holding personal data (RML001's detectors). */
  pii: FlaggedColumn[];
  /** Columns that look like protected attributes (RML003's detectors). */
  sensitive: FlaggedColumn[];
}

/** Worker → host. */
export type FromLintWorker =
  | {
      type: 'result';
      id: number;
      findings: Finding[];
      /** Files the result depends on besides the config (its data file). */
      inputs: string[];
      /** Keys of `rml.lint.rules` that name no rule. */
      unknownRules: string[];
      ms: number;
      /** The id of the thread that ran the lint (worker_threads.threadId; the host's main thread is 0). */
      thread: number;
    }
  | { type: 'described'; id: number; description: CsvDescription }
  | { type: 'checked'; id: number; name: string; epochs: number }
  | { type: 'deidentified'; id: number; result: Deidentified }
  | { type: 'audited'; id: number; result: AuditResult }
  | { type: 'profiled'; id: number; view: Extract<HostMessage, { type: 'data' }> }
  /** `input`: the CSV could not be read (the message says why and where). */
  | { type: 'error'; id: number; kind: 'cancelled' | 'missing' | 'input' | 'internal'; message: string };
