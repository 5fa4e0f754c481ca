/** RML015 missing-documentation: intended use, limitations, owners or the data licence is missing. */
import type { LintContext } from '../context';
import type { EditValue } from '../edits';
import { ruleMeta, type Rule } from '../rule';
import type { Finding, TextEdit } from '../types';

const meta = ruleMeta(
  'RML015',
  'missing-documentation',
  'info',
  'config',
  'The model card lacks its intended use, limitations or owners, or the data licence is missing or still a TODO placeholder.',
  'A model without a stated intended use gets used for decisions it was never validated for; without limitations and owners nobody knows what it can\'t do or whom to ask; without a licence the data may not be usable at all. The quick fix adds TODO stubs, which the rule then reports as placeholders until they are filled in.',
);

/** What is checked, with the stub a fix writes. */
const FIELDS: { path: [string, string]; label: string; stub: EditValue }[] = [
  { path: ['documentation', 'intendedUse'], label: 'documentation.intendedUse', stub: 'TODO: who should use this model, for which decisions' },
  { path: ['documentation', 'limitations'], label: 'documentation.limitations', stub: 'TODO: known limitations of the model and its data' },
  { path: ['documentation', 'owners'], label: 'documentation.owners', stub: ['TODO: the team responsible for this model'] },
  { path: ['data', 'license'], label: 'data.license', stub: 'TODO: the licence or terms of use of the data' },
];

const PLACEHOLDER = /^\s*(?:todo|tbd|fixme|xxx|\.\.\.|…)\b/i;

function isEmpty(v: unknown): boolean {
  if (v === undefined || v === null) return true;
  if (typeof v === 'string') return v.trim() === '';
  if (Array.isArray(v)) return v.length === 0 || v.every(isEmpty);
  return false;
}

function isPlaceholder(v: unknown): boolean {
  if (typeof v === 'string') return PLACEHOLDER.test(v);
  if (Array.isArray(v)) return v.length > 0 && v.every((x) => isPlaceholder(x) || (typeof x === 'object' && x !== null && isPlaceholder((x as { name?: unknown }).name)));
  return false;
}

export const rml015: Rule = {
  meta,
  check(ctx: LintContext): Finding[] {
    const missing = FIELDS.filter((f) => isEmpty(ctx.raw(f.path)));
    const placeholders = FIELDS.filter((f) => !isEmpty(ctx.raw(f.path)) && isPlaceholder(ctx.raw(f.path)));
    const out: Finding[] = [];
    if (missing.length > 0) {
      const docStubs: Record<string, EditValue> = {};
      for (const f of missing) if (f.path[0] === 'documentation') docStubs[f.path[1]] = f.stub;
      const licence = missing.find((f) => f.path[0] === 'data');
      // Present-but-empty values are replaced in place; absent ones are added.
      const edits: (TextEdit[] | undefined)[] = [];
      if (licence) edits.push(ctx.editor.set(licence.path, licence.stub));
      const absentDocs: Record<string, EditValue> = {};
      for (const [k, v] of Object.entries(docStubs)) {
        if (ctx.raw(['documentation', k]) === undefined) absentDocs[k] = v;
        else edits.push(ctx.editor.set(['documentation', k], v));
      }
      if (Object.keys(absentDocs).length > 0) edits.push(ctx.editor.setMany(['documentation'], absentDocs));
      const docAnchor = missing.some((f) => f.path[0] === 'documentation') ? ctx.anchor(['documentation', 'intendedUse']) : ctx.anchor(['data', 'license']);
      out.push(
        ctx.finding(meta, {
          at: docAnchor,
          message:
            `The model's documentation is incomplete: ${missing.map((f) => f.label).join(', ')} ${missing.length === 1 ? 'is' : 'are'} missing. ` +
            `State the intended use (so the model is not used for decisions it was never validated for), its limitations and its owners, and the data's licence; they go into the model card.`,
          fixes: [ctx.fix('Add documentation stubs to fill in', ...edits)],
          data: { reason: 'missing', fields: missing.map((f) => f.label) },
        }),
      );
    }
    if (placeholders.length > 0) {
      out.push(
        ctx.finding(meta, {
          at: ctx.valueRange(placeholders[0].path),
          message: `The model's documentation still has placeholders: ${placeholders.map((f) => f.label).join(', ')}. Replace the TODOs with the real content before the model is used.`,
          data: { reason: 'placeholder', fields: placeholders.map((f) => f.label) },
        }),
      );
    }
    return out;
  },
};
