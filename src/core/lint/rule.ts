/**
 * What a lint rule is: its metadata and a check over the lint context. Rules are pure apart from
 * RML013, which reads the latest run record.
 */
import type { LintContext } from './context';
import type { Finding, RuleMeta, RuleScope, Severity } from './types';

/** The repository (package.json `repository`), for documentation links; a unit test keeps them in step. */
export const REPOSITORY_URL = 'https://github.com/responsible-ml/responsible-ml';

/** The rules documentation; each rule has an anchor `#rml001` … */
export const RULES_DOC_URL = `${REPOSITORY_URL}/blob/main/docs/rules.md`;

/** A rule: metadata plus its check. */
export interface Rule {
  meta: RuleMeta;
  /** Findings for one config. Rules with scope 'data' run only when the data was read. */
  check(ctx: LintContext): Finding[] | Promise<Finding[]>;
}

/** Rule metadata with its help link. */
export function ruleMeta(
  id: string,
  name: string,
  defaultSeverity: Severity,
  scope: RuleScope,
  shortDescription: string,
  fullDescription: string,
): RuleMeta {
  return { id, name, defaultSeverity, scope, shortDescription, fullDescription, helpUri: `${RULES_DOC_URL}#${id.toLowerCase()}` };
}
