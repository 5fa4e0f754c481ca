/**
 * Metrics: one function per metric, each with its definition and edge cases in its doc comment.
 * Definitions follow scikit-learn 1.2 (see the shared METRICS.md).
 */

export * from './classification';
export * from './multiclass';
export * from './regression';
export * from './stats';
