/**
 * The `rml` command line: arguments → core → text or JSON.
 * Exit codes: 0 success · 1 internal error (or lint findings at the fail level) · 2 bad input · 3 fairness gate failed.
 */
import { formatInputError, RmlCancelledError, RmlInputError } from '../core/errors';
import { VERSION } from '../core/version';
import { auditCommand } from './audit';
import { cardCommand } from './card';
import { compareCommand } from './compare';
import { trainCommand } from './train';
import { anonymizeCommand, ANONYMIZE_USAGE } from './anonymize';
import { epsilonCommand, privacyCommand, EPSILON_USAGE, PRIVACY_USAGE } from './privacy';
import { explainCommand, EXPLAIN_USAGE } from './explain';
import { lintCommand } from './lint';

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
  ${ANONYMIZE_USAGE}
  ${PRIVACY_USAGE}
  ${EPSILON_USAGE}
  ${EXPLAIN_USAGE}
  rml lint [paths...] [--format text|json|sarif] [--fail-on error|warning|info|never] [--root DIR] [--rule ID=SEV] [--threshold NAME=V]
  rml audit --data <csv> --label <col> [--positive <value>] [--pred <col> [--pred-positive <value>]]
            [--score <col> [--threshold t] [--score-positive <value>]] --sensitive <col>[,<col>...] [--privileged <col>=<value>]
            [--intersections] [--bootstrap N] [--fail-on <metric><op><value>,...] [--min-group-size N]
            [--seed S] [--max-groups N] [--delimiter C] [--json]
  rml card <run-dir-or-config> [--out FILE|-] [--html] [--check] [--json] [--root DIR] [--no-pii-scan] [--force]
  rml compare <runA> <runB> [--json] [--root DIR]
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
      case 'anonymize':
        return await anonymizeCommand(rest, io);
      case 'privacy':
      case 'kanon':
        return await privacyCommand(rest, io);
      case 'epsilon':
        return await epsilonCommand(rest, io);
      case 'explain':
        return await explainCommand(rest, io);
      case 'lint':
        return await lintCommand(rest, io);
      case 'audit':
        return await auditCommand(rest, io);
      case 'card':
        return await cardCommand(rest, io);
      case 'compare':
        return await compareCommand(rest, io);
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
