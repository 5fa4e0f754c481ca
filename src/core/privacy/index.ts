/**
 * Privacy: PII detection (shared with the lint), de-identification (`rml anonymize`),
 * k-anonymity / l-diversity with a generalisation search (`rml privacy`), and the RDP accountant
 * of DP-SGD training.
 */
export * from './pii';
export {
  DEFAULT_RDP_ORDERS,
  computeRdp,
  computeEpsilon,
  epsilonFromRdp,
  deltaFromRdp,
  noiseMultiplierForEpsilon,
  rdpSampledGaussian,
  type RdpConversion,
  type RdpCurve,
  type EpsilonParams,
  type EpsilonResult,
  type SampledGaussianParams,
} from './accountant';
export { dpSgdSummary, expectedDpEpsilon, estimateTrainRows, type DpConfig, type DpSgdSummary, type DpSgdOptions } from './dpsgd';
export {
  SUPPRESSED,
  PSEUDONYM_DEFAULTS,
  maskValue,
  pseudonymize,
  generalizeValue,
  ageBand,
  numberRange,
  zipPrefix,
  dateTo,
  categoryGroup,
  categoryMap,
  type MaskOptions,
  type PseudonymOptions,
  type Generalization,
  type DateUnit,
} from './transforms';
export { SALT_BYTES, loadOrCreateSalt, readSalt, type SaltFile } from './salt';
export {
  defaultPlan,
  anonymizationSchema,
  loadAnonymizationConfig,
  parseAnonymizationConfig,
  anonymizationConfigFromValue,
  planFromObject,
  describeAction,
  describeGeneralization,
  actionToConfig,
  type AnonymizationPlan,
  type AnonymizationConfig,
  type ColumnAction,
  type KAnonymityTarget,
} from './plan';
export {
  anonymizeDataset,
  writeAnonymizedCopy,
  suggestPlan,
  SUGGESTED_ACTIONS,
  resolveActions,
  needsSalt,
  hashFile,
  type AnonymizeOptions,
  type AnonymizeReport,
  type AnonymizeResult,
  type AnonymizedTable,
  type ColumnReport,
  type PiiFinding,
  type ResolvedActions,
  type WriteAnonymizedOptions,
} from './anonymize';
export { buildHierarchy, inferQiType, type Hierarchy, type HierarchyLevel, type QiType, type QuasiIdentifierSpec, type CategoryLevel } from './hierarchy';
export { displayLabel, MISSING_DISPLAY } from './display';
export {
  analyzeKAnonymity,
  K_ANONYMITY_DEFAULTS,
  SEARCH_METHOD,
  type KAnonymityOptions,
  type KAnonymityResult,
  type LDiversityResult,
  type ClassListing,
  type GeneralizationNode,
  type GeneralizationSearchResult,
  type RecommendedGeneralization,
} from './kanon';
