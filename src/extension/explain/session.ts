/**
 * What the Explain view shows of an opened run before any row is explained (pure, no 'vscode'):
 * its model and task, its features (PII kind, immutable), and its test rows with their recorded
 * label and decision — labels only, never feature values.
 */
import type { ExplainContext } from '../../core/explain/context';
import type { ExplainSession } from '../../protocol/messages';

export function sessionOf(ctx: ExplainContext, loadMs: number, seed: number): ExplainSession {
  const r = ctx.record;
  return {
    runDir: ctx.dir,
    name: r.name,
    task: r.task,
    model: ctx.model.linear ? (r.task === 'regression' ? 'linear' : 'logistic') : 'mlp',
    target: r.target,
    classes: r.classes,
    ...(r.positive !== undefined ? { positive: r.positive } : {}),
    threshold: r.threshold,
    features: ctx.features.map((f, j) => ({ name: f.name, kind: f.kind, ...(ctx.pii[j] ? { pii: ctx.pii[j] } : {}), immutable: ctx.sensitive.includes(f.name) })),
    rows: Array.from(ctx.testRows, (row, i) => ({ row, line: ctx.dataset.rowLines[row], actual: ctx.recorded.yTrue[i], predicted: ctx.recorded.yPred[i] })),
    referenceRows: ctx.referenceRows.length,
    seed,
    warnings: ctx.warnings,
    loadMs,
  };
}
