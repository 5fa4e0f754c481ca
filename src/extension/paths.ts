/**
 * Names of things on disk: which files are training configs, where a config's runs are. Pure
 * (Node only), shared by the editor code and the unit tests.
 */
import * as path from 'node:path';

/**
 * Training config file names: `*.rml.json`, `*.rml.yaml`, `*.rml.yml`. The same pattern as
 * `CONFIG_FILE_PATTERN` in src/core/config (a unit test keeps them equal); repeated here so that
 * deciding whether a file is a config does not load the config parser at activation.
 */
export const CONFIG_FILE_PATTERN = /\.rml\.(?:json|ya?ml)$/;
/** The same as a glob (file watchers, findFiles). */
export const CONFIG_FILE_GLOB = '**/*.rml.{json,yaml,yml}';
/** A run folder: `<config folder>/.rml/runs/<run>`. */
export const RUN_FOLDER_GLOB = '**/.rml/runs/*';
/** Data files whose change re-lints the configs that read them. */
export const DATA_FILE_GLOB = '**/*.{csv,tsv,txt,data}';

/** The model cards `rml card` writes beside a config (`defaultCardPath` in core/report/card.ts); the lint's RML017 reads them. */
export const MODEL_CARD_GLOB = '**/MODEL_CARD.{md,html}';

export function isConfigPath(file: string): boolean {
  return CONFIG_FILE_PATTERN.test(file);
}

/**
 * The folder holding the configs whose runs are in `runDir` (`<folder>/.rml/runs/<run>`), or
 * undefined when `runDir` is not a run folder.
 */
export function configFolderOfRun(runDir: string): string | undefined {
  const runs = path.dirname(runDir);
  const rml = path.dirname(runs);
  if (path.basename(runs) !== 'runs' || path.basename(rml) !== '.rml') return undefined;
  return path.dirname(rml);
}

/** A stable key for a file path (case kept: Linux paths are case-sensitive). */
/** Whether two paths name the same file (resolved, as given: no realpath). */
export function samePath(a: string, b: string): boolean {
  return path.resolve(a) === path.resolve(b);
}

export function fileKey(file: string): string {
  return path.resolve(file);
}
