/**
 * The cache of data samples, so that linting an unchanged data file again costs a stat and a
 * JSON read instead of a scan.
 *
 * Key: the data file's absolute path, size, modification time and inode, plus everything that
 * changes the sample (delimiter, encoding, sample size and seed, the sample format version).
 * A changed file gets a new key; duplicate statistics for a new set of compared columns are
 * computed on demand and added to the entry.
 *
 * Two levels: an in-process LRU of a few entries (the editor re-lints as you type) and JSON files
 * under `<config folder>/.rml/cache/` (the CLI starts fresh each time), written atomically
 * (temporary file, then rename) and readable by the owner only, since a sample of a data set is
 * as personal as the data set.
 */
import { createHash, randomBytes } from 'node:crypto';
import { promises as fsp } from 'node:fs';
import * as path from 'node:path';
import { countDuplicates, duplicateKey, resolveDuplicateColumns, sampleCsv, SAMPLE_FORMAT_VERSION, type RawSample, type SampleOptions } from './sample';
import type { Finding, LintCacheOptions } from './types';

/** Entries kept in memory (least recently used dropped first). */
const MEMORY_ENTRIES = 8;
const memory = new Map<string, RawSample>();

/** Forget every in-memory sample (tests and benchmarks use it to measure the disk cache). */
export function clearMemoryCache(): void {
  memory.clear();
}

/** Where the disk cache of a config lives. */
export function cacheDirFor(configFile: string): string {
  return path.join(path.dirname(configFile), '.rml', 'cache');
}

/** How the sample was obtained, for messages and the benchmark. */
export type SampleSource = 'memory' | 'disk' | 'scan';

/**
 * The sample of `file`, from the cache when the file is unchanged, else drawn (and cached).
 * @param configFile the config that references the data (its folder holds the disk cache)
 * @param duplicateColumns columns whose duplicate statistics are needed (computed when missing)
 * @throws whatever `sampleCsv` throws for an unreadable file
 */
export async function cachedSample(
  file: string,
  opts: SampleOptions,
  cache: LintCacheOptions | false | undefined,
  configFile: string,
): Promise<{ sample: RawSample; source: SampleSource; key?: string }> {
  const abs = path.resolve(file);
  const useMemory = cache !== false && cache?.memory !== false;
  const useDisk = cache !== false && cache?.disk !== false;
  let key: string | undefined;
  try {
    const st = await fsp.stat(abs);
    if (st.isFile()) {
      key = hash(
        JSON.stringify([SAMPLE_FORMAT_VERSION, abs, st.size, st.mtimeMs, st.ino, opts.delimiter ?? ',', opts.encoding ?? 'utf-8', opts.sampleRows, opts.seed]),
      );
    }
  } catch {
    // Not there: sampleCsv reports it properly.
  }
  const diskFile = path.join(cacheDirFor(configFile), `sample-${hash(JSON.stringify([abs, opts.delimiter ?? ',', opts.encoding ?? 'utf-8']))}.json`);

  let sample: RawSample | undefined;
  let source: SampleSource = 'scan';
  if (key !== undefined && useMemory) {
    sample = memory.get(key);
    if (sample) {
      memory.delete(key);
      memory.set(key, sample);
      source = 'memory';
    }
  }
  if (!sample && key !== undefined && useDisk) {
    sample = await readDisk(diskFile, key);
    if (sample) source = 'disk';
  }
  let changed = false;
  if (!sample) {
    sample = await sampleCsv(abs, opts);
    changed = true;
  } else {
    const wanted = resolveDuplicateColumns(opts.duplicateColumns, sample.header.map((h) => h.name));
    if (wanted && !sample.duplicates[duplicateKey(wanted)]) {
      const { duplicateColumns: _ignored, ...rest } = opts;
      const stats = await countDuplicates(sample, wanted, rest);
      sample = { ...sample, duplicates: { ...sample.duplicates, [duplicateKey(wanted)]: stats } };
      changed = true;
    }
  }
  if (key !== undefined) {
    if (useMemory) {
      memory.set(key, sample);
      while (memory.size > MEMORY_ENTRIES) memory.delete(memory.keys().next().value as string);
    }
    if (useDisk && changed) await writeDisk(diskFile, key, sample);
  }
  return { sample, source, ...(key !== undefined ? { key } : {}) };
}

function hash(s: string): string {
  return createHash('sha256').update(s).digest('hex').slice(0, 32);
}

async function readDisk(file: string, key: string): Promise<RawSample | undefined> {
  try {
    const parsed = JSON.parse(await fsp.readFile(file, 'utf8')) as { key?: unknown; sample?: RawSample };
    if (parsed.key !== key || !parsed.sample || parsed.sample.version !== SAMPLE_FORMAT_VERSION) return undefined;
    return parsed.sample;
  } catch {
    return undefined; // absent, unreadable or corrupt: draw again
  }
}

async function writeDisk(file: string, key: string, sample: RawSample): Promise<void> {
  const tmp = `${file}.tmp-${randomBytes(4).toString('hex')}`;
  try {
    await fsp.mkdir(path.dirname(file), { recursive: true });
    await fsp.writeFile(tmp, JSON.stringify({ key, sample }), { mode: 0o600 });
    await fsp.rename(tmp, file);
  } catch {
    // A read-only workspace only loses the cache.
    await fsp.rm(tmp, { force: true }).catch(() => undefined);
  }
}


// ------------------------------------------------------------------ results of the data rules

/** Bump when the cached findings' shape changes. */
const RESULTS_FORMAT = 1;

/** What the running code is: its version and, for a bundle, the bundle file's size and time. */
let codeStamp: string | undefined;
async function stampOfCode(version: string): Promise<string> {
  if (codeStamp === undefined) {
    let file = '';
    try {
      const st = await fsp.stat(__filename);
      file = `${st.size}:${st.mtimeMs}`;
    } catch {
      // No file behind this module: the version alone.
    }
    codeStamp = `${version}:${file}`;
  }
  return codeStamp;
}

/**
 * The key of the data rules' findings: everything they read. The config's text (its features,
 * target and sensitive columns, and the locations the findings point at), the data sample's key
 * (file path, size, modification time, inode and sampling settings), the resolved settings, the
 * rules that ran, the workspace root and the running code (version and bundle).
 */
export async function resultsKey(parts: { version: string; configFile: string; text: string; root: string; sampleKey: string; settings: unknown; rules: readonly string[] }): Promise<string> {
  return hash(JSON.stringify([RESULTS_FORMAT, await stampOfCode(parts.version), parts.configFile, parts.text, parts.root, parts.sampleKey, parts.settings, parts.rules]));
}

function resultsFile(configFile: string): string {
  return path.join(cacheDirFor(configFile), `lint-${hash(path.resolve(configFile))}.json`);
}

/**
 * The data rules' findings saved by an earlier lint with the same key, if any. One file per
 * config (`.rml/cache/lint-<hash of its path>.json`), replaced when the key changes.
 */
export async function readResults(configFile: string, key: string): Promise<Finding[] | undefined> {
  try {
    const parsed = JSON.parse(await fsp.readFile(resultsFile(configFile), 'utf8')) as { key?: unknown; findings?: unknown };
    return parsed.key === key && Array.isArray(parsed.findings) ? (parsed.findings as Finding[]) : undefined;
  } catch {
    return undefined;
  }
}

/** Save the data rules' findings under `key` (atomically, owner-only; a read-only folder only loses the cache). */
export async function writeResults(configFile: string, key: string, findings: readonly Finding[]): Promise<void> {
  const file = resultsFile(configFile);
  const tmp = `${file}.tmp-${randomBytes(4).toString('hex')}`;
  try {
    await fsp.mkdir(path.dirname(file), { recursive: true });
    await fsp.writeFile(tmp, JSON.stringify({ key, findings }), { mode: 0o600 });
    await fsp.rename(tmp, file);
  } catch {
    await fsp.rm(tmp, { force: true }).catch(() => undefined);
  }
}
