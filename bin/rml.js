#!/usr/bin/env node
// The `rml` command: a thin launcher for the bundled CLI (built by `npm run build`).
// `rml lint` has a bundle of its own (dist/cli-lint.js): the lint loads no training code.
'use strict';
const path = require('node:path');
const fs = require('node:fs');
const argv = process.argv.slice(2);
const dist = path.join(__dirname, '..', 'dist');
const lintBundle = path.join(dist, 'cli-lint.js');
const useLint = argv[0] === 'lint' && fs.existsSync(lintBundle);
const bundle = useLint ? lintBundle : path.join(dist, 'cli.js');
if (!fs.existsSync(bundle)) {
  process.stderr.write('rml: the CLI is not built yet; run `npm run build` first.\n');
  process.exit(1);
}
require(bundle).main(useLint ? argv.slice(1) : argv).then(
  (code) => { process.exitCode = code; },
  (err) => { process.stderr.write(`rml: internal error: ${err && err.stack ? err.stack : err}\n`); process.exitCode = 1; },
);
