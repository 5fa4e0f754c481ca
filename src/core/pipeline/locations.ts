/** Helpers that turn a config key path or a dataset column into a SourceLocation for errors. */
import type { TrainingConfig } from '../config/types';
import type { Dataset } from '../data/types';
import type { SourceLocation } from '../errors';

/** The range of a config value, else its nearest existing ancestor key. */
export function valueLocation(config: TrainingConfig, path: (string | number)[]): SourceLocation {
  return config.sourceMap.valueRange(path) ?? config.sourceMap.nearest(path);
}

/** The header cell of a column in the CSV (line 1 unless the file starts with blank lines). */
export function headerLocation(ds: Dataset, column: string): SourceLocation {
  const cell = ds.header.find((h) => h.name === column);
  if (!cell) return { file: ds.file, line: 1, column: 1 };
  return { file: ds.file, line: cell.line, column: cell.startColumn, endLine: cell.line, endColumn: cell.endColumn };
}
