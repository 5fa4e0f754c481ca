/**
 * The lint's public shapes: findings (what the CLI prints and the editor turns into diagnostics
 * and quick fixes), fixes as text edits, rule metadata and options.
 *
 * Every range is 1-based with an exclusive end, like LSP ranges shifted by one: a range covering
 * `abc` at the start of line 3 is { line: 3, startColumn: 1, endLine: 3, endColumn: 4 }. Columns
 * count UTF-16 code units, as VS Code does.
 */

/** A finding's severity. */
export type Severity = 'error' | 'warning' | 'info';

/** A severity setting: a severity, or `off` to drop the rule's findings. */
export type SeverityOverride = Severity | 'off';

/** A 1-based, end-exclusive range in a file. */
export interface Range {
  /** Absolute path of the file. */
  file: string;
  line: number;
  startColumn: number;
  endLine: number;
  endColumn: number;
}

/** Another place that explains a finding (e.g. the config key that declares the column). */
export interface RelatedLocation extends Range {
  message: string;
}

/** One text replacement: the range's text becomes `newText` (an empty range inserts). */
export interface TextEdit extends Range {
  newText: string;
}

/** A suggested fix: text edits to the training config (never to a data file). */
export interface Fix {
  /** What the fix does, as a quick-fix title: "Add 'name' to data.ignore". */
  title: string;
  /** Non-overlapping edits, all in the config file. Apply them from the end of the file backwards. */
  edits: TextEdit[];
}

/** What the lint found. */
export interface Finding extends Range {
  /** `RML001` … */
  ruleId: string;
  /** `pii-column` … */
  ruleName: string;
  severity: Severity;
  /** What was found, why it matters and how to fix it. */
  message: string;
  /** The dataset column's name, on findings about a column (they sit on its header cell). */
  column?: string;
  related?: RelatedLocation[];
  fixes?: Fix[];
  /** Machine-readable details (shares, thresholds, group names…), per rule; see docs/rules.md. */
  data?: Record<string, unknown>;
}

/** Where a rule looks. */
export type RuleScope = 'config' | 'data' | 'run';

/** A rule's metadata (the registry lists every rule, including the config and data problem ids). */
export interface RuleMeta {
  id: string;
  name: string;
  defaultSeverity: Severity;
  /** One line: what the rule finds. */
  shortDescription: string;
  /** A paragraph: why it matters and what to do. */
  fullDescription: string;
  /** Link to the rule's section of docs/rules.md. */
  helpUri: string;
  /** What the rule reads: the config alone, the data set, or the latest run. */
  scope: RuleScope;
}

/** Cache settings for the data sample. */
export interface LintCacheOptions {
  /** Keep samples in this process's memory (default true): what the editor wants. */
  memory?: boolean;
  /** Keep samples in `<config folder>/.rml/cache/` (default true): what the CLI wants. */
  disk?: boolean;
  /**
   * Also keep the data rules' findings in `.rml/cache/` (default false; needs `disk`), keyed by the
   * config's text, the data file's identity, the settings and the tool's version: an unchanged
   * config and data set then skip the data rules. Config and run rules always run.
   */
  results?: boolean;
}

/** Options of the lint entry points. */
export interface LintOptions {
  /** The workspace root: data paths must stay inside it. */
  root: string;
  signal?: AbortSignal;
  /** Data sample cache; `false` turns caching off. Default: memory and disk. */
  cache?: LintCacheOptions | false;
  /** Severity per rule id, applied over the config's `lint.rules` (e.g. from `rml lint --rule`). */
  rules?: Record<string, SeverityOverride>;
  /** Thresholds by name, applied over the config's `lint.thresholds` (e.g. from `rml lint --threshold`). */
  thresholds?: Record<string, number>;
  /** "Now", for messages about the age of a run (default: the current time). */
  now?: Date;
}
