/**
 * Builds the worker bundles the extension runs (the training worker and the lint worker) into a
 * temporary folder for the tests, with the same esbuild options as scripts/build.mjs, so the
 * tests never depend on (or race with) the shared dist/ folder.
 */
import { build } from 'esbuild';
import { copyFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const root = join(__dirname, '..', '..');
const built = new Map<string, Promise<string>>();

/** The path of a freshly bundled worker: `training` (src/core/model/worker.ts) or `lint` (src/extension/lint-worker.ts). */
export function workerBundle(which: 'training' | 'lint'): Promise<string> {
  let p = built.get(which);
  if (!p) {
    p = bundle(which);
    built.set(which, p);
  }
  return p;
}

async function bundle(which: 'training' | 'lint'): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), `rml-${which}-bundle-`));
  const entry = which === 'training' ? 'src/core/model/worker.ts' : 'src/extension/lint-worker.ts';
  const outfile = join(dir, which === 'training' ? 'worker.js' : 'lint-worker.js');
  await build({
    entryPoints: [join(root, entry)],
    outfile,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    mainFields: ['module', 'main'],
    external: ['vscode', '@tensorflow/tfjs-node'],
    logLevel: 'error',
  });
  if (which === 'training') {
    // The WASM backend loads its binaries from beside the bundle, as in dist/.
    const wasm = join(root, 'node_modules', '@tensorflow', 'tfjs-backend-wasm', 'dist');
    for (const f of ['tfjs-backend-wasm.wasm', 'tfjs-backend-wasm-simd.wasm', 'tfjs-backend-wasm-threaded-simd.wasm']) copyFileSync(join(wasm, f), join(dir, f));
  }
  return outfile;
}
