/**
 * Which columns of a new dataset hold personal data or protected attributes, with the reason to
 * show in the config's comments. The same detectors as the lint's RML001 (src/core/privacy) and
 * RML003 (src/core/lint/sensitive), so a config written from their verdicts starts clean.
 */
import type { Dataset } from '../../core/data/types';
import type { PiiKind } from '../../core/privacy/pii';
import type { FlaggedColumn } from './config-template';

export interface Detected {
  /** Columns holding personal data (to ignore), with the kind found (to mask their values by). */
  pii: (FlaggedColumn & { kind: PiiKind })[];
  /** Columns that look like protected attributes (to declare as sensitive). */
  sensitive: FlaggedColumn[];
}

export async function detectColumns(ds: Dataset): Promise<Detected> {
  const [{ detectPii }, { detectProtectedAttribute }] = await Promise.all([import('../../core/privacy/pii'), import('../../core/lint/sensitive')]);
  const pii: Detected['pii'] = [];
  const sensitive: FlaggedColumn[] = [];
  for (const c of ds.columns) {
    const found = detectPii(c.name, c.values);
    if (found.length > 0) {
      const top = found[0];
      pii.push({ name: c.name, kind: top.kind, reason: `personal data: ${top.label} (${Math.round(top.share * 100)}% of ${top.checked} sampled values${top.headerTerm ? `, header "${top.headerTerm}"` : ''})` });
      continue;
    }
    const p = detectProtectedAttribute(c.name, c.values);
    if (p) {
      const how = p.evidence === 'values' ? `values such as ${(p.values ?? []).join(', ')}` : p.evidence === 'name' ? `its name` : `its name and values`;
      sensitive.push({ name: c.name, reason: `protected attribute: ${p.label} (from ${how})` });
    }
  }
  return { pii, sensitive };
}
