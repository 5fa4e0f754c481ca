/**
 * Training configs (`*.rml.json`, `*.rml.yaml`, `*.rml.yml`): parsing with source ranges,
 * validation against `rml.schema.json`, and loading with defaults into a TrainingConfig.
 */
export type {
  DataConfig,
  EvaluateConfig,
  FairnessConfig,
  ModelConfig,
  ModelType,
  PreprocessConfig,
  SourceMap,
  SplitConfig,
  Task,
  TrainConfig,
  TrainingConfig,
} from './types';
export {
  configFormat,
  parseConfigText,
  MAX_CONFIG_BYTES,
  MAX_CONFIG_DEPTH,
  MAX_YAML_ALIAS_COUNT,
  type ConfigFormat,
  type ParsedConfig,
} from './parse';
export { configSchema, validateConfigValue } from './validate';
export {
  CONFIG_DEFAULTS,
  loadConfig,
  loadConfigFromText,
  validateConfigText,
  type ConfigValidationResult,
  type LoadConfigOptions,
} from './load';
export { ConfigSourceMap, formatPath, LineIndex, type ConfigPath } from './sourcemap';

/** Matches training config file names: `*.rml.json`, `*.rml.yaml`, `*.rml.yml`. */
export const CONFIG_FILE_PATTERN = /\.rml\.(?:json|ya?ml)$/;

/** The same as a glob, for VS Code (`workspaceContains`, file watchers, `jsonValidation`). */
export const CONFIG_FILE_GLOB = '**/*.rml.{json,yaml,yml}';

/** Whether a path names a training config file (`*.rml.json`, `*.rml.yaml` or `*.rml.yml`). */
export function isConfigFile(path: string): boolean {
  return CONFIG_FILE_PATTERN.test(path);
}
