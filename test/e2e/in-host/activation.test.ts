/** The packaged extension in the real extension host: activation and contributions. */
import * as assert from 'node:assert';
import * as vscode from 'vscode';
import { EXTENSION_ID, extension, until } from './helpers';

interface CommandContribution { command: string; title: string; category?: string }

describe('activation (packaged extension, real extension host)', () => {
  it('runs in the Node extension host of VS Code 1.100', () => {
    assert.match(vscode.version, /^1\.\d+/);
    assert.strictEqual(typeof process.versions.node, 'string');
  });

  it('is the installed .vsix, not a development folder', () => {
    const ext = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(ext, `${EXTENSION_ID} is installed`);
    assert.match(ext.extensionPath, /\/extensions\/responsible-ml\.responsible-ml-[^/]+$/);
  });

  it('activates on a workspace containing a training config', async () => {
    const ext = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(ext);
    // activation is triggered by workspaceContains: wait for it rather than forcing it
    await until('the extension to activate', () => ext.isActive, 30_000);
    assert.ok(ext.isActive);
  });

  it('registers every contributed command, all rml.* in the "Responsible ML" category', async () => {
    const ext = await extension();
    const contributed = ((ext.packageJSON as { contributes?: { commands?: CommandContribution[] } }).contributes?.commands ?? []);
    assert.ok(contributed.length > 0, 'package.json contributes commands');
    const registered = new Set(await vscode.commands.getCommands(true));
    for (const c of contributed) {
      assert.match(c.command, /^rml\.[a-z][A-Za-z]*$/, c.command);
      assert.strictEqual(c.category, 'Responsible ML', `${c.command} category`);
      assert.ok(registered.has(c.command), `${c.command} is registered`);
    }
  });
});
