/**
 * Entry point of the explain worker (bundled as dist/explain-worker.js; protocol in
 * explain/protocol.ts). Explanations run the model thousands of times, so they run here, off the
 * extension host's thread, one request at a time. The worker keeps the contexts of the last runs
 * it opened and, per run and seed, the row-independent sections (permutation importance, weakest
 * slices): explaining another row of the same run recomputes only SHAP, LIME, the counterfactual
 * and the PDP. The explainers are synchronous, so the host cancels by terminating the worker.
 */
import { dirname } from 'node:path';
import { parentPort } from 'node:worker_threads';
import { formatInputError, RmlInputError, RmlInputErrors } from '../core/errors';
import type { ExplainContext } from '../core/explain/context';
import type { ErrorSlices, PermutationImportance } from '../core/explain/types';
import type { FromExplainWorker, ToExplainWorker } from './explain/protocol';
import { sessionOf } from './explain/session';

/** Contexts kept (the least recently used is dropped beyond this). */
const KEEP = 2;

interface Opened {
  ctx: ExplainContext;
  loadMs: number;
  /** Per seed: the row-independent sections. */
  global: Map<number, { importance: PermutationImportance | null; slices: ErrorSlices | null }>;
}

const port = parentPort;
if (port) {
  const post = (m: FromExplainWorker) => port.postMessage(m);
  const opened = new Map<string, Opened>();
  let queue: Promise<void> = Promise.resolve();

  port.on('message', (m: ToExplainWorker) => {
    queue = queue.then(() => handle(m).then(post, (e: unknown) => post(failure(m.id, e))));
  });

  async function open(runDir: string, configFile?: string, root?: string): Promise<Opened> {
    const hit = opened.get(runDir);
    if (hit) {
      opened.delete(runDir);
      opened.set(runDir, hit);
      return hit;
    }
    const t0 = performance.now();
    const [{ openExplainContext }, { loadConfig }] = await Promise.all([import('../core/explain/open'), import('../core/config')]);
    let config;
    if (configFile) {
      try {
        config = await loadConfig(configFile, { root: root ?? dirname(configFile) });
      } catch (e) {
        // The config has problems now: openExplainContext falls back to the run's recorded config and says so.
        if (!(e instanceof RmlInputError)) throw e;
      }
    }
    const ctx = await openExplainContext(runDir, config);
    const o: Opened = { ctx, loadMs: Math.round(performance.now() - t0), global: new Map() };
    opened.set(runDir, o);
    while (opened.size > KEEP) opened.delete(opened.keys().next().value as string);
    return o;
  }

  function known(runDir: string): Opened {
    const o = opened.get(runDir);
    if (!o) throw new RmlInputError(`the run ${runDir} is not open in the explain worker`);
    return o;
  }

  async function handle(m: ToExplainWorker): Promise<FromExplainWorker> {
    const { explainRow, EXPLAIN_DEFAULTS } = await import('../core/explain/report');
    switch (m.type) {
      case 'open': {
        const o = await open(m.runDir, m.configFile, m.root);
        return { type: 'opened', id: m.id, session: sessionOf(o.ctx, o.loadMs, EXPLAIN_DEFAULTS.seed) };
      }
      case 'explain': {
        const o = opened.has(m.runDir) ? known(m.runDir) : await open(m.runDir);
        const cached = o.global.get(m.seed);
        const t0 = performance.now();
        const pdpFeature = m.pdpFeature ?? cached?.importance?.features[0]?.feature;
        const report = explainRow(o.ctx, {
          row: m.row,
          seed: m.seed,
          importance: cached ? false : {},
          slices: cached ? false : {},
          pdp: pdpFeature !== undefined ? { feature: pdpFeature } : {},
        });
        const computeMs = Math.round(performance.now() - t0);
        if (cached) {
          report.importance = cached.importance;
          report.slices = cached.slices;
        } else {
          o.global.set(m.seed, { importance: report.importance, slices: report.slices });
        }
        return { type: 'explained', id: m.id, report, reused: cached ? ['importance', 'slices'] : [], loadMs: o.loadMs, computeMs };
      }
      case 'pdp': {
        const o = known(m.runDir);
        const t0 = performance.now();
        const r = explainRow(o.ctx, { row: m.row, seed: m.seed, importance: false, shap: false, lime: false, counterfactual: false, slices: false, pdp: { feature: m.feature } });
        if (!r.pdp) throw new Error('no partial dependence was computed');
        return { type: 'pdp', id: m.id, pdp: r.pdp, computeMs: Math.round(performance.now() - t0) };
      }
    }
  }

  function failure(id: number, e: unknown): FromExplainWorker {
    if (e instanceof RmlInputError) return { type: 'error', id, kind: 'input', message: e instanceof RmlInputErrors ? e.errors.map(formatInputError).join('\n') : formatInputError(e) };
    return { type: 'error', id, kind: 'internal', message: e instanceof Error ? (e.stack ?? e.message) : String(e) };
  }
}
