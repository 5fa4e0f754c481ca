/**
 * The ethics lint end to end on fixture workspaces (test/fixtures/lint/<name>/, each with an
 * expected.json table of findings: file, rule, column, severity and reason), the real COMPAS and
 * German credit files, the quick fixes (applied, re-parsed, re-validated, re-linted), settings,
 * the cache, discovery, and malformed input that must never crash the lint.
 */
import { strict as assert } from 'node:assert';
import { cpSync, existsSync, copyFileSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join, relative } from 'node:path';
import { validateConfigText } from '../../src/core/config';
import { RmlInputError } from '../../src/core/errors';
import {
  applySeverityOverrides,
  applyTextEdits,
  clearMemoryCache,
  lintConfigFile,
  lintConfigText,
  lintWorkspace,
  REPOSITORY_URL,
  RULE_METAS,
  RULES_BY_ID,
  ruleInfo,
  THRESHOLDS,
  ThresholdError,
  type Finding,
  type LintOptions,
} from '../../src/core/lint';

const FIXTURES = join(__dirname, '..', 'fixtures', 'lint');
const NOW = new Date('2026-11-28T12:00:00Z');

interface Expected {
  file: string;
  ruleId: string;
  column?: string;
  severity: string;
  reason?: string;
}

/** A temporary copy of a fixture workspace, with its run.json installed as the latest run. */
function workspace(name: string): string {
  const dir = mkdtempSync(join(tmpdir(), `rml-lint-${name}-`));
  cpSync(join(FIXTURES, name), dir, { recursive: true });
  if (existsSync(join(dir, 'run.json'))) {
    const run = join(dir, '.rml', 'runs', '2026-11-20T09-00-00-000Z-run');
    mkdirSync(run, { recursive: true });
    copyFileSync(join(dir, 'run.json'), join(run, 'run.json'));
  }
  return dir;
}

function identity(f: Finding, dir: string): Expected {
  const reason = f.data?.reason;
  return {
    file: relative(dir, f.file),
    ruleId: f.ruleId,
    ...(f.column !== undefined ? { column: f.column } : {}),
    severity: f.severity,
    ...(typeof reason === 'string' ? { reason } : {}),
  };
}

const key = (e: Expected) => JSON.stringify([e.file, e.ruleId, e.column ?? '', e.severity, e.reason ?? '']);

function sameTable(actual: Expected[], expected: Expected[], label: string): void {
  const a = actual.map(key).sort();
  const e = expected.map(key).sort();
  const missing = e.filter((x) => !a.includes(x));
  const extra = a.filter((x) => !e.includes(x));
  assert.deepEqual({ missing, extra }, { missing: [], extra: [] }, label);
  assert.equal(a.length, e.length, `${label}: count`);
}

const opts = (dir: string, over: Partial<LintOptions> = {}): LintOptions => ({ root: dir, cache: false, now: NOW, ...over });

describe('lint: rules on fixture workspaces', function () {
  this.timeout(120_000);
  const dirs: string[] = [];
  after(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));
  const ws = (name: string) => {
    const d = workspace(name);
    dirs.push(d);
    return d;
  };

  for (const name of ['clean', 'flawed', 'problems', 'compas', 'bank', 'cards']) {
    it(`${name}: yields exactly the findings of its expected.json`, async () => {
      const dir = ws(name);
      const { findings, configs } = await lintWorkspace([dir], opts(dir));
      assert.ok(configs.length > 0);
      const expected = JSON.parse(readFileSync(join(FIXTURES, name, 'expected.json'), 'utf8')) as Expected[];
      sameTable(findings.map((f) => identity(f, dir)), expected, name);
      // Every finding is well-formed.
      for (const f of findings) {
        assert.ok(f.line >= 1 && f.startColumn >= 1 && (f.endLine > f.line || (f.endLine === f.line && f.endColumn >= f.startColumn)), JSON.stringify(f));
        assert.equal(f.ruleName, RULES_BY_ID.get(f.ruleId)?.name);
        assert.ok(f.message.length > 20, f.message);
      }
    });
  }

  it('clean: nothing above info, even with the run record checked', async () => {
    const dir = ws('clean');
    const findings = await lintConfigFile(join(dir, 'loans.rml.yaml'), opts(dir));
    assert.deepEqual(findings.filter((f) => f.severity !== 'info'), []);
  });

  it('the fixtures together exercise every rule', () => {
    const seen = new Set<string>();
    for (const name of ['clean', 'flawed', 'problems', 'compas', 'bank', 'cards']) {
      for (const e of JSON.parse(readFileSync(join(FIXTURES, name, 'expected.json'), 'utf8')) as Expected[]) seen.add(e.ruleId);
    }
    assert.deepEqual(RULE_METAS.map((m) => m.id).filter((id) => !seen.has(id)), []);
  });

  it('column findings sit on the column\'s header cell', async () => {
    const dir = ws('flawed');
    const findings = await lintConfigFile(join(dir, 'customers.rml.yaml'), opts(dir));
    const header = readFileSync(join(dir, 'customers.csv'), 'utf8').split('\n')[0];
    for (const f of findings.filter((x) => x.column !== undefined)) {
      assert.equal(f.file, join(dir, 'customers.csv'));
      assert.equal(f.line, 1);
      assert.equal(header.slice(f.startColumn - 1, f.endColumn - 1), f.column);
    }
  });

  it('never shows a full personal value in a message or its data', async () => {
    const dir = ws('flawed');
    const findings = await lintConfigFile(join(dir, 'customers.rml.yaml'), opts(dir));
    const text = JSON.stringify(findings);
    const lines = readFileSync(join(dir, 'customers.csv'), 'utf8').trim().split('\n');
    const header = lines[0].split(',');
    const pii = ['full_name', 'email', 'phone', 'ssn', 'card_number', 'iban', 'ip_address', 'birth_date', 'home_address'].map((c) => header.indexOf(c));
    for (const line of lines.slice(1)) {
      const cells = line.split(',');
      for (const i of pii) assert.ok(!text.includes(cells[i]), `a finding shows '${cells[i]}'`);
    }
    const masked = findings.filter((f) => f.ruleId === 'RML001').map((f) => f.data?.example);
    assert.ok(masked.every((m) => typeof m === 'string' && m.includes('*')));
  });

  it('masks personal values wherever a rule would show a value (group names, recodings)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rml-lint-mask-'));
    dirs.push(dir);
    const rows = ['dob,email,x,y'];
    for (let i = 0; i < 200; i++) rows.push(`19${50 + (i % 40)}-0${1 + (i % 9)}-1${i % 10},p${i % 3}@example.com,${i % 7},${i % 3 === 0 ? 'a' : 'b'}`);
    writeFileSync(join(dir, 'd.csv'), rows.join('\n') + '\n');
    const text = 'name: x\ndata: {path: d.csv, target: y, positive: a, sensitive: [dob], features: [email, x]}\nsplit: {test: 0.2, seed: 1}\n';
    const findings = await lintConfigText(text, join(dir, 'x.rml.yaml'), opts(dir));
    assert.ok(findings.some((f) => f.ruleId === 'RML008' && f.column === 'dob'));
    assert.ok(findings.some((f) => f.ruleId === 'RML006' && f.column === 'email'), 'the email recodes the target');
    const all = JSON.stringify(findings);
    assert.ok(!/19[5-8]\d-0\d-1\d/.test(all), 'no date of birth shown');
    assert.ok(!/p\d@example\.com/.test(all), 'no email shown');
  });

  it('can be cancelled', async () => {
    const dir = ws('clean');
    const abort = new AbortController();
    abort.abort();
    await assert.rejects(lintConfigFile(join(dir, 'loans.rml.yaml'), opts(dir, { signal: abort.signal })), (e: Error) => e.name === 'RmlCancelledError');
  });

  describe('the real COMPAS file (ProPublica)', () => {
    let findings: Finding[];
    before(async () => {
      const dir = ws('compas');
      findings = await lintConfigFile(join(dir, 'compas.rml.yaml'), opts(dir));
    });
    const has = (rule: string, column: string) => findings.some((f) => f.ruleId === rule && f.column === column);
    it('flags the names and dates of birth (RML001)', () => {
      for (const c of ['name', 'first', 'last', 'dob']) assert.ok(has('RML001', c), c);
      const name = findings.find((f) => f.ruleId === 'RML001' && f.column === 'name');
      assert.match(name?.message ?? '', /person names: 100% of 1,000 sampled values/);
      assert.ok(!/miguel|hernandez/i.test(JSON.stringify(findings)), 'no real name is shown');
    });
    it('flags the undeclared protected attributes race, sex and age (RML003), and age_cat', () => {
      for (const c of ['race', 'sex', 'age', 'age_cat']) assert.ok(has('RML003', c), c);
    });
    it('flags the recidivism columns as leaks of two_year_recid (RML006)', () => {
      for (const c of ['is_recid', 'r_charge_degree', 'r_offense_date']) assert.ok(has('RML006', c), c);
    });
  });

  describe('the German credit fixture', () => {
    it("reports 'credit', the label coded 1/2, as a recoding of the target when it is not ignored", async () => {
      const dir = mkdtempSync(join(tmpdir(), 'rml-lint-german-'));
      dirs.push(dir);
      copyFileSync(join(__dirname, '..', 'fixtures', 'german', 'german.csv'), join(dir, 'german.csv'));
      const base = readFileSync(join(__dirname, '..', 'fixtures', 'german', 'german.rml.yaml'), 'utf8');
      writeFileSync(join(dir, 'german.rml.yaml'), base);
      const ignored = await lintConfigFile(join(dir, 'german.rml.yaml'), opts(dir));
      assert.ok(!ignored.some((f) => f.ruleId === 'RML006'), 'ignored in the fixture config');
      const leaky = base.replace('ignore: [credit, personal_status]', 'ignore: [personal_status]');
      const findings = await lintConfigText(leaky, join(dir, 'german.rml.yaml'), opts(dir));
      const credit = findings.find((f) => f.ruleId === 'RML006' && f.column === 'credit');
      assert.ok(credit, 'RML006 on credit');
      assert.equal(credit.severity, 'error');
      assert.match(credit.message, /recoding of the target \(1 → 1, 2 → 0\)/);
      assert.equal(credit.data?.auc, 1);
    });
  });

  describe('quick fixes', () => {
    /** Apply every fix of every finding, check the config still parses and validates, and that the finding is gone. */
    async function checkFixes(name: string, filter: (f: Finding) => boolean = () => true): Promise<number> {
      const dir = ws(name);
      const { findings } = await lintWorkspace([dir], opts(dir, { cache: { memory: true, disk: false } }));
      let applied = 0;
      for (const f of findings.filter(filter)) {
        for (const fix of f.fixes ?? []) {
          const configFile = fix.edits[0].file;
          assert.ok(fix.edits.every((e) => e.file === configFile), 'a fix edits one file');
          assert.ok(/\.rml\.(ya?ml|json)$/.test(configFile), `fixes edit the config, not ${configFile}`);
          const before = readFileSync(configFile, 'utf8');
          const after = applyTextEdits(before, fix.edits);
          const checked = validateConfigText(after, configFile, { root: dir });
          assert.deepEqual(checked.errors.map((e) => e.message), [], `${f.ruleId} '${fix.title}' on ${basename(configFile)}:\n${after}`);
          const again = await lintConfigText(after, configFile, opts(dir, { cache: { memory: true, disk: false } }));
          const id = key(identity(f, dir));
          assert.ok(!again.some((g) => key(identity(g, dir)) === id), `${f.ruleId}${f.column ? ` on ${f.column}` : ''} survives '${fix.title}':\n${after}`);
          applied++;
        }
      }
      return applied;
    }
    it('flawed: every fix parses, validates and removes its finding', async () => {
      assert.ok((await checkFixes('flawed')) >= 20);
    });
    it('problems, bank and compas: likewise', async () => {
      assert.ok((await checkFixes('problems')) >= 1);
      assert.ok((await checkFixes('bank')) >= 2);
      const seen = new Set<string>();
      const n = await checkFixes('compas', (f) => {
        const k = `${f.ruleId}/${f.severity}`;
        if (seen.has(k)) return false;
        seen.add(k);
        return true;
      });
      assert.ok(n >= 5);
    });
    it('fixes in a JSON config keep it JSON', async () => {
      const dir = ws('flawed');
      const findings = await lintConfigFile(join(dir, 'holdout.rml.json'), opts(dir));
      const zero = findings.find((f) => f.ruleId === 'RML010');
      assert.equal(zero?.fixes?.[0].title, 'Set split.test: 0.2');
      const text = applyTextEdits(readFileSync(join(dir, 'holdout.rml.json'), 'utf8'), zero?.fixes?.[0].edits ?? []);
      assert.ok(text.includes('"split": { "test": 0.2, "validation": 0.1 }'), text);
    });
  });

  describe('settings', () => {
    it('lint.rules turns rules off or changes their severity; lint.columns does it per column', async () => {
      const dir = ws('flawed');
      const file = join(dir, 'customers.rml.yaml');
      const base = readFileSync(file, 'utf8');
      const text = `${base}lint:\n  rules: { RML001: "off", RML005: error }\n  columns:\n    gender: { RML002: "off" }\n    zip_code: { RML004: info }\n`;
      const findings = await lintConfigText(text, file, opts(dir));
      assert.ok(!findings.some((f) => f.ruleId === 'RML001'));
      assert.equal(findings.find((f) => f.ruleId === 'RML005')?.severity, 'error');
      assert.ok(!findings.some((f) => f.ruleId === 'RML002' && f.column === 'gender'));
      assert.ok(findings.some((f) => f.ruleId === 'RML002' && f.column === 'ethnicity'));
      assert.equal(findings.find((f) => f.ruleId === 'RML004')?.severity, 'info');
      assert.ok(!findings.some((f) => f.ruleId === 'RML103'));
    });
    it('options override the config; bad options throw (bad input), bad config settings are RML103', async () => {
      const dir = ws('flawed');
      const file = join(dir, 'customers.rml.yaml');
      const text = `${readFileSync(file, 'utf8')}lint:\n  rules: { RML007: error }\n  thresholds: { minorityClassShare: 0.2, sampleRows: 100 }\n`;
      const cfg = await lintConfigText(text, file, opts(dir));
      assert.equal(cfg.find((f) => f.ruleId === 'RML007')?.severity, 'error');
      assert.match(cfg.find((f) => f.ruleId === 'RML007')?.message ?? '', /of 100 sampled rows/);
      const cli = await lintConfigText(text, file, opts(dir, { rules: { RML007: 'off' } }));
      assert.ok(!cli.some((f) => f.ruleId === 'RML007'));
      const lower = await lintConfigText(text, file, opts(dir, { thresholds: { minorityClassShare: 0.01 } }));
      assert.ok(!lower.some((f) => f.ruleId === 'RML007'));
      await assert.rejects(lintConfigText(text, file, opts(dir, { thresholds: { nope: 1 } })), ThresholdError);
      await assert.rejects(lintConfigText(text, file, opts(dir, { thresholds: { proxyCramersV: 2 } })), ThresholdError);
      await assert.rejects(lintConfigText(text, file, opts(dir, { rules: { RML999: 'off' } })), ThresholdError);
      const bad = await lintConfigText(`${readFileSync(file, 'utf8')}lint:\n  columns: { gender: { RML002: loud } }\n  extra: 1\n`, file, opts(dir));
      assert.equal(bad.filter((f) => f.ruleId === 'RML103').length, 2);
    });
    it('applySeverityOverrides drops off rules and keeps the rest', () => {
      const f = (ruleId: string, column?: string): Finding => ({ ruleId, ruleName: 'x', severity: 'warning', message: 'm', file: '/f', line: 1, startColumn: 1, endLine: 1, endColumn: 2, ...(column ? { column } : {}) });
      const out = applySeverityOverrides([f('RML001', 'a'), f('RML002', 'b'), f('RML002', 'c'), f('RML011')], { RML001: 'off', RML002: 'error' }, { c: { RML002: 'info' } });
      assert.deepEqual(out.map((x) => `${x.ruleId}:${x.column ?? ''}:${x.severity}`), ['RML002:b:error', 'RML002:c:info', 'RML011::warning']);
    });
    it('documents every threshold and every rule', () => {
      const doc = readFileSync(join(__dirname, '..', '..', 'docs', 'rules.md'), 'utf8');
      for (const m of RULE_METAS) {
        assert.ok(doc.includes(`<a id="${m.id.toLowerCase()}"></a>\n## ${m.id} ${m.name}`), `docs/rules.md section for ${m.id}`);
        assert.equal(m.helpUri, `${REPOSITORY_URL}/blob/main/docs/rules.md#${m.id.toLowerCase()}`);
        assert.ok(m.shortDescription.length > 20 && m.fullDescription.length > m.shortDescription.length, m.id);
      }
      for (const name of Object.keys(THRESHOLDS)) assert.ok(doc.includes(`| \`${name}\` |`), `threshold ${name} documented`);
      const pkg = JSON.parse(readFileSync(join(__dirname, '..', '..', 'package.json'), 'utf8')) as { repository: { url: string } };
      assert.equal(pkg.repository.url.replace(/\.git$/, ''), REPOSITORY_URL);
      assert.equal(ruleInfo('pii-column')?.id, 'RML001');
      assert.equal(ruleInfo('rml003')?.name, 'undeclared-sensitive');
    });
  });

  describe('unsaved text, cache and discovery', () => {
    it('lints an unsaved buffer, not the file on disk', async () => {
      const dir = ws('clean');
      const file = join(dir, 'loans.rml.yaml');
      const text = readFileSync(file, 'utf8').replace('test: 0.25', 'test: 0');
      const findings = await lintConfigText(text, file, opts(dir));
      assert.equal(findings.find((f) => f.ruleId === 'RML010')?.severity, 'error');
      assert.ok(!(await lintConfigFile(file, opts(dir))).some((f) => f.ruleId === 'RML010'));
    });

    it('caches the sample on disk under .rml/cache and notices a changed data file', async () => {
      const dir = ws('flawed');
      const file = join(dir, 'thresholds.rml.yaml');
      const cached = { root: dir, now: NOW };
      clearMemoryCache();
      const first = await lintConfigFile(file, cached);
      const cacheDir = join(dir, '.rml', 'cache');
      const entries = readdirSync(cacheDir);
      assert.equal(entries.length, 1);
      assert.match(entries[0], /^sample-[0-9a-f]{32}\.json$/);
      clearMemoryCache();
      assert.deepEqual(await lintConfigFile(file, cached), first, 'from the disk cache');
      assert.deepEqual(await lintConfigFile(file, cached), first, 'from memory');
      // Make one group tiny: the file's size and time change, so the sample is drawn again.
      const csv = join(dir, 'small.csv');
      const lines = readFileSync(csv, 'utf8').trim().split('\n');
      const skewed = [lines[0], ...lines.slice(1).map((l, i) => (i < 390 ? l.replace(/,[ab],/, ',a,') : l.replace(/,[ab],/, ',b,')))];
      writeFileSync(csv, skewed.join('\n') + '\n');
      utimesSync(csv, new Date(), new Date(Date.now() + 5000));
      const after = await lintConfigFile(file, cached);
      assert.ok(after.some((f) => f.ruleId === 'RML008'), 'the new data is seen');
      assert.ok(!first.some((f) => f.ruleId === 'RML008'));
    });

    it('with cache: false writes nothing', async () => {
      const dir = ws('clean');
      await lintConfigFile(join(dir, 'loans.rml.yaml'), opts(dir));
      assert.ok(!existsSync(join(dir, '.rml', 'cache')));
    });

    it('discovers configs under folders, skipping node_modules, .rml and .git', async () => {
      const dir = ws('clean');
      for (const skip of ['node_modules/pkg', '.rml/x', '.git/y']) {
        mkdirSync(join(dir, skip), { recursive: true });
        writeFileSync(join(dir, skip, 'bad.rml.yaml'), 'name: [');
      }
      mkdirSync(join(dir, 'sub'));
      writeFileSync(join(dir, 'sub', 'other.rml.json'), '{ "name": "x", "data": { "path": "../loans.csv", "target": "approved", "positive": "yes" } }');
      const result = await lintWorkspace([dir], opts(dir));
      assert.deepEqual(result.configs.map((c) => relative(dir, c)), ['loans.rml.yaml', join('sub', 'other.rml.json')]);
      assert.ok(!result.findings.some((f) => f.ruleId === 'RML100'));
      await assert.rejects(lintWorkspace([join(dir, 'nope')], opts(dir)), RmlInputError);
      await assert.rejects(lintWorkspace([join(dir, 'loans.csv')], opts(dir)), /not a training config/);
      const one = await lintWorkspace([join(dir, 'loans.rml.yaml'), dir], opts(dir));
      assert.equal(one.configs.length, 2, 'each config once');
    });
  });

  describe('the latest run (RML013)', () => {
    it('compares signed differences by absolute value, skips nulls, and says which run', async () => {
      const dir = ws('flawed');
      const file = join(dir, 'customers.rml.yaml');
      const run = join(dir, '.rml', 'runs', '2026-11-27T10-00-00-000Z-run');
      mkdirSync(run, { recursive: true });
      writeFileSync(
        join(run, 'run.json'),
        // The audit's shape in a run record: the AIF360 metrics under `signed` (with a privileged value).
        JSON.stringify({
          finishedAt: '2026-11-27T10:00:05.000Z',
          fairness: {
            ethnicity: { demographicParityDifference: null, disparateImpactRatio: 0.85, signed: { privileged: 'a', statisticalParityDifference: -0.2 } },
            gender: { signed: { privileged: 'f', statisticalParityDifference: 0.05 } },
          },
        }),
      );
      const text = readFileSync(file, 'utf8').replace('    disparateImpactRatio: 0.8\n', '    disparateImpactRatio: 0.8\n    statisticalParityDifference: 0.1\n');
      const findings = (await lintConfigText(text, file, opts(dir))).filter((f) => f.ruleId === 'RML013');
      assert.equal(findings.length, 1, JSON.stringify(findings.map((f) => f.message)));
      const [f] = findings;
      assert.match(f.message, /statisticalParityDifference = -0\.2 for 'ethnicity', beyond ±0\.1/);
      assert.match(f.message, /2026-11-27T10-00-00-000Z-run, finished 2026-11-27 10:00 UTC, 26 h ago/);
      assert.equal(f.line, text.split('\n').findIndex((l) => l.includes('statisticalParityDifference')) + 1);
      assert.equal(f.related?.[0].file, join(run, 'run.json'));
    });
    it('reads every gate metric as the fairness gate does: signed ones under `signed`, theilIndex.overall, regression audits', async () => {
      const dir = ws('flawed');
      const file = join(dir, 'customers.rml.yaml');
      const run = join(dir, '.rml', 'runs', '2026-11-27T10-00-00-000Z-run');
      mkdirSync(run, { recursive: true });
      const audit = {
        demographicParityDifference: 0.05,
        theilIndex: { overall: 0.2, betweenGroups: 0.01, groups: {} },
        signed: { privileged: 'a', statisticalParityDifference: 0.02, disparateImpact: 0.7, equalOpportunityDifference: -0.3, averageOddsDifference: 0.01 },
      };
      writeFileSync(join(run, 'run.json'), JSON.stringify({ finishedAt: '2026-11-27T10:00:05.000Z', fairness: { ethnicity: audit, gender: { theilIndex: 'old record' }, income: { meanPredictionDifference: 9, meanPredictionRatio: 0.5, maeDifference: 1 } } }));
      const limits = ['theilIndex: 0.1', 'disparateImpact: 0.8', 'equalOpportunityDifferenceSigned: 0.1', 'averageOddsDifference: 0.1', 'meanPredictionDifference: 5', 'maeDifference: 2'];
      const text = readFileSync(file, 'utf8').replace('    disparateImpactRatio: 0.8\n', `    disparateImpactRatio: 0.8\n${limits.map((l) => `    ${l}\n`).join('')}`);
      const found = (await lintConfigText(text, file, opts(dir))).filter((f) => f.ruleId === 'RML013');
      const got = found.map((f) => `${String(f.data?.metric)}/${String(f.data?.column)}=${String(f.data?.value)}`).sort();
      assert.deepEqual(got, ['disparateImpact/ethnicity=0.7', 'equalOpportunityDifferenceSigned/ethnicity=-0.3', 'meanPredictionDifference/income=9', 'theilIndex/ethnicity=0.2']);
      assert.match(found.find((f) => f.data?.metric === 'equalOpportunityDifferenceSigned')?.message ?? '', /beyond ±0\.1/);
      assert.match(found.find((f) => f.data?.metric === 'disparateImpact')?.message ?? '', /below the minimum 0\.8/);
    });
    it('says when the config or the data changed since the run', async () => {
      const dir = ws('flawed');
      const findings = await lintConfigFile(join(dir, 'customers.rml.yaml'), opts(dir));
      const f = findings.find((x) => x.ruleId === 'RML013');
      assert.match(f?.message ?? '', /the config has changed since and the data file has changed since/);
      assert.equal(f?.data?.value, 0.23);
    });
  });

  describe('malformed input never crashes the lint', () => {
    const configs: [string, string][] = [
      ['empty.rml.yaml', ''],
      ['null.rml.yaml', '~'],
      ['list.rml.yaml', '- a\n- b\n'],
      ['garbage.rml.json', '\u0000\u0001{{{'],
      ['deep.rml.json', '['.repeat(5000)],
      ['types.rml.yaml', 'name: 1\ndata: {path: 2, target: [], features: {}, sensitive: 3}\nsplit: {test: "x", seed: -1}\nlint: {rules: 3, thresholds: [1], columns: 4}\n'],
      ['wrong-lint.rml.yaml', 'name: x\ndata: {path: d.csv, target: y, positive: "1"}\nlint: {thresholds: {sampleRows: 5, proxyBins: 1.5, nope: 1}, columns: {a: 1, x: {RML001: "off"}, q: {}}}\n'],
      ['dir-data.rml.yaml', 'name: x\ndata: {path: sub, target: y, positive: "1"}\n'],
      ['binary-data.rml.yaml', 'name: x\ndata: {path: bin.csv, target: y, positive: "1"}\n'],
      ['no-target.rml.yaml', 'name: x\ndata: {path: d.csv, target: nope, features: [zz], sensitive: [qq]}\n'],
      ['one-class.rml.yaml', 'name: x\ndata: {path: one.csv, target: y}\n'],
      ['all-missing.rml.yaml', 'name: x\ndata: {path: missing.csv, target: y, positive: "1", sensitive: [g]}\n'],
      ['regression.rml.yaml', 'name: x\ndata: {path: reg.csv, target: y, sensitive: [g]}\nmodel: {type: linear}\n'],
      ['multiclass.rml.yaml', 'name: x\ndata: {path: multi.csv, target: y, sensitive: [g]}\n'],
      ['outside.rml.yaml', 'name: x\ndata: {path: ../../etc/passwd, target: y}\n'],
    ];
    it('each config yields findings, not an exception', async () => {
      const dir = mkdtempSync(join(tmpdir(), 'rml-lint-bad-'));
      dirs.push(dir);
      mkdirSync(join(dir, 'sub'));
      writeFileSync(join(dir, 'bin.csv'), Buffer.from([0x79, 0x0a, 0x00, 0x01, 0x02]));
      writeFileSync(join(dir, 'd.csv'), 'x,y\n1,0\n2,1\n3,0\n');
      writeFileSync(join(dir, 'one.csv'), 'x,y\n1,a\n2,a\n');
      writeFileSync(join(dir, 'missing.csv'), 'x,g,y\nNA,a,NA\nNA,b,NA\n');
      writeFileSync(join(dir, 'reg.csv'), 'x,g,y\n' + Array.from({ length: 60 }, (_, i) => `${i},${i % 3 ? 'a' : 'b'},${i * 2.5 + (i % 7)}`).join('\n') + '\n');
      writeFileSync(join(dir, 'multi.csv'), 'x,g,y\n' + Array.from({ length: 90 }, (_, i) => `${i % 5},${i % 2 ? 'a' : 'b'},${['p', 'q', 'r'][i % 3]}`).join('\n') + '\n');
      for (const [name, text] of configs) {
        const findings = await lintConfigText(text, join(dir, name), opts(dir));
        assert.ok(Array.isArray(findings), name);
        assert.ok(findings.length > 0, `${name}: at least one finding`);
        for (const f of findings) assert.ok(RULES_BY_ID.has(f.ruleId), `${name}: ${f.ruleId}`);
      }
      const ids = async (name: string) => (await lintConfigText(configs.find(([n]) => n === name)?.[1] ?? '', join(dir, name), opts(dir))).map((f) => f.ruleId);
      assert.ok((await ids('empty.rml.yaml')).includes('RML100'));
      assert.ok((await ids('types.rml.yaml')).includes('RML101'));
      assert.ok((await ids('dir-data.rml.yaml')).includes('RML102'));
      assert.ok((await ids('binary-data.rml.yaml')).includes('RML102'));
      assert.ok((await ids('no-target.rml.yaml')).filter((x) => x === 'RML104').length >= 3);
      assert.ok((await ids('one-class.rml.yaml')).includes('RML104'));
      assert.equal((await ids('wrong-lint.rml.yaml')).filter((x) => x === 'RML103').length, 5, 'three thresholds, a malformed and an unknown column');
      assert.ok((await ids('outside.rml.yaml')).includes('RML101'));
    });
    it('a config file that cannot be read is RML100', async () => {
      const dir = mkdtempSync(join(tmpdir(), 'rml-lint-unreadable-'));
      dirs.push(dir);
      writeFileSync(join(dir, 'latin.rml.yaml'), Buffer.from([0x6e, 0x61, 0x6d, 0x65, 0x3a, 0x20, 0xe9, 0x0a]));
      const [f] = await lintConfigFile(join(dir, 'latin.rml.yaml'), opts(dir));
      assert.equal(f.ruleId, 'RML100');
      assert.match(f.message, /not valid UTF-8/);
      const [g] = await lintConfigFile(join(dir, 'gone.rml.yaml'), opts(dir));
      assert.match(g.message, /no such file/);
    });
  });
});
