/**
 * The engine modules the extension host only needs after activation (the config parser and
 * schema validator, the CSV reader, the lint), bundled apart as dist/extension-core.js.
 *
 * scripts/build.mjs sends every `import('…/core/<name>')` made from src/extension/ to this file,
 * which the extension then `require`s on first use: activation parses a ~100 KB bundle instead of
 * ~560 KB. Add a module here when extension code starts importing another core folder lazily.
 */
export * as config from '../core/config';
export * as data from '../core/data';
export * as lint from '../core/lint';
export * as compare from '../core/report/compare';
