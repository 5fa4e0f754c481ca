/**
 * Builds the worker bundles the extension runs (the training, lint and explain workers) into a
 * temporary folder for the tests, with the same esbuild options as scripts/build.mjs, so the
 * tests never depend on (or race with) the shared dist/ folder.
 */
import { build, type Plugin } from 'esbuild';
import { copyFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const root = join(__dirname, '..', '..');
const built = new Map<string, Promise<string>>();

const ENTRIES = {
  training: ['src/core/model/worker.ts', 'worker.js'],
  lint: ['src/extension/lint-worker.ts', 'lint-worker.js'],
  explain: ['src/extension/explain-worker.ts', 'explain-worker.js'],
} as const;

/**
 * Bundles a Node entry (path from the repository root) to `outfile` as scripts/build.mjs bundles
 * dist/: CommonJS for Node 20, vscode and tfjs-node external, the config validator precompiled.
 */
export async function bundleNode(entry: string, outfile: string): Promise<void> {
  const { precompiledSchemaPlugin } = (await import(pathToFileURL(join(root, 'scripts', 'precompile-schema.mjs')).href)) as { precompiledSchemaPlugin(root: string): Plugin };
  await build({
    entryPoints: [join(root, entry)],
    outfile,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    mainFields: ['module', 'main'],
    external: ['vscode', '@tensorflow/tfjs-node'],
    plugins: [precompiledSchemaPlugin(root)],
    logLevel: 'error',
  });
}

/** The path of a freshly bundled worker: `training` (src/core/model/worker.ts), `lint` (src/extension/lint-worker.ts) or `explain` (src/extension/explain-worker.ts). */
export function workerBundle(which: keyof typeof ENTRIES): Promise<string> {
  let p = built.get(which);
  if (!p) {
    p = bundle(which);
    built.set(which, p);
  }
  return p;
}

async function bundle(which: keyof typeof ENTRIES): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), `rml-${which}-bundle-`));
  const [entry, out] = ENTRIES[which];
  const outfile = join(dir, out);
  await bundleNode(entry, outfile);
  if (which === 'training') {
    // The WASM backend loads its binaries from beside the bundle, as in dist/.
    const wasm = join(root, 'node_modules', '@tensorflow', 'tfjs-backend-wasm', 'dist');
    for (const f of ['tfjs-backend-wasm.wasm', 'tfjs-backend-wasm-simd.wasm', 'tfjs-backend-wasm-threaded-simd.wasm']) copyFileSync(join(wasm, f), join(dir, f));
  }
  return outfile;
}
