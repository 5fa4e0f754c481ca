/**
 * The suite's entry point, loaded by the extension host (test-electron's extensionTestsPath, or
 * code-server's `payload` equivalent). Exports run(): Promise<void>.
 */
import { readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Mocha from 'mocha';

export function run(): Promise<void> {
  const mocha = new Mocha({ ui: 'bdd', color: false, timeout: 120_000, reporter: 'spec' });
  for (const f of readdirSync(__dirname)) if (f.endsWith('.test.js')) mocha.addFile(join(__dirname, f));
  return new Promise((resolve, reject) => {
    mocha.run((failures) => {
      console.log(`RML IN-HOST RESULT: ${failures} failures`);
      const out = process.env.RML_TEST_RESULT_FILE;
      if (out) writeFileSync(out, JSON.stringify({ failures, time: new Date().toISOString() }));
      if (failures > 0) reject(new Error(`${failures} tests failed`));
      else resolve();
    });
  });
}
