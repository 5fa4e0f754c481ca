/**
 * Explainability: permutation importance, Kernel SHAP, LIME (with stability), partial dependence
 * and ICE, nearest counterfactuals and error slices, on a run's RAW feature columns (a
 * categorical column is one feature). Every function is pure and returns JSON-serialisable
 * results; `loadExplainContext` is the only one that reads files.
 */
export * from './types';
export { ModelAdapter, defaultSpace, type OutputSpec } from './model';
export { tableFromDataset, takeRows, rowValues, repeatRow, tableFromRows, rawText, type FeatureColumn, type RawTable } from './table';
export { plainFormatter, maskingFormatter, detectFeaturePii, type ValueFormatter } from './display';
export { sampleBackground, kmeansBackground, varyingFeatures, type Background } from './background';
export { kernelShap, linearShap, coalitionPlan, type KernelShapOptions, type KernelShapValues } from './shap';
export { permutationImportance, defaultImportanceMetric, type PermutationOptions } from './permutation';
export { lime, limeWithStability, limeDistribution, type LimeDistribution, type LimeOptions } from './lime';
export { partialDependence, type PdpOptions } from './pdp';
export { counterfactual, type CounterfactualGoal, type CounterfactualOptions } from './counterfactual';
export { errorSlices, type SliceOptions } from './slices';
export { loadExplainContext, buildExplainContext, readPredictions, type ExplainContext, type LoadContextOptions, type RecordedPredictions } from './context';
export { explainRow, featureIndex, EXPLAIN_DEFAULTS, type ExplainOptions } from './report';
export { openExplainContext } from './open';
