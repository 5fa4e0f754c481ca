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

/** Identifies a fix by what it does (its edits, in order of position), not by its title or rule. */
export function fixKey(fix: FindingFix): string {
  return [...fix.edits]
    .sort((a, b) => a.line - b.line || a.startColumn - b.startColumn)
    .map((e) => `${e.file}\u0000${e.line}:${e.startColumn}-${e.endLine}:${e.endColumn}\u0000${e.newText}`)
    .join('\u0001');
}

/** A fix to offer once, with every finding (of `T`, e.g. a diagnostic) it resolves. */
export interface DistinctFix<T> {
  fix: FindingFix;
  owners: T[];
  /** The first fix of the first finding that offers it. */
  preferred: boolean;
}

/**
 * The fixes of several findings on the same spot, each distinct edit once: RML002 and RML003 both
 * offer "Declare 'sex' in data.sensitive" for the same column, and the light bulb must not list it
 * twice. The first title wins; the fix keeps every finding it resolves, in order.
 */
export function distinctFixes<T>(entries: readonly { owner: T; fixes: readonly FindingFix[] }[]): DistinctFix<T>[] {
  const out = new Map<string, DistinctFix<T>>();
  for (const { owner, fixes } of entries) {
    fixes.forEach((fix, i) => {
      const key = fixKey(fix);
      const seen = out.get(key);
      if (seen) {
        if (!seen.owners.includes(owner)) seen.owners.push(owner);
        seen.preferred ||= i === 0;
      } else {
        out.set(key, { fix, owners: [owner], preferred: i === 0 });
      }
    });
  }
  return [...out.values()];
}
