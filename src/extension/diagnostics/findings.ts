/**
 * Findings as the editor handles them, and the pure steps between the lint and the Problems
 * panel: the rule settings, grouping by file, ranges, and matching a diagnostic back to its
 * finding. No 'vscode' import (unit-tested).
 */
import type { Finding as LintFinding, Fix, Range } from '../../core/lint/types';
import type { RuleSetting, Severity } from '../settings-schema';

/** A 1-based, end-exclusive range in a file (the lint's ranges). */
export type FindingRange = Range;
export type FindingFix = Fix;

/** A lint finding as the editor keeps it: the lint's finding plus its rule's documentation link. */
export interface Finding extends LintFinding {
  helpUri?: string;
}

/**
 * The `rml.lint.rules` setting as the lint takes it: keys may name a rule by id (`RML003`) or by
 * name (`undeclared-sensitive`) and become ids; an id wins over a name for the same rule. Keys
 * that name no rule are returned in `unknown` (to be reported, not silently dropped).
 * @param lookup a rule's id from an id or a name, or undefined
 */
export function normalizeRuleSettings(
  settings: Readonly<Record<string, RuleSetting>>,
  lookup: (idOrName: string) => string | undefined,
): { rules: Record<string, Severity | 'off'>; unknown: string[] } {
  const rules: Record<string, Severity | 'off'> = {};
  const unknown: string[] = [];
  const byId = new Set<string>();
  for (const [key, value] of Object.entries(settings)) {
    const id = lookup(key);
    if (!id) {
      unknown.push(key);
      continue;
    }
    const isId = key.toUpperCase() === id;
    if (byId.has(id) && !isId) continue;
    rules[id] = value;
    if (isId) byId.add(id);
  }
  return { rules, unknown };
}

/** Findings by the file they sit on (the config, or the CSV whose header cell is concerned). */
export function groupByFile(findings: readonly Finding[]): Map<string, Finding[]> {
  const out = new Map<string, Finding[]>();
  for (const f of findings) {
    const list = out.get(f.file);
    if (list) list.push(f);
    else out.set(f.file, [f]);
  }
  return out;
}

/** The 0-based, end-exclusive range of a finding, clamped to be well-formed. */
export function zeroBased(r: FindingRange): { startLine: number; startCharacter: number; endLine: number; endCharacter: number } {
  const startLine = Math.max(0, r.line - 1);
  const startCharacter = Math.max(0, r.startColumn - 1);
  let endLine = Math.max(0, r.endLine - 1);
  let endCharacter = Math.max(0, r.endColumn - 1);
  if (endLine < startLine || (endLine === startLine && endCharacter < startCharacter)) {
    endLine = startLine;
    endCharacter = startCharacter;
  }
  return { startLine, startCharacter, endLine, endCharacter };
}

/**
 * The fixes that may be offered for a finding of `configFile`: only fixes whose every edit is on
 * that config. A fix that would touch anything else (the CSV above all) is never offered.
 */
export function configOnlyFixes(finding: Finding, configFile: string): FindingFix[] {
  return (finding.fixes ?? []).filter((fix) => fix.edits.length > 0 && fix.edits.every((e) => e.file === configFile));
}

/** A key that identifies a finding as shown in the Problems panel (rule, message and range). */
export function findingKey(ruleId: string, message: string, r: { startLine: number; startCharacter: number; endLine: number; endCharacter: number }): string {
  return `${ruleId}\u0000${message}\u0000${r.startLine}:${r.startCharacter}-${r.endLine}:${r.endCharacter}`;
}

/** Sort by file order: line, then column, then rule id. */
export function byPosition(a: Finding, b: Finding): number {
  return a.line - b.line || a.startColumn - b.startColumn || a.ruleId.localeCompare(b.ruleId);
}
