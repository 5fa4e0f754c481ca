/**
 * De-identification of a data set: apply an anonymization plan (per-column drop, mask,
 * pseudonymize, generalize; optional suppression of rare quasi-identifier combinations) and
 * write the result as a NEW file. The original is never written: the copy goes to a temporary
 * file beside the target and is renamed into place, and the input's sha256 is checked again
 * afterwards.
 *
 * `anonymizeDataset` is the pure part (a Dataset in, header and rows out, with a report);
 * `writeAnonymizedCopy` reads, anonymizes and writes (the CLI and the editor's quick fix call it).
 *
 * Conventions:
 * - Missing cells (the plan's `missing` tokens) are written unchanged under every action.
 * - A generalisation that cannot read a value writes `*` (counted as `unreadable`): nothing
 *   unreadable passes through.
 * - `mask` without a style uses the shape of the PII kind the detectors found in the column
 *   (`maskPii`), else the first character + `***`.
 * - Kept columns keep their text (fields are trimmed by the reader and re-quoted by csv-stringify).
 * - After anonymizing, the PII detectors run over the output; what they still find is reported
 *   (`residualPii`), masked.
 */
import { createHash, randomBytes } from 'node:crypto';
import { createReadStream, promises as fsp } from 'node:fs';
import * as path from 'node:path';
import { stringify } from 'csv-stringify/sync';
import { readCsv, unknownColumnError } from '../data/csv';
import type { Dataset } from '../data/types';
import { RmlInputError } from '../errors';
import { defaultPlan, describeAction, type AnonymizationPlan, type ColumnAction } from './plan';
import { detectPii, type PiiColumnMatch, type PiiColumnOptions, type PiiKind } from './pii';
import { loadOrCreateSalt } from './salt';
import { generalizeValue, maskValue, pseudonymize, SUPPRESSED } from './transforms';

/** Options of {@link anonymizeDataset}. */
export interface AnonymizeOptions {
  /** The pseudonymisation salt (required when a column is pseudonymized). */
  salt?: Uint8Array;
  /** Apply `plan.auto` to every column not in the plan that the PII detectors flag. */
  auto?: boolean;
  /** Options of the PII detectors (shares, sample size). */
  pii?: PiiColumnOptions;
}

/** What the detectors found in a column (masked). */
export interface PiiFinding {
  kind: PiiKind;
  label: string;
  /** Share of the checked values that matched. */
  share: number;
  matched: number;
  checked: number;
  /** One matching value, masked. */
  example?: string;
}

/** What happened to one input column. */
export interface ColumnReport {
  column: string;
  action: ColumnAction['action'];
  /** E.g. `generalize: 10-year age bands`. */
  description: string;
  /** True when --auto chose the action (the column was not in the plan). */
  auto: boolean;
  /** What the PII detectors found in the input column. */
  pii: PiiFinding[];
  /** Output values that differ from the input. */
  changed: number;
  /** Values a generalisation could not read, written as `*`. */
  unreadable: number;
  /** Missing cells, written unchanged. */
  missing: number;
}

/** The report of an anonymization. */
export interface AnonymizeReport {
  rows: number;
  rowsWritten: number;
  /** Rows dropped by `suppress`. */
  suppressedRows: number;
  columnsIn: number;
  columnsOut: number;
  columns: ColumnReport[];
  /** Columns handled by --auto, with what the detectors found. */
  auto: { column: string; kinds: PiiKind[]; action: string }[];
  /** Output columns in which the detectors still find personal data. */
  residualPii: ({ column: string } & PiiFinding)[];
  warnings: string[];
}

/** The anonymized table. */
export interface AnonymizedTable {
  /** Output header (the input's header names, as written, minus dropped columns). */
  header: string[];
  rows: string[][];
  report: AnonymizeReport;
}

/** The actions chosen for each column of a data set, and what the detectors found. */
export interface ResolvedActions {
  actions: Map<string, { action: ColumnAction; auto: boolean }>;
  detections: Map<string, PiiColumnMatch[]>;
}

/**
 * Decide each column's action: the plan's, else (with `auto`) `plan.auto` when the detectors
 * flag the column, else keep.
 * @throws RmlInputError for a plan column that is not in the data
 */
export function resolveActions(ds: Dataset, plan: AnonymizationPlan, opts: { auto?: boolean; pii?: PiiColumnOptions } = {}): ResolvedActions {
  const names = ds.columns.map((c) => c.name);
  for (const name of plan.columns.keys()) {
    if (!ds.byName.has(name)) throw unknownColumnError(name, names, plan.locations?.get(name), `columns.${name}`);
  }
  const missing = new Set(plan.missing);
  const detections = new Map<string, PiiColumnMatch[]>();
  const actions = new Map<string, { action: ColumnAction; auto: boolean }>();
  for (const col of ds.columns) {
    const values = col.values.map((v) => (v === null || missing.has(v.trim()) ? null : v));
    detections.set(col.name, detectPii(col.name, values, opts.pii));
    const explicit = plan.columns.get(col.name);
    if (explicit) actions.set(col.name, { action: explicit, auto: false });
    else if (opts.auto && detections.get(col.name)!.length > 0) actions.set(col.name, { action: plan.auto, auto: true });
    else actions.set(col.name, { action: { action: 'keep' }, auto: false });
  }
  return { actions, detections };
}

/**
 * The action {@link suggestPlan} proposes for each kind of personal data: dates of birth are
 * generalised to the year (still useful as an age proxy); everything else is masked in the
 * kind's shape, which keeps the column (configs that name it still load) but none of its
 * identifying content. Pseudonymisation is never proposed: it needs a salt the user must keep.
 */
export const SUGGESTED_ACTIONS: Readonly<Record<PiiKind, ColumnAction>> = Object.freeze({
  email: { action: 'mask', kind: 'email' },
  phone: { action: 'mask', kind: 'phone' },
  ssn: { action: 'mask', kind: 'ssn' },
  'payment-card': { action: 'mask', kind: 'payment-card' },
  iban: { action: 'mask', kind: 'iban' },
  'ip-address': { action: 'mask', kind: 'ip-address' },
  'person-name': { action: 'mask', kind: 'person-name' },
  'date-of-birth': { action: 'generalize', generalization: { as: 'date', to: 'year' } },
  'street-address': { action: 'mask', kind: 'street-address' },
});

/**
 * A plan for the columns the PII detectors flag in a data set (the editor's "write a
 * de-identified copy" starts from it): each flagged column gets {@link SUGGESTED_ACTIONS} of its
 * strongest kind; other columns are kept.
 */
export function suggestPlan(ds: Dataset, opts: { missing?: readonly string[]; pii?: PiiColumnOptions } = {}): AnonymizationPlan {
  const plan = defaultPlan();
  if (opts.missing) plan.missing = [...opts.missing];
  const missing = new Set(plan.missing);
  for (const col of ds.columns) {
    const found = detectPii(col.name, col.values.map((v) => (v === null || missing.has(v.trim()) ? null : v)), opts.pii);
    if (found.length > 0) plan.columns.set(col.name, SUGGESTED_ACTIONS[found[0].kind]);
  }
  return plan;
}

/** Whether applying these actions needs a salt. */
export function needsSalt(resolved: ResolvedActions): boolean {
  for (const { action } of resolved.actions.values()) if (action.action === 'pseudonymize') return true;
  return false;
}

/**
 * Anonymize a data set in memory.
 * @throws RmlInputError for an unknown column, a pseudonymized column without a salt, or a
 *   `suppress` column that is dropped
 */
export function anonymizeDataset(ds: Dataset, plan: AnonymizationPlan, opts: AnonymizeOptions & { resolved?: ResolvedActions } = {}): AnonymizedTable {
  const resolved = opts.resolved ?? resolveActions(ds, plan, opts);
  if (needsSalt(resolved) && !opts.salt) {
    throw new RmlInputError('pseudonymize needs a salt: pass --salt-file FILE (created with mode 0600 if it does not exist) or set saltFile in the config');
  }
  const missing = new Set(plan.missing);
  const isMissing = (v: string | null) => v === null || missing.has(v.trim());
  const header: string[] = [];
  const outColumns: string[][] = [];
  const outNames: string[] = [];
  const reports: ColumnReport[] = [];
  const originals = new Map(ds.header.map((h) => [h.name, h.original]));

  for (const col of ds.columns) {
    const { action, auto } = resolved.actions.get(col.name)!;
    const found = resolved.detections.get(col.name) ?? [];
    const shapeFromKind = action.action === 'mask' && Object.keys(action).length === 1 && found.length > 0;
    const report: ColumnReport = {
      column: col.name,
      action: action.action,
      description: shapeFromKind ? `mask: as ${found[0].kind}` : describeAction(action),
      auto,
      pii: found.map(toFinding),
      changed: 0,
      unreadable: 0,
      missing: 0,
    };
    reports.push(report);
    if (action.action === 'drop') {
      report.changed = ds.rowCount;
      continue;
    }
    const transform = makeTransform(action, found[0]?.kind, opts.salt, report);
    const out = new Array<string>(ds.rowCount);
    for (let r = 0; r < ds.rowCount; r++) {
      const v = col.values[r];
      if (isMissing(v)) {
        report.missing++;
        out[r] = v ?? '';
        continue;
      }
      const t = transform(v!);
      if (t !== v) report.changed++;
      out[r] = t;
    }
    header.push(originals.get(col.name) ?? col.name);
    outNames.push(col.name);
    outColumns.push(out);
  }

  const keep = plan.suppress ? suppressRows(ds, plan, outNames, outColumns, isMissing) : undefined;
  const rows: string[][] = [];
  for (let r = 0; r < ds.rowCount; r++) {
    if (keep && !keep[r]) continue;
    rows.push(outColumns.map((c) => c[r]));
  }

  const residual: AnonymizeReport['residualPii'] = [];
  outNames.forEach((name, j) => {
    const values = rows.map((row) => (isMissing(row[j]) ? null : row[j]));
    for (const m of detectPii(name, values, opts.pii)) residual.push({ column: name, ...toFinding(m) });
  });
  const warnings: string[] = residual.map(
    (f) => `column '${f.column}' of the output still looks like it holds ${f.label} (${f.matched} of ${f.checked} values checked${f.example ? `, e.g. ${f.example}` : ''}); add it to the config's columns, or use --auto`,
  );
  for (const r of reports) {
    if (r.unreadable > 0) warnings.push(`column '${r.column}': ${r.unreadable} value${r.unreadable === 1 ? '' : 's'} could not be generalized and ${r.unreadable === 1 ? 'was' : 'were'} written as '${SUPPRESSED}'`);
  }
  return {
    header,
    rows,
    report: {
      rows: ds.rowCount,
      rowsWritten: rows.length,
      suppressedRows: ds.rowCount - rows.length,
      columnsIn: ds.columns.length,
      columnsOut: header.length,
      columns: reports,
      auto: reports.filter((r) => r.auto).map((r) => ({ column: r.column, kinds: r.pii.map((p) => p.kind), action: r.description })),
      residualPii: residual,
      warnings,
    },
  };
}

function toFinding(m: PiiColumnMatch): PiiFinding {
  const f: PiiFinding = { kind: m.kind, label: m.label, share: m.share, matched: m.matched, checked: m.checked };
  if (m.example !== undefined) f.example = m.example;
  return f;
}

function makeTransform(action: ColumnAction, detected: PiiKind | undefined, salt: Uint8Array | undefined, report: ColumnReport): (v: string) => string {
  switch (action.action) {
    case 'keep':
    case 'drop':
      return (v) => v;
    case 'mask': {
      const styled = action.replace !== undefined || action.keepFirst !== undefined || action.keepLast !== undefined || action.kind !== undefined;
      const opts = styled ? action : { kind: detected };
      return (v) => maskValue(v, opts);
    }
    case 'pseudonymize': {
      const cache = new Map<string, string>();
      return (v) => {
        let p = cache.get(v);
        if (p === undefined) {
          p = pseudonymize(v, salt!, action);
          cache.set(v, p);
        }
        return p;
      };
    }
    case 'generalize':
      return (v) => {
        const g = generalizeValue(v, action.generalization);
        if (g === undefined) {
          report.unreadable++;
          return SUPPRESSED;
        }
        return g;
      };
  }
}

/** Which rows survive `plan.suppress` (rows whose output quasi-identifier combination occurs < k times, or is < l-diverse, are dropped). */
function suppressRows(ds: Dataset, plan: AnonymizationPlan, outNames: string[], outColumns: string[][], isMissing: (v: string | null) => boolean): Uint8Array {
  const s = plan.suppress!;
  const idx = s.quasiIdentifiers.map((q) => {
    if (!ds.byName.has(q)) throw unknownColumnError(q, ds.columns.map((c) => c.name), undefined, 'suppress.quasiIdentifiers');
    const j = outNames.indexOf(q);
    if (j < 0) throw new RmlInputError(`suppress.quasiIdentifiers lists '${q}', which the plan drops; drop it from the list or keep the column`, undefined, 'suppress.quasiIdentifiers');
    return j;
  });
  const sensitiveCol = s.sensitive !== undefined ? ds.byName.get(s.sensitive) : undefined;
  if (s.sensitive !== undefined && !sensitiveCol) throw unknownColumnError(s.sensitive, ds.columns.map((c) => c.name), undefined, 'suppress.sensitive');
  const key = (r: number) => JSON.stringify(idx.map((j) => (isMissing(outColumns[j][r]) ? null : outColumns[j][r])));
  const counts = new Map<string, number>();
  const distinct = new Map<string, Set<string | null>>();
  for (let r = 0; r < ds.rowCount; r++) {
    const k = key(r);
    counts.set(k, (counts.get(k) ?? 0) + 1);
    if (sensitiveCol) {
      let set = distinct.get(k);
      if (!set) distinct.set(k, (set = new Set()));
      const v = sensitiveCol.values[r];
      set.add(isMissing(v) ? null : v);
    }
  }
  const keep = new Uint8Array(ds.rowCount);
  for (let r = 0; r < ds.rowCount; r++) {
    const k = key(r);
    const okK = counts.get(k)! >= s.k;
    const okL = s.l === undefined || (distinct.get(k)?.size ?? 0) >= s.l;
    keep[r] = okK && okL ? 1 : 0;
  }
  return keep;
}

// ---------------------------------------------------------------------------------------------
// Writing the copy

/** Options of {@link writeAnonymizedCopy}. */
export interface WriteAnonymizedOptions extends AnonymizeOptions {
  /** Salt file (overrides `plan.saltFile`); created with mode 0600 when absent. Ignored when `salt` is given. */
  saltFile?: string;
  /** Replace an existing output file (never the input). */
  force?: boolean;
  /** How to read the input (the copy uses the same delimiter, and UTF-8). */
  read?: { delimiter?: string; encoding?: 'utf-8' | 'latin1' | 'utf-16le' };
  /** Files the output must never replace (e.g. the config file). */
  protect?: string[];
  signal?: AbortSignal;
}

/** The outcome of {@link writeAnonymizedCopy}. */
export interface AnonymizeResult extends AnonymizeReport {
  /** Absolute paths. */
  input: string;
  output: string;
  inputSha256: string;
  outputSha256: string;
  /** Always true on success: the input's bytes were hashed again after writing and matched. */
  inputUnchanged: true;
  /** The salt file used, when a column was pseudonymized. */
  salt?: { file: string; created: boolean };
}

/**
 * Read `input`, anonymize it with `plan` and write the copy to `out`, atomically (a temporary
 * file in the same folder, then a rename; without `force`, a hard link that fails if `out`
 * appeared meanwhile). The input is only read, and its sha256 is verified again at the end.
 * @throws RmlInputError when `out` is the input (or a link to it), a protected file, a folder,
 *   or exists without `force`; for a bad CSV (file:line), an unknown column, a missing salt
 * @throws Error if the input changed while it was being read (the copy is then removed)
 */
export async function writeAnonymizedCopy(input: string, plan: AnonymizationPlan, out: string, opts: WriteAnonymizedOptions = {}): Promise<AnonymizeResult> {
  const absIn = path.resolve(input);
  const absOut = path.resolve(out);
  const saltPath = opts.salt ? undefined : (opts.saltFile ?? plan.saltFile);
  await checkOutput(absIn, absOut, !!opts.force, [...(opts.protect ?? []), ...(saltPath ? [saltPath] : [])]);

  const ds = await readCsv(absIn, { delimiter: opts.read?.delimiter, encoding: opts.read?.encoding, missing: [], signal: opts.signal });
  const resolved = resolveActions(ds, plan, opts);
  let salt = opts.salt;
  let saltInfo: AnonymizeResult['salt'];
  const saltWarnings: string[] = [];
  if (needsSalt(resolved) && !salt) {
    if (!saltPath) {
      throw new RmlInputError('pseudonymize needs a salt file: pass --salt-file FILE (created with mode 0600 if it does not exist) or set saltFile in the config');
    }
    const absSalt = path.resolve(saltPath);
    if (absSalt === absIn || absSalt === absOut) throw new RmlInputError(`the salt file must not be the input or the output file: ${absSalt}`);
    const s = await loadOrCreateSalt(absSalt);
    salt = s.salt;
    saltInfo = { file: s.file, created: s.created };
    saltWarnings.push(...s.warnings);
  }
  const table = anonymizeDataset(ds, plan, { ...opts, salt, resolved });
  const text = stringify([table.header, ...table.rows], { delimiter: opts.read?.delimiter ?? ',' });
  const bytes = Buffer.from(text, 'utf8');
  await writeAtomically(absOut, bytes, !!opts.force);

  const after = await hashFile(absIn);
  if (after !== ds.hash) {
    await fsp.rm(absOut, { force: true });
    throw new Error(`the input file changed while it was being anonymized (sha256 ${ds.hash.slice(0, 12)}… then ${after.slice(0, 12)}…); the copy was removed, run again`);
  }
  const result: AnonymizeResult = {
    ...table.report,
    input: absIn,
    output: absOut,
    inputSha256: ds.hash,
    outputSha256: createHash('sha256').update(bytes).digest('hex'),
    inputUnchanged: true,
  };
  if (saltInfo) result.salt = saltInfo;
  result.warnings.push(...saltWarnings);
  return result;
}

/** Refuse outputs that are the input (by path or by file identity), protected, folders, or existing without force. */
async function checkOutput(absIn: string, absOut: string, force: boolean, protect: string[]): Promise<void> {
  const realIn = await fsp.realpath(absIn).catch(() => absIn);
  const realOutDir = await fsp.realpath(path.dirname(absOut)).catch(() => undefined);
  if (realOutDir === undefined) throw new RmlInputError(`the output folder does not exist: ${path.dirname(absOut)}`);
  const realOut = path.join(realOutDir, path.basename(absOut));
  if (absOut === absIn || realOut === realIn) {
    throw new RmlInputError(`--out is the input file (${absIn}); rml anonymize writes a de-identified copy and never changes the original: choose another output file`);
  }
  for (const p of protect) {
    const abs = path.resolve(p);
    const real = await fsp.realpath(abs).catch(() => abs);
    if (absOut === abs || realOut === real) throw new RmlInputError(`--out would overwrite ${abs}; choose another output file`);
  }
  let st;
  try {
    st = await fsp.stat(absOut);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw new RmlInputError(`cannot check the output file ${absOut}: ${(err as Error).message}`);
  }
  if (st.isDirectory()) throw new RmlInputError(`--out is a folder: ${absOut}; give a file name`);
  const stIn = await fsp.stat(absIn).catch(() => undefined);
  if (stIn && stIn.ino === st.ino && stIn.dev === st.dev) {
    throw new RmlInputError(`--out (${absOut}) is the same file as the input (a link to it); rml anonymize never changes the original`);
  }
  if (!force) throw new RmlInputError(`the output file already exists: ${absOut}; pass --force to replace it (the input is never replaced)`);
}

/** Write `bytes` to a temporary file beside `file`, flush it, then move it into place. */
async function writeAtomically(file: string, bytes: Buffer, force: boolean): Promise<void> {
  const tmp = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`);
  try {
    const fh = await fsp.open(tmp, 'wx');
    try {
      await fh.writeFile(bytes);
      await fh.sync();
    } finally {
      await fh.close();
    }
    if (force) {
      await fsp.rename(tmp, file);
      return;
    }
    // No-clobber: link() fails if the target exists, even if it appeared after our check.
    try {
      await fsp.link(tmp, file);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'EEXIST') throw new RmlInputError(`the output file already exists: ${file}; pass --force to replace it`);
      // File systems without hard links: check, then rename.
      if (await fsp.stat(file).then(() => true, () => false)) throw new RmlInputError(`the output file already exists: ${file}; pass --force to replace it`);
      await fsp.rename(tmp, file);
    }
  } catch (err) {
    if (err instanceof RmlInputError) throw err;
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'EACCES' || code === 'EPERM' || code === 'EROFS' || code === 'ENOSPC') throw new RmlInputError(`cannot write ${file}: ${(err as Error).message}`);
    throw err;
  } finally {
    await fsp.rm(tmp, { force: true });
  }
}

/** sha256 hex of a file's bytes (streamed). */
export async function hashFile(file: string): Promise<string> {
  const h = createHash('sha256');
  for await (const chunk of createReadStream(file)) h.update(chunk as Buffer);
  return h.digest('hex');
}
