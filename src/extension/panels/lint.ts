/**
 * The data view's column findings: the ethics lint of the config (`lintConfigFile`, loaded on
 * first use), keeping the findings that name a column. Columns flagged RML001 (pii-column) are
 * then masked by `loadDataView` before anything reaches the webview.
 */
import { columnFindings, type ColumnLinter } from './loaders';

export const lintColumns: ColumnLinter = async (configFile, root) => {
  const { lintConfigFile } = await import('../../core/lint');
  return columnFindings(await lintConfigFile(configFile, { root }));
};
