/**
 * How quasi-identifier values are shown in privacy reports (CLI text, JSON, editor): the
 * listing of the smallest equivalence classes must help the user without re-publishing the
 * identifying combinations it warns about. Rules, applied to every label shown:
 * - zip/postcodes are cut to 3 characters (`021*`), HIPAA Safe Harbor's geographic granularity;
 * - dates show the year only (`1985-**-**` at the raw level, `1985-**` for a month);
 * - any other column the PII detectors flag is masked with `maskPii` at the raw level (`j***@e***.com`);
 * - missing values show as `(missing)`;
 * - anything else (ages, bands, categories, generalised labels) is shown as it is.
 * Sensitive-attribute values are never shown, only counted.
 */
import type { Hierarchy } from './hierarchy';
import { MISSING_LABEL } from './lattice';
import { maskPii, type PiiKind } from './pii';
import { dateTo, SUPPRESSED } from './transforms';

/** The label shown for a missing value. */
export const MISSING_DISPLAY = '(missing)';

/**
 * The display form of a quasi-identifier label (see the module comment).
 * @param level the hierarchy level the label belongs to (0 = raw value)
 * @param kind the PII kind the detectors found in the column, if any
 */
export function displayLabel(h: Hierarchy, level: number, label: string, kind?: PiiKind): string {
  if (label === MISSING_LABEL) return MISSING_DISPLAY;
  if (label === SUPPRESSED) return SUPPRESSED;
  switch (h.type) {
    case 'zip': {
      const core = label.replace(/\*+$/, '').replace(/\s+/g, '');
      return core.length > 3 ? `${core.slice(0, 3).toUpperCase()}*` : label;
    }
    case 'date': {
      if (level === 0) {
        const y = dateTo(label, 'year');
        return y === undefined ? maskPii('date-of-birth', label) : `${y}-**-**`;
      }
      const month = /^(\d{4})-\d{2}$/.exec(label);
      return month ? `${month[1]}-**` : label;
    }
    default:
      return kind !== undefined && level === 0 ? maskPii(kind, label) : label;
  }
}
