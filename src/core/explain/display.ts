/**
 * How the explainers show a raw value: every value that appears in a result goes through a
 * ValueFormatter, so that a column flagged as personal data (src/core/privacy/pii.ts) is shown
 * masked everywhere — row values, SHAP and LIME labels, counterfactual changes, PDP grids,
 * slice descriptions — and its raw value is never put in a result (`value` is null).
 */
import { detectPii, maskPii, type PiiKind } from '../privacy/pii';
import type { Dataset } from '../data/types';
import { rawText, type FeatureColumn } from './table';

import type { DisplayValue } from './types';

export type { DisplayValue };

/** Feature index and raw value (see RawTable) → what to show. */
export type ValueFormatter = (feature: number, v: number) => DisplayValue;

/** Shows values as they are. */
export function plainFormatter(features: FeatureColumn[]): ValueFormatter {
  return (j, v) => {
    const f = features[j];
    if (Number.isNaN(v)) return { value: null, text: '(missing)' };
    return { value: f.kind === 'categorical' ? (f.levels[v] ?? null) : v, text: rawText(f, v) };
  };
}

/** Masks the values of the features whose `pii[j]` is set (with maskPii of that kind); others as they are. */
export function maskingFormatter(features: FeatureColumn[], pii: (PiiKind | undefined)[]): ValueFormatter {
  const plain = plainFormatter(features);
  return (j, v) => {
    const kind = pii[j];
    if (kind === undefined) return plain(j, v);
    if (Number.isNaN(v)) return { value: null, text: '(missing)' };
    return { value: null, text: maskPii(kind, rawText(features[j], v)) || '***' };
  };
}

/** The strongest PII verdict of each feature column (detectPii on the column's header and values), or undefined. */
export function detectFeaturePii(ds: Dataset, features: FeatureColumn[]): (PiiKind | undefined)[] {
  return features.map((f) => {
    const col = ds.byName.get(f.name);
    if (!col) return undefined;
    return detectPii(f.name, col.values)[0]?.kind;
  });
}
