import { strict as assert } from 'node:assert';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { RmlCancelledError, RmlInputError } from '../../src/core/errors';
import {
  dedupeHeader,
  firstInvalidUtf8,
  headerCell,
  inferColumnType,
  parseNumber,
  readCsv,
  requireColumn,
  scanHeaderCells,
} from '../../src/core/data';
import type { Dataset, ReadCsvOptions } from '../../src/core/data';

const FIXTURES = path.join(__dirname, '..', 'fixtures', 'csv');
const SHARED_ADULT = path.join(__dirname, '..', '..', '..', 'shared', 'data', 'adult_train.csv');

let tmp: string;
let counter = 0;

/** Write `content` (exact bytes) to a fresh file in the temp dir and return its path. */
function tmpFile(content: string | Buffer, name = `f${++counter}.csv`): string {
  const p = path.join(tmp, name);
  fs.writeFileSync(p, content);
  return p;
}

/** Await `p`, expect an RmlInputError and return it. */
async function inputError(p: Promise<unknown>): Promise<RmlInputError> {
  try {
    await p;
  } catch (err) {
    assert.ok(err instanceof RmlInputError, `expected RmlInputError, got ${String(err)}`);
    return err;
  }
  assert.fail('expected an RmlInputError');
}

async function read(content: string | Buffer, opts?: ReadCsvOptions): Promise<Dataset> {
  return readCsv(tmpFile(content), opts);
}

function col(ds: Dataset, name: string): (string | null)[] {
  const c = ds.byName.get(name);
  assert.ok(c, `no column ${name}`);
  return c.values;
}

describe('readCsv', () => {
  before(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'rml-csv-'));
  });
  after(() => {
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  describe('parsing', () => {
    it('reads quoted fields with delimiters, doubled quotes and line breaks; rowLines follow the source', async () => {
      const ds = await readCsv(path.join(FIXTURES, 'people.csv'));
      assert.equal(ds.file, path.resolve(FIXTURES, 'people.csv'));
      assert.equal(ds.rowCount, 3);
      assert.deepEqual(ds.columns.map((c) => c.name), ['id', 'name', 'city', 'score']);
      assert.deepEqual(col(ds, 'name'), ['Smith, Jane', 'O"Brien, Pat', 'Lee']);
      assert.deepEqual(col(ds, 'city'), ['Paris', 'New\nYork', 'Berlin']);
      // Row 2 spans lines 3-4, so row 3 starts on line 5.
      assert.deepEqual([...ds.rowLines], [2, 3, 5]);
      assert.equal(ds.byName.get('score')?.type, 'numeric');
      assert.equal(ds.byName.get('score')?.missing, 1);
      assert.deepEqual(ds.columns.map((c) => c.index), [0, 1, 2, 3]);
    });

    it('counts a CRLF inside quotes as one line and skips blank lines', async () => {
      const ds = await read('a,b\r\n1,"x\r\ny\r\nz"\r\n\r\n2,"p"\r\n3,q\r\n');
      assert.deepEqual(col(ds, 'b'), ['x\r\ny\r\nz', 'p', 'q']);
      // line 1 header, 2-4 first row, 5 blank, 6 and 7.
      assert.deepEqual([...ds.rowLines], [2, 6, 7]);
    });

    it('strips a UTF-8 BOM and reads CRLF files', async () => {
      const ds = await read(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('name,n\r\nx,1\r\ny,2\r\n')]));
      assert.deepEqual(ds.columns.map((c) => c.name), ['name', 'n']);
      assert.deepEqual(col(ds, 'name'), ['x', 'y']);
      assert.deepEqual(col(ds, 'n'), ['1', '2']);
      assert.deepEqual([...ds.rowLines], [2, 3]);
      // Columns are counted after the BOM.
      assert.deepEqual(ds.header.map((h) => [h.startColumn, h.endColumn]), [[1, 5], [6, 7]]);
    });

    it('reads a file without a final line break', async () => {
      const ds = await read('a,b\n1,2\n3,4');
      assert.deepEqual(col(ds, 'b'), ['2', '4']);
      assert.deepEqual([...ds.rowLines], [2, 3]);
    });

    it('uses a custom delimiter', async () => {
      const ds = await readCsv(path.join(FIXTURES, 'semicolon.csv'), { delimiter: ';' });
      assert.deepEqual(ds.columns.map((c) => c.name), ['name', 'height', 'ok']);
      assert.deepEqual(col(ds, 'name'), ['a;b', 'c']);
      assert.deepEqual([...(ds.byName.get('height')?.numbers ?? [])], [1.5, 2.25]);
      assert.equal(ds.byName.get('ok')?.type, 'boolean');
    });

    it('trims whitespace around values (Adult style ", value"), also before a quoted field', async () => {
      const ds = await read('age, workclass, note\n39, State-gov, "a, b"\n50,  ? ,\t"  padded "\n');
      assert.deepEqual(ds.columns.map((c) => c.name), ['age', 'workclass', 'note']);
      assert.deepEqual(col(ds, 'workclass'), ['State-gov', null]);
      assert.deepEqual(col(ds, 'note'), ['a, b', 'padded']);
      assert.equal(ds.byName.get('workclass')?.missing, 1);
    });

    it('keeps a stray quote inside an unquoted field literally', async () => {
      const ds = await read('h,w\n5\'10",70\n');
      assert.deepEqual(col(ds, 'h'), ['5\'10"']);
    });

    it('hashes the raw bytes with sha256', async () => {
      const bytes = Buffer.from('\ufeffa,b\r\n1,2\r\n');
      const ds = await read(bytes);
      assert.equal(ds.hash, createHash('sha256').update(bytes).digest('hex'));
    });

    it('keeps only opts.columns, in file order, with all header cells', async () => {
      const ds = await read('a,b,c,d\n1,2,3,4\n5,6,7,8\n', { columns: ['d', 'b'] });
      assert.deepEqual(ds.columns.map((c) => c.name), ['b', 'd']);
      assert.deepEqual(ds.columns.map((c) => c.index), [0, 1]);
      assert.deepEqual(col(ds, 'd'), ['4', '8']);
      assert.equal(ds.header.length, 4);
      assert.deepEqual(headerCell(ds, 'c'), { name: 'c', original: 'c', line: 1, startColumn: 5, endColumn: 6 });
    });

    it('decodes a character split across the 256 KiB read-chunk boundary', async () => {
      // 'k,v\n1,' is 6 bytes; the 2-byte 'é' then starts at byte 262143, the last of the first chunk.
      const ds = await read(`k,v\n1,${'x'.repeat(262143 - 6)}é!\n2,b\n`);
      assert.equal(col(ds, 'v')[0]?.slice(-2), 'é!');
      assert.deepEqual([...ds.rowLines], [2, 3]);
    });

    it('reads a multi-chunk file with multi-byte characters split across chunk boundaries', async () => {
      // 'é' is 2 bytes and '€' 3 bytes; with lines of odd lengths the 256 KiB chunk
      // boundaries fall inside characters somewhere.
      const lines = ['k,v'];
      for (let i = 0; i < 40000; i++) lines.push(`${i},é€${'x'.repeat(i % 7)}`);
      const ds = await read(lines.join('\n') + '\n');
      assert.equal(ds.rowCount, 40000);
      const v = col(ds, 'v');
      assert.equal(v[0], 'é€');
      assert.equal(v[39999], `é€${'x'.repeat(39999 % 7)}`);
      assert.ok(v.every((s) => s !== null && s.startsWith('é€')));
      assert.equal(ds.rowLines[39999], 40001);
    });
  });

  describe('encodings', () => {
    it('decodes latin1 when declared (windows-1252, as browsers do)', async () => {
      const ds = await read(Buffer.from([...Buffer.from('city,price\n'), 0x4d, 0xfc, 0x6e, 0x63, 0x68, 0x65, 0x6e, 0x2c, 0x35, 0x80, 0x0a]), { encoding: 'latin1' });
      assert.deepEqual(col(ds, 'city'), ['München']);
      assert.deepEqual(col(ds, 'price'), ['5€']);
    });

    it('refuses invalid UTF-8 without a declaration, naming the line and the fix', async () => {
      const bytes = Buffer.concat([Buffer.from('city,n\nParis,1\nM'), Buffer.from([0xfc]), Buffer.from('nchen,2\n')]);
      const err = await inputError(read(bytes));
      assert.match(err.message, /is not valid UTF-8 \(first bad byte 0xfc at line 3\); set data\.encoding: latin1/);
      assert.equal(err.location?.line, 3);
      assert.equal(err.location?.column, 2);
      assert.equal(err.field, 'data.encoding');
    });

    it('refuses a UTF-8 sequence truncated at the end of the file', async () => {
      const err = await inputError(read(Buffer.concat([Buffer.from('a\nx\ny'), Buffer.from([0xe2, 0x82])])));
      assert.match(err.message, /not valid UTF-8.*line 3/);
      assert.equal(err.location?.line, 3);
    });

    it('decodes utf-16le when declared (BOM removed)', async () => {
      const text = 'name,n\r\nÅsa,1\r\nBo,2\r\n';
      const ds = await read(Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]), { encoding: 'utf-16le' });
      assert.deepEqual(ds.columns.map((c) => c.name), ['name', 'n']);
      assert.deepEqual(col(ds, 'name'), ['Åsa', 'Bo']);
      assert.deepEqual([...(ds.byName.get('n')?.numbers ?? [])], [1, 2]);
    });

    it('points at data.encoding for an undeclared UTF-16 file', async () => {
      const withBom = await inputError(read(Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('a,b\n1,2\n', 'utf16le')])));
      assert.match(withBom.message, /UTF-16.*utf-16le/);
      const noBom = await inputError(read(Buffer.from('a,b\n1,2\n', 'utf16le')));
      assert.match(noBom.message, /NUL byte at line 1.*utf-16le/);
    });

    it('rejects an unsupported encoding name', async () => {
      const err = await inputError(read('a\n1\n', { encoding: 'ebcdic' as ReadCsvOptions['encoding'] }));
      assert.match(err.message, /unsupported data\.encoding 'ebcdic'/);
    });
  });

  describe('header', () => {
    it('renames duplicate names name.1, name.2 with a warning (like COMPAS decile_score)', async () => {
      const ds = await read('id,decile_score,x,decile_score,decile_score,x\n1,2,3,4,5,6\n');
      assert.deepEqual(ds.columns.map((c) => c.name), ['id', 'decile_score', 'x', 'decile_score.1', 'decile_score.2', 'x.1']);
      assert.deepEqual(col(ds, 'decile_score.1'), ['4']);
      assert.equal(ds.warnings.length, 2);
      assert.match(ds.warnings[0], /duplicate column name 'decile_score' \(columns 2, 4, 5\).*'decile_score\.1', 'decile_score\.2'/);
      assert.match(ds.warnings[1], /duplicate column name 'x' \(columns 3, 6\).*'x\.1'/);
      const dup = headerCell(ds, 'decile_score.1');
      assert.equal(dup?.original, 'decile_score');
      assert.equal(dup?.startColumn, 19); // `id,decile_score,x,` is 18 characters
    });

    it('does not collide with an existing name.1', () => {
      assert.deepEqual(dedupeHeader(['a', 'a', 'a.1']).names, ['a', 'a.2', 'a.1']);
    });

    it('names empty header cells column_N with a warning', async () => {
      const ds = await read('a,,c,\n1,2,3,4\n');
      assert.deepEqual(ds.columns.map((c) => c.name), ['a', 'column_2', 'c', 'column_4']);
      assert.equal(ds.warnings.length, 1);
      assert.match(ds.warnings[0], /empty header names at columns 2, 4/);
      assert.deepEqual(headerCell(ds, 'column_4'), { name: 'column_4', original: '', line: 1, startColumn: 6, endColumn: 6 });
    });

    it('records exact header cell ranges, quotes included, after leading blank lines', async () => {
      const ds = await read('\n\n id, "full name",age\n1,2,3\n');
      // Line 3 is ` id, "full name",age`: id at 2-3, "full name" (with quotes) at 6-16, age at 18-20.
      assert.deepEqual(
        ds.header.map((h) => [h.name, h.line, h.startColumn, h.endColumn]),
        [
          ['id', 3, 2, 4],
          ['full name', 3, 6, 17],
          ['age', 3, 18, 21],
        ],
      );
      assert.deepEqual([...ds.rowLines], [4]);
    });

    it('scans header cells with a multi-character delimiter and doubled quotes', () => {
      assert.deepEqual(scanHeaderCells('a||"b""c"||  d  \nx', '||'), [
        { line: 1, startColumn: 1, endColumn: 2 },
        { line: 1, startColumn: 4, endColumn: 10 },
        { line: 1, startColumn: 14, endColumn: 15 },
      ]);
    });
  });

  describe('types and missing values', () => {
    it('infers numeric, boolean and categorical columns and maps the default missing tokens to null', async () => {
      const ds = await readCsv(path.join(FIXTURES, 'types.csv'));
      const types = Object.fromEntries(ds.columns.map((c) => [c.name, c.type]));
      assert.deepEqual(types, {
        num: 'numeric',
        bin01: 'numeric', // 0/1 stays numeric by convention
        yn: 'boolean',
        tf: 'boolean',
        letters: 'boolean',
        cat: 'categorical',
        hex: 'categorical',
        inf: 'categorical',
        allmissing: 'categorical',
        mixed: 'categorical',
      });
      assert.deepEqual([...(ds.byName.get('num')?.numbers ?? [])], [1, -2.5, 300, 0.5, 7]);
      const bin = ds.byName.get('bin01');
      assert.deepEqual([...(bin?.numbers ?? [])].slice(0, 4), [0, 1, 1, 0]);
      assert.ok(Number.isNaN(bin?.numbers?.[4]));
      assert.equal(bin?.missing, 1);
      assert.deepEqual(col(ds, 'yn'), ['yes', 'no', 'Yes', null, 'no']);
      assert.deepEqual(col(ds, 'allmissing'), [null, null, null, null, null]);
      assert.equal(ds.byName.get('allmissing')?.missing, 5);
      assert.equal(ds.byName.get('cat')?.missing, 1);
      assert.equal(ds.byName.get('cat')?.numbers, undefined);
      assert.equal(ds.byName.get('yn')?.numbers, undefined);
    });

    it('uses custom missing tokens instead of the defaults', async () => {
      const ds = await read('a,b\n-,?\n1,NA\n2,\n', { missing: ['-', ''] });
      assert.deepEqual(col(ds, 'a'), [null, '1', '2']);
      assert.equal(ds.byName.get('a')?.type, 'numeric');
      assert.deepEqual(col(ds, 'b'), ['?', 'NA', null]);
      assert.equal(ds.byName.get('b')?.missing, 1);
    });

    it('parseNumber accepts plain decimals only', () => {
      for (const [s, v] of [['0', 0], ['-1', -1], ['+7', 7], ['3.25', 3.25], ['.5', 0.5], ['5.', 5], ['1e3', 1000], ['-2.5E-2', -0.025], ['007', 7]] as const) {
        assert.equal(parseNumber(s), v, s);
      }
      for (const s of ['', ' ', '-', '.', 'e5', '1e', '0x1F', 'Infinity', '-Infinity', 'NaN', '1_000', '1,5', '1e400', '1.2.3', '--1', '1 2']) {
        assert.ok(Number.isNaN(parseNumber(s)), s);
      }
    });

    it('inferColumnType: boolean words, letter pairs need both letters', () => {
      assert.equal(inferColumnType(['yes', 'yes']).type, 'boolean');
      assert.equal(inferColumnType(['TRUE', null, 'False']).type, 'boolean');
      assert.equal(inferColumnType(['y', 'N']).type, 'boolean');
      assert.equal(inferColumnType(['Y', 'Y']).type, 'categorical');
      assert.equal(inferColumnType(['yes', 'true']).type, 'categorical');
      assert.equal(inferColumnType(['0', '1']).type, 'numeric');
      assert.equal(inferColumnType([null, null]).type, 'categorical');
    });

    it('firstInvalidUtf8 finds overlongs, surrogates and truncation', () => {
      assert.equal(firstInvalidUtf8(Buffer.from('héllo €')), -1);
      assert.equal(firstInvalidUtf8(Buffer.from([0x61, 0xc0, 0x80])), 1); // overlong
      assert.equal(firstInvalidUtf8(Buffer.from([0x61, 0xed, 0xa0, 0x80])), 1); // surrogate
      assert.equal(firstInvalidUtf8(Buffer.from([0x61, 0x62, 0xe2, 0x82])), 2); // truncated
      assert.equal(firstInvalidUtf8(Buffer.from([0x80])), 0);
    });
  });

  describe('errors', () => {
    it('missing file', async () => {
      const p = path.join(tmp, 'nope.csv');
      const err = await inputError(readCsv(p));
      assert.equal(err.message, `data file not found: ${p}`);
      assert.deepEqual(err.location, { file: p, line: 1, column: 1 });
    });

    it('a directory', async () => {
      const err = await inputError(readCsv(tmp));
      assert.match(err.message, /is a directory/);
      assert.equal(err.location?.line, 1);
    });

    it('an empty file, and one with only blank lines', async () => {
      const e1 = await inputError(read(''));
      assert.match(e1.message, /data file is empty/);
      assert.equal(e1.location?.line, 1);
      const e2 = await inputError(read('\n \r\n\n'));
      assert.match(e2.message, /data file is empty/);
    });

    it('a header without data rows', async () => {
      const err = await inputError(read('\na,b,c\n\n'));
      assert.match(err.message, /header row but no data rows/);
      assert.equal(err.location?.line, 2);
    });

    it('a ragged row: line, expected and got', async () => {
      const err = await inputError(read('a,b,c\n1,2,3\n"multi\nline",2,3\n4,5\n6,7,8\n'));
      assert.equal(err.message, 'row at line 5 has 2 fields, expected 3 like the header (line 1)');
      assert.equal(err.location?.line, 5);
      assert.equal(err.location?.column, 1);
      const more = await inputError(read('a,b\n1,2,3\n'));
      assert.match(more.message, /line 2 has 3 fields, expected 2/);
    });

    it('an unclosed quote: reported where its record starts', async () => {
      const err = await inputError(read('a,b\n1,2\n3,"abc\n4,5\n6,7\n'));
      assert.match(err.message, /unclosed quote.*line 3/);
      assert.equal(err.location?.line, 3);
    });

    it('text after a closing quote', async () => {
      const err = await inputError(read('a,b\n1,2\n"x\ny"z,3\n'));
      assert.match(err.message, /after a closing quote at line 4/);
      assert.equal(err.location?.line, 4);
    });

    it('a field longer than maxFieldLength', async () => {
      const err = await inputError(read(`a,b\n1,2\n3,${'x'.repeat(101)}\n`, { maxFieldLength: 100 }));
      assert.match(err.message, /field 2 \(b\) at line 3 is 101 characters long, over the limit of 100 \(maxFieldLength\)/);
      assert.equal(err.location?.line, 3);
      // Exactly at the limit is fine.
      const ds = await read(`a,b\n1,${'x'.repeat(100)}\n`, { maxFieldLength: 100 });
      assert.equal(ds.rowCount, 1);
    });

    it('a 10 MB single line fails fast with a clear error', async function () {
      this.timeout(20000);
      const p = tmpFile(Buffer.concat([Buffer.from('a,b\n1,2\n'), Buffer.alloc(10 * 1024 * 1024, 0x78), Buffer.from('\n')]));
      const t0 = Date.now();
      const err = await inputError(readCsv(p));
      assert.match(err.message, /line 3 is longer than 8,388,608 characters/);
      assert.equal(err.location?.line, 3);
      assert.ok(Date.now() - t0 < 10000);
      const heapMb = process.memoryUsage().heapUsed / 2 ** 20;
      assert.ok(heapMb < 1024, `heap ${heapMb} MB`);
      // With the default limits a 2 MB field under the record limit hits maxFieldLength.
      const big = await inputError(read(`a\n${'y'.repeat(2 * 1024 * 1024)}\n`));
      assert.match(big.message, /field 1 \(a\) at line 2 is 2,097,152 characters long.*maxFieldLength/);
    });

    it('an unclosed quote that runs past the record limit', async () => {
      const err = await inputError(read(`a,b\n1,2\n3,"${'z,\n'.repeat(500)}`, { maxFieldLength: 100, maxRecordLength: 200 }));
      assert.match(err.message, /unclosed quote: the record starting at line 3 .* runs on for more than 200 characters/);
      assert.equal(err.location?.line, 3);
    });

    it('a file larger than maxBytes', async () => {
      const err = await inputError(read('a,b\n1,2\n3,4\n', { maxBytes: 8 }));
      assert.match(err.message, /larger than the limit of 8 bytes \(maxBytes\)/);
    });

    it('binary content (NUL bytes)', async () => {
      const err = await inputError(read(Buffer.concat([Buffer.from('a,b\n1,2\n3,'), Buffer.from([0, 0, 0, 0x01]), Buffer.from('\n')])));
      assert.match(err.message, /looks binary \(NUL byte at line 3\)/);
      assert.equal(err.location?.line, 3);
    });

    it('an unknown column in opts.columns lists the available ones', async () => {
      const err = await inputError(read('a,b,c\n1,2,3\n', { columns: ['a', 'x'] }));
      assert.equal(err.message, "unknown column 'x'; available: a, b, c");
      assert.equal(err.location?.line, 1);
    });

    it('an invalid delimiter', async () => {
      const err = await inputError(read('a\n1\n', { delimiter: '' }));
      assert.match(err.message, /invalid CSV delimiter/);
    });

    it('requireColumn names the available columns', async () => {
      const ds = await read('Age,sex\n1,M\n');
      assert.equal(requireColumn(ds, 'sex').name, 'sex');
      assert.throws(() => requireColumn(ds, 'age', undefined, 'data.target'), (e: unknown) => {
        assert.ok(e instanceof RmlInputError);
        assert.equal(e.message, "unknown column 'age' (did you mean 'Age'?); available: Age, sex");
        assert.equal(e.field, 'data.target');
        return true;
      });
    });
  });

  describe('cancellation', () => {
    it('rejects with RmlCancelledError when already aborted', async () => {
      const ac = new AbortController();
      ac.abort();
      await assert.rejects(read('a\n1\n', { signal: ac.signal }), RmlCancelledError);
    });

    it('stops reading when aborted mid-file', async function () {
      this.timeout(20000);
      const rows = ['a,b,c'];
      for (let i = 0; i < 300000; i++) rows.push(`${i},${i * 2},c${i % 10}`);
      const p = tmpFile(rows.join('\n'));
      const ac = new AbortController();
      const pending = readCsv(p, { signal: ac.signal });
      setTimeout(() => ac.abort(), 5);
      await assert.rejects(pending, RmlCancelledError);
    });
  });

  describe('real data', () => {
    it('reads the Adult head fixture with ? as missing', async () => {
      const file = path.join(FIXTURES, 'adult_head.csv');
      const ds = await readCsv(file);
      assert.equal(ds.rowCount, 200);
      assert.equal(ds.columns.length, 15);
      assert.equal(ds.byName.get('age')?.type, 'numeric');
      assert.equal(ds.byName.get('workclass')?.type, 'categorical');
      // Count '?' independently with a naive split (the fixture has no quotes).
      const lines = fs.readFileSync(file, 'utf8').trim().split('\n').slice(1);
      const expected = lines.filter((l) => l.split(',')[1] === '?').length;
      assert.ok(expected > 0);
      assert.equal(ds.byName.get('workclass')?.missing, expected);
      assert.ok(!col(ds, 'workclass').includes('?'));
      assert.equal(ds.rowLines[199], 201);
      assert.deepEqual(headerCell(ds, 'workclass'), { name: 'workclass', original: 'workclass', line: 1, startColumn: 5, endColumn: 14 });
    });

    it('reads the full Adult training file when ../shared is present', async function () {
      if (!fs.existsSync(SHARED_ADULT)) this.skip();
      this.timeout(30000);
      const t0 = performance.now();
      const ds = await readCsv(SHARED_ADULT);
      const ms = performance.now() - t0;
      assert.equal(ds.rowCount, 32561);
      assert.equal(ds.columns.length, 15);
      assert.ok((ds.byName.get('workclass')?.missing ?? 0) > 0);
      assert.ok(ms < 5000, `took ${ms} ms`);
    });
  });
});
