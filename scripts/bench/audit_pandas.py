"""Baseline for the fairness-audit benchmark (scripts/bench/audit.ts): the same computation with pandas.

    /usr/bin/python3 scripts/bench/audit_pandas.py <csv> [--scores]

Reads the CSV with pandas.read_csv (the columns y_true, y_pred, y_score, group), then per group the
confusion counts and six metrics -- selection rate, accuracy, TPR (recall), FPR, FNR, precision --
plus the disparities (max - min and min / max of selection rate, TPR and FPR, as Fairlearn's
`between_groups`). With --scores it also computes ROC AUC overall and per group (scikit-learn).

Fairlearn is not installable here. MetricFrame computes the same per-group metrics by calling each
metric function once per group (each recomputing a confusion matrix from the rows), so this
vectorized groupby is a LOWER BOUND on Fairlearn's cost, not Fairlearn itself (the issue measured
MetricFrame at about 5.9 s for 6 metrics on 1,000,000 rows x 5 groups on this machine).

Prints one JSON line: {"rows", "groups", "readS", "computeS", "totalS", "aucS", "dpd", "eod"}.
"""
import json
import sys
import time

import numpy as np
import pandas as pd


def main() -> None:
    path = sys.argv[1]
    with_scores = '--scores' in sys.argv[2:]
    t0 = time.perf_counter()
    df = pd.read_csv(path, usecols=['y_true', 'y_pred', 'y_score', 'group'])
    t1 = time.perf_counter()
    counts = df.groupby(['group', 'y_true', 'y_pred']).size().unstack(['y_true', 'y_pred'], fill_value=0)
    get = lambda y, p: counts[(y, p)] if (y, p) in counts.columns else 0
    tn, fp, fn, tp = get(0, 0), get(0, 1), get(1, 0), get(1, 1)
    n = tn + fp + fn + tp
    div = lambda a, b: (a / b.replace(0, np.nan)).fillna(0.0)
    metrics = pd.DataFrame({
        'selection_rate': (tp + fp) / n,
        'accuracy': (tp + tn) / n,
        'tpr': div(tp, tp + fn),
        'fpr': div(fp, fp + tn),
        'fnr': div(fn, tp + fn),
        'precision': div(tp, tp + fp),
    })
    sr, tpr, fpr = metrics.selection_rate, metrics.tpr, metrics.fpr
    disparities = {
        'demographicParityDifference': sr.max() - sr.min(),
        'demographicParityRatio': sr.min() / sr.max() if sr.max() > 0 else None,
        'equalizedOddsDifference': max(tpr.max() - tpr.min(), fpr.max() - fpr.min()),
        'equalOpportunityDifference': tpr.max() - tpr.min(),
    }
    t2 = time.perf_counter()
    auc_s = None
    if with_scores:
        from sklearn.metrics import roc_auc_score
        roc_auc_score(df.y_true, df.y_score)
        for _, g in df.groupby('group'):
            roc_auc_score(g.y_true, g.y_score)
        auc_s = time.perf_counter() - t2
    print(json.dumps({
        'rows': int(len(df)),
        'groups': int(len(metrics)),
        'readS': t1 - t0,
        'computeS': t2 - t1,
        'totalS': t2 - t0,
        'aucS': auc_s,
        'dpd': float(disparities['demographicParityDifference']),
        'eod': float(disparities['equalizedOddsDifference']),
    }))


if __name__ == '__main__':
    main()
