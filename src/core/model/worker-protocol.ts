/**
 * Messages between a host (the extension, or a test) and the training worker (`dist/worker.js`).
 * Training runs in a worker_thread so the host's event loop stays responsive.
 */
import type { RunRecord } from '../engine';
import type { SourceLocation } from '../errors';
import type { RunEstimate } from '../sustainability';
import type { BackendPreference } from './backend';
import type { EpochLog } from './train';

/** Host → worker. */
export type ToWorker =
  | { type: 'start'; configFile: string; root: string; backend: BackendPreference; outDir?: string; /** rml.sustainability.carbonIntensity, gCO₂e/kWh */ carbonIntensity?: number | null }
  | { type: 'cancel' };

/** Worker → host. */
export type FromWorker =
  | { type: 'stage'; stage: string }
  /** The pre-run estimate of time, energy and CO₂e (before the first epoch; also in the run record's `estimate`). */
  | { type: 'estimate'; estimate: RunEstimate }
  | { type: 'epoch'; epoch: EpochLog }
  | { type: 'done'; dir: string; record: RunRecord }
  | { type: 'error'; kind: 'input' | 'cancelled' | 'internal'; message: string; location?: SourceLocation };
