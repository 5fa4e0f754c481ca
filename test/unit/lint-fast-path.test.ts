/**
 * What makes a fresh `rml lint` fast, checked for behaviour (timings live in
 * scripts/bench/lint.ts): the build-time (ajv standalone) config validator reports exactly what
 * ajv's run-time compile reports; the data rules' findings are reused only while the config, the
 * data file and the settings are unchanged; and bin/rml.js runs `lint` from its own bundle, which
 * holds no training code, with the same output as `rml lint` in process.
 */
import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import { copyFileSync, cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { ValidateFunction } from 'ajv';
import { schemaValidator } from '../../src/core/config/precompiled';
import { parseConfigText } from '../../src/core/config';
import { main, type Io } from '../../src/cli/main';
import { clearMemoryCache, lintConfigFile, type Finding } from '../../src/core/lint';
import { bundleNode } from './extension-bundles';

const root = join(__dirname, '..', '..');
const FIXTURES = join(__dirname, '..', 'fixtures', 'lint');

interface PrecompileModule {
  precompiledValidatorSource(root: string): string;
  precompiledSchemaPlugin(root: string): import('esbuild').Plugin;
}
const precompile = (): Promise<PrecompileModule> => import(pathToFileURL(join(root, 'scripts', 'precompile-schema.mjs')).href) as Promise<PrecompileModule>;

/** The generated module, loaded the way the bundle loads it (CommonJS, ajv's runtime helpers from node_modules). */
async function standaloneValidator(): Promise<ValidateFunction> {
  const source = (await precompile()).precompiledValidatorSource(root);
  const mod = { exports: {} as { schemaValidator?: () => ValidateFunction } };
  new Function('module', 'exports', 'require', source)(mod, mod.exports, createRequire(join(root, 'package.json')));
  assert.equal(typeof mod.exports.schemaValidator, 'function');
  return (mod.exports.schemaValidator as () => ValidateFunction)();
}

describe('lint fast path', function () {
  this.timeout(120_000);

  describe('the precompiled config validator', () => {
    const configs: Record<string, string> = {
      valid: 'name: ok\ndata: { path: a.csv, target: y, positive: "1", sensitive: [sex] }\nsplit: { test: 0.2, seed: 1 }\nfairness: { thresholds: { demographicParityDifference: 0.1 } }\n',
      'unknown and misspelt keys': 'name: x\ndata: { path: a.csv, target: y, sensitiv: [sex] }\ntrian: { epochs: 3 }\n',
      'wrong types and ranges': 'name: 3\ndata: { path: a.csv, target: y }\nsplit: { test: 1.5, seed: -1 }\ntrain: { epochs: 2.5, batchSize: "big" }\n',
      'missing required': 'data: { target: y }\n',
      'bad alternatives and enums': 'name: x\ndata: { path: a.csv, target: y }\nmodel: { type: forest, hidden: [0] }\nlint: { rules: { RML001: loud } }\n',
      'NaN is not a number': 'name: x\ndata: { path: a.csv, target: y }\nsplit: { test: .nan }\n',
    };
    let generated: ValidateFunction;
    before(async () => {
      generated = await standaloneValidator();
    });
    for (const [what, text] of Object.entries(configs)) {
      it(`reports what the run-time compile reports: ${what}`, () => {
        const value = parseConfigText(text, '/w/x.rml.yaml').value;
        const runtime = schemaValidator();
        const okRuntime = runtime(value);
        const okGenerated = generated(value);
        assert.equal(okGenerated, okRuntime);
        assert.deepEqual(generated.errors ?? null, runtime.errors ?? null);
        if (what !== 'valid') assert.ok((runtime.errors ?? []).length > 0, 'the example must be invalid');
      });
    }
  });

  describe('the results cache (data rules)', () => {
    let ws: string;
    let config: string;
    const cacheDir = () => join(ws, '.rml', 'cache');
    const resultsFiles = () => readdirSync(cacheDir()).filter((f) => f.startsWith('lint-'));
    const opts = () => ({ root: ws, cache: { memory: false, disk: true, results: true } });
    const pii = (fs: Finding[]) => fs.filter((f) => f.ruleId === 'RML001').map((f) => f.message);

    beforeEach(() => {
      ws = mkdtempSync(join(tmpdir(), 'rml-lint-results-'));
      cpSync(join(FIXTURES, 'flawed'), ws, { recursive: true });
      config = join(ws, 'customers.rml.yaml');
      clearMemoryCache();
    });
    afterEach(() => rmSync(ws, { recursive: true, force: true }));

    /** Mark every cached RML001 message, to tell a reused result from a recomputed one. */
    function tamper(): void {
      const file = join(cacheDir(), resultsFiles()[0]);
      const saved = JSON.parse(readFileSync(file, 'utf8')) as { key: string; findings: Finding[] };
      for (const f of saved.findings) if (f.ruleId === 'RML001') f.message = `[cached] ${f.message}`;
      writeFileSync(file, JSON.stringify(saved));
    }

    it('is off unless asked for, and then reproduces the findings of a full lint', async () => {
      const plain = await lintConfigFile(config, { root: ws, cache: { memory: false, disk: true } });
      assert.deepEqual(resultsFiles(), []);
      const first = await lintConfigFile(config, opts());
      assert.equal(resultsFiles().length, 1);
      const second = await lintConfigFile(config, opts());
      assert.deepEqual(first, plain);
      assert.deepEqual(second, plain);
    });

    it('is reused while nothing changed, and dropped when the config, the data or the settings change', async () => {
      await lintConfigFile(config, opts());
      tamper();
      const reused = await lintConfigFile(config, opts());
      assert.ok(pii(reused).length > 0 && pii(reused).every((m) => m.startsWith('[cached] ')), 'unchanged: reused');

      writeFileSync(config, readFileSync(config, 'utf8') + '# an edit\n');
      const edited = await lintConfigFile(config, opts());
      assert.ok(pii(edited).length > 0 && pii(edited).every((m) => !m.startsWith('[cached] ')), 'config edited: recomputed');
      assert.equal(resultsFiles().length, 1, 'one results file per config, replaced');

      tamper();
      const csv = join(ws, 'customers.csv');
      const later = new Date(Date.now() + 5_000);
      utimesSync(csv, later, later);
      const touched = await lintConfigFile(config, opts());
      assert.ok(pii(touched).every((m) => !m.startsWith('[cached] ')), 'data file changed: recomputed');

      tamper();
      const withThreshold = await lintConfigFile(config, { ...opts(), thresholds: { piiValueShare: 0.6 } });
      assert.ok(pii(withThreshold).every((m) => !m.startsWith('[cached] ')), 'settings changed: recomputed');
    });

    it('never caches the run rules: a new run record shows up at once', async () => {
      const before = await lintConfigFile(config, opts());
      assert.equal(before.filter((f) => f.ruleId === 'RML013').length, 0);
      const run = join(ws, '.rml', 'runs', '2026-11-20T09-00-00-000Z-run');
      mkdirSync(run, { recursive: true });
      copyFileSync(join(ws, 'run.json'), join(run, 'run.json'));
      const after = await lintConfigFile(config, opts());
      assert.ok(after.some((f) => f.ruleId === 'RML013'), 'RML013 reads the new run');
    });
  });

  describe('bin/rml.js lint', () => {
    let dir: string;
    let ws: string;
    before(async () => {
      // bin/rml.js beside a dist/ that holds only the lint bundle, built as scripts/build.mjs builds it.
      dir = mkdtempSync(join(tmpdir(), 'rml-cli-lint-bundle-'));
      mkdirSync(join(dir, 'bin'));
      mkdirSync(join(dir, 'dist'));
      copyFileSync(join(root, 'bin', 'rml.js'), join(dir, 'bin', 'rml.js'));
      await bundleNode('src/cli/lint-main.ts', join(dir, 'dist', 'cli-lint.js'));
      ws = mkdtempSync(join(tmpdir(), 'rml-cli-lint-ws-'));
      cpSync(join(FIXTURES, 'flawed'), join(ws, 'flawed'), { recursive: true });
    });
    after(() => {
      rmSync(dir, { recursive: true, force: true });
      rmSync(ws, { recursive: true, force: true });
    });

    it('runs from dist/cli-lint.js, which bundles neither tfjs nor ajv\'s compiler', () => {
      const bundle = readFileSync(join(dir, 'dist', 'cli-lint.js'), 'utf8');
      assert.ok(!bundle.includes('@tensorflow/'), 'no tfjs in the lint bundle');
      assert.ok(!bundle.includes('ajv/dist/compile/'), 'no ajv compiler in the lint bundle');
      assert.ok(!bundle.includes('src/cli/train.ts'), 'no other command');
    });

    it('prints what `rml lint` prints in process, in every format, with the same exit code', async () => {
      for (const format of ['text', 'json', 'sarif']) {
        let out = '';
        const io: Io = { out: (s) => (out += s), err: () => undefined, tty: false, cwd: ws };
        const code = await main(['lint', 'flawed', '--format', format, '--no-cache'], io);
        let child = '';
        let childCode = 0;
        try {
          child = execFileSync(process.execPath, [join(dir, 'bin', 'rml.js'), 'lint', 'flawed', '--format', format], { cwd: ws, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
        } catch (e) {
          const err = e as { status: number; stdout: string };
          childCode = err.status;
          child = err.stdout;
        }
        assert.equal(childCode, code, format);
        assert.equal(child, out, format);
      }
    });

    it('answers --help and bad input like the full CLI', () => {
      const help = execFileSync(process.execPath, [join(dir, 'bin', 'rml.js'), 'lint', '--help'], { encoding: 'utf8' });
      assert.match(help, /^Usage: rml lint \[paths\.\.\.\]/);
      let status = 0;
      let stderr = '';
      try {
        execFileSync(process.execPath, [join(dir, 'bin', 'rml.js'), 'lint', '--format', 'xml'], { cwd: ws, encoding: 'utf8', stdio: 'pipe' });
      } catch (e) {
        status = (e as { status: number }).status;
        stderr = String((e as { stderr: string }).stderr);
      }
      assert.equal(status, 2);
      assert.match(stderr, /^rml: --format must be one of text, json, sarif/);
    });
  });
});
