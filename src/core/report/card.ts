/**
 * Model cards: a run record and its config's `documentation` → one document model
 * ({@link buildModelCard}) → Markdown ({@link renderCardMarkdown}) or a self-contained HTML file
 * ({@link renderCardHtml}). Both renderings come from the same model, so they hold the same
 * sections and numbers.
 *
 * Sections follow the Model Card Toolkit's schema (model details, model parameters, quantitative
 * analysis, considerations) and Mitchell et al., "Model Cards for Model Reporting" (FAT* 2019):
 * model details · intended use · data · quantitative analysis (metrics with cross-validation
 * intervals, the fairness gate, and per sensitive column the disparities with bootstrap intervals
 * and the per-group table) · considerations (limitations, ethical considerations, mitigations) ·
 * explainability · privacy · energy and CO₂e · reproducibility · additional documentation.
 *
 * Rules:
 * - no section is ever empty: a missing field says "Not documented — add documentation.X to the
 *   config", and a missing analysis says how to get it;
 * - no data values: only column names, the group names of sensitive columns, and aggregates;
 * - every text is escaped for its format (Markdown entities and backslashes; HTML entities), and
 *   the HTML has no script and no remote content (its CSP allows only its own stylesheet);
 * - energy and CO₂e keep their "measured"/"estimated" label;
 * - the card starts with a provenance comment (`<!-- rml:model-card {…} -->`): the run, the config
 *   and data hashes it was made from, so {@link cardStaleness} can tell when it is out of date,
 *   and a digest of the rest of the card, so {@link cardContentEdited} can tell a hand edit.
 *
 * I/O lives in {@link loadCardInputs} and {@link cardStaleness}; the rest is pure.
 */
import { createHash } from 'node:crypto';
import { createReadStream, promises as fsp } from 'node:fs';
import * as path from 'node:path';
import { loadConfig, parseConfigText } from '../config';
import { configDocumentationHash, configTrainingHash } from '../config/hash';
import type { TrainingConfig } from '../config/types';
import { RmlInputError } from '../errors';
import { sampleCsv, sampleToDataset } from '../lint/sample';
import { detectPii, PII_LABELS } from '../privacy/pii';
import { formatEnergy, formatMass, intensityLabel } from '../sustainability/format';
import { detectProcessor } from '../sustainability/cpu';
import { modelEnergy } from '../sustainability/meter';
import type { EnergyReport } from '../sustainability/types';
import { VERSION } from '../version';
import { listRuns, runsDirFor } from './record';
import { escapeXml } from './svg';
import type { RunRecord } from './types';
import { disparityKeys, fmt, fmtInterval, groupKeys, judge, limitFor, limitText, metricLabel, readFairnessColumn, type FairnessColumn } from './view-model';

// ---------------------------------------------------------------------------------------------
// The document model

/** Inline text: plain strings and code spans (config keys, commands, hashes). */
export type Inline = string | { code: string };
export type Text = string | Inline[];

export type CardBlock =
  | { kind: 'p'; text: Text }
  /** A field the config does not document (or a result the run lacks), with how to add it. */
  | { kind: 'missing'; text: Text }
  | { kind: 'list'; items: Text[] }
  | { kind: 'table'; caption?: string; head: string[]; rows: Text[][] }
  /** A sub-heading inside a section. */
  | { kind: 'h'; text: string };

/** The section ids, in order. `additional-documentation` is present only with extra keys. */
export const CARD_SECTIONS = [
  'model-details',
  'intended-use',
  'data',
  'quantitative-analysis',
  'considerations',
  'explainability',
  'privacy',
  'sustainability',
  'reproducibility',
  'additional-documentation',
] as const;
export type CardSectionId = (typeof CARD_SECTIONS)[number];

export interface CardSection {
  id: CardSectionId;
  title: string;
  blocks: CardBlock[];
}

/** What a card was made from (the provenance comment at its top). */
export interface CardProvenance {
  format: 'rml-model-card';
  version: 1;
  generator: string;
  generatedAt: string;
  run: { folder: string | null; name: string; finishedAt: string; status: string };
  /** The config file (relative to the card's folder when the card's path was known), its sha256 and its hashes' parts when it was read. */
  config: { file: string; hash: string | null; trainingHash: string | null; documentationHash: string | null };
  /** The run's config hash, and the hash of its training settings when known. */
  runConfig: { hash: string; trainingHash: string | null };
  /** The data file (relative like `config.file`) and the run's data sha256. */
  data: { file: string; hash: string };
}

export interface ModelCard {
  title: string;
  summary: string;
  provenance: CardProvenance;
  sections: CardSection[];
}

/** A column that looks like personal data (no values: kinds and evidence only). */
export interface PiiFinding {
  column: string;
  /** What it holds, e.g. "email addresses". */
  kinds: string[];
  /** True when the header name also hinted at the kind. */
  headerHint: boolean;
}

/** A run record as the card reads it: the core fields, plus sections that newer engines add. */
export type CardRun = RunRecord & { energy?: EnergyReport; explain?: unknown; privacy?: unknown };

export interface CardInputs {
  run: CardRun;
  /** The run folder. */
  runDir?: string;
  /** The loaded config (its documentation); absent when it could not be read. */
  config?: TrainingConfig;
  /** Why `config` is absent. */
  configProblem?: string;
  /** The PII scan of the data file's columns; absent when not scanned. */
  pii?: PiiFinding[];
  /** Why `pii` is absent. */
  piiProblem?: string;
  /** The data file's sha256 now (to say when it changed since the run). */
  dataHashNow?: string;
  /** Default: now (fixed in tests). */
  generatedAt?: Date;
  /** Where the card will be written: paths in the provenance are made relative to its folder. */
  cardFile?: string;
}

// ---------------------------------------------------------------------------------------------
// Config hashes for staleness

export { configTrainingHash, configDocumentationHash };

// ---------------------------------------------------------------------------------------------
// Building the card

/** Builds the card's document model (pure). */
export function buildModelCard(inputs: CardInputs): ModelCard {
  const { run, config } = inputs;
  const docs = new Docs(config, inputs.configProblem);
  const runTrainingHash = readRunTrainingHash(run) ?? (config && config.hash === run.config.hash ? configTrainingHash(config.raw) : null);
  const base = inputs.cardFile ? path.dirname(path.resolve(inputs.cardFile)) : undefined;
  const rel = (p: string) => (base ? path.relative(base, p) || path.basename(p) : p);
  const provenance: CardProvenance = {
    format: 'rml-model-card',
    version: 1,
    generator: `Responsible ML ${VERSION}`,
    generatedAt: (inputs.generatedAt ?? new Date()).toISOString(),
    run: { folder: inputs.runDir ? rel(inputs.runDir) : null, name: run.name, finishedAt: run.finishedAt, status: run.status },
    config: {
      file: rel(config?.file ?? run.config.file),
      hash: config?.hash ?? null,
      trainingHash: config ? configTrainingHash(config.raw) : null,
      documentationHash: config ? configDocumentationHash(config.raw) : null,
    },
    runConfig: { hash: run.config.hash, trainingHash: runTrainingHash },
    data: { file: rel(run.data.file), hash: run.data.hash },
  };
  const extra = docs.extraKeys();
  const sections: CardSection[] = [
    modelDetails(run, docs, config),
    intendedUse(docs),
    dataSection(run, docs, config, inputs),
    quantitativeAnalysis(run, config),
    considerations(run, docs, config),
    explainability(run),
    privacy(run, config, inputs),
    sustainability(run),
    reproducibility(run, config, inputs, runTrainingHash),
  ];
  if (extra.length > 0) sections.push({ id: 'additional-documentation', title: 'Additional documentation', blocks: extra.flatMap(([k, v]) => [{ kind: 'h', text: k } as CardBlock, ...valueBlocks(v)]) });
  const when = run.finishedAt.slice(0, 10);
  return {
    title: `Model card: ${run.name}`,
    summary: `${modelKind(run)} for ${run.task === 'regression' ? `predicting ${run.target}` : `${run.target}${run.positive !== undefined ? ` (positive class "${run.positive}")` : ''}`}, trained on ${when}. Generated by Responsible ML ${VERSION} from the run record; numbers are the run's.`,
    provenance,
    sections,
  };
}

/** The documentation of the config, with "Not documented" lines for what is missing. */
class Docs {
  private readonly doc: Record<string, unknown>;
  constructor(
    private readonly config: TrainingConfig | undefined,
    private readonly problem: string | undefined,
  ) {
    this.doc = config?.documentation ?? {};
  }

  /** The value of `documentation.<key>` (strings and string lists), or undefined. */
  get(key: string): string | string[] | undefined {
    const v = this.doc[key];
    if (typeof v === 'string' && v.trim() !== '') return v.trim();
    if (typeof v === 'number') return String(v);
    if (Array.isArray(v)) {
      const items = v.map((x) => (typeof x === 'string' ? x : isObject(x) && typeof x.name === 'string' ? ownerText(x) : JSON.stringify(x))).filter((x) => x.trim() !== '');
      return items.length > 0 ? items : undefined;
    }
    return undefined;
  }

  /** Blocks for a documented field, or the "Not documented" line naming the key to add. */
  blocks(key: string, label = `documentation.${key}`): CardBlock[] {
    const v = this.get(key);
    if (v === undefined) return [this.missing(label)];
    return Array.isArray(v) ? [{ kind: 'list', items: v }] : paragraphs(v);
  }

  /** The field as one line of text, or the "Not documented" text. */
  inline(key: string, label = `documentation.${key}`): Text {
    const v = this.get(key);
    if (v === undefined) return this.missingText(label);
    return Array.isArray(v) ? v.join('; ') : v.replace(/\s*\n\s*/g, ' ');
  }

  missing(label: string): CardBlock {
    return { kind: 'missing', text: this.missingText(label) };
  }

  missingText(label: string): Text {
    if (!this.config) return [`Not available — ${label} is read from the config, which could not be read (${this.problem ?? 'unknown reason'}).`];
    return ['Not documented — add ', { code: label }, ` to the config (${path.basename(this.config.file)}).`];
  }

  /** Keys of `documentation` that no section shows, with their values (shown as extra sections). */
  extraKeys(): [string, unknown][] {
    return Object.entries(this.doc).filter(([k]) => !KNOWN_DOC_KEYS.has(k));
  }
}

const KNOWN_DOC_KEYS = new Set(['intendedUse', 'outOfScope', 'limitations', 'ethicalConsiderations', 'owners', 'version', 'license', 'users', 'tradeoffs', 'references', 'citation']);

function ownerText(o: Record<string, unknown>): string {
  return typeof o.contact === 'string' && o.contact.trim() !== '' ? `${String(o.name)} (${o.contact.trim()})` : String(o.name);
}

function paragraphs(text: string): CardBlock[] {
  return text
    .split(/\n\s*\n/)
    .map((p) => p.replace(/\s*\n\s*/g, ' ').trim())
    .filter((p) => p !== '')
    .map((p) => ({ kind: 'p', text: p }));
}

function valueBlocks(v: unknown): CardBlock[] {
  if (typeof v === 'string') return v.trim() === '' ? [{ kind: 'p', text: '(empty)' }] : paragraphs(v);
  if (Array.isArray(v)) return v.length === 0 ? [{ kind: 'p', text: '(empty)' }] : [{ kind: 'list', items: v.map((x) => (typeof x === 'string' ? x : JSON.stringify(x))) }];
  if (isObject(v)) return [{ kind: 'table', head: ['Key', 'Value'], rows: Object.entries(v).map(([k, x]) => [k, typeof x === 'string' ? x : JSON.stringify(x)]) }];
  return [{ kind: 'p', text: JSON.stringify(v) ?? String(v) }];
}

function modelKind(run: RunRecord): string {
  const m = run.model;
  if (m.hidden.length === 0) return m.task === 'regression' ? 'A linear regression' : m.task === 'multiclass' ? 'A multinomial logistic regression' : 'A logistic regression';
  return `A multilayer perceptron (${m.hidden.join(' × ')} hidden units, ${m.activation})`;
}

function modelDetails(run: RunRecord, docs: Docs, config: TrainingConfig | undefined): CardSection {
  const t = run.train;
  const description: Text = config?.description?.trim() ? config.description.trim().replace(/\s*\n\s*/g, ' ') : config ? ['Not documented — add ', { code: 'description' }, ` to the config (${path.basename(config.file)}).`] : docs.missingText('description');
  const rows: Text[][] = [
    ['Name', run.name],
    ['Description', description],
    ['Version', docs.inline('version')],
    ['Owners', docs.inline('owners')],
    ['Licence', docs.inline('license')],
    ['Date', `${run.finishedAt.slice(0, 10)} (run finished ${run.finishedAt})`],
    ['Type', `${modelKind(run)}: ${run.model.inputs} encoded inputs → ${run.model.outputs} output${run.model.outputs === 1 ? '' : 's'}${run.model.dropout > 0 ? `, dropout ${run.model.dropout}` : ''}`],
    ['Task', `${run.task}: target ${run.target}${run.positive !== undefined ? `, positive class "${run.positive}"` : ''}${run.classes.length > 0 && run.task !== 'regression' ? `; classes ${run.classes.join(', ')}` : ''}`],
    [
      'Training',
      `${t.optimizer}, learning rate ${t.learningRate}, batch ${t.batchSize}, ${run.epochs} of ${t.epochs} epochs` +
        `${t.earlyStopping ? `, early stopping (patience ${t.earlyStopping.patience})${run.stoppedEarly ? `, stopped early, best epoch ${run.bestEpoch}` : ''}` : ''}` +
        `${t.l1 > 0 ? `, L1 ${t.l1}` : ''}${t.l2 > 0 ? `, L2 ${t.l2}` : ''}${t.classWeight ? `, class weights ${t.classWeight}` : ''}`,
    ],
  ];
  if (run.task !== 'regression') rows.push(['Decision threshold', fmt(run.threshold)]);
  const refs = docs.get('references') ?? docs.get('citation');
  if (refs !== undefined) rows.push(['References', Array.isArray(refs) ? refs.join('; ') : refs]);
  return { id: 'model-details', title: 'Model details', blocks: [{ kind: 'table', head: ['Field', 'Value'], rows }] };
}

function intendedUse(docs: Docs): CardSection {
  const blocks: CardBlock[] = [{ kind: 'h', text: 'Primary intended uses' }, ...docs.blocks('intendedUse')];
  if (docs.get('users') !== undefined) blocks.push({ kind: 'h', text: 'Intended users' }, ...docs.blocks('users'));
  blocks.push({ kind: 'h', text: 'Out-of-scope uses' }, ...docs.blocks('outOfScope'));
  return { id: 'intended-use', title: 'Intended use', blocks };
}

function pct(part: number, whole: number): string {
  return whole > 0 ? `${((100 * part) / whole).toFixed(1)}%` : '—';
}

function dataSection(run: RunRecord, docs: Docs, config: TrainingConfig | undefined, inputs: CardInputs): CardSection {
  const d = run.data;
  const used = d.train + d.validation + d.test;
  const licence: Text = config?.data.license?.trim() ? config.data.license.trim() : config ? ['Not documented — add ', { code: 'data.license' }, ` to the config (${path.basename(config.file)}).`] : docs.missingText('data.license');
  const rows: Text[][] = [
    ['File', displayPath(d.file, run.config.file)],
    ['SHA-256', [{ code: d.hash }]],
    ['Licence', licence],
    ['Rows', `${fmt(d.rows)} in the file; ${fmt(used)} used`],
    ['Split', `train ${fmt(d.train)} (${pct(d.train, used)}) · validation ${fmt(d.validation)} (${pct(d.validation, used)}) · test ${fmt(d.test)} (${pct(d.test, used)})${config ? `, ${config.split.stratify && run.task !== 'regression' ? 'stratified, ' : ''}seed ${run.seed}` : `, seed ${run.seed}`}`],
    ['Rows left out', `${fmt(d.droppedMissingTarget)} without a target value, ${fmt(d.droppedMissingFeatures)} with missing features (dropped)`],
    ['Target', `${run.target}${run.positive !== undefined ? ` (positive class "${run.positive}")` : ''}`],
    ['Features', d.features.length > 0 ? `${d.features.length}: ${d.features.join(', ')} (${d.encodedFeatures} after encoding)` : 'none'],
    ['Sensitive columns', config ? (config.data.sensitive.length > 0 ? config.data.sensitive.join(', ') : 'none declared') : Object.keys(run.fairness ?? {}).join(', ') || 'unknown (config not available)'],
  ];
  if (config) rows.push(['Ignored columns', config.data.ignore.length > 0 ? config.data.ignore.join(', ') : 'none']);
  const blocks: CardBlock[] = [{ kind: 'table', head: ['Field', 'Value'], rows }];
  if (inputs.dataHashNow && inputs.dataHashNow !== d.hash) {
    blocks.push({ kind: 'p', text: ['⚠ The data file has changed since this run: its SHA-256 is now ', { code: inputs.dataHashNow }, '. Retrain before relying on this card.'] });
  }
  if (d.warnings.length > 0) blocks.push({ kind: 'h', text: 'Data warnings' }, { kind: 'list', items: d.warnings });
  return { id: 'data', title: 'Data', blocks };
}

function displayPath(file: string, configFile: string): string {
  const rel = path.relative(path.dirname(configFile), file);
  return rel && !rel.startsWith('..') && !path.isAbsolute(rel) ? rel : path.basename(file);
}

/** The fairness audits of a run (or of a mitigation side), one entry per table: a column, or a column's class (multiclass). */
export function fairnessAudits(fairness: unknown): { title: string; column: string; audit: FairnessColumn }[] {
  if (!isObject(fairness)) return [];
  const out: { title: string; column: string; audit: FairnessColumn }[] = [];
  for (const [column, a] of Object.entries(fairness)) {
    if (isObject(a) && isObject(a.classes)) {
      for (const [cls, ca] of Object.entries(a.classes)) {
        const c = readFairnessColumn(ca);
        if (c) out.push({ title: `${column} · class ${cls} (one-vs-rest)`, column, audit: c });
      }
    } else {
      const c = readFairnessColumn(a);
      if (c) out.push({ title: column, column, audit: c });
    }
  }
  return out;
}

function confidenceOf(a: unknown): string {
  if (isObject(a) && isObject(a.bootstrap) && typeof a.bootstrap.confidence === 'number' && typeof a.bootstrap.resamples === 'number') {
    return `${Math.round(a.bootstrap.confidence * 100)}% bootstrap interval (${a.bootstrap.resamples} resamples)`;
  }
  return 'Bootstrap interval';
}

function quantitativeAnalysis(run: RunRecord, config: TrainingConfig | undefined): CardSection {
  const blocks: CardBlock[] = [{ kind: 'h', text: 'Performance' }];
  if (!run.metrics) {
    blocks.push({ kind: 'missing', text: `No metrics: the run was ${run.status}. Train again to completion (rml train) and regenerate the card.` });
  } else {
    const cv = run.crossValidation;
    const head = ['Metric', `Test (${fmt(run.data.test)} rows)`, ...(cv ? [`${cv.k}-fold cross-validation (mean ± sd)`] : [])];
    const rows: Text[][] = Object.entries(run.metrics).map(([k, v]) => {
      const row: Text[] = [metricLabel(k), fmt(v as number | null)];
      if (cv) {
        const c = cv.metrics[k];
        row.push(c ? `${fmt(c.mean)}${c.sd !== null ? ` ± ${fmt(c.sd)}` : ''} (${c.n} fold${c.n === 1 ? '' : 's'})` : '—');
      }
      return row;
    });
    blocks.push({ kind: 'table', caption: 'Test metrics', head, rows });
    if (!cv) blocks.push({ kind: 'p', text: ['No cross-validation interval: set ', { code: 'evaluate.crossValidation' }, ' (e.g. 5) in the config for mean ± sd over folds.'] });
  }
  blocks.push({ kind: 'h', text: 'Fairness' });
  const tables = fairnessAudits(run.fairness);
  const thresholds = config?.fairness.thresholds;
  if (run.gate && run.gate.limits.length > 0) {
    blocks.push(
      run.gate.passed
        ? { kind: 'p', text: `Fairness gate: passed (${run.gate.limits.length} limit${run.gate.limits.length === 1 ? '' : 's'} checked).` }
        : { kind: 'p', text: `Fairness gate: FAILED — ${run.gate.failures.map((f) => f.message).join(' ')}` },
    );
  } else if (tables.length > 0) {
    blocks.push({ kind: 'p', text: ['No fairness gate: no limits are set. Add ', { code: 'fairness.thresholds' }, ' to the config to fail runs that exceed them.'] });
  }
  if (tables.length === 0) {
    blocks.push(
      run.status !== 'completed'
        ? { kind: 'missing', text: 'No fairness audit: the run did not complete.' }
        : { kind: 'missing', text: ['No fairness audit: the config declares no sensitive column — add ', { code: 'data.sensitive' }, ' to the config and retrain.'] },
    );
  }
  for (const t of tables) blocks.push(...fairnessBlocks(t.title, t.column, t.audit, thresholds, rawAudit(run.fairness, t.column)));
  return { id: 'quantitative-analysis', title: 'Quantitative analysis', blocks };
}

function rawAudit(fairness: unknown, column: string): unknown {
  return isObject(fairness) ? fairness[column] : undefined;
}

function fairnessBlocks(title: string, column: string, a: FairnessColumn, thresholds: Readonly<Record<string, number>> | undefined, raw: unknown): CardBlock[] {
  const blocks: CardBlock[] = [{ kind: 'h', text: `Fairness by ${title}` }];
  const keys = disparityKeys(a);
  const withIntervals = a.intervals !== undefined;
  const rawClassAudit = isObject(raw) && isObject(raw.classes) ? Object.values(raw.classes)[0] : raw;
  const head = ['Disparity', 'Value', ...(withIntervals ? [confidenceOf(rawClassAudit)] : []), 'Limit', 'Result'];
  const rows: Text[][] = keys.map((k) => {
    const v = a.values[k];
    const limit = limitFor(k, thresholds);
    const verdict = judge(v, limit);
    return [metricLabel(k), fmt(v), ...(withIntervals ? [fmtInterval(a.intervals?.[k]) || '—'] : []), limitText(limit) || '—', verdict === undefined ? '—' : verdict === 'pass' ? 'pass' : 'FAIL'];
  });
  if (a.signed) {
    for (const [k, v] of Object.entries(a.signed)) {
      if (k === 'privileged' || typeof v === 'string') continue;
      const key = k === 'equalOpportunityDifference' ? 'equalOpportunityDifferenceSigned' : k;
      const limit = limitFor(key, thresholds);
      const verdict = judge(v, limit);
      rows.push([`${metricLabel(key)} (privileged: ${a.signed.privileged})`, fmt(v), ...(withIntervals ? [fmtInterval(a.intervals?.[key]) || '—'] : []), limitText(limit) || '—', verdict === undefined ? '—' : verdict === 'pass' ? 'pass' : 'FAIL']);
    }
  }
  if (rows.length > 0) blocks.push({ kind: 'table', caption: `Disparities across the groups of ${column}`, head, rows });
  const gk = groupKeys(a);
  blocks.push({
    kind: 'table',
    caption: `Per-group metrics of ${column} on the test split`,
    head: ['Group', ...gk.map(metricLabel)],
    rows: Object.entries(a.groups).map(([g, m]) => [g, ...gk.map((k) => fmt((m as Record<string, number | null | undefined>)[k]))]),
  });
  if (a.warnings.length > 0) blocks.push({ kind: 'list', items: a.warnings.map((w) => `Warning: ${w.message}`) });
  return blocks;
}

function considerations(run: CardRun, docs: Docs, config: TrainingConfig | undefined): CardSection {
  const blocks: CardBlock[] = [{ kind: 'h', text: 'Limitations' }, ...docs.blocks('limitations')];
  const noted: string[] = [];
  if (run.seedDefaulted) noted.push('No seed was set (split.seed / train.seed): the run used seed 0 by default.');
  for (const t of fairnessAudits(run.fairness)) for (const w of t.audit.warnings) if (!noted.includes(w.message)) noted.push(w.message);
  if (run.gate && !run.gate.passed) noted.push(`The fairness gate failed: ${run.gate.failures.length} limit${run.gate.failures.length === 1 ? ' was' : 's were'} not met (see Quantitative analysis).`);
  if (noted.length > 0) blocks.push({ kind: 'p', text: 'Noted automatically from the run:' }, { kind: 'list', items: noted });
  blocks.push({ kind: 'h', text: 'Ethical considerations' }, ...docs.blocks('ethicalConsiderations'));
  if (docs.get('tradeoffs') !== undefined) blocks.push({ kind: 'h', text: 'Trade-offs' }, ...docs.blocks('tradeoffs'));
  blocks.push({ kind: 'h', text: 'Mitigations applied' });
  const m = run.mitigation;
  if (m) {
    blocks.push({ kind: 'p', text: [`${m.method}: ${m.description} Fitted on the ${m.fitOn} split (${fmt(m.fitRows)} rows)${m.randomized ? `, randomized decisions (seed ${m.seed})` : ''}.`] });
    const rows: Text[][] = [];
    for (const [k, after] of Object.entries(m.after.metrics)) {
      const before = (m.before.metrics as Record<string, number | null>)[k];
      rows.push([metricLabel(k), fmt(before), fmt(after as number | null), signedDelta(before, after as number | null)]);
    }
    const beforeTables = fairnessAudits(m.before.fairness);
    for (const t of fairnessAudits(m.after.fairness)) {
      const b = beforeTables.find((x) => x.title === t.title);
      for (const k of disparityKeys(t.audit)) {
        const before = b?.audit.values[k] ?? null;
        rows.push([`${metricLabel(k)} (${t.title})`, fmt(before), fmt(t.audit.values[k]), signedDelta(before, t.audit.values[k])]);
      }
    }
    blocks.push({ kind: 'table', caption: 'Before and after the mitigation, on the same test rows', head: ['Metric', 'Before', 'After', 'Change'], rows });
    if (m.warnings.length > 0) blocks.push({ kind: 'list', items: m.warnings });
  } else if (config && config.fairness.mitigation !== 'none') {
    blocks.push({ kind: 'missing', text: `The config asks for ${config.fairness.mitigation}, but this run records no mitigation (it predates the setting, or the run did not complete). Retrain and regenerate the card.` });
  } else {
    blocks.push({ kind: 'p', text: ['None: no bias mitigation was applied (', { code: 'fairness.mitigation' }, ' is none). Options: reweighing, threshold-demographic-parity, threshold-equal-opportunity, threshold-equalized-odds.'] });
  }
  return { id: 'considerations', title: 'Considerations', blocks };
}

function signedDelta(before: number | null | undefined, after: number | null | undefined): string {
  if (typeof before !== 'number' || typeof after !== 'number') return '—';
  const d = after - before;
  return `${d > 0 ? '+' : d < 0 ? '−' : '±'}${fmt(Math.abs(d))}`;
}

/** Feature importances stored with the run (run.json's `explain.importance`, written by the engine), in any of the accepted shapes. */
export function readImportance(explain: unknown): { method: string | null; metric: string | null; repeats: number | null; features: { feature: string; mean: number; sd: number | null }[] } | null {
  if (!isObject(explain)) return null;
  const imp = explain.importance;
  let method: string | null = typeof explain.method === 'string' ? explain.method : null;
  let metric: string | null = null;
  let repeats: number | null = null;
  let list: unknown = imp;
  if (isObject(imp)) {
    if (typeof imp.method === 'string') method = imp.method;
    if (typeof imp.metric === 'string') metric = imp.metric;
    if (typeof imp.repeats === 'number') repeats = imp.repeats;
    list = Array.isArray(imp.features) ? imp.features : Array.isArray(imp.items) ? imp.items : imp;
  }
  const out: { feature: string; mean: number; sd: number | null }[] = [];
  if (Array.isArray(list)) {
    for (const x of list) {
      if (!isObject(x)) continue;
      const feature = typeof x.feature === 'string' ? x.feature : typeof x.name === 'string' ? x.name : null;
      const mean = [x.mean, x.importance, x.value].find((v): v is number => typeof v === 'number' && Number.isFinite(v));
      if (feature === null || mean === undefined) continue;
      const sd = [x.sd, x.std].find((v): v is number => typeof v === 'number' && Number.isFinite(v)) ?? null;
      out.push({ feature, mean, sd });
    }
  } else if (isObject(list)) {
    for (const [feature, v] of Object.entries(list)) {
      if (typeof v === 'number' && Number.isFinite(v)) out.push({ feature, mean: v, sd: null });
      else if (isObject(v) && typeof v.mean === 'number') out.push({ feature, mean: v.mean, sd: typeof v.sd === 'number' ? v.sd : null });
    }
  }
  if (out.length === 0) return null;
  out.sort((a, b) => b.mean - a.mean);
  return { method, metric, repeats, features: out };
}

/** How many features the explainability section lists. */
export const CARD_TOP_FEATURES = 10;

function explainability(run: CardRun): CardSection {
  const imp = readImportance(run.explain);
  if (!imp) {
    return {
      id: 'explainability',
      title: 'Explainability',
      blocks: [{ kind: 'missing', text: ['Not recorded for this run (it was made before runs stored their permutation importance, or the importance could not be computed). Retrain to record it; ', { code: `rml explain ${path.basename(run.config.file)}` }, ' shows it, and SHAP, LIME and counterfactuals for single rows, on demand.'] }],
    };
  }
  const top = imp.features.slice(0, CARD_TOP_FEATURES);
  return {
    id: 'explainability',
    title: 'Explainability',
    blocks: [
      {
        kind: 'p',
        text: `Top ${top.length} of ${imp.features.length} features by ${imp.method === 'permutation' ? 'permutation importance' : (imp.method ?? 'importance')}${imp.metric ? ` (the drop in ${metricLabel(imp.metric).toLowerCase()} on the test split when the feature is shuffled${imp.repeats ? `, over ${imp.repeats} repeats` : ''})` : ''}:`,
      },
      { kind: 'table', caption: 'Feature importance', head: ['Rank', 'Feature', 'Importance (mean ± sd)'], rows: top.map((f, i) => [String(i + 1), f.feature, `${fmt(f.mean)}${f.sd !== null ? ` ± ${fmt(f.sd)}` : ''}`]) },
    ],
  };
}

/** Differential privacy recorded in run.json (`privacy.dp`), or null. */
export function readDp(privacyRecord: unknown): { epsilon: number | null; delta: number | null; noiseMultiplier: number | null; clipNorm: number | null; steps: number | null; sampleRate: number | null; accountant: string | null } | null {
  if (!isObject(privacyRecord) || !isObject(privacyRecord.dp)) return null;
  const dp = privacyRecord.dp;
  const n = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? v : null);
  return {
    epsilon: n(dp.epsilon ?? dp.eps),
    delta: n(dp.delta),
    noiseMultiplier: n(dp.noiseMultiplier),
    clipNorm: n(dp.clipNorm),
    steps: n(dp.steps),
    sampleRate: n(dp.sampleRate),
    accountant: typeof dp.accountant === 'string' ? dp.accountant : null,
  };
}

function privacy(run: CardRun, config: TrainingConfig | undefined, inputs: CardInputs): CardSection {
  const blocks: CardBlock[] = [{ kind: 'p', text: 'This card holds no data values: only column names, the group names of sensitive columns, and aggregate figures.' }];
  const features = new Set(run.data.features);
  blocks.push({ kind: 'h', text: 'Personal data (PII)' });
  if (inputs.pii) {
    if (inputs.pii.length === 0) {
      blocks.push({ kind: 'p', text: `No column looks like personal data to the detectors (${Object.values(PII_LABELS).join(', ')}).` });
    } else {
      blocks.push({
        kind: 'list',
        items: inputs.pii.map((f) => {
          const fate = features.has(f.column)
            ? '⚠ a model input: remove it from the features or add it to data.ignore'
            : config?.data.ignore.includes(f.column)
              ? 'excluded (data.ignore)'
              : config?.data.sensitive.includes(f.column)
                ? 'not a model input (declared sensitive, audited only)'
                : 'not a model input';
          return [{ code: f.column }, `: looks like ${f.kinds.join(' and ')} (${f.headerHint ? 'header and values' : 'values'}) — ${fate}.`];
        }),
      });
    }
  } else {
    blocks.push({ kind: 'missing', text: `The data file was not scanned for personal data (${inputs.piiProblem ?? 'no scan was requested'}).` });
  }
  if (config) {
    const items: Text[] = [];
    for (const s of config.data.sensitive) items.push([{ code: s }, features.has(s) ? ': sensitive, ⚠ also a model input (listed in data.features)' : ': sensitive, audited for fairness, not a model input']);
    for (const s of config.data.ignore) items.push([{ code: s }, ': ignored (never read by the model)']);
    blocks.push({ kind: 'h', text: 'Column handling' }, items.length > 0 ? { kind: 'list', items } : { kind: 'p', text: 'No column is declared sensitive or ignored.' });
  }
  blocks.push({ kind: 'h', text: 'Differential privacy' });
  const dp = readDp(run.privacy);
  if (dp) {
    blocks.push({
      kind: 'table',
      head: ['Field', 'Value'],
      rows: [
        [
          'Guarantee',
          dp.epsilon !== null
            ? `(ε = ${fmt(dp.epsilon)}, δ = ${dp.delta !== null ? dp.delta.toExponential(1) : 'unknown'})-differential privacy for the training rows`
            : dp.noiseMultiplier === 0
              ? 'none: the noise multiplier is 0 (ε = ∞)'
              : 'ε not recorded',
        ],
        ['Noise multiplier', fmt(dp.noiseMultiplier)],
        ['Clipping norm', fmt(dp.clipNorm)],
        ...(dp.steps !== null ? [['Steps', fmt(dp.steps)]] : []),
        ...(dp.sampleRate !== null ? [['Sampling rate', fmt(dp.sampleRate, 4)]] : []),
        ['Accountant', dp.accountant ?? 'not recorded'],
      ],
    });
    blocks.push(...privacyCost(run));
  } else {
    blocks.push({ kind: 'p', text: ['Not trained with differential privacy. Set ', { code: 'privacy.dp' }, ' ({ noiseMultiplier, clipNorm, delta }) in the config to train with DP-SGD and report ε.'] });
  }
  return { id: 'privacy', title: 'Privacy', blocks };
}

/** Performance metrics shown in the cost of privacy, by task. */
const COST_METRICS: Record<string, string[]> = { binary: ['accuracy', 'balancedAccuracy', 'rocAuc'], multiclass: ['accuracy', 'balancedAccuracy'], regression: ['mae', 'r2'] };

/** The run's assumptions, and its metrics and disparities against the same model trained without DP. */
function privacyCost(run: CardRun): CardBlock[] {
  const p = run.privacy as RunRecord['privacy'];
  const blocks: CardBlock[] = [];
  if (p?.dp?.assumptions?.length) blocks.push({ kind: 'p', text: 'Assumptions of this guarantee:' }, { kind: 'list', items: p.dp.assumptions });
  const base = p?.cost?.baseline;
  if (!base || !run.metrics) return blocks;
  const rows: Text[][] = [];
  const delta = (a: number | null | undefined, b: number | null | undefined) => (typeof a === 'number' && typeof b === 'number' ? `${b - a >= 0 ? '+' : '−'}${fmt(Math.abs(b - a))}` : 'undefined');
  for (const k of COST_METRICS[run.task] ?? []) {
    const a = base.metrics[k];
    const b = run.metrics[k];
    if (typeof a !== 'number' && typeof b !== 'number') continue;
    rows.push([metricLabel(k), fmt(a), fmt(b), delta(a, b)]);
  }
  for (const [column, raw] of Object.entries(base.fairness ?? {})) {
    const before = readFairnessColumn(raw);
    const after = readFairnessColumn((run.fairness as Record<string, unknown> | undefined)?.[column]);
    if (!before || !after) continue;
    for (const k of ['demographicParityDifference', 'equalizedOddsDifference'].filter((x) => x in before.values)) {
      rows.push([`${column}: ${metricLabel(k)}`, fmt(before.values[k]), fmt(after.values[k]), delta(before.values[k], after.values[k])]);
    }
  }
  blocks.push({ kind: 'h', text: 'The cost of privacy' }, { kind: 'p', text: p!.cost!.description }, { kind: 'table', caption: 'Without DP vs with DP, same test rows', head: ['Metric', 'Without DP', 'With DP', 'Change'], rows });
  return blocks;
}

function sustainability(run: CardRun): CardSection {
  const e = run.energy;
  if (!e) {
    const seconds = run.timings.totalMs / 1000;
    const processor = detectProcessor();
    const rough = modelEnergy(seconds, seconds, 0, processor);
    return {
      id: 'sustainability',
      title: 'Energy and CO₂e',
      blocks: [
        { kind: 'missing', text: 'Not recorded: this run was made before runs metered their energy. Retrain to record it.' },
        {
          kind: 'p',
          text: `A rough figure, ESTIMATED (not measured): ${formatEnergy(rough.joules)}, from the run's recorded wall time of ${fmt(seconds)} s, assuming one busy core of this machine's processor (${processor.basis}).`,
        },
      ],
    };
  }
  const rows: Text[][] = [
    ['Energy', `${formatEnergy(e.joules)} — ${e.kind === 'measured' ? 'MEASURED with the RAPL energy counters' : 'ESTIMATED with the TDP-per-core model, not measured'}`],
    ['How', e.basis],
    ['CO₂e', `${formatMass(e.co2e.grams)} — computed from ${e.kind} energy × ${e.co2e.gramsPerKWh} gCO₂e/kWh`],
    ['Grid intensity', `${e.co2e.gramsPerKWh} gCO₂e/kWh (${intensityLabel(e.co2e)}): ${e.co2e.source}`],
    ['CPU time', `${fmt(e.cpu.seconds)} s (user ${fmt(e.cpu.userSeconds)} s, system ${fmt(e.cpu.systemSeconds)} s; the whole process, worker threads included)`],
    ['Wall time', `${fmt(e.wallSeconds)} s`],
    ['Processor', `${e.processor.model ?? 'unknown'}, ${e.processor.logicalCpus} logical CPUs; ${e.processor.basis}`],
  ];
  if (e.kind === 'measured') rows.push(['Modelled (for comparison)', `${formatEnergy(e.modelled.joules)} estimated with the TDP-per-core model`]);
  const blocks: CardBlock[] = [{ kind: 'table', head: ['Field', 'Value'], rows }];
  if (e.notes.length > 0) blocks.push({ kind: 'list', items: e.notes });
  return { id: 'sustainability', title: 'Energy and CO₂e', blocks };
}

function reproducibility(run: RunRecord, config: TrainingConfig | undefined, inputs: CardInputs, runTrainingHash: string | null): CardSection {
  const rows: Text[][] = [
    ['Run', `${inputs.runDir ? path.basename(inputs.runDir) : run.name} (${run.status}), ${run.startedAt} → ${run.finishedAt}`],
    ['Config', path.basename(run.config.file)],
    ['Config SHA-256', [{ code: run.config.hash }]],
    ['Data SHA-256', [{ code: run.data.hash }]],
    ['Seed', `${run.seed}${run.seedDefaulted ? ' (the default: no seed was set)' : ''}`],
    ['Backend', `${run.backend.name} ${run.backend.version}${run.backend.simd ? ' (SIMD)' : ''}`],
    ['Versions', `Responsible ML ${run.versions.rml}, TensorFlow.js ${run.versions.tfjs}, Node.js ${run.versions.node}`],
    ['Reproduce', [{ code: `rml train ${path.basename(run.config.file)} --backend ${run.backend.name}` }, ' (the same seed, data and backend give the same model)']],
  ];
  const blocks: CardBlock[] = [{ kind: 'table', head: ['Field', 'Value'], rows }];
  if (config && config.hash !== run.config.hash) {
    blocks.push({
      kind: 'p',
      text: runTrainingHash !== null && runTrainingHash === configTrainingHash(config.raw)
        ? 'The config file has been edited since this run, but not its training settings; the documentation above is the current one.'
        : ['⚠ The config has changed since this run (its SHA-256 is now ', { code: config.hash }, '); the documentation above is the current one, the numbers are the run\'s. Retrain to bring them in line.'],
    });
  }
  if (run.backend.notes.length > 0) blocks.push({ kind: 'list', items: run.backend.notes.map((n) => `Backend: ${n}`) });
  return { id: 'reproducibility', title: 'Reproducibility', blocks };
}

function readRunTrainingHash(run: RunRecord): string | null {
  const c = run.config as unknown as Record<string, unknown>;
  return typeof c.trainingHash === 'string' ? c.trainingHash : null;
}

// ---------------------------------------------------------------------------------------------
// Rendering

/** The comment that opens every card; its JSON is the provenance. */
export const CARD_MARKER = 'rml:model-card';

function provenanceComment(p: CardProvenance, content?: string): string {
  // JSON never holds "--" outside strings; inside strings, escape it (and "<", ">") so the comment cannot end early.
  const json = JSON.stringify(content !== undefined ? { ...p, content } : p).replace(/--/g, '-\\u002d').replace(/</g, '\\u003c').replace(/>/g, '\\u003e');
  return `<!-- ${CARD_MARKER} ${json} -->`;
}

const PROVENANCE_RE = new RegExp(`<!--\\s*${CARD_MARKER.replace(/[.:]/g, '\\$&')}\\s+(\\{[\\s\\S]*?\\})\\s*-->`);

/**
 * The digest of a card's text without its provenance comment ("sha256-<hex>"), stored in the
 * comment as `content` so that a later edit by hand can be told apart from a generated card. Line
 * endings and trailing whitespace are normalized (a checkout with CRLF is not an edit).
 */
export function cardContentDigest(textWithoutComment: string): string {
  return `sha256-${createHash('sha256').update(textWithoutComment.replace(/\r\n/g, '\n').trimEnd(), 'utf8').digest('hex')}`;
}

/** Renders with the provenance comment at `slot`, the comment carrying the digest of everything else. */
function sealed(p: CardProvenance, render: (comment: string) => string): string {
  const slot = '\u0000rml-provenance\u0000';
  const text = render(slot);
  return text.replace(slot, provenanceComment(p, cardContentDigest(text.replace(slot, ''))));
}

/**
 * Whether a generated card was edited since it was written: true when its text (without the
 * provenance comment) no longer matches the digest in the comment, false when it does, null when
 * it has no provenance comment or was written before cards carried a digest.
 */
export function cardContentEdited(text: string): boolean | null {
  const m = PROVENANCE_RE.exec(text);
  if (!m) return null;
  let content: unknown;
  try {
    content = (JSON.parse(m[1]) as Record<string, unknown>).content;
  } catch {
    return null;
  }
  if (typeof content !== 'string') return null;
  return cardContentDigest(text.slice(0, m.index) + text.slice(m.index + m[0].length)) !== content;
}

/** Whose an existing card file is, as a writer must know before replacing it. */
export type CardOwnership = { kind: 'ours' } | { kind: 'not-a-card' } | { kind: 'other-config'; owner: string } | { kind: 'edited' };

/**
 * Whether `text` (the current content of `cardFile`) is `configFile`'s generated card, unchanged
 * since it was written ('ours': safe to replace); else why not: no provenance comment (perhaps
 * written by hand), another config's card, or a generated card edited since.
 */
export function cardOwnership(text: string, cardFile: string, configFile: string): CardOwnership {
  const p = readCardProvenance(text);
  if (!p) return { kind: 'not-a-card' };
  const owner = path.resolve(path.dirname(path.resolve(cardFile)), p.config.file);
  if (owner !== path.resolve(configFile)) return { kind: 'other-config', owner };
  if (cardContentEdited(text) === true) return { kind: 'edited' };
  return { kind: 'ours' };
}

/** Reads a card's provenance comment; null when the text has none (or it is malformed). */
export function readCardProvenance(text: string): CardProvenance | null {
  const m = PROVENANCE_RE.exec(text);
  if (!m) return null;
  try {
    const p = JSON.parse(m[1]) as unknown;
    if (!isObject(p) || p.format !== 'rml-model-card' || !isObject(p.config) || !isObject(p.data) || !isObject(p.runConfig) || !isObject(p.run)) return null;
    // The content digest is not provenance (see cardContentEdited).
    delete p.content;
    return p as unknown as CardProvenance;
  } catch {
    return null;
  }
}

/** Escapes text for Markdown: HTML-significant characters as entities, Markdown syntax with backslashes. */
export function escapeCardMarkdown(s: string): string {
  return s
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/([\\`*[|#~])/g, '\\$1')
    // An underscore inside a word never starts emphasis (GFM); escape the others.
    .replace(/(?<![A-Za-z0-9])_|_(?![A-Za-z0-9])/g, '\\_')
    .replace(/\r?\n/g, ' ');
}

function inlineMd(t: Text): string {
  if (typeof t === 'string') return escapeCardMarkdown(t);
  return t
    .map((x) => {
      if (typeof x === 'string') return escapeCardMarkdown(x);
      // A code span: fence with more backticks than the text holds; pipes escaped for tables.
      const code = x.code.replace(/\r?\n/g, ' ').replace(/\|/g, '\\|');
      const fence = '`'.repeat(Math.max(0, ...Array.from(code.matchAll(/`+/g), (m) => m[0].length)) + 1);
      const pad = code.startsWith('`') || code.endsWith('`') ? ' ' : '';
      return `${fence}${pad}${code}${pad}${fence}`;
    })
    .join('');
}

function blocksMd(blocks: CardBlock[]): string[] {
  const out: string[] = [];
  for (const b of blocks) {
    switch (b.kind) {
      case 'h':
        out.push(`### ${escapeCardMarkdown(b.text)}`, '');
        break;
      case 'p':
        out.push(inlineMd(b.text), '');
        break;
      case 'missing':
        out.push(`> ${inlineMd(b.text)}`, '');
        break;
      case 'list':
        out.push(...b.items.map((i) => `- ${inlineMd(i)}`), '');
        break;
      case 'table':
        if (b.caption) out.push(`*${escapeCardMarkdown(b.caption)}*`, '');
        out.push(`| ${b.head.map(escapeCardMarkdown).join(' | ')} |`, `|${b.head.map(() => ' --- ').join('|')}|`);
        out.push(...b.rows.map((r) => `| ${r.map((c) => inlineMd(c) || ' ').join(' | ')} |`), '');
        break;
    }
  }
  return out;
}

/** The card as Markdown (GitHub-flavoured tables), starting with the provenance comment. */
export function renderCardMarkdown(card: ModelCard): string {
  return sealed(card.provenance, (comment) => {
    const lines = [comment, '', `# ${escapeCardMarkdown(card.title)}`, '', escapeCardMarkdown(card.summary), ''];
    for (const s of card.sections) lines.push(`## ${escapeCardMarkdown(s.title)}`, '', ...blocksMd(s.blocks));
    return `${lines.join('\n').replace(/\n{3,}/g, '\n\n').trimEnd()}\n`;
  });
}

function inlineHtml(t: Text): string {
  if (typeof t === 'string') return escapeXml(t);
  return t.map((x) => (typeof x === 'string' ? escapeXml(x) : `<code>${escapeXml(x.code)}</code>`)).join('');
}

function blocksHtml(blocks: CardBlock[]): string {
  const out: string[] = [];
  for (const b of blocks) {
    switch (b.kind) {
      case 'h':
        out.push(`<h3>${escapeXml(b.text)}</h3>`);
        break;
      case 'p':
        out.push(`<p>${inlineHtml(b.text)}</p>`);
        break;
      case 'missing':
        out.push(`<p class="missing">${inlineHtml(b.text)}</p>`);
        break;
      case 'list':
        out.push(`<ul>${b.items.map((i) => `<li>${inlineHtml(i)}</li>`).join('')}</ul>`);
        break;
      case 'table':
        out.push(
          `<table>${b.caption ? `<caption>${escapeXml(b.caption)}</caption>` : ''}<thead><tr>${b.head.map((h) => `<th scope="col">${escapeXml(h)}</th>`).join('')}</tr></thead>` +
            `<tbody>${b.rows.map((r) => `<tr>${r.map((c, i) => (i === 0 ? `<th scope="row">${inlineHtml(c)}</th>` : `<td>${inlineHtml(c)}</td>`)).join('')}</tr>`).join('')}</tbody></table>`,
        );
        break;
    }
  }
  return out.join('\n');
}

const CARD_CSS = `:root{color-scheme:light dark;--fg:#1f2328;--bg:#fff;--muted:#59636e;--line:#d1d9e0;--warn:#9a6700}
@media (prefers-color-scheme:dark){:root{--fg:#e6edf3;--bg:#0d1117;--muted:#9198a1;--line:#3d444d;--warn:#d29922}}
body{font:15px/1.5 system-ui,-apple-system,"Segoe UI",sans-serif;color:var(--fg);background:var(--bg);margin:0}
main{max-width:62rem;margin:0 auto;padding:1.5rem}
h1{font-size:1.7rem;margin:.2rem 0}h2{border-bottom:1px solid var(--line);padding-bottom:.2rem;margin-top:2rem}h3{margin-bottom:.3rem}
.summary,nav{color:var(--muted)}nav a{color:inherit}
table{border-collapse:collapse;margin:.5rem 0 1rem;font-variant-numeric:tabular-nums}
caption{text-align:left;color:var(--muted);font-style:italic;padding-bottom:.2rem}
th,td{border:1px solid var(--line);padding:.25rem .5rem;text-align:left;vertical-align:top}
thead th{background:color-mix(in srgb,var(--line) 35%,transparent)}
code{font:13px ui-monospace,SFMono-Regular,Menlo,monospace;overflow-wrap:anywhere}
.missing{border-left:3px solid var(--warn);padding-left:.6rem;color:var(--muted)}
@media print{nav{display:none}}`;

/** The card as one self-contained HTML file: no script, no remote content (its CSP allows only the inline stylesheet, by hash). */
export function renderCardHtml(card: ModelCard): string {
  const styleHash = createHash('sha256').update(CARD_CSS, 'utf8').digest('base64');
  const body = card.sections.map((s) => `<section id="${s.id}">\n<h2>${escapeXml(s.title)}</h2>\n${blocksHtml(s.blocks)}\n</section>`).join('\n');
  return sealed(card.provenance, (comment) => `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
${comment}
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'sha256-${styleHash}'; img-src data:">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="${escapeXml(card.provenance.generator)}">
<title>${escapeXml(card.title)}</title>
<style>${CARD_CSS}</style>
</head>
<body>
<main>
<header><h1>${escapeXml(card.title)}</h1><p class="summary">${escapeXml(card.summary)}</p>
<nav aria-label="Sections"><p>${card.sections.map((s) => `<a href="#${s.id}">${escapeXml(s.title)}</a>`).join(' · ')}</p></nav></header>
${body}
</main>
</body>
</html>
`);
}

// ---------------------------------------------------------------------------------------------
// Loading a run and its config (I/O)

export interface LoadCardOptions {
  /** The workspace root: the config's data.path must stay inside it (as for training). */
  root: string;
  /** Scan the data file's columns for personal data (default true). */
  scanPii?: boolean;
  /** Rows sampled for the PII scan (default 2,000). */
  piiSampleRows?: number;
  signal?: AbortSignal;
}

/** The card's file name when none is given: `MODEL_CARD.md` (or `.html`) beside the config. */
export const DEFAULT_CARD_NAME = 'MODEL_CARD';

/** Where `rml card` writes a config's card by default (and where the lint and code lens look for it). */
export function defaultCardPath(configFile: string, html = false): string {
  return path.join(path.dirname(path.resolve(configFile)), `${DEFAULT_CARD_NAME}.${html ? 'html' : 'md'}`);
}

/** True when `p` names a training config file. */
function isConfigPath(p: string): boolean {
  return /\.rml\.(?:ya?ml|json)$/i.test(p);
}

/**
 * Gathers a card's inputs from a run folder or a config file (then its newest completed run):
 * the run record, the config (loaded from `run.config.file` when it still exists), the data
 * file's current hash and a PII scan of its columns (a sample of rows, names and kinds only).
 * @throws RmlInputError when the target is neither a run folder nor a config with a completed run
 */
export async function loadCardInputs(target: string, opts: LoadCardOptions): Promise<CardInputs & { runDir: string }> {
  const abs = path.resolve(target);
  let runDir: string;
  let config: TrainingConfig | undefined;
  let configProblem: string | undefined;
  const st = await fsp.stat(abs).catch(() => null);
  if (!st) throw new RmlInputError(`no such run folder or config file: ${abs}`);
  if (st.isDirectory()) {
    runDir = abs;
  } else if (isConfigPath(abs)) {
    config = await loadConfig(abs, { root: opts.root });
    runDir = await newestCompletedRun(config.file);
  } else {
    throw new RmlInputError(`expected a run folder (with run.json) or a training config (*.rml.yaml, *.rml.json): ${abs}`, { file: abs, line: 1, column: 1 });
  }
  const run = await readRunRecord(runDir);
  if (!config) {
    if (await exists(run.config.file)) {
      try {
        config = await loadConfig(run.config.file, { root: opts.root });
      } catch (e) {
        configProblem = `${run.config.file}: ${e instanceof Error ? e.message.split('\n')[0] : String(e)}`;
      }
    } else {
      configProblem = `${run.config.file} no longer exists`;
    }
  }
  const inputs: CardInputs & { runDir: string } = { run, runDir, config, configProblem };
  const dataFile = config?.data.resolvedPath ?? run.data.file;
  if (opts.scanPii === false) {
    inputs.piiProblem = 'the scan was turned off';
    if (await exists(dataFile)) inputs.dataHashNow = await sha256File(dataFile);
  } else if (!(await exists(dataFile))) {
    inputs.piiProblem = `the data file ${dataFile} no longer exists`;
  } else {
    try {
      const sample = await sampleCsv(dataFile, {
        delimiter: config?.data.delimiter,
        encoding: config?.data.encoding,
        sampleRows: opts.piiSampleRows ?? 2000,
        signal: opts.signal,
      });
      inputs.dataHashNow = sample.hash;
      const ds = sampleToDataset(sample, config?.data.missing ?? ['', 'NA', 'N/A', '?', 'null']);
      inputs.pii = [];
      for (const c of ds.columns) {
        const found = detectPii(c.name, c.values);
        if (found.length > 0) inputs.pii.push({ column: c.name, kinds: found.map((f) => f.label), headerHint: found.some((f) => f.evidence === 'header+values') });
      }
    } catch (e) {
      inputs.piiProblem = `the data file could not be read: ${e instanceof Error ? e.message.split('\n')[0] : String(e)}`;
    }
  }
  return inputs;
}

async function newestCompletedRun(configFile: string): Promise<string> {
  const dir = runsDirFor(configFile);
  for (const r of await listRuns(dir)) {
    const rec = await readRunRecord(r).catch(() => null);
    if (rec && rec.status === 'completed' && path.resolve(rec.config.file) === path.resolve(configFile)) return r;
  }
  throw new RmlInputError(`no completed run of ${path.basename(configFile)} in ${dir}: train it first (rml train ${path.basename(configFile)})`, { file: configFile, line: 1, column: 1 });
}

/** Reads and checks run.json of a run folder. */
export async function readRunRecord(dir: string): Promise<CardRun> {
  const file = path.join(dir, 'run.json');
  let text: string;
  try {
    text = await fsp.readFile(file, 'utf8');
  } catch {
    throw new RmlInputError(`not a run folder (missing run.json): ${dir}`, { file, line: 1, column: 1 });
  }
  let rec: unknown;
  try {
    rec = JSON.parse(text);
  } catch (e) {
    throw new RmlInputError(`${file} is not valid JSON (${e instanceof Error ? e.message : String(e)})`, { file, line: 1, column: 1 });
  }
  if (!isObject(rec) || rec.schemaVersion !== 1 || !isObject(rec.config) || !isObject(rec.data) || typeof rec.name !== 'string') {
    throw new RmlInputError(`${file} is not a Responsible ML run record (schemaVersion 1)`, { file, line: 1, column: 1 });
  }
  return rec as unknown as CardRun;
}

// ---------------------------------------------------------------------------------------------
// Staleness

export type StaleReasonKind =
  | 'no-provenance'
  | 'other-config'
  | 'config-missing'
  | 'config-changed'
  | 'documentation-changed'
  | 'data-missing'
  | 'data-changed';

export interface StaleReason {
  kind: StaleReasonKind;
  /** One sentence for people, saying what to do. */
  message: string;
}

export interface CardStaleness {
  stale: boolean;
  reasons: StaleReason[];
  /** The card's provenance (null when it has none). */
  provenance: CardProvenance | null;
}

/** The current state of a config and its data, as {@link stalenessOf} compares it. */
export interface CurrentState {
  /** sha256 of the config file's bytes; null when it cannot be read. */
  configHash: string | null;
  /** {@link configTrainingHash} of the parsed config; null when it does not parse. */
  trainingHash: string | null;
  /** {@link configDocumentationHash} of the parsed config; null when it does not parse. */
  documentationHash: string | null;
  /** sha256 of the data file the config points at; null when it is missing. */
  dataHash: string | null;
  /** The data file (for messages). */
  dataFile: string;
}

/**
 * Why a card no longer describes its config and data (pure):
 * - `config-changed`: the config's training settings differ from the run's (compared by
 *   {@link configTrainingHash} when the run's is known, else by the file's hash): retrain, then
 *   regenerate the card;
 * - `documentation-changed`: only what the card shows from the config changed (documentation,
 *   description, data.license, sustainability): regenerate the card;
 * - `data-changed` / `data-missing`: the data file's hash differs from the run's, or it is gone.
 * Comment and formatting edits of the config change neither hash, so they leave a card fresh.
 */
export function stalenessOf(p: CardProvenance, now: CurrentState): StaleReason[] {
  const reasons: StaleReason[] = [];
  const run = `run ${p.run.folder ?? p.run.name} (${p.run.finishedAt})`;
  if (now.configHash === null) {
    reasons.push({ kind: 'config-missing', message: `The config ${p.config.file} cannot be read, so the card cannot be checked.` });
  } else {
    const trainingChanged =
      p.runConfig.trainingHash !== null && now.trainingHash !== null ? p.runConfig.trainingHash !== now.trainingHash : p.runConfig.hash !== now.configHash;
    if (trainingChanged) {
      reasons.push({ kind: 'config-changed', message: `The config's training settings changed since ${run}: retrain (rml train) and regenerate the card (rml card).` });
    }
    const docsChanged = p.config.documentationHash !== null && now.documentationHash !== null ? p.config.documentationHash !== now.documentationHash : p.config.hash !== now.configHash;
    if (docsChanged && !trainingChanged) {
      reasons.push({ kind: 'documentation-changed', message: 'The config\'s documentation changed since the card was written: regenerate it (rml card).' });
    }
  }
  if (now.dataHash === null) reasons.push({ kind: 'data-missing', message: `The data file ${now.dataFile} is missing, so the card cannot be checked against it.` });
  else if (now.dataHash !== p.data.hash) reasons.push({ kind: 'data-changed', message: `The data file ${path.basename(now.dataFile)} changed since ${run}: retrain and regenerate the card.` });
  return reasons;
}

/**
 * Whether the card file still describes `configFile` and its data: reads the card's provenance,
 * hashes the config (file bytes, training settings, documentation) and the data file it points at
 * now, and compares (see {@link stalenessOf}). A card of another config is reported as
 * `other-config`. Pass `dataHash` when it is already known (the lint's cached sample), and
 * `configText` to judge the config's current text instead of the saved file (an editor buffer).
 */
export async function cardStaleness(cardFile: string, configFile: string, opts: { dataHash?: string; configText?: string } = {}): Promise<CardStaleness> {
  const text = await fsp.readFile(cardFile, 'utf8');
  const provenance = readCardProvenance(text);
  if (!provenance) {
    return { stale: true, reasons: [{ kind: 'no-provenance', message: `${path.basename(cardFile)} has no Responsible ML provenance comment, so its freshness is unknown: regenerate it with rml card.` }], provenance };
  }
  const base = path.dirname(path.resolve(cardFile));
  const cardConfig = path.resolve(base, provenance.config.file);
  const abs = path.resolve(configFile);
  if (cardConfig !== abs) {
    return { stale: true, reasons: [{ kind: 'other-config', message: `${path.basename(cardFile)} was made for ${cardConfig}, not ${abs}.` }], provenance };
  }
  const now: CurrentState = { configHash: null, trainingHash: null, documentationHash: null, dataHash: null, dataFile: path.resolve(base, provenance.data.file) };
  const bytes = opts.configText !== undefined ? Buffer.from(opts.configText, 'utf8') : await fsp.readFile(abs).catch(() => null);
  if (bytes) {
    now.configHash = createHash('sha256').update(bytes).digest('hex');
    const parsed = parseConfigText(new TextDecoder('utf-8').decode(bytes), abs);
    if (parsed.errors.length === 0 && isObject(parsed.value)) {
      now.trainingHash = configTrainingHash(parsed.value);
      now.documentationHash = configDocumentationHash(parsed.value);
      const data = parsed.value.data;
      if (isObject(data) && typeof data.path === 'string') now.dataFile = path.resolve(path.dirname(abs), data.path);
    }
  }
  now.dataHash = opts.dataHash ?? ((await exists(now.dataFile)) ? await sha256File(now.dataFile) : null);
  const reasons = stalenessOf(provenance, now);
  return { stale: reasons.length > 0, reasons, provenance };
}

// ---------------------------------------------------------------------------------------------
// Helpers

function isObject(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

async function sha256File(file: string): Promise<string> {
  const h = createHash('sha256');
  for await (const chunk of createReadStream(file)) h.update(chunk as Buffer);
  return h.digest('hex');
}

async function exists(p: string): Promise<boolean> {
  try {
    await fsp.access(p);
    return true;
  } catch {
    return false;
  }
}
