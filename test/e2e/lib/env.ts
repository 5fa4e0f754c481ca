/**
 * Paths, options and logging shared by the e2e runner, its helpers and the UI specs (Node side).
 * Everything the run writes goes under test-output/e2e/ (git-ignored):
 *   test-output/e2e/*.png          screenshots the specs take on purpose (the report in dark / light, …)
 *   test-output/e2e/failures/      a screenshot per failed test
 *   test-output/e2e/run/           per-run state: servers' user data, extensions, HOME, workspaces, logs
 *   test-output/e2e/in-host/       the compiled in-host mocha suite
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

export const ROOT = path.resolve(__dirname, '..', '..', '..');
export const OUT = path.join(ROOT, 'test-output', 'e2e');
export const RUN = path.join(OUT, 'run');
export const LOGS = path.join(RUN, 'logs');
export const FAILURES = path.join(OUT, 'failures');
export const IN_HOST_OUT = path.join(OUT, 'in-host');

/** The extension's id, `publisher.name` from package.json. */
export const EXTENSION_ID = (() => {
  const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { publisher: string; name: string };
  return `${pkg.publisher}.${pkg.name}`;
})();

export function requireEnv(name: string): string {
  const v = process.env[name];
  if (!v) throw new Error(`environment variable ${name} is not set (run the suite with \`npm run test:e2e\`)`);
  return v;
}

const t0 = Date.now();
/** Seconds since the runner started. */
export const elapsed = (): number => (Date.now() - t0) / 1000;
export function log(...args: unknown[]): void {
  console.log(`    [${elapsed().toFixed(1).padStart(6)}s]`, ...args);
}

/**
 * Polls `probe` until it returns a value other than undefined/false, or throws after `timeoutMs`.
 * For conditions that have no event to wait on (a file on disk, an HTTP endpoint); never used as a
 * fixed delay.
 */
export async function waitFor<T>(what: string, probe: () => Promise<T | undefined | false> | T | undefined | false, timeoutMs: number, everyMs = 100): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const v = await probe();
      if (v !== undefined && v !== false) return v;
    } catch (e) {
      lastError = e;
    }
    if (Date.now() > deadline) {
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${lastError ? `: ${String(lastError)}` : ''}`);
    }
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

/** Copies a folder (a fixture or example workspace) into the run folder, skipping .rml/ run records. */
export function copyWorkspace(from: string, name: string): string {
  const to = path.join(RUN, 'workspaces', name);
  fs.rmSync(to, { recursive: true, force: true });
  fs.cpSync(from, to, { recursive: true, filter: (src) => path.basename(src) !== '.rml' });
  return to;
}
