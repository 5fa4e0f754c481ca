/**
 * De-identification: the value transforms (hand-checked), salted pseudonyms and the salt file,
 * the anonymization config (validation with file:line:column), `writeAnonymizedCopy` (the
 * output passes the PII detectors, the original's bytes never change, no overwriting) and the
 * `rml anonymize` command, whose output never shows a raw PII value.
 *
 * Fixture: test/fixtures/privacy/people.csv, synthetic (see the README there).
 */
import { strict as assert } from 'node:assert';
import { createHash } from 'node:crypto';
import { chmodSync, cpSync, linkSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { rml } from './cli-harness';
import { readCsv } from '../../src/core/data';
import { RmlInputError } from '../../src/core/errors';
import {
  ageBand,
  anonymizeDataset,
  dateTo,
  defaultPlan,
  detectPii,
  hasCommonNameWord,
  isBirthDate,
  isEmail,
  isIban,
  isIpAddress,
  isNameShaped,
  isPaymentCard,
  isPhoneNumber,
  isStreetAddress,
  isUsSsn,
  loadAnonymizationConfig,
  loadOrCreateSalt,
  maskValue,
  numberRange,
  parseAnonymizationConfig,
  planFromObject,
  pseudonymize,
  readSalt,
  suggestPlan,
  writeAnonymizedCopy,
  zipPrefix,
  anonymizationConfigFromValue,
} from '../../src/core/privacy';
import { parseConfigText } from '../../src/core/config/parse';
import { makeDataset } from './helpers';

const FIXTURES = join(__dirname, '..', 'fixtures', 'privacy');

function workspace(): string {
  const dir = mkdtempSync(join(tmpdir(), 'rml-privacy-'));
  for (const f of ['people.csv', 'people.anon.yaml']) cpSync(join(FIXTURES, f), join(dir, f));
  return dir;
}

function sha256(file: string): string {
  return createHash('sha256').update(readFileSync(file)).digest('hex');
}

/** Every raw PII value of people.csv (the columns the detectors flag, plus the names). */
function rawPii(file = join(FIXTURES, 'people.csv')): string[] {
  const lines = readFileSync(file, 'utf8').trim().split('\n').slice(1);
  const out: string[] = [];
  for (const line of lines) {
    const cells = line.split(',');
    // name, email, phone, ssn, card, iban, ip, birth_date, address
    out.push(...cells.slice(1, 10));
  }
  return out;
}

/** Any value-level PII detector that matches (bare digit strings included, as under a PII header). */
function piiTestsMatching(v: string): string[] {
  const hits: string[] = [];
  if (isEmail(v)) hits.push('email');
  if (isPhoneNumber(v, { bare: true })) hits.push('phone');
  if (isUsSsn(v, { bare: true })) hits.push('ssn');
  if (isPaymentCard(v)) hits.push('card');
  if (isIban(v)) hits.push('iban');
  if (isIpAddress(v)) hits.push('ip');
  if (isStreetAddress(v)) hits.push('address');
  if (isBirthDate(v)) hits.push('date');
  if (isNameShaped(v) && hasCommonNameWord(v)) hits.push('name');
  return hits;
}


describe('privacy: generalisations and masks (hand-checked)', () => {
  it('age bands: floor to the width, top-coding', () => {
    assert.equal(ageBand('37', 10), '30-39');
    assert.equal(ageBand('37.9', 10), '30-39');
    assert.equal(ageBand('37', 5), '35-39');
    assert.equal(ageBand('37', 1), '37');
    assert.equal(ageBand('0', 10), '0-9');
    assert.equal(ageBand('95', 10, 90), '90+');
    assert.equal(ageBand('90', 10, 90), '90+');
    assert.equal(ageBand('85', 20, 90), '80-89');
    assert.equal(ageBand('-1', 10), undefined);
    assert.equal(ageBand('thirty', 10), undefined);
  });

  it('number ranges are half-open and aligned on the origin', () => {
    assert.equal(numberRange('43250', 10000), '[40000..50000)');
    assert.equal(numberRange('50000', 10000), '[50000..60000)');
    assert.equal(numberRange('-3', 5), '[-5..0)');
    assert.equal(numberRange('0.15', 0.1), '[0.1..0.2)');
    assert.equal(numberRange('7', 10, 5), '[5..15)');
    assert.equal(numberRange('1e3', 500), '[1000..1500)');
    assert.equal(numberRange('n/a', 10), undefined);
  });

  it('zip/postcode prefixes', () => {
    assert.equal(zipPrefix('02139', 3), '021*');
    assert.equal(zipPrefix('02139-4307', 3), '021*');
    assert.equal(zipPrefix('SW1A 1AA', 3), 'SW1*');
    assert.equal(zipPrefix('2139', 3, 5), '021*');
    assert.equal(zipPrefix('02139', 0), '*');
    assert.equal(zipPrefix('02139', 5), '02139');
    assert.equal(zipPrefix('021/39', 3), undefined);
  });

  it('dates to month, year or decade, in ISO and common formats', () => {
    assert.equal(dateTo('1985-04-12', 'year'), '1985');
    assert.equal(dateTo('04/12/1985', 'year'), '1985');
    assert.equal(dateTo('12.04.1985', 'month'), '1985-04'); // dotted dates are day first
    assert.equal(dateTo('04/12/1985', 'month'), '1985-04'); // slashed: month first when both readings are valid
    assert.equal(dateTo('13/04/1985', 'month'), '1985-04'); // …else day first
    assert.equal(dateTo('April 12, 1985', 'month'), '1985-04');
    assert.equal(dateTo('12 Apr 1985', 'decade'), '1980s');
    assert.equal(dateTo('2020-01-02T03:04:05Z', 'year'), '2020');
    assert.equal(dateTo('1985-04', 'year'), '1985');
    assert.equal(dateTo('1985', 'month'), '1985');
    assert.equal(dateTo('31/02/2020', 'year'), undefined);
    assert.equal(dateTo('soon', 'year'), undefined);
  });

  it('masks keep a documented shape and never the whole value', () => {
    assert.equal(maskValue('123-45-6789', { keepLast: 4 }), '***-**-6789');
    assert.equal(maskValue('4111 1111 1111 1111', { keepLast: 4 }), '**** **** **** 1111');
    assert.equal(maskValue('AB', { keepLast: 4 }), '*B'); // at most half of the letters and digits
    assert.equal(maskValue('Jonathan'), 'J***');
    assert.equal(maskValue('Jonathan', { keepFirst: 3 }), 'Jon***');
    assert.equal(maskValue('Al', { keepFirst: 3 }), 'A***');
    assert.equal(maskValue('A'), '***');
    assert.equal(maskValue('anything', { replace: '[redacted]' }), '[redacted]');
    assert.equal(maskValue('jane.doe@example.com', { kind: 'email' }), 'j***@e***.com');
    assert.equal(maskValue('078-05-1121', { kind: 'ssn' }), '***-**-1121');
    assert.equal(maskValue(''), '');
  });
});

describe('privacy: pseudonyms and the salt file', () => {
  const salt = Uint8Array.from({ length: 32 }, (_, i) => i);

  it('HMAC-SHA256 with the salt, truncated to 16 hex digits after p_ (known answer from Python hmac)', () => {
    // python3 -c "import hmac,hashlib; print(hmac.new(bytes(range(32)), b'alice@example.com', hashlib.sha256).hexdigest())"
    assert.equal(pseudonymize('alice@example.com', salt), 'p_a59fc578d4cb46fa');
    assert.equal(pseudonymize('  alice@example.com ', salt), 'p_a59fc578d4cb46fa');
    assert.equal(pseudonymize('P01000', salt, { length: 24, prefix: 'id_' }), 'id_1a7c454ad0050eebca4f6a0b');
  });

  it('is stable under one salt, different under another, optionally case-insensitive', () => {
    const other = Uint8Array.from({ length: 32 }, (_, i) => 255 - i);
    assert.equal(pseudonymize('Bob', salt), pseudonymize('Bob', salt));
    assert.notEqual(pseudonymize('Bob', salt), pseudonymize('Bob', other));
    assert.notEqual(pseudonymize('Bob', salt), pseudonymize('bob', salt));
    assert.equal(pseudonymize('Bob', salt, { lowercase: true }), pseudonymize('bob', salt, { lowercase: true }));
    assert.match(pseudonymize('Bob', salt), /^p_[0-9a-f]{16}$/);
    assert.throws(() => pseudonymize('x', new Uint8Array(8)), /salt of at least 16 bytes/);
    assert.throws(() => pseudonymize('x', salt, { length: 4 }), /length of 8 to 64/);
  });

  it('creates a 0600 salt file of 32 random bytes, then reuses it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rml-salt-'));
    try {
      const file = join(dir, 'keys', 'data.salt');
      const a = await loadOrCreateSalt(file);
      assert.equal(a.created, true);
      assert.equal(a.salt.length, 32);
      if (process.platform !== 'win32') assert.equal(statSync(file).mode & 0o777, 0o600);
      assert.match(readFileSync(file, 'utf8'), /^# .*\n[0-9a-f]{64}\n$/);
      const b = await loadOrCreateSalt(file);
      assert.equal(b.created, false);
      assert.deepEqual(b.salt, a.salt);
      assert.deepEqual(b.warnings, []);
      const c = await loadOrCreateSalt(join(dir, 'other.salt'));
      assert.notDeepEqual(c.salt, a.salt);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses a file that is not a salt, without echoing its content, and warns when others can read it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rml-salt-'));
    try {
      const bad = join(dir, 'bad.salt');
      writeFileSync(bad, 'hunter2-secret\n');
      await assert.rejects(readSalt(bad), (e: unknown) => e instanceof RmlInputError && /not a salt file/.test(e.message) && !e.message.includes('hunter2'));
      if (process.platform !== 'win32') {
        const open = join(dir, 'open.salt');
        writeFileSync(open, `${'ab'.repeat(32)}\n`);
        chmodSync(open, 0o644);
        const s = await readSalt(open);
        assert.ok(s?.warnings.some((w) => /readable by other users/.test(w)));
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('privacy: the anonymization config', () => {
  it('loads the fixture config (YAML) and resolves the salt file beside it', async () => {
    const c = await loadAnonymizationConfig(join(FIXTURES, 'people.anon.yaml'));
    assert.equal(c.plan.columns.size, 13);
    assert.deepEqual(c.plan.columns.get('name'), { action: 'drop' });
    assert.deepEqual(c.plan.columns.get('email'), { action: 'pseudonymize', length: 16, prefix: 'p_', lowercase: true });
    assert.deepEqual(c.plan.columns.get('age'), { action: 'generalize', generalization: { as: 'age', width: 10, top: 90 } });
    assert.deepEqual(c.plan.columns.get('income'), { action: 'generalize', generalization: { as: 'number', width: 25000, origin: 0 } });
    assert.equal(c.plan.saltFile, join(FIXTURES, 'people.salt'));
    assert.deepEqual(c.plan.auto, { action: 'mask' });
  });

  it('accepts JSON, category groups and suppression', () => {
    const c = parseAnonymizationConfig(
      JSON.stringify({ columns: { country: { action: 'generalize', as: 'category', groups: { Europe: ['France', 'Spain'] }, other: 'Elsewhere' } }, suppress: { quasiIdentifiers: ['country'], k: 3 } }),
      '/tmp/x.json',
    );
    const a = c.plan.columns.get('country');
    assert.ok(a?.action === 'generalize' && a.generalization.as === 'category');
    assert.equal(a.generalization.map.get('Spain'), 'Europe');
    assert.deepEqual(c.plan.suppress, { quasiIdentifiers: ['country'], k: 3 });
  });

  it('reports every problem at its file:line:column', () => {
    const text = [
      'columns:', //                                   1
      '  a: shred', //                                  2
      '  b: { action: mask, keepLast: 2, colour: red }', // 3
      '  c: { action: generalize, width: 10 }', //      4
      '  d: { action: generalize, as: age, width: 0 }', // 5
      '  e: { action: mask, keepLast: 2, replace: x }', // 6
      '  f: { action: generalize, as: category }', //   7
      'sup: 1', //                                      8
    ].join('\n');
    let caught: unknown;
    try {
      parseAnonymizationConfig(text, '/tmp/bad.anon.yaml');
    } catch (e) {
      caught = e;
    }
    assert.ok(caught instanceof RmlInputError);
    const msg = caught.message;
    assert.match(msg, /\/tmp\/bad\.anon\.yaml:2:6: columns\.a must be one of keep, drop, mask or pseudonymize/);
    assert.match(msg, /\/tmp\/bad\.anon\.yaml:3:\d+: unknown key 'colour' in columns\.b; allowed here: action, replace, keepFirst, keepLast, kind/);
    assert.match(msg, /:4:\d+: columns\.c needs 'as' \(age, number, zip, date or category\)/);
    assert.match(msg, /:5:\d+: columns\.d\.width must be >= 1/);
    assert.match(msg, /:8:1: unknown key 'sup'/);
  });

  it('checks what the schema cannot: one mask style, category groups, nested widths', () => {
    assert.throws(() => parseAnonymizationConfig('columns:\n  e: { action: mask, keepLast: 2, replace: x }\n', '/tmp/a.yaml'), /:2:\d+: columns\.e: choose one of replace, keepLast/);
    assert.throws(() => parseAnonymizationConfig('columns:\n  f: { action: generalize, as: category }\n', '/tmp/a.yaml'), /columns\.f needs 'groups'/);
    assert.throws(() => parseAnonymizationConfig('quasiIdentifiers:\n  - { column: age, type: age, widths: [5, 12] }\n', '/tmp/a.yaml'), /12 is not a multiple of 5/);
    assert.throws(() => parseAnonymizationConfig('quasiIdentifiers:\n  - { column: zip, digits: [3] }\n', '/tmp/a.yaml'), /'digits' needs a 'type'/);
    assert.throws(() => parseAnonymizationConfig('', '/tmp/a.yaml'), /config file is empty/);
  });
});

describe('privacy: writeAnonymizedCopy', function () {
  let ws: string;
  beforeEach(() => {
    ws = workspace();
  });
  afterEach(() => rmSync(ws, { recursive: true, force: true }));

  it('writes a copy with no value the PII detectors match, and leaves the original byte for byte', async () => {
    const input = join(ws, 'people.csv');
    const before = sha256(input);
    const mtime = statSync(input).mtimeMs;
    const config = await loadAnonymizationConfig(join(ws, 'people.anon.yaml'));
    const r = await writeAnonymizedCopy(input, config.plan, join(ws, 'people.deid.csv'));
    assert.equal(sha256(input), before);
    assert.equal(statSync(input).mtimeMs, mtime);
    assert.equal(r.inputSha256, before);
    assert.equal(r.inputUnchanged, true);
    assert.equal(r.outputSha256, sha256(join(ws, 'people.deid.csv')));

    const out = await readCsv(join(ws, 'people.deid.csv'), { missing: [] });
    assert.deepEqual(
      out.columns.map((c) => c.name),
      ['patient_id', 'email', 'phone', 'ssn', 'card', 'ip', 'birth_date', 'zip', 'age', 'sex', 'income', 'diagnosis'],
    );
    assert.equal(out.rowCount, 40);
    for (const col of out.columns) {
      assert.deepEqual(detectPii(col.name, col.values), [], `detectors on output column ${col.name}`);
      for (const v of col.values) assert.deepEqual(piiTestsMatching(v!), [], `${col.name}: ${v}`);
    }
    const raw = new Set(rawPii());
    for (const col of out.columns) for (const v of col.values) assert.ok(!raw.has(v!), `raw PII value in ${col.name}`);
    assert.deepEqual(r.residualPii, []);

    // Hand-checked first row (P01000, born 1944-01-05, zip 60601, age 80, income 120932).
    const row0 = (name: string) => out.byName.get(name)!.values[0];
    assert.match(row0('patient_id')!, /^p_[0-9a-f]{16}$/);
    assert.equal(row0('phone'), '(***) ***-**00');
    assert.equal(row0('ssn'), '***-**-0359');
    assert.equal(row0('card'), '**** **** **** 4966');
    assert.equal(row0('ip'), '192.***.***.***');
    assert.equal(row0('birth_date'), '1944');
    assert.equal(row0('zip'), '606*');
    assert.equal(row0('age'), '80-89');
    assert.equal(row0('income'), '[100000..125000)');
    assert.equal(row0('sex'), 'F');
    // Missing tokens are written unchanged (row 4 has age '?', row 8 zip 'NA').
    assert.equal(out.byName.get('age')!.values[3], '?');
    assert.equal(out.byName.get('zip')!.values[7], 'NA');

    const byName = new Map(r.columns.map((c) => [c.column, c]));
    assert.equal(byName.get('name')!.action, 'drop');
    assert.equal(byName.get('age')!.changed, 39);
    assert.equal(byName.get('age')!.missing, 1);
    assert.equal(byName.get('sex')!.changed, 0);
    assert.equal(r.salt?.created, true);
    assert.deepEqual(readdirSync(ws).sort(), ['people.anon.yaml', 'people.csv', 'people.deid.csv', 'people.salt']);
  });

  it('gives stable pseudonyms with the same salt file and different ones with another', async () => {
    const input = join(ws, 'people.csv');
    const config = await loadAnonymizationConfig(join(ws, 'people.anon.yaml'));
    await writeAnonymizedCopy(input, config.plan, join(ws, 'a.csv'));
    await writeAnonymizedCopy(input, config.plan, join(ws, 'b.csv'));
    await writeAnonymizedCopy(input, config.plan, join(ws, 'c.csv'), { saltFile: join(ws, 'other.salt') });
    const ids = async (f: string) => (await readCsv(join(ws, f))).byName.get('patient_id')!.values;
    const [a, b, c] = [await ids('a.csv'), await ids('b.csv'), await ids('c.csv')];
    assert.deepEqual(a, b);
    assert.equal(new Set(a).size, 40);
    a.forEach((v, i) => assert.notEqual(v, c[i]));
  });

  it('refuses to overwrite the input, a link to it, the config or an existing file; --force replaces only the last', async () => {
    const input = join(ws, 'people.csv');
    const before = sha256(input);
    const plan = (await loadAnonymizationConfig(join(ws, 'people.anon.yaml'))).plan;
    await assert.rejects(writeAnonymizedCopy(input, plan, input), /--out is the input file/);
    await assert.rejects(writeAnonymizedCopy(input, plan, input, { force: true }), /--out is the input file/);
    await assert.rejects(writeAnonymizedCopy(input, plan, join(ws, '.', 'people.csv'), { force: true }), /--out is the input file/);
    if (process.platform !== 'win32') {
      symlinkSync(input, join(ws, 'link.csv'));
      await assert.rejects(writeAnonymizedCopy(input, plan, join(ws, 'link.csv'), { force: true }), /input/);
      linkSync(input, join(ws, 'hard.csv'));
      await assert.rejects(writeAnonymizedCopy(input, plan, join(ws, 'hard.csv'), { force: true }), /same file as the input/);
    }
    await assert.rejects(writeAnonymizedCopy(input, plan, join(ws, 'people.anon.yaml'), { force: true, protect: [join(ws, 'people.anon.yaml')] }), /would overwrite/);
    await assert.rejects(writeAnonymizedCopy(input, plan, join(ws, 'people.salt'), { force: true }), /would overwrite/);
    writeFileSync(join(ws, 'taken.csv'), 'keep me\n');
    await assert.rejects(writeAnonymizedCopy(input, plan, join(ws, 'taken.csv')), /already exists: .*taken\.csv; pass --force/);
    assert.equal(readFileSync(join(ws, 'taken.csv'), 'utf8'), 'keep me\n');
    await assert.rejects(writeAnonymizedCopy(input, plan, join(ws, 'no-such-dir', 'x.csv')), /output folder does not exist/);
    await writeAnonymizedCopy(input, plan, join(ws, 'taken.csv'), { force: true });
    assert.match(readFileSync(join(ws, 'taken.csv'), 'utf8'), /^patient_id,email,/);
    assert.equal(sha256(input), before);
    assert.ok(!readdirSync(ws).some((f) => f.endsWith('.tmp')), 'no temporary file left');
  });

  it('--auto masks every column the detectors flag, in the shape of its kind, and says which', async () => {
    const input = join(ws, 'people.csv');
    const r = await writeAnonymizedCopy(input, defaultPlan(), join(ws, 'auto.csv'), { auto: true });
    assert.deepEqual(
      r.auto.map((a) => [a.column, a.kinds.join()]),
      [
        ['name', 'person-name'],
        ['email', 'email'],
        ['phone', 'phone'],
        ['ssn', 'ssn'],
        ['card', 'payment-card'],
        ['iban', 'iban'],
        ['ip', 'ip-address'],
        ['birth_date', 'date-of-birth'],
        ['address', 'street-address'],
      ],
    );
    const out = await readCsv(join(ws, 'auto.csv'), { missing: [] });
    assert.equal(out.byName.get('email')!.values[0], 'l***@e***.com');
    assert.equal(out.byName.get('name')!.values[0], 'L*** J***');
    for (const col of out.columns) for (const v of col.values) assert.deepEqual(piiTestsMatching(v!), [], `${col.name}: ${v}`);
    assert.deepEqual(r.residualPii, []);
    assert.equal(r.salt, undefined);
  });

  it('reports PII left in the output (masked), and needs a salt to pseudonymize', async () => {
    const input = join(ws, 'people.csv');
    const keepEmail = planFromObject({ columns: { name: 'drop' } });
    const r = await writeAnonymizedCopy(input, keepEmail, join(ws, 'partial.csv'));
    const email = r.residualPii.find((f) => f.column === 'email');
    assert.ok(email);
    assert.equal(email.example, 'l***@e***.com');
    assert.ok(r.warnings.some((w) => w.startsWith("column 'email' of the output still looks like it holds email addresses")));
    assert.ok(!JSON.stringify(r).includes('lisa.johnson0@example.com'));
    await assert.rejects(writeAnonymizedCopy(input, planFromObject({ columns: { email: 'pseudonymize' } }), join(ws, 'p.csv')), /pseudonymize needs a salt file: pass --salt-file/);
  });

  it('suppresses rare quasi-identifier combinations after generalising', async () => {
    const input = join(ws, 'people.csv');
    const plan = planFromObject({
      columns: { zip: { action: 'generalize', as: 'zip', digits: 1 }, age: { action: 'generalize', as: 'age', width: 20 }, name: 'drop' },
      suppress: { quasiIdentifiers: ['zip', 'age', 'sex'], k: 3 },
    });
    const r = await writeAnonymizedCopy(input, plan, join(ws, 'k3.csv'), { auto: true });
    const out = await readCsv(join(ws, 'k3.csv'), { missing: [] });
    const counts = new Map<string, number>();
    for (let i = 0; i < out.rowCount; i++) {
      const key = ['zip', 'age', 'sex'].map((c) => out.byName.get(c)!.values[i]).join('|');
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
    assert.ok([...counts.values()].every((n) => n >= 3), JSON.stringify([...counts]));
    assert.equal(r.rowsWritten + r.suppressedRows, 40);
    assert.ok(r.suppressedRows > 0);
    assert.equal(out.rowCount, r.rowsWritten);
  });

  it('anonymizeDataset: unknown columns, unreadable values and missing cells', () => {
    const ds = makeDataset({ age: ['34', 'old', null, '61'], zip: ['02139', '10001', '94103', '60601'] });
    const t = anonymizeDataset(ds, planFromObject({ columns: { age: { action: 'generalize', as: 'age', width: 10 } } }));
    assert.deepEqual(t.header, ['age', 'zip']);
    assert.deepEqual(t.rows.map((r) => r[0]), ['30-39', '*', '', '60-69']);
    assert.equal(t.report.columns[0].unreadable, 1);
    assert.ok(t.report.warnings.some((w) => /1 value could not be generalized/.test(w)));
    assert.throws(() => anonymizeDataset(ds, planFromObject({ columns: { zipcode: 'drop' } })), /unknown column 'zipcode'/);
  });
});

describe('rml anonymize (CLI)', function () {
  let ws: string;
  beforeEach(() => {
    ws = workspace();
  });
  afterEach(() => rmSync(ws, { recursive: true, force: true }));

  it('--json prints the documented keys, and no output ever holds a raw PII value', async () => {
    const r = await rml(['anonymize', 'people.csv', '--config', 'people.anon.yaml', '--out', 'deid.csv', '--json'], ws);
    assert.equal(r.code, 0, r.err);
    const j = JSON.parse(r.out);
    for (const k of ['input', 'output', 'rows', 'rowsWritten', 'suppressedRows', 'columnsIn', 'columnsOut', 'columns', 'auto', 'residualPii', 'salt', 'inputSha256', 'outputSha256', 'inputUnchanged', 'warnings']) {
      assert.ok(k in j, `missing ${k}`);
    }
    assert.equal(j.inputUnchanged, true);
    assert.equal(j.salt.created, true);
    assert.equal(j.columnsOut, 12);
    const text = await rml(['anonymize', 'people.csv', '--config', 'people.anon.yaml', '--out', 'deid2.csv'], ws);
    assert.equal(text.code, 0, text.err);
    assert.match(text.out, /De-identified copy: people\.csv → deid2\.csv/);
    assert.match(text.out, /Salt: people\.salt \(reused\)/);
    const auto = await rml(['anonymize', 'people.csv', '--auto', '--out', 'auto.csv'], ws);
    assert.equal(auto.code, 0, auto.err);
    for (const v of rawPii()) {
      for (const o of [r, text, auto]) {
        assert.ok(!o.out.includes(v) && !o.err.includes(v), `raw value ${v} printed`);
      }
    }
  });

  it('bad input exits 2 with the reason', async () => {
    const cases: [string[], RegExp][] = [
      [['anonymize', 'people.csv', '--config', 'people.anon.yaml'], /needs --out/],
      [['anonymize', 'people.csv', '--out', 'x.csv'], /needs --config <anon\.yaml>/],
      [['anonymize', 'people.csv', '--auto', '--out', 'people.csv'], /--out is the input file/],
      [['anonymize', 'people.csv', '--auto', '--out', 'people.anon.yaml', '--force', '--config', 'people.anon.yaml'], /would overwrite/],
      [['anonymize', 'missing.csv', '--auto', '--out', 'x.csv'], /missing\.csv/],
      [['anonymize', 'people.csv', '--config', 'nope.yaml', '--out', 'x.csv'], /anonymization config not found/],
    ];
    for (const [args, re] of cases) {
      const r = await rml(args, ws);
      assert.equal(r.code, 2, `${args.join(' ')}: ${r.err}`);
      assert.match(r.err, re);
    }
    writeFileSync(join(ws, 'bad.yaml'), 'columns:\n  email: shred\n');
    const bad = await rml(['anonymize', 'people.csv', '--config', 'bad.yaml', '--out', 'x.csv'], ws);
    assert.equal(bad.code, 2);
    assert.match(bad.err, /bad\.yaml:2:10: columns\.email must be one of keep, drop, mask or pseudonymize/);
    assert.ok(!readdirSync(ws).includes('x.csv'));
  });
});

describe('privacy: plans for the editor', () => {
  it('suggestPlan masks what the detectors flag (dates of birth to the year) and writes a clean copy', async () => {
    const ws = workspace();
    try {
      const ds = await readCsv(join(ws, 'people.csv'), { missing: [] });
      const plan = suggestPlan(ds);
      assert.deepEqual([...plan.columns.keys()], ['name', 'email', 'phone', 'ssn', 'card', 'iban', 'ip', 'birth_date', 'address']);
      assert.deepEqual(plan.columns.get('birth_date'), { action: 'generalize', generalization: { as: 'date', to: 'year' } });
      assert.deepEqual(plan.columns.get('email'), { action: 'mask', kind: 'email' });
      const r = await writeAnonymizedCopy(join(ws, 'people.csv'), plan, join(ws, 'deid.csv'));
      assert.deepEqual(r.residualPii, []);
      assert.equal(r.columnsOut, r.columnsIn);
    } finally {
      rmSync(ws, { recursive: true, force: true });
    }
  });

  it('reads the privacy.anonymize section of a training config, with errors at their place in that file', () => {
    const text = ['name: demo', 'privacy:', '  anonymize:', '    columns:', '      email: shred', ''].join('\n');
    const parsed = parseConfigText(text, '/tmp/demo.rml.yaml');
    const raw = parsed.value as { privacy: { anonymize: unknown } };
    assert.throws(
      () => anonymizationConfigFromValue(raw.privacy.anonymize, '/tmp/demo.rml.yaml', parsed.sourceMap, { prefix: ['privacy', 'anonymize'] }),
      /\/tmp\/demo\.rml\.yaml:5:14: privacy\.anonymize\.columns\.email must be one of keep, drop, mask or pseudonymize/,
    );
    const good = parseConfigText(text.replace('shred', 'pseudonymize'), '/tmp/demo.rml.yaml');
    const c = anonymizationConfigFromValue((good.value as { privacy: { anonymize: unknown } }).privacy.anonymize, '/tmp/demo.rml.yaml', good.sourceMap, { prefix: ['privacy', 'anonymize'] });
    assert.equal(c.plan.columns.get('email')?.action, 'pseudonymize');
  });
});
