/** Run the `rml` CLI in-process (src/cli/main.ts) and capture what it prints. */
import { main, type Io } from '../../src/cli/main';

export interface Captured {
  code: number;
  out: string;
  err: string;
}

/** `rml <args>` in `cwd`, without a terminal: the exit code and everything written to stdout and stderr. */
export async function rml(args: string[], cwd: string): Promise<Captured> {
  let out = '';
  let err = '';
  const io: Io = { out: (s) => (out += s), err: (s) => (err += s), tty: false, cwd };
  const code = await main(args, io);
  return { code, out, err };
}
