/**
 * Open a run for explaining as `rml explain` and the editor's Explain view both do: read its data
 * with the CSV options and sensitive columns of a config (the one given, else the run's recorded
 * config when it still loads, else the defaults, with a warning saying so), then build the context.
 */
import { existsSync } from 'node:fs';
import { parse } from 'node:path';
import { loadConfig, type TrainingConfig } from '../config';
import { RmlInputError } from '../errors';
import { loadRun } from '../report/load';
import { loadExplainContext, type ExplainContext } from './context';

export async function openExplainContext(runDir: string, config?: TrainingConfig): Promise<ExplainContext> {
  const warnings: string[] = [];
  if (!config) {
    // The run's own config, for how to read its data (delimiter, missing tokens, encoding) and its sensitive columns.
    try {
      const file = (await loadRun(runDir)).record.config.file;
      // Only its CSV options and sensitive columns are used (the data file is the one run.json names), so no workspace-root restriction applies.
      if (existsSync(file)) config = await loadConfig(file, { root: parse(file).root });
      else warnings.push(`the run's config ${file} no longer exists; its data is read with the default CSV options`);
    } catch (e) {
      if (!(e instanceof RmlInputError)) throw e;
      warnings.push(`the run's config could not be loaded (${e.message.split('\n')[0]}); its data is read with the default CSV options`);
    }
  }
  const ctx = await loadExplainContext(runDir, {
    csv: config ? { delimiter: config.data.delimiter, missing: config.data.missing, encoding: config.data.encoding } : undefined,
    sensitive: config?.data.sensitive,
  });
  ctx.warnings.unshift(...warnings);
  return ctx;
}
