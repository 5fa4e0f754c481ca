// One esbuild script for every bundle: the extension, the CLI, the training worker and the webview.
//   node scripts/build.mjs               development build (sourcemaps)
//   node scripts/build.mjs --production  minified, no sourcemaps (used by `npm run package`)
//   node scripts/build.mjs --watch       rebuild on change
import * as esbuild from 'esbuild';
import { cpSync, mkdirSync, existsSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');
const dist = join(root, 'dist');

rmSync(dist, { recursive: true, force: true });
mkdirSync(dist, { recursive: true });

// The WASM backend loads its .wasm binaries from disk at run time: ship them beside the bundles.
const wasmDir = join(root, 'node_modules/@tensorflow/tfjs-backend-wasm/dist');
for (const f of ['tfjs-backend-wasm.wasm', 'tfjs-backend-wasm-simd.wasm', 'tfjs-backend-wasm-threaded-simd.wasm']) {
  cpSync(join(wasmDir, f), join(dist, f));
}
// The JSON Schema is contributed to VS Code (jsonValidation) and read by the core.
const schema = join(root, 'src/core/config/rml.schema.json');
if (existsSync(schema)) cpSync(schema, join(dist, 'rml.schema.json'));

const common = {
  bundle: true,
  sourcemap: production ? false : 'linked',
  minify: production,
  logLevel: 'warning',
  legalComments: 'none',
};

const nodeEntries = [
  { in: 'src/cli/main.ts', out: 'cli' },
  { in: 'src/core/model/worker.ts', out: 'worker' },
];
if (existsSync(join(root, 'src/extension/extension.ts'))) nodeEntries.push({ in: 'src/extension/extension.ts', out: 'extension' });

const nodeBuild = {
  ...common,
  entryPoints: nodeEntries,
  outdir: dist,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  // Prefer ESM builds: jsonc-parser's UMD build uses dynamic requires that esbuild cannot follow.
  mainFields: ['module', 'main'],
  // vscode is provided by the host. tfjs-node is an optional native addon: loaded at run time when installed.
  external: ['vscode', '@tensorflow/tfjs-node'],
};

const builds = [nodeBuild];
if (existsSync(join(root, 'webview/src/main.ts'))) {
  builds.push({
    ...common,
    entryPoints: [{ in: 'webview/src/main.ts', out: 'webview' }],
    outdir: dist,
    platform: 'browser',
    target: 'es2022',
    format: 'iife',
    tsconfig: join(root, 'webview/tsconfig.json'),
  });
}

if (watch) {
  for (const b of builds) {
    const ctx = await esbuild.context(b);
    await ctx.watch();
  }
  console.log('watching…');
} else {
  await Promise.all(builds.map((b) => esbuild.build(b)));
}
