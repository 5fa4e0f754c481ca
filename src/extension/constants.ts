/**
 * Every id the extension contributes, in one place and one casing: commands, context keys, the
 * diagnostic source and the output channel. Pure (no 'vscode' import), so the unit tests can check
 * them against package.json.
 */

/** Command ids (all `rml.` + camelCase), as contributed in package.json. */
export const COMMANDS = {
  /** Write a commented training config for a CSV (Explorer context menu, or a picker). */
  newConfig: 'rml.newConfig',
  /** Train and evaluate a config in the training worker. */
  train: 'rml.train',
  /** Cancel the running training. */
  cancelTraining: 'rml.cancelTraining',
  /** Open the fairness report of a config's latest run (training first when there is none). */
  showFairnessReport: 'rml.showFairnessReport',
  /** Lint one config now and reveal its problems. */
  lintConfig: 'rml.lintConfig',
  /** Lint every training config in the workspace. */
  lintWorkspace: 'rml.lintWorkspace',
  /** Open the report of the latest run (of the active config, or one picked). */
  showLastReport: 'rml.showLastReport',
  /** Open the report of a given run folder (the code lens "Last run: …"). */
  openRun: 'rml.openRun',
  /** Pick two runs and show them side by side. */
  compareRuns: 'rml.compareRuns',
  /** Explain the latest completed run of a config: importance, SHAP, LIME, counterfactual, PDP, weakest slices. */
  explain: 'rml.explain',
  /** Show the dataset profile of a config's CSV. */
  showDataProfile: 'rml.showDataProfile',
  /** Write MODEL_CARD.md (or .html) beside a config from its latest completed run (also the model-card code lens). */
  generateModelCard: 'rml.generateModelCard',
  /** Write a de-identified copy of a config's data (PII masked) and point the config at it. */
  deidentifyData: 'rml.deidentifyData',
  /** Pick the TensorFlow.js backend (the `rml.training.backend` setting). */
  selectBackend: 'rml.selectBackend',
  /** Show the log. */
  showLog: 'rml.showLog',
  /** The fairness audit of a CSV of predictions (Explorer context menu, or a picker). */
  auditPredictions: 'rml.auditPredictions',
  /** Open the bundled UCI Adult example (walkthrough). */
  openExample: 'rml.openExample',
  /** Internal: run after a quick fix was applied (walkthrough completion). */
  quickFixApplied: 'rml.quickFixApplied',
  /** Internal: open a rule's documentation. */
  openRuleDoc: 'rml.openRuleDoc',
} as const;

export type CommandId = (typeof COMMANDS)[keyof typeof COMMANDS];

/** Context keys set with `setContext`, used in package.json `when` clauses. */
export const CONTEXT = {
  /** True while a training runs. */
  training: 'rml.training',
} as const;

/** The category shown before every command title in the Command Palette. */
export const COMMAND_CATEGORY = 'Responsible ML';

/** `Diagnostic.source` of every finding. */
export const DIAGNOSTIC_SOURCE = 'Responsible ML';

/** The log output channel's name. */
export const OUTPUT_CHANNEL = 'Responsible ML';

/** The walkthrough's id (package.json `contributes.walkthroughs`). */
export const WALKTHROUGH_ID = 'getStarted';

/** The configuration section: every setting is `rml.<key>`. */
export const SETTINGS_SECTION = 'rml';

/** Folders never searched for configs or data (as in `rml lint`). */
export const EXCLUDE_GLOB = '**/{node_modules,.rml,.git}/**';
