/**
 * `rml card <run-dir-or-config> [--out FILE] [--html] [--check] [--json] [--root DIR] [--no-pii-scan] [--force]`:
 * write a model card for a run (a config means its newest completed run), or with --check say
 * whether an existing card is out of date (exit 1 when it is).
 */
import { promises as fsp } from 'node:fs';
import { relative, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { RmlInputError } from '../core/errors';
import {
  buildModelCard,
  cardOwnership,
  cardStaleness,
  defaultCardPath,
  loadCardInputs,
  readRunRecord,
  renderCardHtml,
  renderCardMarkdown,
  type ModelCard,
} from '../core/report/card';
import { writeFileAtomically } from '../core/report/record';
import { colors } from './format';
import { EXIT, type Io } from './io';

export async function cardCommand(args: string[], io: Io): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      out: { type: 'string', short: 'o' },
      html: { type: 'boolean', default: false },
      check: { type: 'boolean', default: false },
      json: { type: 'boolean', default: false },
      root: { type: 'string' },
      'no-pii-scan': { type: 'boolean', default: false },
      force: { type: 'boolean', default: false },
    },
  });
  if (positionals.length !== 1) throw new RmlInputError(`card takes exactly one run folder or config (got ${positionals.length}): rml card <run-dir-or-config> [--out MODEL_CARD.md]`);
  const target = resolve(io.cwd, positionals[0]);
  const root = resolve(io.cwd, values.root ?? '.');
  const html = values.html || (values.out !== undefined && /\.html?$/i.test(values.out));
  if (values.check) return check(target, values.out, html, values.json, io);

  const inputs = await loadCardInputs(target, { root, scanPii: !values['no-pii-scan'] });
  const toStdout = values.out === '-';
  const configFile = inputs.config?.file ?? inputs.run.config.file;
  const out = toStdout ? undefined : values.out !== undefined ? resolve(io.cwd, values.out) : defaultCardPath(configFile, html);
  if (out && !values.force) await refuseForeignCard(out, configFile);
  const card = buildModelCard({ ...inputs, cardFile: out });
  const text = html ? renderCardHtml(card) : renderCardMarkdown(card);
  if (!out) {
    io.out(text);
    return EXIT.ok;
  }
  await writeFileAtomically(out, text);
  const undocumented = undocumentedFields(card);
  if (values.json) {
    io.out(JSON.stringify({ card: out, format: html ? 'html' : 'markdown', run: inputs.runDir, sections: card.sections.map((s) => s.id), undocumented, provenance: card.provenance }, null, 2) + '\n');
  } else {
    const c = colors(io.tty && !process.env.NO_COLOR);
    io.out(`Wrote ${relative(io.cwd, out) || out} (${html ? 'HTML' : 'Markdown'}) from run ${relative(io.cwd, inputs.runDir) || inputs.runDir}.\n`);
    if (undocumented.length > 0) io.out(c.yellow(`${undocumented.length} field${undocumented.length === 1 ? ' is' : 's are'} not documented yet: ${undocumented.join(', ')}.\n`));
  }
  return EXIT.ok;
}

/** The config keys the card says are not documented (from its "Not documented — add X" lines). */
export function undocumentedFields(card: ModelCard): string[] {
  const found = new Set<string>();
  const visit = (t: unknown): void => {
    if (Array.isArray(t)) {
      for (let i = 0; i < t.length; i++) {
        const prev: unknown = t[i - 1];
        const cur: unknown = t[i];
        if (typeof prev === 'string' && prev.startsWith('Not documented') && typeof cur === 'object' && cur !== null && 'code' in cur) found.add(String((cur as { code: string }).code));
        else visit(cur);
      }
    }
  };
  for (const s of card.sections) {
    for (const b of s.blocks) {
      if (b.kind === 'missing' || b.kind === 'p') visit(b.text);
      else if (b.kind === 'table') b.rows.forEach((r) => r.forEach(visit));
      else if (b.kind === 'list') b.items.forEach(visit);
    }
  }
  return [...found];
}

/** Refuses to overwrite a file that is not this config's card, or a card edited by hand since it was generated (use --out or --force). */
async function refuseForeignCard(out: string, configFile: string): Promise<void> {
  const text = await fsp.readFile(out, 'utf8').catch(() => null);
  if (text === null) return;
  const o = cardOwnership(text, out, configFile);
  const at = { file: out, line: 1, column: 1 };
  if (o.kind === 'not-a-card') throw new RmlInputError(`${out} exists and is not a Responsible ML model card; choose another file with --out, or overwrite it with --force`, at);
  if (o.kind === 'other-config') throw new RmlInputError(`${out} is the model card of ${o.owner}; write this one elsewhere with --out, or overwrite it with --force`, at);
  if (o.kind === 'edited') throw new RmlInputError(`${out} was edited since it was generated; move your text into the config's documentation block (the card shows it), or overwrite the card with --force`, at);
}

async function check(target: string, outOpt: string | undefined, html: boolean, json: boolean, io: Io): Promise<number> {
  const configFile = /\.rml\.(?:ya?ml|json)$/i.test(target) ? target : (await readRunRecord(target)).config.file;
  const card = outOpt !== undefined ? resolve(io.cwd, outOpt) : defaultCardPath(configFile, html);
  const exists = await fsp.access(card).then(() => true, () => false);
  if (!exists) throw new RmlInputError(`no model card at ${card}: write one with rml card ${relative(io.cwd, configFile) || configFile}`);
  const s = await cardStaleness(card, configFile);
  if (json) {
    io.out(JSON.stringify({ card, config: configFile, stale: s.stale, reasons: s.reasons }, null, 2) + '\n');
  } else if (s.stale) {
    io.out(`${relative(io.cwd, card) || card} is out of date:\n${s.reasons.map((r) => `  - ${r.message}`).join('\n')}\n`);
  } else {
    io.out(`${relative(io.cwd, card) || card} is up to date with ${relative(io.cwd, configFile) || configFile} and its data.\n`);
  }
  return s.stale ? EXIT.internal : EXIT.ok;
}
