/**
 * What every `rml` command shares: the exit codes, the output sink and the error reporter. Kept
 * tiny (no engine imports) so that a command's bundle (dist/cli-lint.js) loads only what it needs.
 */
import { formatInputError, RmlCancelledError, RmlInputError } from '../core/errors';

export const EXIT = { ok: 0, internal: 1, badInput: 2, gate: 3 } as const;

export interface Io {
  out: (s: string) => void;
  err: (s: string) => void;
  /** True when stderr is a terminal (progress bar, colours). */
  tty: boolean;
  cwd: string;
}

/** The process's own streams and folder. */
export const defaultIo = (): Io => ({
  out: (s) => process.stdout.write(s),
  err: (s) => process.stderr.write(s),
  tty: Boolean(process.stderr.isTTY),
  cwd: process.cwd(),
});

/** Map an error to its exit code and print it (input errors with file:line:column). */
export function reportError(e: unknown, io: Io): number {
  if (e instanceof RmlInputError) {
    io.err(`rml: ${formatInputError(e).split('\n').join('\nrml: ')}\n`);
    return EXIT.badInput;
  }
  if (e instanceof RmlCancelledError) {
    io.err('rml: cancelled\n');
    return EXIT.internal;
  }
  if (isArgError(e)) {
    io.err(`rml: ${(e as Error).message}\n`);
    return EXIT.badInput;
  }
  io.err(`rml: internal error: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  return EXIT.internal;
}

/** node:util parseArgs errors (unknown option, missing value) are bad input. */
function isArgError(e: unknown): boolean {
  const code = (e as { code?: string } | null)?.code;
  return typeof code === 'string' && code.startsWith('ERR_PARSE_ARGS');
}
