/**
 * Backend choice for TensorFlow.js: tfjs-node (native libtensorflow) when it loads, else the
 * WASM backend (its .wasm binaries ship inside the npm package and are copied beside our
 * bundles), else the pure-JS CPU backend. The chosen backend is always reported.
 *
 * tfjs-node is an optional dependency: it cannot install offline, and when it is absent we
 * never fail because of it. When it loads it brings its own copy of tfjs, so callers must use
 * the `tf` namespace returned here rather than a static import.
 */
import * as tfjs from '@tensorflow/tfjs';
import * as wasm from '@tensorflow/tfjs-backend-wasm';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { RmlInputError } from '../errors';

export type BackendName = 'node' | 'wasm' | 'cpu';
export type BackendPreference = BackendName | 'auto';
export type Tf = typeof tfjs;

export interface LoadedBackend {
  tf: Tf;
  /** The backend that actually runs: 'node' (tfjs-node), 'wasm' or 'cpu'. */
  name: BackendName;
  /** Why a preferred backend was skipped, e.g. "tfjs-node not installed". */
  notes: string[];
  /** Version of the tfjs package in use. */
  version: string;
  /** WASM only: whether the SIMD binary is in use. */
  simd?: boolean;
}

let cached: Promise<LoadedBackend> | undefined;
let cachedPref: BackendPreference | undefined;

/** Load (once per process) the best backend allowed by the preference. */
export function loadBackend(pref: BackendPreference = 'auto'): Promise<LoadedBackend> {
  if (cached && cachedPref === pref) return cached;
  cachedPref = pref;
  cached = doLoad(pref);
  return cached;
}

async function doLoad(pref: BackendPreference): Promise<LoadedBackend> {
  const notes: string[] = [];
  if (pref === 'node' || pref === 'auto') {
    const node = tryTfjsNode();
    if (node.tf) {
      await node.tf.setBackend('tensorflow');
      await node.tf.ready();
      return { tf: node.tf, name: 'node', notes, version: node.tf.version.tfjs };
    }
    notes.push(`tfjs-node unavailable (${node.reason})`);
    if (pref === 'node') throw new RmlInputError(`backend 'node' was requested but ${notes[0]}; use --backend wasm or auto`);
  }
  // Production mode: no debug checks, and no console advice to install tfjs-node (we report it in `notes`).
  tfjs.enableProdMode();
  if (pref === 'wasm' || pref === 'auto') {
    try {
      const dir = wasmDir();
      if (dir) wasm.setWasmPaths(dir.endsWith('/') ? dir : dir + '/');
      const ok = await tfjs.setBackend('wasm');
      if (!ok) throw new Error('setBackend returned false');
      await tfjs.ready();
      const simd = (await tfjs.env().getAsync('WASM_HAS_SIMD_SUPPORT')) === true;
      return { tf: tfjs, name: 'wasm', notes, version: tfjs.version.tfjs, simd };
    } catch (e) {
      notes.push(`wasm backend failed to start (${e instanceof Error ? e.message : String(e)})`);
      if (pref === 'wasm') throw new RmlInputError(`backend 'wasm' was requested but ${notes[notes.length - 1]}`);
    }
  }
  await tfjs.setBackend('cpu');
  await tfjs.ready();
  return { tf: tfjs, name: 'cpu', notes, version: tfjs.version.tfjs };
}

function tryTfjsNode(): { tf?: Tf; reason: string } {
  try {
    // Not bundled (see scripts/build.mjs): resolved from node_modules at run time.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const mod = require('@tensorflow/tfjs-node') as Tf;
    return { tf: mod, reason: '' };
  } catch (e) {
    const msg = e instanceof Error ? e.message.split('\n')[0] : String(e);
    return { reason: /Cannot find module/.test(msg) ? 'not installed' : msg };
  }
}

/** Where the .wasm binaries are: beside the bundle (dist/), else in node_modules. */
function wasmDir(): string | undefined {
  const candidates = [__dirname, join(__dirname, '..', '..', '..', 'dist'), join(__dirname, '..', '..', '..', 'node_modules', '@tensorflow', 'tfjs-backend-wasm', 'dist')];
  for (const c of candidates) if (existsSync(join(c, 'tfjs-backend-wasm.wasm'))) return c;
  try {
    return join(require.resolve('@tensorflow/tfjs-backend-wasm/package.json'), '..', 'dist');
  } catch {
    return undefined;
  }
}
