/**
 * Finding the training configs under some paths: files are taken as given (they must be named
 * like a config); folders are walked, skipping `node_modules`, `.rml`, `.git` and symbolic links
 * to folders (no cycles), and every `*.rml.json`, `*.rml.yaml` and `*.rml.yml` is collected.
 */
import { promises as fsp } from 'node:fs';
import * as path from 'node:path';
import { isConfigFile } from '../config';
import { RmlInputError } from '../errors';

/** Folder names never searched. */
export const SKIPPED_DIRS: ReadonlySet<string> = new Set(['node_modules', '.rml', '.git']);

/**
 * The config files under `paths` (absolute, sorted, each once).
 * @throws RmlInputError when a path does not exist, or names a file that is not a training config
 */
export async function discoverConfigs(paths: readonly string[]): Promise<string[]> {
  const found = new Set<string>();
  for (const p of paths) {
    const abs = path.resolve(p);
    let st;
    try {
      st = await fsp.stat(abs);
    } catch {
      throw new RmlInputError(`no such file or folder: ${p}`);
    }
    if (st.isFile()) {
      if (!isConfigFile(abs)) throw new RmlInputError(`${p} is not a training config (expected a name ending in .rml.json, .rml.yaml or .rml.yml)`);
      found.add(abs);
    } else if (st.isDirectory()) {
      await walk(abs, found);
    }
  }
  return [...found].sort();
}

async function walk(dir: string, found: Set<string>): Promise<void> {
  let entries;
  try {
    entries = await fsp.readdir(dir, { withFileTypes: true });
  } catch {
    return; // unreadable folder: nothing to lint there
  }
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const e of entries) {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) {
      if (!SKIPPED_DIRS.has(e.name)) await walk(full, found);
    } else if ((e.isFile() || e.isSymbolicLink()) && isConfigFile(e.name)) {
      if (e.isSymbolicLink()) {
        const st = await fsp.stat(full).catch(() => undefined);
        if (!st?.isFile()) continue;
      }
      found.add(full);
    }
  }
}
