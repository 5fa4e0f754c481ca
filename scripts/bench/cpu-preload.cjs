// Preloaded (node --require) into a benchmarked process: on exit, appends its own CPU time (user +
// system, ms) to the file named by RML_BENCH_CPU_FILE, so the benchmark reports CPU beside wall.
'use strict';
const fs = require('node:fs');
const file = process.env.RML_BENCH_CPU_FILE;
if (file) {
  process.on('exit', () => {
    const u = process.cpuUsage();
    fs.appendFileSync(file, `${(u.user + u.system) / 1000}\n`);
  });
}
