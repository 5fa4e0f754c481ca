/**
 * Hashes of a parsed config that ignore comments, formatting and key order: the training settings
 * (what changes the model) and the documentation (what only changes a model card). The engine
 * records the first in run.json (`config.trainingHash`); model cards and their staleness check
 * compare both.
 */
import { createHash } from 'node:crypto';

/** Keys that only change what a card says, not the model (the rest are training settings). */
const CARD_ONLY_KEYS = ['documentation', 'description', 'sustainability'];
const IGNORED_KEYS = ['$schema', 'lint'];

/**
 * sha256 of the config's training settings: the parsed config without `documentation`,
 * `description`, `sustainability`, `lint`, `$schema` and `data.license`, keys sorted, so comments,
 * formatting and documentation edits leave it unchanged. (The engine can record it in
 * run.json's `config.trainingHash`; see the module comment of cardStaleness.)
 */
export function configTrainingHash(raw: unknown): string {
  const o = isObject(raw) ? { ...raw } : {};
  for (const k of [...CARD_ONLY_KEYS, ...IGNORED_KEYS]) delete o[k];
  if (isObject(o.data)) {
    const data = { ...o.data };
    delete data.license;
    o.data = data;
  }
  return sha256(stableJson(o));
}

/** sha256 of what a card shows from the config: `documentation`, `description`, `sustainability`, `data.license`. */
export function configDocumentationHash(raw: unknown): string {
  const o = isObject(raw) ? raw : {};
  const doc: Record<string, unknown> = {};
  for (const k of CARD_ONLY_KEYS) if (o[k] !== undefined) doc[k] = o[k];
  if (isObject(o.data) && o.data.license !== undefined) doc.license = o.data.license;
  return sha256(stableJson(doc));
}

function isObject(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

/** JSON with object keys sorted at every level (a canonical form for hashing). */
export function stableJson(x: unknown): string {
  if (Array.isArray(x)) return `[${x.map(stableJson).join(',')}]`;
  if (isObject(x)) {
    return `{${Object.keys(x)
      .filter((k) => x[k] !== undefined)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${stableJson(x[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(x) ?? 'null';
}

function sha256(s: string): string {
  return createHash('sha256').update(s, 'utf8').digest('hex');
}
