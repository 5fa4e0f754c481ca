/** Code lenses and Train & evaluate through the API, on the bundled UCI Adult example. */
import * as assert from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import * as vscode from 'vscode';
import { extension, note, wsUri } from './helpers';

const adult = (): vscode.Uri => wsUri('adult', 'adult.rml.yaml');

/** The resolved code lenses of a file (the command needs the document open, not shown). */
async function lenses(uri: vscode.Uri): Promise<vscode.CodeLens[]> {
  await vscode.workspace.openTextDocument(uri);
  return vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', uri, 100);
}

describe('code lenses and training (UCI Adult example)', () => {
  before(async () => {
    await extension();
  });

  it('shows ▶ Train & evaluate · ⚖ Fairness report · ✎ Lint on the config, bound to rml.* commands', async () => {
    const byTitle = new Map((await lenses(adult())).map((l) => [l.command?.title ?? '', l.command?.command ?? '']));
    assert.strictEqual(byTitle.get('▶ Train & evaluate'), 'rml.train', JSON.stringify([...byTitle]));
    assert.strictEqual(byTitle.get('⚖ Fairness report'), 'rml.showFairnessReport');
    assert.strictEqual(byTitle.get('✎ Lint'), 'rml.lintConfig');
  });

  it('rml.train trains in a worker, records the run, and keeps the extension host responsive', async function () {
    this.timeout(240_000);
    const lag = monitorEventLoopDelay({ resolution: 10 });
    lag.enable();
    const t0 = Date.now();
    const result = await vscode.commands.executeCommand<{ status: string; dir?: string }>('rml.train', adult());
    lag.disable();
    const p99 = lag.percentile(99) / 1e6;
    note(`trained in ${((Date.now() - t0) / 1000).toFixed(1)} s; extension-host event-loop delay p99 ${p99.toFixed(0)} ms, max ${(lag.max / 1e6).toFixed(0)} ms`);
    assert.strictEqual(result?.status, 'completed', JSON.stringify(result));
    assert.ok(result.dir && fs.existsSync(path.join(result.dir, 'run.json')), `run.json in ${result.dir}`);
    const run = JSON.parse(fs.readFileSync(path.join(result.dir, 'run.json'), 'utf8')) as { status: string; metrics: { accuracy: number } };
    assert.strictEqual(run.status, 'completed');
    assert.ok(run.metrics.accuracy > 0.8 && run.metrics.accuracy < 0.9, `accuracy ${run.metrics.accuracy}`);
    // generous bound: catches training on the extension host's thread (seconds), not scheduler noise
    assert.ok(p99 < 500, `event-loop delay p99 ${p99} ms`);
  });

  it('adds a "Last run: acc …" lens after the run', async () => {
    const titles = (await lenses(adult())).map((l) => l.command?.title ?? '');
    const last = titles.find((t) => t.startsWith('Last run:'));
    assert.ok(last, JSON.stringify(titles));
    assert.match(last, /acc 0\.8\d*/);
    note(`${last}`);
  });
});
