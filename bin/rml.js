#!/usr/bin/env node
// The `rml` command: a thin launcher for the bundled CLI (built by `npm run build`).
'use strict';
const path = require('node:path');
const fs = require('node:fs');
const bundle = path.join(__dirname, '..', 'dist', 'cli.js');
if (!fs.existsSync(bundle)) {
  process.stderr.write('rml: the CLI is not built yet; run `npm run build` first.\n');
  process.exit(1);
}
require(bundle).main(process.argv.slice(2)).then(
  (code) => { process.exitCode = code; },
  (err) => { process.stderr.write(`rml: internal error: ${err && err.stack ? err.stack : err}\n`); process.exitCode = 1; },
);
