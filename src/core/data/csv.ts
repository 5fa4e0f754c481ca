/**
 * Streaming CSV reader: bytes → validated text → csv-parse → a column-oriented `Dataset`.
 *
 * The file is never held in memory as a whole: `fs.createReadStream` feeds an `InputGate`
 * transform (size limit, sha256, NUL-byte check, strict decoding, BOM stripping) whose UTF-8
 * output is piped into csv-parse. Records are consumed synchronously as csv-parse emits them and
 * stored straight into per-column arrays, so no per-row objects are kept.
 *
 * Conventions (see also `inferColumnType`):
 * - Lines and columns are 1-based. Columns count UTF-16 code units (what VS Code and LSP call
 *   characters), after the BOM is stripped.
 * - Whitespace around fields is trimmed (csv-parse `trim`, so `a, "b,c"` parses as two fields),
 *   and stored values are trimmed too (also inside quotes).
 * - Blank lines are skipped (but still counted for line numbers).
 * - A line break inside a quoted field counts as one line (`\r\n`, `\n` or a lone `\r`).
 * - Types: a column is 'numeric' when every non-missing value is a plain decimal number (0/1
 *   columns included), 'boolean' only for true/false, yes/no (or both of t/f, y/n) words,
 *   else 'categorical'.
 * - `Column.index` is the column's position in `Dataset.columns` (which differs from its
 *   position in the file when `opts.columns` selects some); `Dataset.header` always lists
 *   every cell of the header row.
 */
import { createHash, type Hash } from 'node:crypto';
import { createReadStream, promises as fsp, type Stats } from 'node:fs';
import * as path from 'node:path';
import { Transform, Writable, type TransformCallback } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { isUtf8 } from 'node:buffer';
import { TextDecoder } from 'node:util';
import { parse, CsvError, type Info } from 'csv-parse';
import { RmlCancelledError, RmlInputError, type SourceLocation } from '../errors';
import { parseNumber } from './number';
import type { Column, ColumnType, Dataset, HeaderCell, ReadCsvOptions } from './types';

export { parseNumber };

/** Missing-value tokens used when `ReadCsvOptions.missing` is not given. */
export const DEFAULT_MISSING: readonly string[] = ['', 'NA', 'N/A', '?', 'null'];
/** Default `ReadCsvOptions.maxBytes`: 2 GiB. */
export const DEFAULT_MAX_BYTES = 2 * 1024 ** 3;
/** Default `ReadCsvOptions.maxFieldLength`: 1 MiB characters. */
export const DEFAULT_MAX_FIELD_LENGTH = 1024 ** 2;
/** Default `ReadCsvOptions.maxRecordLength`: 8 MiB characters (or maxFieldLength if larger). */
export const DEFAULT_MAX_RECORD_LENGTH = 8 * 1024 ** 2;

type Encoding = NonNullable<ReadCsvOptions['encoding']>;

/**
 * Read a CSV file with a header row into a column-oriented `Dataset`.
 *
 * Streams the file (constant memory apart from the table itself), hashes its bytes (sha256),
 * decodes it strictly (`utf-8` by default; `latin1`, decoded as windows-1252 like browsers do, or
 * `utf-16le`), de-duplicates header names (`name`, `name.1`, ...), maps missing tokens to `null`
 * and infers each column's type (see `inferColumnType`).
 *
 * @throws RmlInputError with a `file:line:column` location for every problem with the file:
 *   not found, a directory, empty, header only, too large (`maxBytes`), binary (NUL bytes),
 *   badly encoded, a ragged row, an unclosed quote, a field longer than `maxFieldLength`
 *   (or a record longer than `maxRecordLength`), an unknown column in `opts.columns`.
 * @throws RmlCancelledError when `opts.signal` aborts.
 */
export async function readCsv(file: string, opts: ReadCsvOptions = {}): Promise<Dataset> {
  const abs = path.resolve(file);
  const signal = opts.signal;
  if (signal?.aborted) throw new RmlCancelledError();
  const encoding = normalizeEncoding(opts.encoding, abs);
  const delimiter = opts.delimiter ?? ',';
  if (delimiter.length === 0 || /["\r\n]/.test(delimiter)) {
    throw new RmlInputError(`invalid CSV delimiter ${JSON.stringify(delimiter)}: it must be non-empty and contain no quote or line break`, undefined, 'data.delimiter');
  }
  const maxBytes = opts.maxBytes ?? DEFAULT_MAX_BYTES;
  const maxField = opts.maxFieldLength ?? DEFAULT_MAX_FIELD_LENGTH;
  const maxRecord = Math.max(opts.maxRecordLength ?? DEFAULT_MAX_RECORD_LENGTH, maxField);
  const at = (line = 1, column = 1): SourceLocation => ({ file: abs, line, column });

  // --- The file itself -------------------------------------------------------------------
  let stat: Stats;
  try {
    stat = await fsp.stat(abs);
  } catch (err) {
    throw fileError(err, abs);
  }
  if (stat.isDirectory()) throw new RmlInputError(`data path is a directory, not a CSV file: ${abs}`, at());
  if (stat.isFile() && stat.size === 0) throw new RmlInputError(`data file is empty: ${abs}`, at());
  if (stat.size > maxBytes) {
    throw new RmlInputError(`data file is ${formatBytes(stat.size)}, larger than the limit of ${formatBytes(maxBytes)} (maxBytes): ${abs}`, at());
  }

  // --- Record handling (runs synchronously inside csv-parse) ------------------------------
  const missing = new Set(opts.missing ?? DEFAULT_MISSING);
  let maxMissingLen = 0;
  for (const m of missing) maxMissingLen = Math.max(maxMissingLen, m.length);

  let header: string[] | undefined;
  let names: string[] = [];
  let headerCells: HeaderCell[] = [];
  const warnings: string[] = [];
  let headerLine = 1;
  let fieldCount = 0;
  let keep: number[] = []; // source field index of each kept column
  let values: (string | null)[][] = [];
  let missingCounts: number[] = [];
  let rowLines = new Uint32Array(1024);
  let rowCount = 0;
  // Line bookkeeping for rowLines and error locations (see onRecord).
  let prevEndLine = 0;
  let prevEmpty = 0;
  let prevParserLines = 0;
  let lineDelta = 0; // our line - csv-parse's line, at the end of the last record

  const gate = new InputGate(abs, encoding, maxBytes, maxRecord * 2 + 65536);

  const onRecord = (rec: string[], info: Info): void => {
    // Where the record starts and ends. csv-parse counts \r\n inside quotes as two lines, so the
    // exact count comes from the fields; its own count only tells us whether there is any break.
    const emptyDelta = info.empty_lines - prevEmpty;
    const startLine = prevEndLine + 1 + emptyDelta;
    const parserBreaks = info.lines - prevParserLines - 1 - emptyDelta;
    const endLine = startLine + (parserBreaks > 0 ? countBreaksInFields(rec) : 0);
    prevEndLine = endLine;
    prevEmpty = info.empty_lines;
    prevParserLines = info.lines;
    lineDelta = endLine - info.lines;

    for (let i = 0; i < rec.length; i++) {
      if (rec[i].length > maxField) {
        const name = header ? ` (${header[i] ?? `#${i + 1}`})` : '';
        throw new RmlInputError(
          `field ${i + 1}${name} at line ${startLine} is ${rec[i].length.toLocaleString('en-US')} characters long, over the limit of ${maxField.toLocaleString('en-US')} (maxFieldLength); is this really a CSV file, or is a quote left unclosed?`,
          at(startLine),
        );
      }
    }

    if (header === undefined) {
      header = rec.map((s) => s.trim());
      headerLine = startLine;
      fieldCount = rec.length;
      names = dedupeHeader(header, warnings).names;
      headerCells = buildHeaderCells(gate.headText(), delimiter, names, header, headerLine);
      gate.releaseHead();
      keep = selectColumns(names, opts.columns, at(headerLine));
      values = keep.map(() => []);
      missingCounts = keep.map(() => 0);
      return;
    }
    if (rec.length !== fieldCount) {
      throw new RmlInputError(
        `row at line ${startLine} has ${rec.length} field${rec.length === 1 ? '' : 's'}, expected ${fieldCount} like the header (line ${headerLine})`,
        at(startLine),
      );
    }
    if (rowCount === rowLines.length) {
      const grown = new Uint32Array(rowLines.length * 2);
      grown.set(rowLines);
      rowLines = grown;
    }
    rowLines[rowCount++] = startLine;
    for (let k = 0; k < keep.length; k++) {
      let v = rec[keep[k]];
      if (v.length > 0) {
        const c0 = v.charCodeAt(0);
        const c1 = v.charCodeAt(v.length - 1);
        if (c0 <= 32 || c1 <= 32 || c0 >= 0x80 || c1 >= 0x80) v = v.trim();
      }
      if (v.length <= maxMissingLen && missing.has(v)) {
        values[k].push(null);
        missingCounts[k]++;
      } else {
        values[k].push(v);
      }
    }
  };

  const parser = parse({
    delimiter,
    quote: '"',
    escape: '"',
    trim: true,
    skip_empty_lines: true,
    relax_column_count: true,
    relax_quotes: true,
    max_record_size: maxRecord,
  });
  // Consume records synchronously as csv-parse emits them, reading its live `info` counters.
  // (The `on_record` hook would do the same but copies the whole info object for every record,
  // which doubles the parse time.) Errors destroy the parser, which fails the pipeline.
  const info = parser.info;
  if (typeof info?.lines !== 'number' || typeof info.empty_lines !== 'number') {
    throw new Error('csv-parse no longer exposes parser.info.lines/empty_lines; readCsv needs updating');
  }
  const readablePush = parser.push.bind(parser);
  let failure: unknown;
  parser.push = (chunk: unknown): boolean => {
    if (chunk === null) return readablePush(null);
    if (failure !== undefined) return true;
    try {
      onRecord(chunk as string[], info);
    } catch (err) {
      failure = err;
      parser.destroy(err as Error);
    }
    return true;
  };
  const sink = new Writable({ objectMode: true, write: (_c, _e, cb) => cb() });

  try {
    await pipeline(createReadStream(abs, { highWaterMark: 256 * 1024 }), gate, parser, sink, { signal });
  } catch (caught) {
    if (signal?.aborted) throw new RmlCancelledError();
    const err = failure ?? caught;
    if (err instanceof RmlInputError) throw err;
    if (err instanceof CsvError) {
      throw csvError(err, abs, {
        lineDelta,
        nextRecordLine: prevEndLine + 1 + (numberProp(err, 'empty_lines') - prevEmpty),
        quoting: parserIsQuoting(parser),
        maxRecord,
      });
    }
    throw fileError(err, abs);
  }
  if (signal?.aborted) throw new RmlCancelledError();

  if (header === undefined) throw new RmlInputError(`data file is empty (no header row): ${abs}`, at());
  if (rowCount === 0) {
    throw new RmlInputError(`data file has a header row but no data rows: ${abs}`, at(headerLine));
  }

  const columns: Column[] = keep.map((src, k) => {
    const vals = values[k];
    const inferred = inferColumnType(vals);
    const col: Column = { name: names[src], index: k, type: inferred.type, values: vals, missing: missingCounts[k] };
    if (inferred.numbers) col.numbers = inferred.numbers;
    return col;
  });
  return {
    file: abs,
    columns,
    byName: new Map(columns.map((c) => [c.name, c])),
    rowCount,
    rowLines: rowLines.slice(0, rowCount),
    header: headerCells,
    warnings,
    hash: gate.digest(),
  };
}

// ---------------------------------------------------------------------------------------------
// Column helpers

/** Index of the column called `name` in `ds.columns`, or -1. */
export function columnIndex(ds: Dataset, name: string): number {
  const col = ds.byName.get(name);
  return col ? ds.columns.indexOf(col) : -1;
}

/** The header cell of column `name` (de-duplicated name, e.g. `decile_score.1`), if the file has one. */
export function headerCell(ds: Dataset, name: string): HeaderCell | undefined {
  return ds.header.find((h) => h.name === name);
}

/**
 * The column called `name`, or an RmlInputError "unknown column 'x'; available: a, b, c".
 * @param location where to report the error (e.g. the config key that names the column); defaults to the file's first line.
 * @param field the config key path for the error, e.g. `data.target`.
 */
export function requireColumn(ds: Dataset, name: string, location?: SourceLocation, field?: string): Column {
  const col = ds.byName.get(name);
  if (col) return col;
  throw unknownColumnError(name, ds.columns.map((c) => c.name), location ?? { file: ds.file, line: 1, column: 1 }, field);
}

/** The "unknown column 'x'; available: a, b, c" error (with a close-match hint when there is one). */
export function unknownColumnError(name: string, available: readonly string[], location?: SourceLocation, field?: string): RmlInputError {
  const lower = name.toLowerCase();
  const near = available.find((a) => a.toLowerCase() === lower || a.trim() === name.trim());
  const hint = near !== undefined ? ` (did you mean '${near}'?)` : '';
  return new RmlInputError(`unknown column '${name}'${hint}; available: ${available.join(', ')}`, location, field);
}

// ---------------------------------------------------------------------------------------------
// Type inference


/** The word pairs that make a column 'boolean' (lower case; the first is the true value). */
export const BOOLEAN_PAIRS: readonly (readonly [string, string])[] = [
  ['true', 'false'],
  ['yes', 'no'],
  ['t', 'f'],
  ['y', 'n'],
];

/**
 * Infer a column's type from its values (`null` = missing):
 * - 'numeric' when every non-missing value parses with `parseNumber` (so a 0/1 column is
 *   numeric); `numbers` then holds the parsed values, NaN where missing;
 * - 'boolean' when the distinct non-missing values, lower-cased, all belong to one of the
 *   pairs true/false or yes/no (one or both of the pair), or are exactly both letters of
 *   t/f or y/n (a lone 'T' or 'Y' column stays categorical);
 * - 'categorical' otherwise, including a column whose values are all missing.
 */
export function inferColumnType(values: readonly (string | null)[]): { type: ColumnType; numbers?: Float64Array } {
  const n = values.length;
  let seen = 0;
  const numbers = new Float64Array(n);
  let numeric = true;
  for (let r = 0; r < n; r++) {
    const v = values[r];
    if (v === null) {
      numbers[r] = NaN;
      continue;
    }
    seen++;
    const x = parseNumber(v);
    if (x !== x) {
      numeric = false;
      break;
    }
    numbers[r] = x;
  }
  if (seen === 0) return { type: 'categorical' };
  if (numeric) return { type: 'numeric', numbers };
  return { type: isBooleanColumn(values) ? 'boolean' : 'categorical' };
}

function isBooleanColumn(values: readonly (string | null)[]): boolean {
  const distinct = new Set<string>();
  for (const v of values) {
    if (v === null) continue;
    if (v.length > 5) return false;
    distinct.add(v.toLowerCase());
    if (distinct.size > 2) return false;
  }
  if (distinct.size === 0) return false;
  for (const [a, b] of BOOLEAN_PAIRS) {
    let ok = true;
    for (const d of distinct) if (d !== a && d !== b) ok = false;
    if (!ok) continue;
    return a.length > 1 || distinct.size === 2;
  }
  return false;
}

// ---------------------------------------------------------------------------------------------
// Header

/**
 * De-duplicate header names: empty names become `column_N` (N = 1-based position), a repeated
 * name `x` becomes `x.1`, `x.2`, ... (skipping names already used in the header). Warnings are
 * appended to `warnings`.
 */
export function dedupeHeader(original: readonly string[], warnings: string[] = []): { names: string[]; warnings: string[] } {
  const taken = new Set(original);
  const used = new Set<string>();
  const names: string[] = [];
  const empties: number[] = [];
  const renamed = new Map<string, { positions: number[]; names: string[] }>();
  original.forEach((raw, i) => {
    let base = raw;
    if (base === '') {
      base = `column_${i + 1}`;
      empties.push(i + 1);
    }
    let name = base;
    if (used.has(name)) {
      let k = 1;
      while (used.has(`${base}.${k}`) || taken.has(`${base}.${k}`)) k++;
      name = `${base}.${k}`;
      const entry = renamed.get(base) ?? { positions: [names.indexOf(base) + 1], names: [] };
      entry.positions.push(i + 1);
      entry.names.push(name);
      renamed.set(base, entry);
    }
    used.add(name);
    names.push(name);
  });
  if (empties.length > 0) {
    warnings.push(`empty header name${empties.length > 1 ? 's' : ''} at column${empties.length > 1 ? 's' : ''} ${empties.join(', ')}; named ${empties.map((p) => `'column_${p}'`).join(', ')}`);
  }
  for (const [base, e] of renamed) {
    warnings.push(`duplicate column name '${base}' (columns ${e.positions.join(', ')}); the later ones were renamed ${e.names.map((x) => `'${x}'`).join(', ')}`);
  }
  return { names, warnings };
}

/** Where one header cell is: `start`/`end` are 0-based offsets into the text, `line` 1-based. */
interface CellSpan {
  line: number;
  startColumn: number;
  endColumn: number;
}

/**
 * Locate the cells of the header row in the raw text at the start of a file (BOM removed):
 * skips blank lines, then splits the first record on `delimiter` outside quotes. Each cell's
 * range covers its text without the surrounding whitespace, quotes included. A quoted cell that
 * spans lines ends at the end of its first line.
 */
export function scanHeaderCells(text: string, delimiter: string): CellSpan[] {
  const n = text.length;
  let pos = 0;
  let line = 1;
  let lineStart = 0;
  const isSpace = (c: number): boolean => c === 32 || c === 9 || c === 12;
  // Skip blank (whitespace-only) lines.
  for (;;) {
    let p = pos;
    while (p < n && isSpace(text.charCodeAt(p))) p++;
    const c = text.charCodeAt(p);
    if (c === 13 || c === 10) {
      p += c === 13 && text.charCodeAt(p + 1) === 10 ? 2 : 1;
      pos = p;
      line++;
      lineStart = pos;
      continue;
    }
    break;
  }
  const cells: CellSpan[] = [];
  for (;;) {
    while (pos < n && isSpace(text.charCodeAt(pos))) pos++;
    const start = pos;
    const startLineStart = lineStart;
    const cellLine = line;
    let end: number;
    if (text.charCodeAt(pos) === 34) {
      pos++;
      for (;;) {
        if (pos >= n) break;
        const c = text.charCodeAt(pos);
        if (c === 34) {
          if (text.charCodeAt(pos + 1) === 34) {
            pos += 2;
            continue;
          }
          pos++;
          break;
        }
        if (c === 13 || c === 10) {
          pos += c === 13 && text.charCodeAt(pos + 1) === 10 ? 2 : 1;
          line++;
          lineStart = pos;
          continue;
        }
        pos++;
      }
      end = pos;
      while (pos < n && isSpace(text.charCodeAt(pos))) pos++;
    } else {
      while (pos < n) {
        const c = text.charCodeAt(pos);
        if (c === 13 || c === 10 || text.startsWith(delimiter, pos)) break;
        pos++;
      }
      end = pos;
      while (end > start && isSpace(text.charCodeAt(end - 1))) end--;
    }
    let endColumn = end - startLineStart + 1;
    if (line !== cellLine) {
      let eol = start;
      while (eol < n && text.charCodeAt(eol) !== 13 && text.charCodeAt(eol) !== 10) eol++;
      endColumn = eol - startLineStart + 1;
    }
    cells.push({ line: cellLine, startColumn: start - startLineStart + 1, endColumn });
    if (pos < n && text.startsWith(delimiter, pos)) {
      pos += delimiter.length;
      continue;
    }
    break;
  }
  return cells;
}

function buildHeaderCells(text: string, delimiter: string, names: string[], original: string[], headerLine: number): HeaderCell[] {
  const spans = scanHeaderCells(text, delimiter);
  return names.map((name, i) => {
    const s = spans[i];
    return s
      ? { name, original: original[i], line: s.line, startColumn: s.startColumn, endColumn: s.endColumn }
      : { name, original: original[i], line: headerLine, startColumn: 1, endColumn: 1 };
  });
}

function selectColumns(names: string[], wanted: string[] | undefined, loc: SourceLocation): number[] {
  if (wanted === undefined) return names.map((_, i) => i);
  const index = new Map(names.map((n, i) => [n, i]));
  const keep = new Set<number>();
  for (const w of wanted) {
    const i = index.get(w);
    if (i === undefined) throw unknownColumnError(w, names, loc);
    keep.add(i);
  }
  return [...keep].sort((a, b) => a - b);
}

// ---------------------------------------------------------------------------------------------
// Bytes → text

/**
 * The transform between the file and csv-parse: enforces `maxBytes`, hashes the raw bytes,
 * refuses NUL bytes, strips a UTF-8 BOM, validates/decodes the declared encoding and emits
 * UTF-8 buffers that never split a character. Keeps the first bytes it emits until the header
 * has been parsed, for `scanHeaderCells`.
 */
class InputGate extends Transform {
  headerSeen = false;
  private readonly hash: Hash = createHash('sha256');
  private bytes = 0;
  /** Line feeds emitted so far (line of the next byte = lf + 1). */
  private lf = 0;
  private first = true;
  private carry: Buffer = Buffer.alloc(0);
  private readonly decoder?: TextDecoder;
  private head: Buffer[] = [];
  private headBytes = 0;

  constructor(
    private readonly file: string,
    private readonly encoding: Encoding,
    private readonly maxBytes: number,
    private readonly headCap: number,
  ) {
    super();
    if (encoding === 'latin1') this.decoder = new TextDecoder('latin1');
    else if (encoding === 'utf-16le') this.decoder = new TextDecoder('utf-16le', { fatal: true });
  }

  /** sha256 hex of all bytes seen. */
  digest(): string {
    return this.hash.digest('hex');
  }

  /** The decoded text captured from the start of the file (BOM removed). */
  headText(): string {
    return Buffer.concat(this.head).toString('utf8');
  }

  override _transform(chunk: Buffer, _enc: BufferEncoding, cb: TransformCallback): void {
    try {
      this.bytes += chunk.length;
      if (this.bytes > this.maxBytes) {
        throw new RmlInputError(`data file is larger than the limit of ${formatBytes(this.maxBytes)} (maxBytes): ${this.file}`, { file: this.file, line: this.lf + 1, column: 1 });
      }
      this.hash.update(chunk);
      const out = this.encoding === 'utf-8' ? this.utf8(chunk) : this.decode(chunk, false);
      this.first = false;
      if (out.length > 0) this.emit_(out);
      cb();
    } catch (err) {
      cb(err as Error);
    }
  }

  override _flush(cb: TransformCallback): void {
    try {
      if (this.encoding === 'utf-8') {
        if (this.carry.length > 0) throw this.badUtf8(this.carry, 0);
      } else {
        const out = this.decode(Buffer.alloc(0), true);
        if (out.length > 0) this.emit_(out);
      }
      cb();
    } catch (err) {
      cb(err as Error);
    }
  }

  /** Stop capturing the start of the file (the header has been parsed). */
  releaseHead(): void {
    this.headerSeen = true;
    this.head = [];
  }

  private emit_(out: Buffer): void {
    if (!this.headerSeen && this.headBytes < this.headCap) {
      this.head.push(out);
      this.headBytes += out.length;
    }
    this.lf += countByte(out, 10, 0, out.length);
    this.push(out);
  }

  private utf8(chunk: Buffer): Buffer {
    if (this.first) {
      if (chunk.length >= 2 && ((chunk[0] === 0xff && chunk[1] === 0xfe) || (chunk[0] === 0xfe && chunk[1] === 0xff))) {
        throw new RmlInputError(
          `data file starts with a UTF-16 byte order mark and is not valid UTF-8; set data.encoding: utf-16le (big-endian UTF-16 is not supported; re-save the file as UTF-8): ${this.file}`,
          { file: this.file, line: 1, column: 1 },
          'data.encoding',
        );
      }
      if (chunk.length >= 3 && chunk[0] === 0xef && chunk[1] === 0xbb && chunk[2] === 0xbf) chunk = chunk.subarray(3);
    }
    const nul = chunk.indexOf(0);
    if (nul >= 0) throw this.nulError(chunk, nul);
    const data = this.carry.length > 0 ? Buffer.concat([this.carry, chunk]) : chunk;
    const cut = completeUtf8Prefix(data);
    const piece = data.subarray(0, cut);
    this.carry = Buffer.from(data.subarray(cut));
    if (!isUtf8(piece)) throw this.badUtf8(piece, firstInvalidUtf8(piece));
    return piece;
  }

  private decode(chunk: Buffer, final: boolean): Buffer {
    const decoder = this.decoder as TextDecoder;
    if (this.encoding === 'latin1') {
      const nul = chunk.indexOf(0);
      if (nul >= 0) throw this.nulError(chunk, nul);
    }
    let text: string;
    try {
      text = final ? decoder.decode() : decoder.decode(chunk, { stream: true });
    } catch {
      const loose = new TextDecoder('utf-16le').decode(chunk);
      const bad = Math.max(0, loose.indexOf('\uFFFD'));
      const line = this.lf + 1 + countChar(loose, 10, bad);
      throw new RmlInputError(
        `data file is not valid UTF-16LE (first bad code unit at line ${line}${final ? ', at the end of the file' : ''}); check data.encoding: ${this.file}`,
        { file: this.file, line, column: 1 },
        'data.encoding',
      );
    }
    if (this.encoding === 'utf-16le') {
      const nul = text.indexOf('\u0000');
      if (nul >= 0) {
        const line = this.lf + 1 + countChar(text, 10, nul);
        throw new RmlInputError(`data file contains NUL characters (line ${line}); binary files are not supported: ${this.file}`, { file: this.file, line, column: 1 });
      }
    }
    return Buffer.from(text, 'utf8');
  }

  private nulError(chunk: Buffer, nul: number): RmlInputError {
    const line = this.lf + 1 + countByte(chunk, 10, 0, nul);
    const utf16 = this.encoding !== 'utf-16le' && (chunk[nul - 1] ?? 1) !== 0 && (nul % 2 === 1 || chunk[nul + 1] !== 0);
    const hint = utf16 ? '; if it is UTF-16 text, set data.encoding: utf-16le' : '';
    return new RmlInputError(
      `data file looks binary (NUL byte at line ${line}), not a CSV text file${hint}: ${this.file}`,
      { file: this.file, line, column: 1 },
    );
  }

  private badUtf8(piece: Buffer, bad: number): RmlInputError {
    const line = this.lf + 1 + countByte(piece, 10, 0, bad);
    const nl = piece.lastIndexOf(10, bad - 1);
    const column = nl >= 0 || this.lf === 0 ? piece.subarray(nl + 1, bad).toString('utf8').length + 1 : 1;
    const byte = piece[bad] ?? 0;
    return new RmlInputError(
      `data file is not valid UTF-8 (first bad byte 0x${byte.toString(16).padStart(2, '0')} at line ${line}); set data.encoding: latin1 if it was saved as Latin-1/Windows-1252, or re-save it as UTF-8: ${this.file}`,
      { file: this.file, line, column },
      'data.encoding',
    );
  }
}

/** Length of the longest prefix of `buf` that does not end inside a multi-byte UTF-8 sequence. */
export function completeUtf8Prefix(buf: Uint8Array): number {
  const n = buf.length;
  let j = n - 1;
  const stop = Math.max(0, n - 4);
  while (j >= stop && (buf[j] & 0xc0) === 0x80) j--;
  if (j < 0) return n;
  const b = buf[j];
  const need = b >= 0xf0 ? 4 : b >= 0xe0 ? 3 : b >= 0xc0 ? 2 : 1;
  return n - j < need ? j : n;
}

/** Offset of the first byte that is not part of a valid UTF-8 sequence, or -1. */
export function firstInvalidUtf8(buf: Uint8Array): number {
  const n = buf.length;
  let i = 0;
  while (i < n) {
    const b = buf[i];
    if (b < 0x80) {
      i++;
      continue;
    }
    let need: number;
    if (b >= 0xc2 && b <= 0xdf) need = 1;
    else if (b >= 0xe0 && b <= 0xef) need = 2;
    else if (b >= 0xf0 && b <= 0xf4) need = 3;
    else return i;
    if (i + need >= n) return i;
    let lo = 0x80;
    let hi = 0xbf;
    if (b === 0xe0) lo = 0xa0;
    else if (b === 0xed) hi = 0x9f;
    else if (b === 0xf0) lo = 0x90;
    else if (b === 0xf4) hi = 0x8f;
    if (buf[i + 1] < lo || buf[i + 1] > hi) return i;
    for (let k = 2; k <= need; k++) if ((buf[i + k] & 0xc0) !== 0x80) return i;
    i += need + 1;
  }
  return -1;
}

function countByte(buf: Buffer, byte: number, from: number, to: number): number {
  let count = 0;
  let p = buf.indexOf(byte, from);
  while (p >= 0 && p < to) {
    count++;
    p = buf.indexOf(byte, p + 1);
  }
  return count;
}

function countChar(s: string, code: number, to: number): number {
  const ch = String.fromCharCode(code);
  let count = 0;
  let p = s.indexOf(ch);
  while (p >= 0 && p < to) {
    count++;
    p = s.indexOf(ch, p + 1);
  }
  return count;
}

/** Line breaks inside the fields of a record: `\r\n`, `\n` or a lone `\r` each count once. */
function countBreaksInFields(rec: readonly string[]): number {
  let breaks = 0;
  for (const f of rec) {
    if (f.indexOf('\n') < 0 && f.indexOf('\r') < 0) continue;
    for (let i = 0; i < f.length; i++) {
      const c = f.charCodeAt(i);
      if (c === 10) breaks++;
      else if (c === 13) {
        breaks++;
        if (f.charCodeAt(i + 1) === 10) i++;
      }
    }
  }
  return breaks;
}

// ---------------------------------------------------------------------------------------------
// Errors

function normalizeEncoding(enc: string | undefined, file: string): Encoding {
  const e = (enc ?? 'utf-8').toLowerCase().replace('_', '-');
  if (e === 'utf-8' || e === 'utf8') return 'utf-8';
  if (e === 'latin1' || e === 'latin-1' || e === 'iso-8859-1' || e === 'windows-1252' || e === 'cp1252') return 'latin1';
  if (e === 'utf-16le' || e === 'utf16le') return 'utf-16le';
  throw new RmlInputError(`unsupported data.encoding '${enc}'; use utf-8, latin1 or utf-16le`, { file, line: 1, column: 1 }, 'data.encoding');
}

function fileError(err: unknown, file: string): RmlInputError {
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  const loc = { file, line: 1, column: 1 };
  if (code === 'ENOENT') return new RmlInputError(`data file not found: ${file}`, loc);
  if (code === 'EISDIR') return new RmlInputError(`data path is a directory, not a CSV file: ${file}`, loc);
  if (code === 'EACCES' || code === 'EPERM') return new RmlInputError(`data file is not readable (permission denied): ${file}`, loc);
  const msg = err instanceof Error ? err.message : String(err);
  return new RmlInputError(`cannot read data file ${file}: ${msg}`, loc);
}

function numberProp(obj: object, key: string): number {
  const v = (obj as Record<string, unknown>)[key];
  return typeof v === 'number' ? v : 0;
}

/** csv-parse keeps its state on the stream object (`parser.state.quoting`); read it defensively. */
function parserIsQuoting(parser: object): boolean {
  const state = (parser as { state?: unknown }).state;
  return typeof state === 'object' && state !== null && (state as { quoting?: unknown }).quoting === true;
}

function csvError(
  err: CsvError,
  file: string,
  ctx: { lineDelta: number; nextRecordLine: number; quoting: boolean; maxRecord: number },
): RmlInputError {
  const parserLine = numberProp(err, 'lines');
  const line = parserLine > 0 ? parserLine + ctx.lineDelta : ctx.nextRecordLine;
  const loc = (l: number): SourceLocation => ({ file, line: l, column: 1 });
  switch (err.code) {
    case 'CSV_QUOTE_NOT_CLOSED':
      return new RmlInputError(
        `unclosed quote: the record starting at line ${ctx.nextRecordLine} opens a quoted field (") that is never closed before the end of the file`,
        loc(ctx.nextRecordLine),
      );
    case 'CSV_MAX_RECORD_SIZE':
      return new RmlInputError(
        ctx.quoting
          ? `unclosed quote: the record starting at line ${ctx.nextRecordLine} opens a quoted field (") that runs on for more than ${ctx.maxRecord.toLocaleString('en-US')} characters`
          : `the record starting at line ${ctx.nextRecordLine} is longer than ${ctx.maxRecord.toLocaleString('en-US')} characters (maxRecordLength/maxFieldLength); is this really a CSV file?`,
        loc(ctx.nextRecordLine),
      );
    case 'CSV_INVALID_CLOSING_QUOTE':
    case 'CSV_NON_TRIMABLE_CHAR_AFTER_CLOSING_QUOTE':
      return new RmlInputError(
        `unexpected character after a closing quote at line ${line}; a quote inside a quoted field must be doubled ("")`,
        loc(line),
      );
    default:
      return new RmlInputError(`malformed CSV at line ${line}: ${err.message}`, loc(line));
  }
}

function formatBytes(n: number): string {
  if (n >= 1024 ** 3) return `${(n / 1024 ** 3).toFixed(1)} GiB`;
  if (n >= 1024 ** 2) return `${(n / 1024 ** 2).toFixed(1)} MiB`;
  if (n >= 1024) return `${(n / 1024).toFixed(1)} KiB`;
  return `${n} bytes`;
}
