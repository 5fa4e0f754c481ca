/**
 * Entry point loaded by code-server's Node extension host through the workbench's `payload`
 * (extensionTestsPath), the equivalent of @vscode/test-electron's. Exports run(): it loads every
 * compiled *.test.js beside it into mocha, and writes the counts to $RML_E2E_INHOST_RESULT
 * (the extension host inherits code-server's environment) for the runner.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as util from 'node:util';
import Mocha from 'mocha';
import { MARK } from './helpers';

interface TestResult { title: string; state: string; durationMs?: number; error?: string }

export function run(): Promise<void> {
  const base = Mocha.reporters.Base as unknown as { consoleLog: (...args: unknown[]) => void };
  base.consoleLog = (...args: unknown[]) => console.log(`${MARK} ${util.format(...args)}`);
  const mocha = new Mocha({ ui: 'bdd', color: false, reporter: 'spec', timeout: 60_000 });
  if (process.env.RML_E2E_GREP) mocha.grep(process.env.RML_E2E_GREP);
  for (const f of fs.readdirSync(__dirname).sort()) {
    if (f.endsWith('.test.js')) mocha.addFile(path.join(__dirname, f));
  }
  const tests: TestResult[] = [];
  return new Promise((resolve, reject) => {
    const runner = mocha.run((failures) => {
      const s = runner.stats;
      const out = process.env.RML_E2E_INHOST_RESULT;
      if (out) {
        fs.writeFileSync(out, JSON.stringify({ passes: s?.passes ?? 0, failures, pending: s?.pending ?? 0, tests }, null, 2));
      }
      if (failures > 0) reject(new Error(`${failures} in-host tests failed`));
      else resolve();
    });
    runner.on('test end', (t) => tests.push({ title: t.fullTitle(), state: t.state ?? 'pending', durationMs: t.duration }));
    runner.on('fail', (t, err: Error) => tests.push({ title: t.fullTitle(), state: 'failed', error: String(err?.stack ?? err) }));
  });
}
