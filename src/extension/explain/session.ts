/**
 * What the Explain view shows of an opened run before any row is explained (pure, no 'vscode'):
 * its model and task, its features (PII kind, immutable), and its test rows with their recorded
 * label and decision — labels only, never feature values.
 */
import type { ExplainContext } from '../../core/explain/context';
import { runInfo } from '../../core/explain/report';
import type { ExplainSession } from '../../protocol/messages';

export function sessionOf(ctx: ExplainContext, loadMs: number, seed: number): ExplainSession {
  const { dir, testRows: _testRows, ...info } = runInfo(ctx);
  return {
    runDir: dir,
    ...info,
    rows: Array.from(ctx.testRows, (row, i) => ({ row, line: ctx.dataset.rowLines[row], actual: ctx.recorded.yTrue[i], predicted: ctx.recorded.yPred[i] })),
    seed,
    warnings: ctx.warnings,
    loadMs,
  };
}
