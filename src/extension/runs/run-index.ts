/**
 * The runs recorded beside each training config (`<config folder>/.rml/runs/<run>/run.json`),
 * read lazily and cached per folder until a watcher or a finished training invalidates them.
 * Node only (no 'vscode'), so it can be unit-tested.
 */
import { promises as fsp } from 'node:fs';
import * as path from 'node:path';
import { listRuns, RUNS_DIR } from '../../core/report/record';
import { fileKey } from '../paths';
import { runInfo, type RunInfo } from './summary';

export class RunIndex {
  /** Runs per config folder (all configs of a folder share `.rml/runs`), newest first. */
  private readonly folders = new Map<string, Promise<RunInfo[]>>();
  private readonly listeners = new Set<(folder: string) => void>();

  /** Called with a config folder whose runs changed. Returns an unsubscribe function. */
  onDidChange(listener: (folder: string) => void): { dispose(): void } {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  }

  /** Forget the cached runs of a config folder (a run was added or removed). */
  invalidateFolder(folder: string): void {
    const key = fileKey(folder);
    this.folders.delete(key);
    for (const l of this.listeners) l(key);
  }

  /** Runs of one config, newest first. */
  async runsOf(configFile: string): Promise<RunInfo[]> {
    const all = await this.runsIn(path.dirname(configFile));
    const abs = fileKey(configFile);
    const exact = all.filter((r) => r.configFile !== undefined && fileKey(r.configFile) === abs);
    if (exact.length > 0) return exact;
    // The folder was moved or copied since: match on the config's file name instead.
    const base = path.basename(abs);
    return all.filter((r) => r.configFile !== undefined && path.basename(r.configFile) === base);
  }

  /** The newest run of a config (completed or cancelled), if any. */
  async latest(configFile: string): Promise<RunInfo | undefined> {
    return (await this.runsOf(configFile))[0];
  }

  /** The newest completed run of a config, if any. */
  async latestCompleted(configFile: string): Promise<RunInfo | undefined> {
    return (await this.runsOf(configFile)).find((r) => r.status === 'completed');
  }

  /** Every run in a config folder, newest first. */
  runsIn(folder: string): Promise<RunInfo[]> {
    const key = fileKey(folder);
    let p = this.folders.get(key);
    if (!p) {
      p = readRuns(path.join(key, RUNS_DIR));
      this.folders.set(key, p);
      // A failed read is not cached.
      p.catch(() => this.folders.delete(key));
    }
    return p;
  }
}

async function readRuns(runsDir: string): Promise<RunInfo[]> {
  const dirs = await listRuns(runsDir);
  const out: RunInfo[] = [];
  for (const dir of dirs) {
    try {
      out.push(runInfo(dir, JSON.parse(await fsp.readFile(path.join(dir, 'run.json'), 'utf8')) as unknown));
    } catch {
      // A run.json that cannot be read or parsed is skipped (listRuns already skips half-written runs).
    }
  }
  return out;
}
