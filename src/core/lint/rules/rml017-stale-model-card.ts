/**
 * RML017 stale-model-card: the model card beside the config (MODEL_CARD.md or MODEL_CARD.html,
 * where `rml card` writes it) no longer describes the config or its data, by the card's
 * provenance comment (the run, config and data hashes it was made from; see
 * `cardStaleness` in src/core/report/card.ts, which `rml card --check` uses too).
 */
import { promises as fsp } from 'node:fs';
import * as path from 'node:path';
import { CARD_MARKER, cardStaleness, defaultCardPath, type CardStaleness } from '../../report/card';
import type { LintContext } from '../context';
import { ruleMeta, type Rule } from '../rule';
import type { Finding, RelatedLocation } from '../types';

const meta = ruleMeta(
  'RML017',
  'stale-model-card',
  'warning',
  'run',
  'The model card beside the config (MODEL_CARD.md or MODEL_CARD.html) was made from another version of the config or the data, or cannot be dated.',
  'A model card is what people outside the team read to decide whether to trust and how to use the model. A card made from an older run describes a model other than the one this config trains: its metrics, fairness results, intended use or data may no longer hold. The card records the run and the config and data hashes it was made from (its provenance comment); the lint compares them with the config as it is now (its training settings and its documentation, so comment and formatting edits do not count) and with the data file. A warning, because the card misleads its readers until it is regenerated, while training itself is unaffected. Retrain when the training settings or the data changed (rml train), then regenerate the card (rml card); when only the documentation changed, regenerating is enough.',
);

/** The card's provenance line (1-based; 1 when it has none). */
async function provenanceLine(card: string): Promise<number> {
  try {
    const text = await fsp.readFile(card, 'utf8');
    const at = text.indexOf(CARD_MARKER);
    return at < 0 ? 1 : text.slice(0, at).split('\n').length;
  } catch {
    return 1;
  }
}

export const rml017: Rule = {
  meta,
  async check(ctx: LintContext): Promise<Finding[]> {
    const out: Finding[] = [];
    for (const card of [defaultCardPath(ctx.file), defaultCardPath(ctx.file, true)]) {
      let s: CardStaleness;
      try {
        s = await cardStaleness(card, ctx.file, { configText: ctx.text, ...(ctx.data ? { dataHash: ctx.data.sample.hash } : {}) });
      } catch {
        continue; // No card (or not a readable file): nothing to be stale.
      }
      if (!s.stale) continue;
      const name = path.basename(card);
      const line = await provenanceLine(card);
      const related: RelatedLocation = { file: card, line, startColumn: 1, endLine: line, endColumn: 1, message: s.provenance ? 'the card\'s provenance comment' : 'the model card' };
      const when = s.provenance ? ` (made ${s.provenance.generatedAt.slice(0, 16).replace('T', ' ')} UTC from run ${s.provenance.run.folder ?? s.provenance.run.name})` : '';
      out.push(
        ctx.finding(meta, {
          at: ctx.anchor([]),
          message: `The model card ${name}${when} is out of date: ${s.reasons.map((r) => r.message).join(' ')} Until then it describes a model other than the one this config trains.`,
          related: [related],
          data: { card, reasons: s.reasons.map((r) => r.kind) },
        }),
      );
    }
    return out;
  },
};
