// One esbuild script for every bundle: the extension, the CLI, the training worker and the webview.
//   node scripts/build.mjs               development build (sourcemaps)
//   node scripts/build.mjs --production  minified, no sourcemaps (used by `npm run package`)
//   node scripts/build.mjs --watch       rebuild on change
import * as esbuild from 'esbuild';
import { cpSync, mkdirSync, existsSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { precompiledSchemaPlugin } from './precompile-schema.mjs';

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
  // `rml lint` alone (bin/rml.js routes to it): a fresh process loads the lint engine only.
  { in: 'src/cli/lint-main.ts', out: 'cli-lint' },
  { in: 'src/core/model/worker.ts', out: 'worker' },
];
// The editor's lint worker: the ethics lint off the extension host's thread (src/extension/diagnostics/lint-client.ts).
if (existsSync(join(root, 'src/extension/lint-worker.ts'))) nodeEntries.push({ in: 'src/extension/lint-worker.ts', out: 'lint-worker' });
// The editor's explain worker: SHAP, LIME, counterfactuals and PDPs off the extension host's thread (src/extension/explain/client.ts).
if (existsSync(join(root, 'src/extension/explain-worker.ts'))) nodeEntries.push({ in: 'src/extension/explain-worker.ts', out: 'explain-worker' });

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
  // The config schema's validator is generated at build time (ajv standalone), not compiled at run time.
  plugins: [precompiledSchemaPlugin(root)],
};

const builds = [nodeBuild];

// The extension. What it imports lazily from the engine (`import('../../core/config')` and the
// like, from src/extension/) goes to a second bundle, dist/extension-core.js (entry
// src/extension/lazy-core.ts), required on first use: activation then parses ~100 KB, not ~560 KB.
if (existsSync(join(root, 'src/extension/extension.ts'))) {
  // module path under src/core → its export name in lazy-core.ts
  const lazyModules = existsSync(join(root, 'src/extension/lazy-core.ts')) ? { config: 'config', data: 'data', lint: 'lint', 'report/compare': 'compare' } : {};
  const lazyCore = {
    name: 'lazy-core',
    setup(b) {
      b.onResolve({ filter: /\/core\/[a-z]+(\/[a-z]+)?$/ }, (a) => {
        const name = lazyModules[/\/core\/([a-z]+(?:\/[a-z]+)?)$/.exec(a.path)?.[1]?.replace(/\/index$/, '')];
        if (a.kind !== 'dynamic-import' || !a.importer.includes(join('src', 'extension')) || !name) return undefined;
        return { path: name, namespace: 'lazy-core' };
      });
      b.onLoad({ filter: /.*/, namespace: 'lazy-core' }, (a) => ({ contents: `module.exports = require('./extension-core.js').${a.path};`, loader: 'js' }));
      // The model-card engine (src/extension/card-core.ts) is its own bundle, dist/card-core.js, loaded on first use.
      b.onResolve({ filter: /\/card-core$/ }, (a) => (a.kind === 'dynamic-import' && a.importer.includes(join('src', 'extension')) ? { path: 'card-core', namespace: 'lazy-card' } : undefined));
      b.onLoad({ filter: /.*/, namespace: 'lazy-card' }, () => ({ contents: `module.exports = require('./card-core.js');`, loader: 'js' }));
    },
  };
  builds.push({ ...nodeBuild, entryPoints: [{ in: 'src/extension/extension.ts', out: 'extension' }], external: [...nodeBuild.external, './extension-core.js', './card-core.js'], plugins: [...nodeBuild.plugins, lazyCore] });
  if (Object.keys(lazyModules).length > 0) builds.push({ ...nodeBuild, entryPoints: [{ in: 'src/extension/lazy-core.ts', out: 'extension-core' }] });
  if (existsSync(join(root, 'src/extension/card-core.ts'))) builds.push({ ...nodeBuild, entryPoints: [{ in: 'src/extension/card-core.ts', out: 'card-core' }] });
}
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
// The webviews' stylesheet (theme variables only), served from dist/ like the script.
if (existsSync(join(root, 'media/webview/main.css'))) {
  builds.push({
    ...common,
    entryPoints: [{ in: 'media/webview/main.css', out: 'webview' }],
    outdir: dist,
    loader: { '.css': 'css' },
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
