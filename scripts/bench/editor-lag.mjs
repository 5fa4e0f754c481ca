// The extension host's event-loop delay while the editor trains for about 30 s (issue 5 §6: goal
// p99 ≤ 50 ms). Runs the opt-in in-host harness test/e2e/in-host/lag.test.ts in the real editor
// (code-server + the packaged extension, through scripts/e2e.sh --in-host-only) and prints
// p50/p99/max. Prints one JSON object on its last line. Needs what `npm run test:e2e` needs.
//   node scripts/bench/editor-lag.mjs            # ~2-3 min: package, start code-server, calibrate, train ~30 s
//   RML_E2E_LAG_SECONDS=60 node scripts/bench/editor-lag.mjs
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const dir = mkdtempSync(join(tmpdir(), 'rml-editor-lag-'));
const out = join(dir, 'lag.json');
const r = spawnSync('bash', ['scripts/e2e.sh', '--in-host-only', '--grep', 'event-loop lag'], {
  cwd: root,
  encoding: 'utf8',
  stdio: ['ignore', 'pipe', 'pipe'],
  env: { ...process.env, RML_E2E_LAG: '1', RML_E2E_LAG_OUT: out },
  maxBuffer: 64 * 1024 * 1024,
});
if (!existsSync(out)) {
  process.stderr.write(`${r.stdout ?? ''}\n${r.stderr ?? ''}\neditor-lag: the in-host harness wrote no result (exit ${r.status})\n`);
  rmSync(dir, { recursive: true, force: true });
  process.exit(1);
}
const result = JSON.parse(readFileSync(out, 'utf8'));
rmSync(dir, { recursive: true, force: true });
console.log(JSON.stringify(result));
