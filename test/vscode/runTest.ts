/**
 * Runs the in-editor suite (suite/) in a real VS Code with @vscode/test-electron: downloads VS Code
 * (this needs internet access to update.code.visualstudio.com), opens a scratch copy of the UCI
 * Adult example, the German credit fixture and the lint's flawed fixture, and loads the extension from this repository.
 *
 *   npm run test:vscode
 *
 * Where VS Code cannot be downloaded, the same suite runs inside code-server's extension host
 * (see test/e2e/, and ../shared/e2e/README.md "In-host tests").
 */
import { cpSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { runTests } from '@vscode/test-electron';

async function main(): Promise<void> {
  const root = resolve(__dirname, '..', '..', '..');
  const ws = mkdtempSync(join(tmpdir(), 'rml-vscode-ws-'));
  cpSync(join(root, 'examples', 'adult'), join(ws, 'adult'), { recursive: true, filter: (src) => !src.includes(join('adult', '.rml')) });
  mkdirSync(join(ws, 'german'));
  cpSync(join(root, 'test', 'fixtures', 'german'), join(ws, 'german'), { recursive: true });
  cpSync(join(root, 'test', 'fixtures', 'lint', 'flawed'), join(ws, 'flawed'), { recursive: true });
  try {
    await runTests({
      version: process.env.VSCODE_VERSION ?? '1.90.0',
      extensionDevelopmentPath: root,
      extensionTestsPath: join(__dirname, 'suite', 'index'),
      launchArgs: [ws, '--disable-extensions', '--disable-workspace-trust', '--skip-welcome', '--skip-release-notes'],
    });
  } finally {
    rmSync(ws, { recursive: true, force: true });
  }
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
