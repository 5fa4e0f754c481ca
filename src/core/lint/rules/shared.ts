/** Message pieces shared by several rules. */
import type { ProtectedDetection } from '../sensitive';
import { percent } from '../stats';

/** "sex/gender: by its name, and values Male, Female" */
export function describeDetection(det: ProtectedDetection): string {
  const parts: string[] = [];
  if (det.term !== undefined) parts.push('by its name');
  if (det.values && det.values.length > 0) {
    const share = det.evidence === 'values' && det.valueShare !== undefined ? ` (${percent(det.valueShare)} of sampled values)` : '';
    parts.push(`values ${det.values.join(', ')}${share}`);
  }
  return `${det.label}: ${parts.join(' and by its ')}`;
}

/** `'a'`, `'a' and 'b'`, `'a', 'b' and 'c'` */
export function quoteList(items: readonly string[], max = 5): string {
  const q = items.map((s) => `'${s}'`);
  if (q.length > max) return `${q.slice(0, max).join(', ')} and ${q.length - max} more`;
  if (q.length <= 1) return q.join('');
  return `${q.slice(0, -1).join(', ')} and ${q[q.length - 1]}`;
}
