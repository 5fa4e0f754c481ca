/**
 * The `rml` command line: arguments → core → text or JSON.
 * Exit codes: 0 success · 1 internal error (or lint findings at the fail level) · 2 bad input · 3 fairness gate failed.
 */
import { formatInputError, RmlCancelledError, RmlInputError } from '../core/errors';
import { VERSION } from '../core/version';
import { trainCommand } from './train';

export const EXIT = { ok: 0, internal: 1, badInput: 2, gate: 3 } as const;

export interface Io {
  out: (s: string) => void;
  err: (s: string) => void;
  /** True when stderr is a terminal (progress bar, colours). */
  tty: boolean;
  cwd: string;
}

const USAGE = `rml ${VERSION} — Responsible ML: train, evaluate and audit models for fairness.

Usage:
  rml train <config> [--json] [--backend auto|node|wasm|cpu] [--out DIR] [--root DIR] [--quiet]
  rml --version
  rml help

Exit codes: 0 success, 1 internal error, 2 bad input, 3 fairness gate failed.
See README.md for the config reference.`;

const defaultIo = (): Io => ({
  out: (s) => process.stdout.write(s),
  err: (s) => process.stderr.write(s),
  tty: Boolean(process.stderr.isTTY),
  cwd: process.cwd(),
});

/** Run the CLI with the given arguments; resolves to the exit code. */
export async function main(argv: string[], io: Io = defaultIo()): Promise<number> {
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case 'train':
        return await trainCommand(rest, io);
      case '--version':
      case '-v':
        io.out(`${VERSION}\n`);
        return EXIT.ok;
      case undefined:
      case 'help':
      case '--help':
      case '-h':
        io.out(USAGE + '\n');
        return command === undefined ? EXIT.badInput : EXIT.ok;
      default:
        io.err(`rml: unknown command '${command}'\n\n${USAGE}\n`);
        return EXIT.badInput;
    }
  } catch (e) {
    return reportError(e, io);
  }
}

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
