/** RML011 no-seed: no seed for the split or for training. */
import type { LintContext } from '../context';
import { ruleMeta, type Rule } from '../rule';
import type { Finding } from '../types';

const meta = ruleMeta(
  'RML011',
  'no-seed',
  'warning',
  'config',
  'Neither split.seed nor train.seed is set, so the run is reproducible only through an implicit default.',
  'Without an explicit seed the split, the initial weights, the shuffles and dropout depend on a default the config does not state (the engine uses 0 and says so): a reader can\'t tell which rows were held out, and a change of default silently changes every number, fairness metrics included. Set split.seed (it also seeds training unless train.seed is set).',
);

export const rml011: Rule = {
  meta,
  check(ctx: LintContext): Finding[] {
    if (ctx.has(['split', 'seed']) || ctx.has(['train', 'seed'])) return [];
    return [
      ctx.finding(meta, {
        at: ctx.anchor(['split', 'seed']),
        message:
          `No seed is set (split.seed or train.seed): which rows are held out, the initial weights and the shuffles all rest on the engine's implicit default (0), which the config does not record. ` +
          `Set split.seed so the run, and its fairness numbers, can be reproduced and reviewed; it also seeds training unless train.seed is set.`,
        fixes: [ctx.setFix('Set split.seed: 42', ['split', 'seed'], 42)],
      }),
    ];
  },
};
