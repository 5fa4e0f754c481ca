/**
 * The e2e runner (`npm run test:e2e` → scripts/e2e.sh → here). It needs code-server installed
 * (RML_E2E_CODE_SERVER: its package folder) and the packaged extension (RML_E2E_VSIX).
 *
 *  1. compiles the in-host suite (test/e2e/in-host/*.ts) into test-output/e2e/in-host/;
 *  2. starts code-server with the .vsix installed and Workspace Trust off;
 *  3. runs the in-host mocha suite inside the real extension host (the `payload` query parameter's
 *     extensionTestsPath; the extension under test is the installed .vsix, not a dev folder);
 *  4. runs the UI specs (test/e2e/ui/*.e2e.ts, mocha) in headless Chromium with Playwright;
 *  5. stops the servers and prints "N passed, N failed".
 *
 * Options: --grep <regexp> (UI and in-host test titles), --ui-only, --in-host-only.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as util from 'node:util';
import * as esbuild from 'esbuild';
import Mocha from 'mocha';
import { EXTENSION_ID, IN_HOST_OUT, LOGS, OUT, ROOT, RUN, copyWorkspace, elapsed, log, requireEnv } from './lib/env';
import { killAllServers, startServer, type Server } from './lib/server';
import { launchBrowser, screenshot, workbenchUrl } from './lib/workbench';
import { shared } from './lib/context';

interface Counts { passed: number; failed: number; skipped: number }

const argv = process.argv.slice(2);
const flag = (name: string): boolean => argv.includes(name);
const option = (name: string): string | undefined => {
  const i = argv.indexOf(name);
  return i >= 0 ? argv[i + 1] : undefined;
};
const grep = option('--grep') ?? process.env.RML_E2E_GREP;

process.on('exit', killAllServers);
for (const sig of ['SIGINT', 'SIGTERM'] as const) {
  process.on(sig, () => {
    killAllServers();
    process.exit(130);
  });
}

/** Compiles the in-host suite with esbuild (one CommonJS file per source, mocha and vscode external). */
async function buildInHost(): Promise<void> {
  const src = path.join(ROOT, 'test', 'e2e', 'in-host');
  fs.rmSync(IN_HOST_OUT, { recursive: true, force: true });
  await esbuild.build({
    entryPoints: fs.readdirSync(src).filter((f) => f.endsWith('.ts')).map((f) => path.join(src, f)),
    outdir: IN_HOST_OUT,
    bundle: false,
    format: 'cjs',
    platform: 'node',
    target: 'node20',
    sourcemap: 'inline',
    logLevel: 'warning',
  });
  // A do-nothing extension as extensionDevelopmentPath: VS Code needs one to run extensionTestsPath,
  // and it must not be ours, so that the tests exercise the installed .vsix.
  const harness = path.join(IN_HOST_OUT, 'harness');
  fs.mkdirSync(harness, { recursive: true });
  fs.writeFileSync(path.join(harness, 'package.json'), JSON.stringify({
    name: 'rml-e2e-harness', publisher: 'rml-e2e', version: '0.0.0', engines: { vscode: '^1.90.0' },
    description: 'Empty extension that carries the in-host e2e suite', activationEvents: [], contributes: {},
  }, null, 2));
}

/** Runs the compiled in-host suite in a workbench page; mocha's output arrives through codeAutomationLog. */
async function runInHost(server: Server, resultFile: string): Promise<Counts> {
  // one folder holding the example and the flawed fixture (one extension host, one workspace)
  const ws = path.join(RUN, 'workspaces', 'in-host');
  fs.rmSync(ws, { recursive: true, force: true });
  fs.mkdirSync(ws, { recursive: true });
  fs.renameSync(copyWorkspace(path.join(ROOT, 'examples', 'adult'), 'in-host-adult'), path.join(ws, 'adult'));
  fs.renameSync(copyWorkspace(path.join(ROOT, 'test', 'e2e', 'workspaces', 'flawed'), 'in-host-flawed'), path.join(ws, 'flawed'));
  fs.rmSync(resultFile, { force: true });

  const { ctx, page } = await launchBrowser();
  let resolveExit: (code: number | 'timeout') => void = () => undefined;
  const exited = new Promise<number | 'timeout'>((r) => (resolveExit = r));
  const lines: string[] = [];
  await page.exposeFunction('codeAutomationLog', (type: string, args: unknown) => {
    const line = util.format(...(Array.isArray(args) ? args : [args]));
    lines.push(`[${type}] ${line}`);
    // mocha's report lines (marked by in-host/index.ts), and errors
    if (line.startsWith('\u200b ')) console.log(`  ${line.slice(2)}`);
    else if (type === 'error') console.log(`      [workbench error] ${line}`);
  });
  await page.exposeFunction('codeAutomationExit', (code: number) => resolveExit(code));
  const url = workbenchUrl(server, ws, { devPath: path.join(IN_HOST_OUT, 'harness'), testsPath: path.join(IN_HOST_OUT, 'index') });
  log('in-host: opening the workbench with extensionTestsPath');
  await page.goto(url);
  const timeoutS = Number(process.env.RML_E2E_IN_HOST_TIMEOUT_S || 300);
  const timer = setTimeout(() => resolveExit('timeout'), timeoutS * 1000);
  const code = await exited;
  clearTimeout(timer);
  log(`in-host: exit code ${code}`);
  fs.writeFileSync(path.join(LOGS, 'in-host-workbench.log'), lines.join('\n') + '\n');
  if (code !== 0) await screenshot(page, 'in-host.png', path.join(OUT, 'failures')).catch(() => undefined);
  await ctx.close();

  if (!fs.existsSync(resultFile)) {
    console.log(`      in-host suite did not report (exit ${code}); log: ${path.join(LOGS, 'in-host-workbench.log')}`);
    return { passed: 0, failed: 1, skipped: 0 };
  }
  const r = JSON.parse(fs.readFileSync(resultFile, 'utf8')) as { passes: number; failures: number; pending: number };
  // a non-zero exit with no failing test (e.g. the suite threw while loading) is still a failure
  return { passed: r.passes, failed: r.failures + (code !== 0 && r.failures === 0 ? 1 : 0), skipped: r.pending };
}

/** Runs the Playwright UI specs with mocha, in file-name order. */
async function runUi(): Promise<Counts> {
  const dir = path.join(ROOT, 'test', 'e2e', 'ui');
  const mocha = new Mocha({ ui: 'bdd', reporter: 'spec', timeout: 120_000, color: process.stdout.isTTY ?? false });
  if (grep) mocha.grep(grep);
  const files = (process.env.RML_E2E_SPECS ? process.env.RML_E2E_SPECS.split(',') : fs.readdirSync(dir).filter((f) => f.endsWith('.e2e.ts')).sort());
  for (const f of files) mocha.addFile(path.resolve(dir, f));
  return new Promise((resolve) => {
    const runner = mocha.run(() => {
      const s = runner.stats;
      resolve({ passed: s?.passes ?? 0, failed: s?.failures ?? 0, skipped: s?.pending ?? 0 });
    });
  });
}

async function main(): Promise<number> {
  const vsix = path.resolve(requireEnv('RML_E2E_VSIX'));
  requireEnv('RML_E2E_CODE_SERVER');
  // fresh output (screenshots, failures, run state); the in-host build goes there too
  for (const f of fs.existsSync(OUT) ? fs.readdirSync(OUT) : []) fs.rmSync(path.join(OUT, f), { recursive: true, force: true });
  fs.mkdirSync(LOGS, { recursive: true });
  log(`extension ${EXTENSION_ID} from ${path.relative(ROOT, vsix)} (${(fs.statSync(vsix).size / 1048576).toFixed(2)} MB)`);

  const resultFile = path.join(RUN, 'in-host-result.json');
  const server = await startServer({
    name: 'main', trust: false, vsix,
    env: { RML_E2E_INHOST_RESULT: resultFile, ...(grep ? { RML_E2E_GREP: grep } : {}) },
  });
  shared.server = server;
  shared.vsix = vsix;

  const total: Counts = { passed: 0, failed: 0, skipped: 0 };
  const add = (c: Counts): void => {
    total.passed += c.passed;
    total.failed += c.failed;
    total.skipped += c.skipped;
  };
  const timings: string[] = [];
  try {
    if (!flag('--ui-only')) {
      const t = elapsed();
      console.log('\n  In-host suite (mocha inside the extension host, real vscode API)\n');
      await buildInHost();
      const c = await runInHost(server, resultFile);
      add(c);
      timings.push(`in-host ${(elapsed() - t).toFixed(1)} s (${c.passed} passed, ${c.failed} failed)`);
    }
    if (!flag('--in-host-only')) {
      const t = elapsed();
      console.log('\n  UI specs (Playwright + Chromium)');
      const c = await runUi();
      add(c);
      timings.push(`UI ${(elapsed() - t).toFixed(1)} s (${c.passed} passed, ${c.failed} failed)`);
    }
  } catch (e) {
    console.error(e);
    total.failed += 1;
  } finally {
    await server.stop();
  }
  const shots = fs.readdirSync(OUT).filter((f) => f.endsWith('.png'));
  console.log(`\n  e2e: ${timings.join(' · ')} · total ${elapsed().toFixed(1)} s`);
  console.log(`  screenshots: ${shots.length ? shots.map((s) => `test-output/e2e/${s}`).join(' ') : 'none'}`);
  if (fs.existsSync(path.join(OUT, 'failures'))) console.log(`  failure screenshots: test-output/e2e/failures/`);
  console.log(`  logs: ${path.relative(ROOT, LOGS)}/`);
  console.log(`${total.passed} passed, ${total.failed} failed${total.skipped ? `, ${total.skipped} skipped` : ''}`);
  return total.failed === 0 && total.passed > 0 ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (e: unknown) => {
    console.error(e);
    console.log('0 passed, 1 failed');
    process.exit(1);
  },
);
