/**
 * Messages between the extension host and the explain worker (dist/explain-worker.js, entry
 * src/extension/explain-worker.ts). Every request carries an `id`, echoed in its one reply. The
 * worker answers one request at a time and keeps the last runs' contexts (model, data, test
 * split) and their global results (permutation importance, weakest slices) between requests, so
 * changing the row only recomputes what depends on the row.
 */
import type { ExplainReport, PartialDependence } from '../../core/explain/types';
import type { ExplainSession } from '../../protocol/messages';

export type ToExplainWorker =
  /** Load a run (and the config telling how to read its data); reply `opened`. */
  | { type: 'open'; id: number; runDir: string; configFile?: string; root?: string }
  /** Explain one data row of an opened run; `pdpFeature` defaults to the most important feature. */
  | { type: 'explain'; id: number; runDir: string; row: number; seed: number; pdpFeature?: string }
  /** Partial dependence / ICE of one feature, with the row's own curve. */
  | { type: 'pdp'; id: number; runDir: string; row: number; seed: number; feature: string };

export type FromExplainWorker =
  | { type: 'opened'; id: number; session: ExplainSession }
  /** `reused`: the global sections taken from an earlier request of the same run and seed. */
  | { type: 'explained'; id: number; report: ExplainReport; reused: ('importance' | 'slices')[]; loadMs: number; computeMs: number }
  | { type: 'pdp'; id: number; pdp: PartialDependence; computeMs: number }
  | { type: 'error'; id: number; kind: 'input' | 'internal'; message: string };
