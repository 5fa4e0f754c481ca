/**
 * The lint's data sample (src/core/lint/sample.ts): the byte scanner, the in-memory and streaming
 * paths and the readCsv fallback must agree exactly (rows, lines, header cells, duplicates, hash)
 * on real and on tricky files; the draw is seeded; malformed files fail as readCsv fails.
 */
import { strict as assert } from 'node:assert';
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readCsv } from '../../src/core/data';
import { RmlInputError } from '../../src/core/errors';
import { drawRows, duplicateKey, sampleCsv, sampleToDataset, splitRecord, type SampleOptions } from '../../src/core/lint/sample';

const FIXTURES = join(__dirname, '..', 'fixtures');

describe('lint: data sample', () => {
  let dir: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'rml-sample-'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  const write = (name: string, content: string | Buffer) => {
    const f = join(dir, name);
    writeFileSync(f, content);
    return f;
  };

  /** Every path gives the same sample. */
  async function samePaths(file: string, opts: SampleOptions): Promise<void> {
    const scan = await sampleCsv(file, opts);
    const full = await sampleCsv(file, { ...opts, forceFullRead: true });
    const stream = await sampleCsv(file, { ...opts, inMemoryLimit: 16 });
    assert.equal(scan.method, opts.delimiter && opts.delimiter.length > 1 ? 'full-read' : 'scan');
    for (const k of ['totalRows', 'header', 'warnings', 'lines', 'rows', 'duplicates', 'hash'] as const) {
      assert.deepEqual(scan[k], full[k], `${file}: ${k} (scan vs readCsv)`);
      assert.deepEqual(stream[k], full[k], `${file}: ${k} (streaming vs readCsv)`);
    }
  }

  const tricky: Record<string, string> = {
    'crlf.csv': 'id,name,city,score\r\n1,"Smith, Jane",Paris,3.5\r\n\r\n2,"O""Brien, Pat","New\r\nYork",4\r\n3,Lee,Berlin,NA\r\n3,Lee,Berlin,NA',
    'lone-cr.csv': 'a,b\r1,2\r3,4\r',
    'blank-lines.csv': '\n\n a , "b" ,c\n1,2,3\n1,2,3\n\t\n4,5,6\n x"y" , " q ""z"" " ,  \n\n',
    'bom.csv': '\uFEFFx,y\n1,2\n3,"4\n5"\n',
    'no-final-newline.csv': 'x,y\n1,2\n3,4',
    'unicode.csv': 'név,város\nÁrpád,"Győr, HU"\nZoë,"Zürich 🇨🇭"\n',
    'dup-header.csv': 'a,a,,b\n1,2,3,4\n1,2,3,4\n',
  };

  it('agrees with readCsv on tricky files (line breaks, quotes, BOM, blank lines, unicode, duplicate headers)', async () => {
    for (const [name, content] of Object.entries(tricky)) {
      const f = write(name, content);
      const ds = await readCsv(f, { missing: [] });
      const cols = ds.columns.map((c) => c.name);
      await samePaths(f, { sampleRows: 1000, duplicateColumns: cols.slice(1) });
      await samePaths(f, { sampleRows: 2, duplicateColumns: cols });
    }
  });

  it('agrees with readCsv on other delimiters and encodings', async () => {
    const semi = write('semi.csv', 'a;b;c\n1,5;x;"y;z"\n2;"q";\n');
    await samePaths(semi, { delimiter: ';', duplicateColumns: ['a'] });
    const tab = write('tab.tsv', 'a\tb\n1\t2\n"x\ty"\t3\n1\t2\n');
    await samePaths(tab, { delimiter: '\t', duplicateColumns: ['a', 'b'] });
    const latin = write('latin1.csv', Buffer.from('name,city\nJos\xe9,Z\xfcrich\nFran\xe7ois,"Paris, FR"\n', 'latin1'));
    await samePaths(latin, { encoding: 'latin1' });
    const utf16 = write('utf16.csv', Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('a,b\n1,ü\n2,"x,y"\n', 'utf16le')]));
    await samePaths(utf16, { encoding: 'utf-16le' });
    const multi = write('multi.csv', 'a||b\n1||2\n3||4\n');
    const s = await sampleCsv(multi, { delimiter: '||' });
    assert.equal(s.method, 'full-read', 'a multi-character delimiter goes to readCsv');
    assert.deepEqual(s.rows, [['1', '2'], ['3', '4']]);
  });

  it('agrees with readCsv on the real fixtures, sampled and whole', async () => {
    for (const f of [join(FIXTURES, 'csv', 'people.csv'), join(FIXTURES, 'lint', 'flawed', 'customers.csv'), join(FIXTURES, 'german', 'german.csv')]) {
      const ds = await readCsv(f, { missing: [] });
      const cols = ds.columns.map((c) => c.name);
      await samePaths(f, { sampleRows: 100, duplicateColumns: cols.slice(1) });
      await samePaths(f, { sampleRows: 100_000, duplicateColumns: (h) => h.slice(2) });
    }
  });

  it('draws a seeded sample: k distinct rows in file order, the same for the same seed', async () => {
    const f = join(FIXTURES, 'lint', 'compas', 'compas-scores-two-years.csv');
    const a = await sampleCsv(f, { sampleRows: 500, seed: 1 });
    const b = await sampleCsv(f, { sampleRows: 500, seed: 1 });
    const c = await sampleCsv(f, { sampleRows: 500, seed: 2 });
    assert.equal(a.totalRows, 7214);
    assert.equal(a.rows.length, 500);
    assert.deepEqual(a.lines, b.lines);
    assert.notDeepEqual(a.lines, c.lines);
    for (let i = 1; i < a.lines.length; i++) assert.ok(a.lines[i] > a.lines[i - 1]);
    // Each sampled row is the file's row at that line.
    const ds = await readCsv(f, { missing: [] });
    const byLine = new Map(Array.from(ds.rowLines, (line, r) => [line, r]));
    for (let k = 0; k < a.lines.length; k += 37) {
      const r = byLine.get(a.lines[k]);
      assert.ok(r !== undefined);
      assert.deepEqual(a.rows[k], ds.columns.map((col) => col.values[r] ?? ''));
    }
    // The header cells are readCsv's.
    assert.deepEqual(a.header, ds.header);
  });

  it('drawRows: uniform without replacement, all rows when there are few', () => {
    assert.deepEqual(Array.from(drawRows(5, 10, 1)), [0, 1, 2, 3, 4]);
    const d = drawRows(1000, 100, 9);
    assert.equal(new Set(d).size, 100);
    assert.ok(d.every((x) => x >= 0 && x < 1000));
    // Each row is drawn with probability k/n: over many seeds the first row appears ~10% of the time.
    let hits = 0;
    for (let s = 0; s < 2000; s++) if (drawRows(1000, 100, s)[0] === 0) hits++;
    assert.ok(hits > 150 && hits < 260, `row 0 drawn ${hits} times in 2000`);
  });

  it('counts duplicate rows over the whole file, on the chosen columns', async () => {
    const f = write('dups.csv', 'id,a,b,y\n1,x,1,p\n2,x,1,p\n3,x,1,p\n4,y,2,n\n5,y,2,n\n6,z,3,p\n7,z,3,n\n');
    const s = await sampleCsv(f, { sampleRows: 2, duplicateColumns: ['a', 'b', 'y'] });
    const d = s.duplicates[duplicateKey(['a', 'b', 'y'])];
    assert.equal(d.rows, 7);
    assert.equal(d.duplicateRows, 3, 'x,1,p three times (2 copies) and y,2,n twice (1)');
    assert.equal(d.groups, 2);
    assert.deepEqual(d.sizes, [[2, 1], [3, 1]]);
    const all = await sampleCsv(f, { duplicateColumns: (h) => h });
    assert.equal(all.duplicates[duplicateKey(['id', 'a', 'b', 'y'])].duplicateRows, 0, 'the id makes every row unique');
  });

  it('turns the sample into a Dataset as readCsv would type it', async () => {
    const f = join(FIXTURES, 'csv', 'types.csv');
    const s = await sampleCsv(f);
    const ds = sampleToDataset(s, ['', 'NA', 'N/A', '?', 'null']);
    const ref = await readCsv(f);
    assert.deepEqual(ds.columns.map((c) => [c.name, c.type, c.missing]), ref.columns.map((c) => [c.name, c.type, c.missing]));
    assert.deepEqual(ds.columns.map((c) => c.values), ref.columns.map((c) => c.values));
    assert.deepEqual(Array.from(ds.rowLines), Array.from(ref.rowLines));
    assert.equal(ds.hash, ref.hash);
  });

  it('splits records as csv-parse does', () => {
    assert.deepEqual(splitRecord(' a , "b,c" ,"d ""e""",  f g  ,', ','), ['a', 'b,c', 'd "e"', 'f g', '']);
    assert.deepEqual(splitRecord('x"y",2', ','), ['x"y"', '2']);
    assert.deepEqual(splitRecord('"multi\nline",z', ','), ['multi\nline', 'z']);
  });

  describe('malformed files fail as readCsv fails, with the line', () => {
    const cases: [string, string | Buffer, RegExp, number][] = [
      ['empty.csv', '', /empty/, 1],
      ['header-only.csv', 'a,b\n', /no data rows/, 1],
      ['ragged.csv', 'a,b\n1,2\n3\n4,5\n', /line 3 has 1 field, expected 2/, 3],
      ['unclosed.csv', 'a,b\n1,"2\n3,4\n', /unclosed quote/, 2],
      ['after-quote.csv', 'a,b\n1,"2"x\n', /after a closing quote/, 2],
      ['bad-utf8.csv', Buffer.from([0x61, 0x2c, 0x62, 0x0a, 0x31, 0x2c, 0xff, 0x0a]), /not valid UTF-8/, 2],
      ['binary.csv', Buffer.from([0x61, 0x2c, 0x62, 0x0a, 0x31, 0x00, 0x32, 0x0a]), /binary|NUL/, 2],
    ];
    for (const [name, content, message, line] of cases) {
      it(name, async () => {
        const f = write(name, content);
        for (const opts of [{}, { inMemoryLimit: 4 }]) {
          await assert.rejects(sampleCsv(f, opts), (e: unknown) => {
            assert.ok(e instanceof RmlInputError, String(e));
            assert.match(e.message, message);
            assert.equal(e.location?.line, line);
            return true;
          });
        }
      });
    }
    it('a missing file and a folder', async () => {
      await assert.rejects(sampleCsv(join(dir, 'nope.csv')), /not found/);
      mkdirSync(join(dir, 'folder.csv'), { recursive: true });
      await assert.rejects(sampleCsv(join(dir, 'folder.csv')), /directory/);
    });
  });
});
