/**
 * Findings as a SARIF 2.1.0 log (OASIS Static Analysis Results Interchange Format), ready for
 * GitHub code scanning (`github/codeql-action/upload-sarif`).
 *
 * - `tool.driver.rules` lists every rule (id, name, short and full description, help link,
 *   default level, tags); results point at their rule by `ruleId` and `ruleIndex`.
 * - Locations are relative to the workspace root, with `uriBaseId: "%SRCROOT%"` (files outside
 *   the root get an absolute `file:` URI); regions are 1-based with an exclusive end column,
 *   counted in UTF-16 code units (`columnKind: "utf16CodeUnits"`), exactly like findings.
 * - Related locations, fixes (as replacements in the config) and a stable partial fingerprint
 *   (rule, file, dataset column or config setting: not line numbers or measured values) go with
 *   each result, so alerts survive edits above them.
 */
import { createHash } from 'node:crypto';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { VERSION } from '../version';
import { RULE_METAS } from './registry';
import { REPOSITORY_URL } from './rule';
import type { Finding, Range, RuleMeta, Severity } from './types';

/** The schema this log follows (the OASIS 2.1.0 errata 01 schema). */
export const SARIF_SCHEMA_URI = 'https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json';

export interface SarifMessage {
  text: string;
  markdown?: string;
}

export interface SarifRegion {
  startLine: number;
  startColumn: number;
  endLine?: number;
  endColumn?: number;
}

export interface SarifArtifactLocation {
  uri: string;
  uriBaseId?: string;
}

export interface SarifPhysicalLocation {
  artifactLocation: SarifArtifactLocation;
  region: SarifRegion;
}

export interface SarifLocation {
  id?: number;
  physicalLocation: SarifPhysicalLocation;
  message?: SarifMessage;
}

export interface SarifReplacement {
  deletedRegion: SarifRegion;
  insertedContent: { text: string };
}

export interface SarifFix {
  description: SarifMessage;
  artifactChanges: { artifactLocation: SarifArtifactLocation; replacements: SarifReplacement[] }[];
}

export type SarifLevel = 'error' | 'warning' | 'note' | 'none';

export interface SarifResult {
  ruleId: string;
  ruleIndex: number;
  level: SarifLevel;
  message: SarifMessage;
  locations: SarifLocation[];
  relatedLocations?: SarifLocation[];
  fixes?: SarifFix[];
  partialFingerprints: Record<string, string>;
  properties?: Record<string, unknown>;
}

export interface SarifReportingDescriptor {
  id: string;
  name: string;
  shortDescription: SarifMessage;
  fullDescription: SarifMessage;
  helpUri: string;
  help: SarifMessage;
  defaultConfiguration: { level: SarifLevel };
  properties: { tags: string[]; precision: string; 'problem.severity': string };
}

export interface SarifLog {
  $schema: string;
  version: '2.1.0';
  runs: {
    tool: {
      driver: {
        name: string;
        fullName: string;
        version: string;
        semanticVersion: string;
        informationUri: string;
        rules: SarifReportingDescriptor[];
      };
    };
    columnKind: 'utf16CodeUnits';
    invocations: { executionSuccessful: boolean; workingDirectory?: SarifArtifactLocation }[];
    results: SarifResult[];
  }[];
}

const LEVELS: Record<Severity, SarifLevel> = { error: 'error', warning: 'warning', info: 'note' };
const PROBLEM_SEVERITY: Record<Severity, string> = { error: 'error', warning: 'warning', info: 'recommendation' };

/** Tags per rule, shown as filters in GitHub code scanning. */
const TAGS: Record<string, string[]> = {
  RML001: ['privacy', 'pii'],
  RML002: ['fairness'],
  RML003: ['fairness'],
  RML004: ['fairness'],
  RML005: ['privacy', 'data-quality'],
  RML006: ['validity', 'leakage'],
  RML007: ['data-quality'],
  RML008: ['fairness', 'data-quality'],
  RML009: ['fairness', 'data-quality'],
  RML010: ['validity'],
  RML011: ['reproducibility'],
  RML012: ['validity', 'leakage'],
  RML013: ['fairness'],
  RML014: ['fairness'],
  RML015: ['documentation'],
  RML016: ['sustainability'],
  RML017: ['documentation'],
};

/** How sure a rule is when it fires (SARIF `precision`). */
const PRECISION: Record<string, string> = { RML004: 'medium', RML006: 'high', RML009: 'medium', RML001: 'high', RML003: 'high' };

/**
 * Build the SARIF log of some findings.
 * @param findings the findings (absolute file paths)
 * @param root the workspace root: URIs are relative to it
 */
export function toSarif(findings: readonly Finding[], root: string): SarifLog {
  const rootAbs = path.resolve(root);
  const rules = RULE_METAS.map(descriptor);
  const index = new Map(RULE_METAS.map((m, i) => [m.id, i]));
  const artifact = (file: string): SarifArtifactLocation => {
    const rel = path.relative(rootAbs, file);
    if (rel === '' || rel.startsWith('..') || path.isAbsolute(rel)) return { uri: pathToFileURL(file).href };
    return { uri: rel.split(path.sep).map(encodeURIComponent).join('/'), uriBaseId: '%SRCROOT%' };
  };
  const results = findings.map((f): SarifResult => {
    const r: SarifResult = {
      ruleId: f.ruleId,
      ruleIndex: index.get(f.ruleId) ?? -1,
      level: LEVELS[f.severity],
      message: { text: f.message },
      locations: [{ physicalLocation: { artifactLocation: artifact(f.file), region: region(f) } }],
      partialFingerprints: { 'rmlFinding/v1': fingerprint(f, artifact(f.file).uri) },
    };
    if (f.related && f.related.length > 0) {
      r.relatedLocations = f.related.map((rel, i) => ({ id: i + 1, physicalLocation: { artifactLocation: artifact(rel.file), region: region(rel) }, message: { text: rel.message } }));
    }
    if (f.fixes && f.fixes.length > 0) {
      r.fixes = f.fixes.map((fix) => {
        const byFile = new Map<string, SarifReplacement[]>();
        for (const e of fix.edits) {
          const list = byFile.get(e.file) ?? [];
          list.push({ deletedRegion: { startLine: e.line, startColumn: e.startColumn, endLine: e.endLine, endColumn: e.endColumn }, insertedContent: { text: e.newText } });
          byFile.set(e.file, list);
        }
        return { description: { text: fix.title }, artifactChanges: [...byFile].map(([file, replacements]) => ({ artifactLocation: artifact(file), replacements })) };
      });
    }
    if (f.column !== undefined) r.properties = { column: f.column };
    return r;
  });
  return {
    $schema: SARIF_SCHEMA_URI,
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'rml',
            fullName: 'Responsible ML ethics lint',
            version: VERSION,
            semanticVersion: VERSION,
            informationUri: REPOSITORY_URL,
            rules,
          },
        },
        columnKind: 'utf16CodeUnits',
        invocations: [{ executionSuccessful: true }],
        results,
      },
    ],
  };
}

function descriptor(m: RuleMeta): SarifReportingDescriptor {
  return {
    id: m.id,
    name: m.name,
    shortDescription: { text: m.shortDescription },
    fullDescription: { text: m.fullDescription },
    helpUri: m.helpUri,
    help: { text: `${m.fullDescription} See ${m.helpUri}`, markdown: `**${m.id} ${m.name}**: ${m.shortDescription}\n\n${m.fullDescription}\n\n[Documentation](${m.helpUri})` },
    defaultConfiguration: { level: LEVELS[m.defaultSeverity] },
    properties: { tags: ['responsible-ml', ...(TAGS[m.id] ?? ['configuration'])], precision: PRECISION[m.id] ?? 'high', 'problem.severity': PROBLEM_SEVERITY[m.defaultSeverity] },
  };
}

/** A region; an empty range (an anchor) becomes the start position alone. */
function region(r: Range): SarifRegion {
  if (r.endLine === r.line && r.endColumn <= r.startColumn) return { startLine: r.line, startColumn: r.startColumn };
  return { startLine: r.line, startColumn: r.startColumn, endLine: r.endLine, endColumn: r.endColumn };
}

/**
 * Stable across edits elsewhere: rule, file, and the dataset column or the finding's subject
 * (its reason, metric or setting), else its message with the numbers blanked out; never the line.
 */
function fingerprint(f: Finding, uri: string): string {
  const d = f.data ?? {};
  const subject = [f.column, d.reason, d.metric, d.path, d.column].filter((x) => x !== undefined).map((x) => JSON.stringify(x)).join('/');
  const fallback = subject === '' ? f.message.replace(/\d+(?:\.\d+)?/g, '#') : subject;
  return createHash('sha256').update(`${f.ruleId}\u0000${uri}\u0000${fallback}`).digest('hex').slice(0, 32);
}
