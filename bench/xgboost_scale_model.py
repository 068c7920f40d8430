"""An XGBoost model on a generated churn table, for bench/import-scale.mjs (Debian's python3-xgboost, numpy + csv).

/usr/bin/python3 bench/xgboost_scale_model.py TRAIN.csv SCORE.csv MODEL.json EXPECTED.json N
Trains binary:logistic, hist, 100 trees of depth 6 on TRAIN (numbers as floats, yes/no as indicators, text as
native categories coded in sorted label order, as pandas codes them), saves MODEL.json, and writes XGBoost's
probabilities of the first N rows of SCORE to EXPECTED.json.
"""
import csv
import itertools
import json
import math
import sys

import numpy as np
import xgboost as xgb

train_path, score_path, model_path, expected_path, n_check = sys.argv[1:6]
with open(train_path, newline="") as f:
    rows = list(csv.reader(f))
header, body = rows[0], rows[1:]
features = [c for c in header if c not in ("customer_id", "churn")]
kinds, levels = {}, {}
for c in features:
    vals = {r[header.index(c)] for r in body} - {""}
    if vals <= {"Yes", "No"}:
        kinds[c] = "i"
    elif all(v.replace(".", "", 1).lstrip("-").isdigit() for v in vals):
        kinds[c] = "float"
    else:
        kinds[c] = "c"
        levels[c] = sorted(vals)


def matrix(rs):
    X = np.empty((len(rs), len(features)))
    for j, c in enumerate(features):
        k = header.index(c)
        for i, r in enumerate(rs):
            v = r[k]
            if v == "":
                X[i, j] = math.nan
            elif kinds[c] == "i":
                X[i, j] = 1.0 if v == "Yes" else 0.0
            elif kinds[c] == "c":
                X[i, j] = levels[c].index(v) if v in levels[c] else math.nan
            else:
                X[i, j] = float(v)
    return X


types = [kinds[c] for c in features]
y = np.array([1.0 if r[header.index("churn")] == "Yes" else 0.0 for r in body])
d = xgb.DMatrix(matrix(body), label=y, feature_names=features, feature_types=types, enable_categorical=True)
params = {"objective": "binary:logistic", "tree_method": "hist", "max_depth": 6, "eta": 0.1, "nthread": 2, "seed": 0}
bst = xgb.train(params, d, num_boost_round=100)
bst.save_model(model_path)
with open(score_path, newline="") as f:
    r = csv.reader(f)
    next(r)
    check = list(itertools.islice(r, int(n_check)))
p = bst.predict(xgb.DMatrix(matrix(check), feature_names=features, feature_types=types, enable_categorical=True))
with open(expected_path, "w") as f:
    json.dump({"ids": [c[0] for c in check], "probability": [float(v) for v in p]}, f)
