/**
 * The ethics lint: rules RML001–RML017 over training configs and the data sets they reference,
 * plus RML100–RML104 for configs and data the lint could not fully check. Pure engine code (no
 * editor API): the CLI prints the findings as text, JSON or SARIF, and the editor turns them into
 * diagnostics and quick fixes.
 */
export type {
  Finding,
  Fix,
  LintCacheOptions,
  LintOptions,
  Range,
  RelatedLocation,
  RuleMeta,
  RuleScope,
  Severity,
  SeverityOverride,
  TextEdit,
} from './types';
export { lintConfigFile, lintConfigText, lintWorkspace, applySeverityOverrides, sortFindings, type WorkspaceLintResult } from './lint';
export {
  RULES,
  RULE_METAS,
  RULES_BY_ID,
  RULE_IDS,
  ruleInfo,
  CONFIG_SYNTAX,
  CONFIG_SCHEMA,
  DATA_UNREADABLE,
  LINT_SETTINGS,
} from './registry';
export { REPOSITORY_URL, RULES_DOC_URL, type Rule } from './rule';
export { THRESHOLDS, ThresholdError, type Thresholds, type ThresholdSpec } from './settings';
export { discoverConfigs, SKIPPED_DIRS } from './discover';
export { applyTextEdits, ConfigEditor, type EditValue } from './edits';
export { clearMemoryCache, cacheDirFor } from './cache';
export { sampleCsv, sampleToDataset, drawRows, DEFAULT_SAMPLE_ROWS, DEFAULT_SAMPLE_SEED, type RawSample, type DuplicateStats, type SampleOptions } from './sample';
export { toSarif, SARIF_SCHEMA_URI, type SarifLog } from './sarif';
export { detectProtectedAttribute, protectedByName, PROTECTED_LABELS, type ProtectedCategory, type ProtectedDetection } from './sensitive';
export { cramersV, rocAuc, contingency, quantileBins, encodeCategories, type CramersV } from './stats';
