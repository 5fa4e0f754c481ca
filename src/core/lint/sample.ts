/**
 * A fast, seeded row sample of a CSV file for the lint, plus the whole-file facts a sample can't
 * give (row count, duplicate rows, content hash).
 *
 * How (one pass over the bytes, then a small parse):
 * 1. The file's bytes are scanned once by a quote-aware state machine that follows csv-parse's
 *    rules as `readCsv` configures them (RFC 4180 quotes with `""` escapes, quotes inside an
 *    unquoted field taken literally, whitespace around fields ignored, blank lines skipped, `\n`,
 *    `\r\n` or a lone `\r` ending a record). It records where each record starts and ends, counts
 *    the fields of each (a ragged row is found wherever it is), hashes the fields that identify a
 *    duplicate row, and computes the file's sha256.
 * 2. `sampleRows` records are drawn without replacement with a seeded PRNG (Floyd's algorithm;
 *    all of them when the file has fewer; fewer for very wide files, see {@link rowsFor}), and only
 *    those are split into values.
 * 3. The header row is parsed and its cells located exactly as `readCsv` does (`dedupeHeader`,
 *    `scanHeaderCells`), so findings land on the same header cells.
 *
 * Anything the scanner finds suspicious (a ragged row, an unclosed quote, text after a closing
 * quote, invalid UTF-8, NUL bytes, a multi-character delimiter, a header longer than 4 MiB) is
 * handed to `readCsv`, which either throws its precise, located RmlInputError or reads the file,
 * in which case the sample is drawn from its full result. So the lint never reports a file as
 * broken that training would read, and never misses a problem that training would hit.
 *
 * Files up to `inMemoryLimit` (512 MiB) are read whole; larger ones are streamed through the
 * scanner and the sampled records are read back by position.
 */
import { completeUtf8Prefix } from '../data/csv';
import { createHash } from 'node:crypto';
import { promises as fsp } from 'node:fs';
import { isUtf8 } from 'node:buffer';
import * as path from 'node:path';
import { TextDecoder } from 'node:util';
import { parse as parseCsvSync } from 'csv-parse/sync';
import { dedupeHeader, inferColumnType, readCsv, scanHeaderCells } from '../data';
import type { Column, Dataset, HeaderCell } from '../data/types';
import { RmlCancelledError } from '../errors';
import { Rng } from '../util/random';

/** Bumped whenever the cached shape or the sampling changes. */
export const SAMPLE_FORMAT_VERSION = 1;

/** Default number of sampled rows (documented in docs/rules.md). */
export const DEFAULT_SAMPLE_ROWS = 10_000;
/** At most this many cells (rows × columns) are sampled: wide files get fewer rows (never under 1,000). */
export const MAX_SAMPLE_CELLS = 2_000_000;

/** The rows actually drawn for `columns` columns: `sampleRows`, capped so the sample stays under {@link MAX_SAMPLE_CELLS} cells. */
export function rowsFor(sampleRows: number, columns: number): number {
  return Math.min(sampleRows, Math.max(1000, Math.floor(MAX_SAMPLE_CELLS / Math.max(1, columns))));
}

/** Default PRNG seed of the row sample. */
export const DEFAULT_SAMPLE_SEED = 20240229;

export interface SampleOptions {
  delimiter?: string;
  encoding?: 'utf-8' | 'latin1' | 'utf-16le';
  /** Rows to draw (default {@link DEFAULT_SAMPLE_ROWS}). */
  sampleRows?: number;
  /** PRNG seed of the draw (default {@link DEFAULT_SAMPLE_SEED}). */
  seed?: number;
  /**
   * Columns whose values together identify a duplicate row, or a function choosing them from the
   * header's (de-duplicated) names; undefined = don't count duplicates.
   */
  duplicateColumns?: DuplicateColumns;
  signal?: AbortSignal;
  /** Refuse files larger than this (default 2 GiB, as readCsv). */
  maxBytes?: number;
  /** Files up to this size are read into memory at once; larger ones are streamed (default 512 MiB). */
  inMemoryLimit?: number;
  /** Skip the scanner and always sample from a full `readCsv` (slower; used by tests to compare the paths). */
  forceFullRead?: boolean;
}

/** The columns compared for duplicates, or how to choose them from the header. */
export type DuplicateColumns = readonly string[] | ((header: readonly string[]) => readonly string[]);

/** The compared columns for a header. */
export function resolveDuplicateColumns(spec: DuplicateColumns | undefined, header: readonly string[]): readonly string[] | undefined {
  const cols = typeof spec === 'function' ? spec(header) : spec;
  return cols && cols.length > 0 ? cols : undefined; // no columns: every row would be a duplicate
}

/** Duplicate rows over a set of columns, for the whole file. */
export interface DuplicateStats {
  /** The columns compared. */
  columns: string[];
  /** Data rows in the file. */
  rows: number;
  /** Rows that repeat an earlier row on these columns (three identical rows count 2). */
  duplicateRows: number;
  /** Distinct repeated values (groups of two or more identical rows). */
  groups: number;
  /** `[copies, groups]`: how many groups have that many copies, fewest copies first. */
  sizes: [number, number][];
}

/** The sample as stored in the cache: plain JSON, raw (trimmed) text values. */
export interface RawSample {
  version: number;
  /** Absolute path of the data file. */
  file: string;
  bytes: number;
  mtimeMs: number;
  /** sha256 (hex) of the file's bytes. */
  hash: string;
  /** Data rows in the whole file (blank lines excluded). */
  totalRows: number;
  header: HeaderCell[];
  warnings: string[];
  sampleRows: number;
  seed: number;
  /** 1-based line of each sampled row in the file, ascending. */
  lines: number[];
  /** The sampled rows' values (trimmed text, missing tokens not yet applied), in `lines` order. */
  rows: string[][];
  /** Duplicate statistics by {@link duplicateKey} of the compared columns. */
  duplicates: Record<string, DuplicateStats>;
  /** How the sample was made: the byte scanner, or a full readCsv. */
  method: 'scan' | 'full-read';
}

/** The key under which duplicates over `columns` are stored. */
export function duplicateKey(columns: readonly string[]): string {
  return JSON.stringify([...columns].sort());
}

const IN_MEMORY_LIMIT = 512 * 1024 * 1024;
const HEADER_LIMIT = 4 * 1024 * 1024;
const CHUNK = 4 * 1024 * 1024;

/**
 * Draw the lint's row sample of a CSV file (see the module comment for how).
 * @throws RmlInputError for every problem `readCsv` would report (missing, empty, header only,
 *   ragged, badly encoded, binary, too large…), located in the CSV file.
 * @throws RmlCancelledError when `opts.signal` aborts.
 */
export async function sampleCsv(file: string, opts: SampleOptions = {}): Promise<RawSample> {
  const abs = path.resolve(file);
  const sampleRows = Math.max(1, Math.floor(opts.sampleRows ?? DEFAULT_SAMPLE_ROWS));
  const seed = opts.seed ?? DEFAULT_SAMPLE_SEED;
  const delimiter = opts.delimiter ?? ',';
  const encoding = opts.encoding ?? 'utf-8';
  checkAborted(opts.signal);
  let stat;
  try {
    stat = await fsp.stat(abs);
  } catch {
    return fullRead(abs, opts, sampleRows, seed, 0);
  }
  if (!stat.isFile() || stat.size === 0 || stat.size > (opts.maxBytes ?? 2 * 1024 ** 3)) return fullRead(abs, opts, sampleRows, seed, stat.mtimeMs);
  if (opts.forceFullRead || Buffer.byteLength(delimiter) !== 1 || /["\r\n]/.test(delimiter) || delimiter === ' ') {
    // A space delimiter is also whitespace that csv-parse trims; leave those files to readCsv.
    return fullRead(abs, opts, sampleRows, seed, stat.mtimeMs);
  }
  const inMemory = stat.size <= (opts.inMemoryLimit ?? IN_MEMORY_LIMIT) || encoding === 'utf-16le';
  const result = inMemory
    ? await scanInMemory(abs, stat.size, stat.mtimeMs, delimiter, encoding, sampleRows, seed, opts)
    : await scanStreaming(abs, stat.size, stat.mtimeMs, delimiter, encoding, sampleRows, seed, opts);
  return result ?? fullRead(abs, opts, sampleRows, seed, stat.mtimeMs);
}

/**
 * Count duplicate rows over `columns` in the whole file again (when the compared columns changed
 * but the file did not, e.g. after the config's features were edited).
 */
export async function countDuplicates(sample: RawSample, columns: readonly string[], opts: Omit<SampleOptions, 'duplicateColumns'> = {}): Promise<DuplicateStats> {
  const again = await sampleCsv(sample.file, { ...opts, sampleRows: 1, duplicateColumns: columns });
  const stats = again.duplicates[duplicateKey(columns)];
  if (!stats) throw new Error('countDuplicates: no duplicate statistics computed');
  return stats;
}

// ---------------------------------------------------------------------------------------------
// The dataset view

/**
 * Turn a raw sample into a `Dataset` of the sampled rows: missing tokens become null and column
 * types are inferred as `readCsv` does (`inferColumnType`). `rowLines` are the rows' lines in
 * the file; `hash` is the whole file's.
 */
export function sampleToDataset(sample: RawSample, missingTokens: readonly string[]): Dataset {
  const key = JSON.stringify(missingTokens);
  const cached = datasetCache.get(sample);
  if (cached && cached.key === key) return cached.ds;
  const ds = buildDataset(sample, missingTokens);
  datasetCache.set(sample, { key, ds });
  return ds;
}

/** The Dataset of a sample object (the in-memory cache hands out the same object again). */
const datasetCache = new WeakMap<RawSample, { key: string; ds: Dataset }>();

/**
 * One column of a sample, typed as in {@link sampleToDataset}, without building the others (a
 * lint whose data rules' findings come from the cache needs only the target).
 */
export function sampleColumn(sample: RawSample, name: string, missingTokens: readonly string[]): Column | undefined {
  const k = sample.header.findIndex((h) => h.name === name);
  return k < 0 ? undefined : buildColumn(sample, k, new Set(missingTokens));
}

function buildColumn(sample: RawSample, k: number, missing: ReadonlySet<string>): Column {
  const n = sample.rows.length;
  const values: (string | null)[] = new Array<string | null>(n);
  let miss = 0;
  for (let r = 0; r < n; r++) {
    const v = sample.rows[r][k] ?? '';
    if (missing.has(v)) {
      values[r] = null;
      miss++;
    } else {
      values[r] = v;
    }
  }
  const inferred = inferColumnType(values);
  const col: Column = { name: sample.header[k].name, index: k, type: inferred.type, values, missing: miss };
  if (inferred.numbers) col.numbers = inferred.numbers;
  return col;
}

function buildDataset(sample: RawSample, missingTokens: readonly string[]): Dataset {
  const missing = new Set(missingTokens);
  const n = sample.rows.length;
  const columns: Column[] = sample.header.map((_h, k) => buildColumn(sample, k, missing));
  return {
    file: sample.file,
    columns,
    byName: new Map(columns.map((c) => [c.name, c])),
    rowCount: n,
    rowLines: Uint32Array.from(sample.lines),
    header: sample.header,
    warnings: sample.warnings,
    hash: sample.hash,
  };
}

// ---------------------------------------------------------------------------------------------
// The scanner

const FIELD_START = 0;
const UNQUOTED = 1;
const QUOTED = 2;
const QUOTE_IN_QUOTED = 3; // a quote seen inside a quoted field: closing, or the first of ""
const AFTER_CLOSE = 4; // after a closing quote: only whitespace may come before the delimiter

/** A growable array of numbers. */
class NumList {
  data: Float64Array;
  length = 0;
  constructor(capacity = 1024) {
    this.data = new Float64Array(capacity);
  }
  push(x: number): void {
    if (this.length === this.data.length) {
      const grown = new Float64Array(this.data.length * 2);
      grown.set(this.data);
      this.data = grown;
    }
    this.data[this.length++] = x;
  }
  view(): Float64Array {
    return this.data.subarray(0, this.length);
  }
}

type ScanProblem = 'ragged' | 'quote' | 'unclosed';

/**
 * The resumable record scanner. Feed it byte chunks in order (`feed`), then `finish`. Offsets are
 * absolute (`base` + index in the chunk).
 */
class RecordScanner {
  readonly starts = new NumList();
  readonly ends = new NumList();
  readonly lines = new NumList();
  readonly hashes: NumList | undefined;
  problem: ScanProblem | undefined;
  /** Records seen (blank lines excluded). */
  records = 0;
  /** Expected fields per record (0 = take the first record's count). */
  fieldCount: number;

  private state = FIELD_START;
  private line: number;
  private recordStart: number;
  private recordLine: number;
  private field = 0;
  private content = false;
  private lastCR = false;
  private h1 = 0x811c9dc5;
  private h2 = 0x2545f491;
  private hashing = false;

  constructor(
    private readonly delim: number,
    start: number,
    line: number,
    fieldCount: number,
    private readonly sel: Uint8Array | undefined,
    private readonly stopAfter = Infinity,
  ) {
    this.recordStart = start;
    this.line = line;
    this.recordLine = line;
    this.fieldCount = fieldCount;
    if (sel) this.hashes = new NumList(4096);
    this.hashing = sel !== undefined && sel[0] === 1;
  }

  /** Scan `buf[from, to)`, whose first byte is at absolute offset `base + from`. Returns false once `stopAfter` records were seen. */
  feed(buf: Uint8Array, from: number, to: number, base: number): boolean {
    const delim = this.delim;
    const sel = this.sel;
    let state = this.state;
    let h1 = this.h1;
    let h2 = this.h2;
    let hashing = this.hashing;
    let lastCR = this.lastCR;
    for (let i = from; i < to; i++) {
      const c = buf[i];
      if (c === 10 || c === 13) {
        if (state === QUOTED) {
          if (!(c === 10 && lastCR)) this.line++;
          lastCR = c === 13;
          if (hashing) {
            h1 = Math.imul(h1 ^ c, 0x01000193);
            h2 = Math.imul(h2 ^ c, 0x5bd1e995);
          }
          continue;
        }
        if (c === 10 && lastCR) {
          // The \n of a \r\n: the record ended at the \r.
          lastCR = false;
          this.recordStart = base + i + 1;
          continue;
        }
        lastCR = c === 13;
        this.state = state;
        this.h1 = h1;
        this.h2 = h2;
        this.hashing = hashing;
        this.endRecord(base + i);
        state = FIELD_START;
        h1 = 0x811c9dc5;
        h2 = 0x2545f491;
        hashing = sel !== undefined && sel[0] === 1;
        this.line++;
        this.recordStart = base + i + 1;
        this.recordLine = this.line;
        if (this.records >= this.stopAfter) {
          this.state = state;
          this.h1 = h1;
          this.h2 = h2;
          this.hashing = hashing;
          this.lastCR = lastCR;
          return false;
        }
        continue;
      }
      lastCR = false;
      if (c === delim && state !== QUOTED) {
        if (state === FIELD_START || state === UNQUOTED || state === QUOTE_IN_QUOTED || state === AFTER_CLOSE) {
          if (hashing) {
            h1 = Math.imul(h1 ^ 0x1e, 0x01000193);
            h2 = Math.imul(h2 ^ (h2 >>> 15) ^ 0x1e, 0x5bd1e995);
          }
          this.field++;
          this.content = true;
          state = FIELD_START;
          hashing = sel !== undefined && sel[this.field] === 1;
          continue;
        }
      }
      switch (state) {
        case FIELD_START:
          if (c === 32 || c === 9) continue;
          this.content = true;
          if (c === 34) {
            state = QUOTED;
            continue;
          }
          state = UNQUOTED;
          break;
        case UNQUOTED:
          break;
        case QUOTED:
          if (c === 34) {
            state = QUOTE_IN_QUOTED;
            continue;
          }
          break;
        case QUOTE_IN_QUOTED:
          if (c === 34) {
            state = QUOTED; // an escaped quote: hash one quote
            break;
          }
          if (c === 32 || c === 9) {
            state = AFTER_CLOSE;
            continue;
          }
          this.problem ??= 'quote';
          state = UNQUOTED;
          break;
        case AFTER_CLOSE:
          if (c === 32 || c === 9) continue;
          this.problem ??= 'quote';
          state = UNQUOTED;
          break;
      }
      if (hashing) {
        h1 = Math.imul(h1 ^ c, 0x01000193);
        h2 = Math.imul(h2 ^ c, 0x5bd1e995);
      }
      // Fast paths: the rest of a field up to the next byte that matters.
      if (state === UNQUOTED) {
        if (hashing) {
          while (i + 1 < to) {
            const d = buf[i + 1];
            if (d === delim || d === 10 || d === 13) break;
            h1 = Math.imul(h1 ^ d, 0x01000193);
            h2 = Math.imul(h2 ^ d, 0x5bd1e995);
            i++;
          }
        } else {
          while (i + 1 < to) {
            const d = buf[i + 1];
            if (d === delim || d === 10 || d === 13) break;
            i++;
          }
        }
      } else if (state === QUOTED) {
        while (i + 1 < to) {
          const d = buf[i + 1];
          if (d === 34 || d === 10 || d === 13) break;
          if (hashing) {
            h1 = Math.imul(h1 ^ d, 0x01000193);
            h2 = Math.imul(h2 ^ d, 0x5bd1e995);
          }
          i++;
        }
      }
    }
    this.state = state;
    this.h1 = h1;
    this.h2 = h2;
    this.hashing = hashing;
    this.lastCR = lastCR;
    return true;
  }

  /** End of input at absolute offset `end`. */
  finish(end: number): void {
    if (this.state === QUOTED) {
      this.problem ??= 'unclosed';
      return;
    }
    this.endRecord(end); // a final line without a line break; a blank one is skipped
  }

  private endRecord(end: number): void {
    const blank = !this.content && this.field === 0 && this.state === FIELD_START;
    if (!blank) {
      const fields = this.field + 1;
      if (this.fieldCount === 0) this.fieldCount = fields;
      else if (fields !== this.fieldCount) this.problem ??= 'ragged';
      this.starts.push(this.recordStart);
      this.ends.push(end);
      this.lines.push(this.recordLine);
      if (this.hashes) {
        let h1 = this.h1;
        let h2 = this.h2;
        if (this.hashing) {
          h1 = Math.imul(h1 ^ 0x1e, 0x01000193);
          h2 = Math.imul(h2 ^ (h2 >>> 15) ^ 0x1e, 0x5bd1e995);
        }
        this.hashes.push((h1 >>> 0) * 0x200000 + ((h2 >>> 0) & 0x1fffff));
      }
      this.records++;
    }
    this.field = 0;
    this.content = false;
    this.h1 = 0x811c9dc5;
    this.h2 = 0x2545f491;
  }
}

// ---------------------------------------------------------------------------------------------
// In memory

async function scanInMemory(
  file: string,
  size: number,
  mtimeMs: number,
  delimiter: string,
  encoding: NonNullable<SampleOptions['encoding']>,
  sampleRows: number,
  seed: number,
  opts: SampleOptions,
): Promise<RawSample | undefined> {
  const raw = await fsp.readFile(file);
  checkAborted(opts.signal);
  const hash = createHash('sha256').update(raw).digest('hex');
  let buf: Buffer = raw;
  if (encoding === 'utf-16le') {
    let text: string;
    try {
      text = new TextDecoder('utf-16le', { fatal: true }).decode(raw);
    } catch {
      return undefined;
    }
    if (text.includes('\u0000')) return undefined;
    buf = Buffer.from(text, 'utf8');
  } else {
    if (buf.indexOf(0) >= 0) return undefined;
    if (encoding === 'utf-8') {
      if (buf.length >= 2 && ((buf[0] === 0xff && buf[1] === 0xfe) || (buf[0] === 0xfe && buf[1] === 0xff))) return undefined;
      if (buf.length >= 3 && buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf) buf = buf.subarray(3);
      if (!isUtf8(buf)) return undefined;
    }
  }
  const decode = decoderFor(encoding === 'latin1' ? 'latin1' : 'utf-8');
  const head = findHeader(buf.subarray(0, Math.min(buf.length, HEADER_LIMIT)), delimiter, decode);
  if (!head) return undefined;
  const dupColumns = resolveDuplicateColumns(opts.duplicateColumns, head.names);
  const sel = selection(head.names, dupColumns);
  const scanner = new RecordScanner(delimiter.charCodeAt(0), head.next, head.nextLine, head.names.length, sel);
  for (let from = head.next; from < buf.length; from += CHUNK) {
    scanner.feed(buf, from, Math.min(buf.length, from + CHUNK), 0);
    checkAborted(opts.signal);
    await yieldToEventLoop();
  }
  scanner.finish(buf.length);
  if (scanner.problem || scanner.records === 0) return undefined;
  const picks = drawRows(scanner.records, rowsFor(sampleRows, head.names.length), seed);
  const starts = scanner.starts.view();
  const ends = scanner.ends.view();
  const rows = splitRecords(picks.length, (k) => decode(buf.subarray(starts[picks[k]], ends[picks[k]])), delimiter, head.names.length);
  if (!rows) return undefined;
  const lineList = scanner.lines.view();
  return {
    version: SAMPLE_FORMAT_VERSION,
    file,
    bytes: size,
    mtimeMs,
    hash,
    totalRows: scanner.records,
    header: head.cells,
    warnings: head.warnings,
    sampleRows,
    seed,
    lines: Array.from(picks, (p) => lineList[p]),
    rows,
    duplicates: duplicateStatsFrom(scanner, dupColumns),
    method: 'scan',
  };
}

// ---------------------------------------------------------------------------------------------
// Streaming (files over inMemoryLimit)

async function scanStreaming(
  file: string,
  size: number,
  mtimeMs: number,
  delimiter: string,
  encoding: NonNullable<SampleOptions['encoding']>,
  sampleRows: number,
  seed: number,
  opts: SampleOptions,
): Promise<RawSample | undefined> {
  const fh = await fsp.open(file, 'r');
  try {
    const hasher = createHash('sha256');
    const decode = decoderFor(encoding === 'latin1' ? 'latin1' : 'utf-8');
    const first = Buffer.alloc(Math.min(size, HEADER_LIMIT));
    await fh.read(first, 0, first.length, 0);
    let bom = 0;
    if (encoding === 'utf-8') {
      if (first.length >= 2 && ((first[0] === 0xff && first[1] === 0xfe) || (first[0] === 0xfe && first[1] === 0xff))) return undefined;
      if (first.length >= 3 && first[0] === 0xef && first[1] === 0xbb && first[2] === 0xbf) bom = 3;
    }
    // Cut the head at a complete character before decoding it.
    const headBuf = first.subarray(bom, bom + completeUtf8Prefix(first.subarray(bom)));
    const head = findHeader(headBuf, delimiter, decode);
    if (!head) return undefined;
    const dupColumns = resolveDuplicateColumns(opts.duplicateColumns, head.names);
    const sel = selection(head.names, dupColumns);
    const scanner = new RecordScanner(delimiter.charCodeAt(0), head.next + bom, head.nextLine, head.names.length, sel);
    const chunk = Buffer.alloc(CHUNK);
    let pos = 0;
    let carry: Buffer = Buffer.alloc(0);
    while (pos < size) {
      const { bytesRead } = await fh.read(chunk, 0, Math.min(CHUNK, size - pos), pos);
      if (bytesRead === 0) break;
      const piece = chunk.subarray(0, bytesRead);
      hasher.update(piece);
      if (piece.indexOf(0) >= 0) return undefined;
      if (encoding === 'utf-8') {
        const data = carry.length > 0 ? Buffer.concat([carry, piece]) : piece;
        const start = pos === 0 ? bom : 0;
        const cut = completeUtf8Prefix(data);
        if (!isUtf8(data.subarray(start, cut))) return undefined;
        carry = Buffer.from(data.subarray(cut));
      }
      // Scan only what lies after the header.
      const from = Math.max(0, head.next + bom - pos);
      if (from < bytesRead) scanner.feed(piece, from, bytesRead, pos);
      pos += bytesRead;
      checkAborted(opts.signal);
    }
    if (carry.length > 0) return undefined;
    scanner.finish(size);
    if (scanner.problem || scanner.records === 0) return undefined;
    const picks = drawRows(scanner.records, rowsFor(sampleRows, head.names.length), seed);
    const starts = scanner.starts.view();
    const ends = scanner.ends.view();
    const texts: string[] = [];
    for (let k = 0; k < picks.length; k++) {
      const s = starts[picks[k]];
      const e = ends[picks[k]];
      const b = Buffer.alloc(e - s);
      await fh.read(b, 0, b.length, s);
      texts.push(decode(b));
    }
    const rows = splitRecords(picks.length, (k) => texts[k], delimiter, head.names.length);
    if (!rows) return undefined;
    const lineList = scanner.lines.view();
    return {
      version: SAMPLE_FORMAT_VERSION,
      file,
      bytes: size,
      mtimeMs,
      hash: hasher.digest('hex'),
      totalRows: scanner.records,
      header: head.cells,
      warnings: head.warnings,
      sampleRows,
      seed,
      lines: Array.from(picks, (p) => lineList[p]),
      rows,
      duplicates: duplicateStatsFrom(scanner, dupColumns),
      method: 'scan',
    };
  } finally {
    await fh.close();
  }
}

// ---------------------------------------------------------------------------------------------
// The full-read fallback

async function fullRead(file: string, opts: SampleOptions, sampleRows: number, seed: number, mtimeMs: number): Promise<RawSample> {
  // Missing tokens are applied later (sampleToDataset), so read every value as text.
  const ds = await readCsv(file, {
    delimiter: opts.delimiter,
    encoding: opts.encoding,
    missing: [],
    maxBytes: opts.maxBytes,
    signal: opts.signal,
  });
  let bytes = 0;
  try {
    const st = await fsp.stat(file);
    bytes = st.size;
    mtimeMs = st.mtimeMs;
  } catch {
    // readCsv succeeded, so this is a race with a deletion; keep the defaults.
  }
  const picks = drawRows(ds.rowCount, rowsFor(sampleRows, ds.columns.length), seed);
  const rows = Array.from(picks, (r) => ds.columns.map((c) => c.values[r] ?? ''));
  const duplicates: Record<string, DuplicateStats> = {};
  const dupColumns = resolveDuplicateColumns(opts.duplicateColumns, ds.columns.map((c) => c.name));
  if (dupColumns) {
    const cols = dupColumns.map((n) => ds.byName.get(n)).filter((c): c is Column => c !== undefined);
    const hashes = new Float64Array(ds.rowCount);
    for (let r = 0; r < ds.rowCount; r++) hashes[r] = valueHash(cols, r);
    duplicates[duplicateKey(dupColumns)] = summarizeHashes(hashes, [...dupColumns]);
  }
  return {
    version: SAMPLE_FORMAT_VERSION,
    file: ds.file,
    bytes,
    mtimeMs,
    hash: ds.hash,
    totalRows: ds.rowCount,
    header: ds.header,
    warnings: ds.warnings,
    sampleRows,
    seed,
    lines: Array.from(picks, (r) => ds.rowLines[r]),
    rows,
    duplicates,
    method: 'full-read',
  };
}

function valueHash(cols: readonly Column[], r: number): number {
  let h1 = 0x811c9dc5;
  let h2 = 0x2545f491;
  for (const col of cols) {
    const v = col.values[r] ?? '';
    for (let i = 0; i < v.length; i++) {
      const c = v.charCodeAt(i);
      h1 = Math.imul(h1 ^ c, 0x01000193);
      h2 = Math.imul(h2 ^ c, 0x5bd1e995);
    }
    h1 = Math.imul(h1 ^ 0x1e, 0x01000193);
    h2 = Math.imul(h2 ^ (h2 >>> 15) ^ 0x1e, 0x5bd1e995);
  }
  return (h1 >>> 0) * 0x200000 + ((h2 >>> 0) & 0x1fffff);
}

// ---------------------------------------------------------------------------------------------
// Helpers

function checkAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new RmlCancelledError();
}

/** Let other work (an editor's UI messages, a cancellation) run between chunks. */
function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

function decoderFor(encoding: 'utf-8' | 'latin1'): (b: Uint8Array) => string {
  if (encoding === 'utf-8') return (b) => Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('utf8');
  const d = new TextDecoder('latin1');
  return (b) => d.decode(b);
}

interface HeaderInfo {
  names: string[];
  cells: HeaderCell[];
  warnings: string[];
  /** Offset just after the header record's line break. */
  next: number;
  /** Line of the byte at `next`. */
  nextLine: number;
}

/** Find, parse and locate the header row at the start of `buf` (BOM already removed). */
function findHeader(buf: Buffer, delimiter: string, decode: (b: Uint8Array) => string): HeaderInfo | undefined {
  const scanner = new RecordScanner(delimiter.charCodeAt(0), 0, 1, 0, undefined, 1);
  const complete = !scanner.feed(buf, 0, buf.length, 0);
  if (!complete) return undefined; // no line break after the header (header only, or longer than the limit)
  if (scanner.problem || scanner.records !== 1) return undefined;
  const start = scanner.starts.data[0];
  const end = scanner.ends.data[0];
  const fields = parseRecords(decode(buf.subarray(start, end)), delimiter, 0);
  if (!fields || fields.length !== 1) return undefined;
  const original = fields[0];
  const warnings: string[] = [];
  const { names } = dedupeHeader(original, warnings);
  const text = decode(buf.subarray(0, end));
  const spans = scanHeaderCells(text, delimiter);
  const headerLine = scanner.lines.data[0];
  const cells: HeaderCell[] = names.map((name, i) => {
    const s = spans[i];
    return s
      ? { name, original: original[i], line: s.line, startColumn: s.startColumn, endColumn: s.endColumn }
      : { name, original: original[i], line: headerLine, startColumn: 1, endColumn: 1 };
  });
  // The scanner stopped right after the header's line break (a \r\n's \n is skipped by the next scan).
  let next = end;
  let nextLine = headerLine + countBreaks(buf, start, end);
  if (buf[next] === 13) {
    next++;
    if (buf[next] === 10) next++;
    nextLine++;
  } else if (buf[next] === 10) {
    next++;
    nextLine++;
  }
  return { names, cells, warnings, next, nextLine };
}

/** Line breaks in `buf[from, to)` (\r\n, \n and a lone \r each count once). */
function countBreaks(buf: Uint8Array, from: number, to: number): number {
  let n = 0;
  for (let i = from; i < to; i++) {
    if (buf[i] === 10) n++;
    else if (buf[i] === 13) {
      n++;
      if (buf[i + 1] === 10) i++;
    }
  }
  return n;
}

/**
 * Split one record the scanner has already checked (no stray quotes, the right field count) into
 * its values, as csv-parse with readCsv's options would: whitespace around fields dropped, `""`
 * inside quotes unescaped, quotes inside an unquoted field kept, each value trimmed.
 */
export function splitRecord(text: string, delimiter: string): string[] {
  const out: string[] = [];
  const n = text.length;
  const d = delimiter;
  let i = 0;
  for (;;) {
    while (i < n && (text.charCodeAt(i) === 32 || text.charCodeAt(i) === 9)) i++;
    if (text.charCodeAt(i) === 34) {
      let value = '';
      let start = i + 1;
      i++;
      for (;;) {
        const q = text.indexOf('"', i);
        if (q < 0) {
          value += text.slice(start);
          i = n;
          break;
        }
        if (text.charCodeAt(q + 1) === 34) {
          value += text.slice(start, q + 1);
          i = q + 2;
          start = i;
          continue;
        }
        value += text.slice(start, q);
        i = q + 1;
        break;
      }
      out.push(value.trim());
      const next = text.indexOf(d, i);
      if (next < 0) break;
      i = next + d.length;
      continue;
    }
    const next = text.indexOf(d, i);
    out.push((next < 0 ? text.slice(i) : text.slice(i, next)).trim());
    if (next < 0) break;
    i = next + d.length;
  }
  return out;
}

/** Parse records with the options readCsv uses; each value is trimmed (also inside quotes). Returns undefined on a parse error or a wrong field count. */
function parseRecords(text: string, delimiter: string, fieldCount: number): string[][] | undefined {
  let records: string[][];
  try {
    records = parseCsvSync(text, {
      delimiter,
      quote: '"',
      escape: '"',
      trim: true,
      skip_empty_lines: true,
      relax_column_count: true,
      relax_quotes: true,
    }) as string[][];
  } catch {
    return undefined;
  }
  for (const rec of records) {
    if (fieldCount > 0 && rec.length !== fieldCount) return undefined;
    for (let i = 0; i < rec.length; i++) {
      const v = rec[i];
      if (v.length > 0) {
        const c0 = v.charCodeAt(0);
        const c1 = v.charCodeAt(v.length - 1);
        if (c0 <= 32 || c1 <= 32 || c0 >= 0x80 || c1 >= 0x80) rec[i] = v.trim();
      }
    }
  }
  return records;
}

/** Split `count` records with {@link splitRecord}; undefined when one has the wrong number of fields. */
function splitRecords(count: number, record: (k: number) => string, delimiter: string, fieldCount: number): string[][] | undefined {
  const rows: string[][] = new Array<string[]>(count);
  for (let k = 0; k < count; k++) {
    const fields = splitRecord(record(k), delimiter);
    if (fields.length !== fieldCount) return undefined;
    rows[k] = fields;
  }
  return rows;
}

/** Which fields are compared for duplicates (undefined = none). Unknown names are skipped. */
function selection(names: readonly string[], columns: readonly string[] | undefined): Uint8Array | undefined {
  if (!columns) return undefined;
  const sel = new Uint8Array(names.length + 1);
  const wanted = new Set(columns);
  names.forEach((n, i) => {
    if (wanted.has(n)) sel[i] = 1;
  });
  return sel;
}

/**
 * `k` distinct row indices in [0, n), ascending, drawn uniformly with a seeded PRNG (Floyd's
 * algorithm); all rows when n ≤ k.
 */
export function drawRows(n: number, k: number, seed: number): Int32Array {
  if (n <= k) return Int32Array.from({ length: n }, (_, i) => i);
  const rng = new Rng(seed);
  const chosen = new Set<number>();
  for (let j = n - k; j < n; j++) {
    const t = rng.int(j + 1);
    chosen.add(chosen.has(t) ? j : t);
  }
  return Int32Array.from(chosen).sort();
}

function duplicateStatsFrom(scanner: RecordScanner, columns: readonly string[] | undefined): Record<string, DuplicateStats> {
  if (!columns || !scanner.hashes) return {};
  return { [duplicateKey(columns)]: summarizeHashes(scanner.hashes.view(), [...columns]) };
}

/**
 * Duplicates from one 53-bit hash per row (FNV-1a and murmur-style, over the compared fields as
 * written). Two different rows collide with probability about n²/2⁵⁴ (under 10⁻⁴ for a million
 * rows), so the counts are exact in practice.
 */
function summarizeHashes(hashes: Float64Array, columns: string[]): DuplicateStats {
  const sorted = Float64Array.from(hashes).sort();
  let duplicateRows = 0;
  let groups = 0;
  const sizes = new Map<number, number>();
  let i = 0;
  while (i < sorted.length) {
    let j = i;
    while (j + 1 < sorted.length && sorted[j + 1] === sorted[i]) j++;
    const copies = j - i + 1;
    if (copies > 1) {
      duplicateRows += copies - 1;
      groups++;
      sizes.set(copies, (sizes.get(copies) ?? 0) + 1);
    }
    i = j + 1;
  }
  return { columns, rows: hashes.length, duplicateRows, groups, sizes: [...sizes].sort((a, b) => a[0] - b[0]) };
}


