/**
 * Entry of dist/cli-lint.js: `rml lint` on its own, so that a lint in a fresh process loads the
 * lint engine and nothing else (no tfjs, no training or audit code). bin/rml.js routes the `lint`
 * subcommand here; `rml lint` through src/cli/main.ts runs the same command.
 */
import { defaultIo, reportError, type Io } from './io';
import { lintCommand } from './lint';

/** Run `rml lint` with its arguments (without the word `lint`); resolves to the exit code. */
export async function main(args: string[], io: Io = defaultIo()): Promise<number> {
  try {
    return await lintCommand(args, io);
  } catch (e) {
    return reportError(e, io);
  }
}
