/**
 * An in-memory, column-oriented table read from a CSV file.
 * Produced by `readCsv` (data/csv.ts), consumed by the pipeline, the profile, the audit and the lint.
 */

export type ColumnType = 'numeric' | 'categorical' | 'boolean';

export interface HeaderCell {
  /** Column name after de-duplication (`name`, `name.1`, ...). */
  name: string;
  /** Name as written in the header row. */
  original: string;
  /** 1-based line of the header row (1 unless the file starts with blank lines). */
  line: number;
  /** 1-based first column of the cell, in characters (quotes included). */
  startColumn: number;
  /** 1-based column just after the cell (exclusive). */
  endColumn: number;
}

export interface Column {
  name: string;
  index: number;
  type: ColumnType;
  /** Raw text values; `null` = missing (matched a missing token). Length = rowCount. */
  values: (string | null)[];
  /** For numeric columns: the parsed values, NaN where missing. */
  numbers?: Float64Array;
  /** Count of missing values. */
  missing: number;
}

export interface Dataset {
  /** Absolute path of the file read. */
  file: string;
  columns: Column[];
  /** Map from column name to column. */
  byName: Map<string, Column>;
  rowCount: number;
  /** 1-based source line where each data row starts (for error messages). */
  rowLines: Uint32Array;
  header: HeaderCell[];
  /** Non-fatal notes, e.g. renamed duplicate headers. */
  warnings: string[];
  /** sha256 hex of the file's bytes. */
  hash: string;
}

export interface ReadCsvOptions {
  delimiter?: string;
  /** Missing-value tokens (exact match after trimming). Default ['', 'NA', 'N/A', '?', 'null']. */
  missing?: string[];
  encoding?: 'utf-8' | 'latin1' | 'utf-16le';
  /** Refuse files larger than this many bytes (default 2 GiB). */
  maxBytes?: number;
  /** Refuse a single field longer than this many characters (default 1 MiB). */
  maxFieldLength?: number;
  /**
   * Refuse a record (row) longer than this many characters (default 8 MiB, and at least
   * maxFieldLength). This is the guard csv-parse applies while reading, so that a huge line
   * fails fast instead of filling memory.
   */
  maxRecordLength?: number;
  /** Only read these columns (others are skipped after the header). */
  columns?: string[];
  signal?: AbortSignal;
}

export interface ColumnProfile {
  name: string;
  type: ColumnType;
  missing: number;
  distinct: number;
  min?: number;
  max?: number;
  mean?: number;
  std?: number;
  /** Most frequent values (masked by the caller if PII), most frequent first. */
  top: { value: string; count: number }[];
  /** Equal-width histogram for numeric columns. */
  histogram?: { min: number; max: number; counts: number[] };
}

export interface DatasetProfile {
  file: string;
  hash: string;
  rows: number;
  duplicateRows: number;
  columns: ColumnProfile[];
}
