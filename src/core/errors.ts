/**
 * Errors raised for bad user input (configs, CSV files, CLI arguments).
 *
 * Every input error carries a location so that the CLI can print `file:line:column`
 * and the editor can put a diagnostic on the right range. Internal bugs are plain `Error`s.
 */

/** A 1-based position range in a file. `endLine`/`endColumn` are inclusive-exclusive like LSP ranges. */
export interface SourceLocation {
  file: string;
  /** 1-based line. */
  line: number;
  /** 1-based column. */
  column: number;
  endLine?: number;
  endColumn?: number;
}

/** Bad user input: the CLI maps it to exit code 2. */
export class RmlInputError extends Error {
  readonly location?: SourceLocation;
  /** The config key path or CSV column concerned, e.g. `data.target` or `age`. */
  readonly field?: string;
  constructor(message: string, location?: SourceLocation, field?: string) {
    super(message);
    this.name = 'RmlInputError';
    this.location = location;
    this.field = field;
  }
}

/** An error that carries several input problems at once (config validation collects them all). */
export class RmlInputErrors extends RmlInputError {
  readonly errors: RmlInputError[];
  constructor(errors: RmlInputError[]) {
    super(errors.map(formatInputError).join('\n'), errors[0]?.location, errors[0]?.field);
    this.name = 'RmlInputErrors';
    this.errors = errors;
  }
}

/** The run was cancelled through its AbortSignal. */
export class RmlCancelledError extends Error {
  constructor(message = 'cancelled') {
    super(message);
    this.name = 'RmlCancelledError';
  }
}

/** `file:line:column` for a location (the compiler style that terminals and editors link). */
export function formatLocation(loc: SourceLocation): string {
  return `${loc.file}:${loc.line}:${loc.column}`;
}

/** `file:line:column: message [field]`. */
export function formatInputError(err: RmlInputError): string {
  const where = err.location ? `${formatLocation(err.location)}: ` : '';
  return `${where}${err.message}`;
}
