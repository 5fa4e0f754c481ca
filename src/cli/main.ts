/**
 * The `rml` command line: arguments → core → text or JSON.
 * Exit codes: 0 success · 1 internal error (or lint findings at the fail level) · 2 bad input · 3 fairness gate failed.
 */
import { defaultIo, EXIT, reportError, type Io } from './io';
import { VERSION } from '../core/version';
import { auditCommand } from './audit';
import { cardCommand } from './card';
import { compareCommand } from './compare';
import { trainCommand } from './train';
import { anonymizeCommand, ANONYMIZE_USAGE } from './anonymize';
import { epsilonCommand, privacyCommand, EPSILON_USAGE, PRIVACY_USAGE } from './privacy';
import { explainCommand, EXPLAIN_USAGE } from './explain';
import { lintCommand } from './lint';

export { EXIT, reportError, type Io } from './io';

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
