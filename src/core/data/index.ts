/** The data layer: CSV reading, column helpers and dataset profiles. */
export * from './types';
export {
  readCsv,
  columnIndex,
  headerCell,
  requireColumn,
  unknownColumnError,
  parseNumber,
  inferColumnType,
  dedupeHeader,
  scanHeaderCells,
  firstInvalidUtf8,
  BOOLEAN_PAIRS,
  DEFAULT_MISSING,
  DEFAULT_MAX_BYTES,
  DEFAULT_MAX_FIELD_LENGTH,
  DEFAULT_MAX_RECORD_LENGTH,
} from './csv';
export { profileDataset, profileColumn, numericStats, countDuplicateRows, type ProfileOptions } from './profile';
