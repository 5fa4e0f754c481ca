/**
 * The run record: `.rml/runs/<timestamp>-<name>/` beside the config, written atomically —
 * every file goes into a hidden temporary folder first, which is renamed into place once
 * complete, so a reader never sees a half-written run (and a crash leaves only a `.tmp-*`).
 */
import { promises as fsp } from 'node:fs';
import { dirname, join } from 'node:path';
import { randomBytes } from 'node:crypto';

export const RUNS_DIR = join('.rml', 'runs');

/** Where runs of this config are stored: `<config folder>/.rml/runs`. */
export function runsDirFor(configFile: string, outDir?: string): string {
  return outDir ?? join(dirname(configFile), RUNS_DIR);
}

/** A folder name that sorts by time: `2026-11-28T13-05-02-123Z-<slug>`. */
export function runFolderName(name: string, date = new Date()): string {
  const stamp = date.toISOString().replace(/[:.]/g, '-');
  const slug = name.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 40) || 'run';
  return `${stamp}-${slug}`;
}

export interface RecordFile {
  /** Path inside the run folder, e.g. `run.json` or `model/weights.bin`. */
  path: string;
  data: string | Uint8Array;
}

/**
 * Write all files of a run into `<runsDir>/<folder>` atomically and return the final path.
 * If the folder name exists (two runs in the same millisecond), a suffix is added.
 */
export async function writeRunAtomically(runsDir: string, folder: string, files: RecordFile[]): Promise<string> {
  await fsp.mkdir(runsDir, { recursive: true });
  const tmp = join(runsDir, `.tmp-${folder}-${randomBytes(4).toString('hex')}`);
  await fsp.mkdir(tmp, { recursive: true });
  try {
    for (const f of files) {
      const target = join(tmp, f.path);
      await fsp.mkdir(dirname(target), { recursive: true });
      const fh = await fsp.open(target, 'w');
      try {
        await fh.writeFile(f.data);
        await fh.sync();
      } finally {
        await fh.close();
      }
    }
    let final = join(runsDir, folder);
    for (let i = 1; await exists(final); i++) final = join(runsDir, `${folder}-${i}`);
    await fsp.rename(tmp, final);
    return final;
  } catch (e) {
    await fsp.rm(tmp, { recursive: true, force: true });
    throw e;
  }
}

/** Write one file atomically (temp file in the same folder, then rename). */
export async function writeFileAtomically(file: string, data: string | Uint8Array): Promise<void> {
  await fsp.mkdir(dirname(file), { recursive: true });
  const tmp = `${file}.tmp-${randomBytes(4).toString('hex')}`;
  try {
    await fsp.writeFile(tmp, data);
    await fsp.rename(tmp, file);
  } catch (e) {
    await fsp.rm(tmp, { force: true });
    throw e;
  }
}

/** Completed run folders for a config, newest first (temporary folders are skipped). */
export async function listRuns(runsDir: string): Promise<string[]> {
  let names: string[];
  try {
    names = await fsp.readdir(runsDir);
  } catch {
    return [];
  }
  const runs: string[] = [];
  for (const n of names.filter((x) => !x.startsWith('.')).sort().reverse()) {
    if (await exists(join(runsDir, n, 'run.json'))) runs.push(join(runsDir, n));
  }
  return runs;
}

async function exists(p: string): Promise<boolean> {
  try {
    await fsp.access(p);
    return true;
  } catch {
    return false;
  }
}
