/**
 * The rule registry: every rule id with its metadata, in id order. The ids are stable; rules
 * RML001–RML017 are checks, RML100–RML104 report a config or data set the lint could not fully
 * check.
 */
import { ruleMeta, type Rule } from './rule';
import { rml001 } from './rules/rml001-pii-column';
import { rml002 } from './rules/rml002-sensitive-feature';
import { rml003 } from './rules/rml003-undeclared-sensitive';
import { rml004 } from './rules/rml004-proxy-feature';
import { rml005 } from './rules/rml005-identifier-feature';
import { rml006 } from './rules/rml006-target-leakage';
import { rml007 } from './rules/rml007-class-imbalance';
import { rml008 } from './rules/rml008-group-underrepresented';
import { rml009 } from './rules/rml009-missing-disparity';
import { rml010 } from './rules/rml010-no-holdout';
import { rml011 } from './rules/rml011-no-seed';
import { rml012 } from './rules/rml012-duplicate-leakage';
import { rml013 } from './rules/rml013-fairness-threshold';
import { rml014 } from './rules/rml014-no-fairness-check';
import { rml015 } from './rules/rml015-missing-documentation';
import { rml016 } from './rules/rml016-unbounded-training';
import { rml017 } from './rules/rml017-stale-model-card';
import { rml104 } from './rules/rml104-data-mismatch';
import type { RuleMeta } from './types';

/** RML100: the config is not valid YAML/JSON. */
export const CONFIG_SYNTAX = ruleMeta(
  'RML100',
  'config-syntax',
  'error',
  'config',
  'The config file is not valid YAML or JSON, or can\'t be read.',
  'Nothing else can be checked until the file parses. The finding sits where the parser stopped. Empty files, files over 1 MB or not in UTF-8, duplicate keys, custom YAML tags, a second YAML document and aliases that expand too much are refused too.',
);

/** RML101: the config parses but breaks the schema or a semantic rule. */
export const CONFIG_SCHEMA = ruleMeta(
  'RML101',
  'config-schema',
  'error',
  'config',
  'The config breaks the training config schema or one of its consistency rules.',
  'Training would refuse the config: an unknown or misspelt key, a value of the wrong type or out of range, a required key missing, or an inconsistency (split fractions summing to 1 or more, the target listed as a feature, a data path outside the workspace). The message says what is wrong and, for misspelt keys, what was probably meant; the schema (rml.schema.json) also drives completion and hovers in the editor.',
);

/** RML102: the data file can't be read. */
export const DATA_UNREADABLE = ruleMeta(
  'RML102',
  'data-unreadable',
  'error',
  'data',
  'The data file named by data.path can\'t be read as a CSV: missing, empty, header only, a ragged row, an unclosed quote, a bad encoding, binary content, or too large.',
  'Training would stop at the same problem, and none of the data rules can run. The finding sits on data.path in the config, with a related location at the offending line of the CSV when there is one.',
);

/** RML103: a problem with the lint settings themselves. */
export const LINT_SETTINGS = ruleMeta(
  'RML103',
  'lint-settings',
  'warning',
  'config',
  'The config\'s lint section names an unknown threshold, rule or column, or gives a value out of range.',
  'A misspelt threshold or rule id would otherwise be ignored silently and the rule would run with its default. The setting is ignored; the message lists the known names and suggests the closest one.',
);

/** The check rules, in id order. */
export const RULES: readonly Rule[] = Object.freeze([
  rml001, rml002, rml003, rml004, rml005, rml006, rml007, rml008, rml009, rml010, rml011, rml012, rml013, rml014, rml015, rml016, rml017, rml104,
]);

/** Every rule's metadata (checks and problem ids), in id order. */
export const RULE_METAS: readonly RuleMeta[] = Object.freeze(
  [...RULES.map((r) => r.meta), CONFIG_SYNTAX, CONFIG_SCHEMA, DATA_UNREADABLE, LINT_SETTINGS].sort((a, b) => (a.id < b.id ? -1 : 1)),
);

/** Metadata by rule id. */
export const RULES_BY_ID: ReadonlyMap<string, RuleMeta> = new Map(RULE_METAS.map((m) => [m.id, m]));

/** Every rule id. */
export const RULE_IDS: ReadonlySet<string> = new Set(RULE_METAS.map((m) => m.id));

/** A rule's metadata, looked up by id (`RML001`) or name (`pii-column`). */
export function ruleInfo(idOrName: string): RuleMeta | undefined {
  return RULES_BY_ID.get(idOrName.toUpperCase()) ?? RULE_METAS.find((m) => m.name === idOrName);
}

/**
 * Rules whose finding on a column makes another rule's finding on the same column redundant:
 * a PII column is also unique (RML005) and may correlate with anything (RML004); a leaking
 * identifier (a case number present only for reoffenders) is reported as the leak it is.
 */
export const SUBSUMED_BY: Readonly<Record<string, readonly string[]>> = Object.freeze({
  RML004: ['RML001', 'RML006'],
  RML005: ['RML001', 'RML006'],
});
